"""Clerks and roles: first administrator, argon2id login with rehash, and every guarded operation against every role."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from argon2 import PasswordHasher
from pytestqt.qtbot import QtBot
from sqlalchemy import select

import liandu_desk.services
from liandu_desk.domain.errors import PermissionDenied, RuleError, ValidationError
from liandu_desk.domain.permissions import OPERATIONS, ROLE_PERMISSIONS, Permission, allowed
from liandu_desk.domain.registry import Clerk
from liandu_desk.services import clerks
from liandu_desk.storage import ClerkRef, Database
from liandu_desk.ui.admin.login import FirstAdminDialog, LoginDialog

EXPECTED = {  # the issue's role table: 科员 enter/edit and draft; 审核 also issue, close, approve, publish; 管理员 all
    "科员": {Permission.EDIT_CASES, Permission.DRAFT_NOTICES},
    "审核": {
        Permission.EDIT_CASES,
        Permission.DRAFT_NOTICES,
        Permission.ISSUE_NOTICES,
        Permission.CLOSE_CASES,
        Permission.APPROVE_SUBSIDIES,
        Permission.PUBLISH_LISTS,
        Permission.CORRECT_INSPECTIONS,
        Permission.VIEW_PERSONAL_DATA,
    },
    "管理员": set(Permission),
}


def as_role(db: Database, role: str) -> Database:
    return Database(db.url.render_as_string(hide_password=False), clerk=ClerkRef(1, f"{role}甲", "x", role))


def test_role_table() -> None:
    assert {role: set(perms) for role, perms in ROLE_PERMISSIONS.items()} == EXPECTED
    assert not allowed(None, Permission.EDIT_CASES) and not allowed("访客", Permission.EDIT_CASES)


def test_first_admin_then_login_with_rehash(db: Database) -> None:
    with db.session_scope() as session:
        assert clerks.needs_first_admin(session)
        admin = clerks.create_first_admin(session, "admin", "王管理", "mima2021")
    assert admin.role == "管理员"
    with pytest.raises(RuleError, match="已有管理员"), db.session_scope() as session:
        clerks.create_first_admin(session, "other", "李四", "mima2021")
    with db.session_scope() as session:  # an old hash made with weaker parameters is upgraded at login
        session.scalar(select(Clerk).where(Clerk.login == "admin")).password_hash = PasswordHasher(
            time_cost=1, memory_cost=8192
        ).hash("mima2021")
    with db.session_scope() as session:
        old = session.scalar(select(Clerk.password_hash).where(Clerk.login == "admin"))
        assert clerks.authenticate(session, "admin", "mima2021").name == "王管理"
    with db.session_scope() as session:
        new = session.scalar(select(Clerk.password_hash).where(Clerk.login == "admin"))
    assert new != old and new.startswith("$argon2id$")


@pytest.mark.parametrize(("login", "password"), [("admin", "wrong123"), ("nobody", "mima2021"), ("admin", "")])
def test_failed_logins_say_the_same(db: Database, login: str, password: str) -> None:
    with db.session_scope() as session:
        clerks.create_first_admin(session, "admin", "王管理", "mima2021")
    with pytest.raises(RuleError, match="登录名或密码不正确"), db.session_scope() as session:
        clerks.authenticate(session, login, password)


@pytest.mark.parametrize(
    ("password", "reason"), [("short1", "至少8位"), ("12345678", "字母和数字"), ("abcdefgh", "字母")]
)
def test_weak_passwords_refused(db: Database, password: str, reason: str) -> None:
    with pytest.raises(ValidationError, match=reason), db.session_scope() as session:
        clerks.create_first_admin(session, "admin", "王管理", password)


def test_disabled_clerk_cannot_log_in_and_last_admin_stays(db: Database) -> None:
    with db.session_scope() as session:
        admin = clerks.create_first_admin(session, "admin", "王管理", "mima2021")
        clerk = clerks.save_clerk(session, "kw", "张科员", "科员", "mima2022")
        clerks.set_active(session, clerk.id, False)
        with pytest.raises(RuleError, match="最后一个管理员"):
            clerks.set_active(session, admin.id, False)
    with pytest.raises(RuleError), db.session_scope() as session:
        clerks.authenticate(session, "kw", "mima2022")


def _load_all_services() -> None:
    for module in pkgutil.walk_packages(liandu_desk.services.__path__, "liandu_desk.services."):
        importlib.import_module(module.name)


def _gate(fn, db: Database) -> bool:
    """True when the permission gate let the call through (it may then fail on the missing arguments)."""
    try:
        with db.session_scope() as session:
            fn(session)
    except PermissionDenied:
        return False
    except Exception:
        return True
    return True


def test_every_guarded_operation_against_every_role(db: Database) -> None:
    _load_all_services()
    assert "liandu_desk.services.clerks.save_clerk" in OPERATIONS
    for name, permission in sorted(OPERATIONS.items()):
        module_name, _, attribute = name.rpartition(".")
        fn = getattr(importlib.import_module(module_name), attribute.split(".")[-1], None)
        if fn is None:
            continue
        for role in ("科员", "审核", "管理员", ""):
            assert _gate(fn, as_role(db, role)) == (permission in EXPECTED.get(role, set())), (name, role)


def test_first_run_dialog_and_login_dialog(qtbot: QtBot, db: Database) -> None:
    first = FirstAdminDialog(db)
    qtbot.addWidget(first)
    first.login.setText("admin")
    first.name.setText("王管理")
    first.password.setText("mima2021")
    first.repeat.setText("mima2020")
    first.accept()
    assert "两次输入不一致" in first.error.text() and first.clerk is None
    first.repeat.setText("mima2021")
    first.accept()
    assert first.clerk is not None and first.clerk.role == "管理员"
    login = LoginDialog(db)
    qtbot.addWidget(login)
    login.login.setText("admin")
    login.password.setText("bad-pass1")
    login.accept()
    assert "不正确" in login.error.text() and login.clerk is None
    login.password.setText("mima2021")
    login.accept()
    assert login.clerk is not None and login.clerk.name == "王管理"
