"""Login lockout: five wrong passwords lock the account for growing waits, even the right password is refused
while locked, an administrator can unlock, and every failure and lock is in the audit trail."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import select

from liandu_desk.cli import main
from liandu_desk.domain.audit import AuditEntry
from liandu_desk.domain.errors import PermissionDenied, RuleError
from liandu_desk.domain.registry import Clerk
from liandu_desk.services.clerks import LOCK_STEPS, authenticate, find_clerk, save_clerk, unlock_clerk
from liandu_desk.services.integrity import verify_audit_chain

T0 = dt.datetime(2026, 12, 4, 9, 0, tzinfo=dt.UTC)
PASSWORD = "正确的密码123"


@pytest.fixture
def clerk_login(db) -> str:
    with db.session_scope() as session:
        save_clerk(session, "xiaoli", "李小丽", "科员", PASSWORD)
    return "xiaoli"


def _try(db, login: str, password: str, at: dt.datetime) -> str:
    try:
        with db.session_scope() as session:
            authenticate(session, login, password, now=at)
    except RuleError as exc:
        return exc.message
    return "ok"


def _clerk(db, login: str) -> Clerk:
    with db.session_scope() as session:
        return session.scalar(select(Clerk).where(Clerk.login == login))


def test_thirty_wrong_passwords_then_the_right_one_is_refused(db, clerk_login: str) -> None:
    for n in range(30):
        _try(db, clerk_login, f"错{n}", T0 + dt.timedelta(seconds=n))
    answer = _try(db, clerk_login, PASSWORD, T0 + dt.timedelta(seconds=31))
    assert "已被锁定" in answer and "请管理员解锁" in answer
    assert _clerk(db, clerk_login).failed_logins == 31  # the refused right password counts too
    with db.session_scope() as session:
        changes = session.scalars(
            select(AuditEntry).where(AuditEntry.table_name == "clerk", AuditEntry.action == "update")
        ).all()
        assert verify_audit_chain(session).ok
    counted = [entry.new_values.get("failed_logins") for entry in changes if entry.new_values]
    assert list(range(1, 32)) == [c for c in counted if c]  # every failure is an audited change of the row
    assert any((entry.new_values or {}).get("locked_until") for entry in changes)  # and so is the lock


def test_waits_grow_and_the_right_password_works_after_the_wait(db, clerk_login: str) -> None:
    for n in range(4):
        assert "不正确" in _try(db, clerk_login, "错", T0 + dt.timedelta(seconds=n))
    assert "30秒后再试" in _try(db, clerk_login, "错", T0 + dt.timedelta(seconds=4))  # the fifth locks for 30 s
    locked = _clerk(db, clerk_login).locked_until
    assert locked is not None and locked.replace(tzinfo=dt.UTC) == T0 + dt.timedelta(seconds=4 + LOCK_STEPS[0])
    after = T0 + dt.timedelta(seconds=40)  # (an attempt while locked would count too and lengthen the next lock)
    assert "1分钟后再试" in _try(db, clerk_login, "错", after)  # the next failure after the wait: one minute
    assert "5分钟后再试" in _try(db, clerk_login, "错", after + dt.timedelta(seconds=61))
    later = after + dt.timedelta(seconds=61 + LOCK_STEPS[2] + 1)
    assert _try(db, clerk_login, PASSWORD, later) == "ok"
    clerk = _clerk(db, clerk_login)
    assert clerk.failed_logins == 0 and clerk.locked_until is None
    assert "不正确" in _try(db, clerk_login, "错", later)  # counting starts again from one


def test_administrator_unlocks_and_a_clerk_may_not(db, clerk_login: str) -> None:
    for n in range(5):
        _try(db, clerk_login, "错", T0 + dt.timedelta(seconds=n))
    clerk_id = _clerk(db, clerk_login).id
    db.clerk = dataclasses.replace(db.clerk, role="科员")
    with pytest.raises(PermissionDenied), db.session_scope() as session:
        unlock_clerk(session, clerk_id)
    db.clerk = dataclasses.replace(db.clerk, role="管理员")
    with db.session_scope() as session:
        unlock_clerk(session, clerk_id)
    assert _try(db, clerk_login, PASSWORD, T0 + dt.timedelta(seconds=6)) == "ok"
    with pytest.raises(RuleError, match="未被锁定"), db.session_scope() as session:
        unlock_clerk(session, clerk_id)


@pytest.mark.sqlite_only
def test_cli_lists_and_unlocks(db, db_path, clerk_login: str, capsys) -> None:
    for n in range(5):
        _try(db, clerk_login, "错", dt.datetime.now(dt.UTC) + dt.timedelta(seconds=n))
    db.dispose()
    assert main(["clerk", "list", "--db", str(db_path)]) == 0
    assert "已被锁定" in capsys.readouterr().out
    assert main(["clerk", "unlock", "xiaoli", "--db", str(db_path)]) == 0
    assert "已解锁：李小丽（xiaoli）" in capsys.readouterr().out
    with db.session_scope() as session:
        assert find_clerk(session, "xiaoli").id and _clerk(db, "xiaoli").failed_logins == 0
