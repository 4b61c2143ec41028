"""Clerks: accounts with argon2id passwords, roles, the first administrator, and the workstation identity."""

from __future__ import annotations

import getpass
import logging
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from liandu_desk.domain.errors import RuleError, ValidationError
from liandu_desk.domain.registry import Clerk, ClerkRole
from liandu_desk.services.permissions import Permission, requires
from liandu_desk.storage.audit_listener import SYSTEM_KEY

log = logging.getLogger(__name__)
MIN_PASSWORD = 8
_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


@dataclass(frozen=True)
class ClerkInfo:
    """A clerk as the GUI shows it."""

    id: int
    login: str
    name: str
    role: str
    active: bool = True


def _info(clerk: Clerk) -> ClerkInfo:
    return ClerkInfo(clerk.id, clerk.login, clerk.name, clerk.role.value, clerk.active)


def os_login() -> str:
    """The operating-system account name (the default login offered)."""
    try:
        return getpass.getuser() or "clerk"
    except (KeyError, OSError):
        return "clerk"


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise ValidationError("密码", f"至少{MIN_PASSWORD}位")
    if password.isdigit() or password.isalpha():
        raise ValidationError("密码", "应同时包含字母和数字")


def _check_login(login: str) -> str:
    login = (login or "").strip()
    if not 2 <= len(login) <= 64 or any(ch.isspace() for ch in login):
        raise ValidationError("登录名", "应为2至64个字符，不含空格")
    return login


def needs_first_admin(session: Session) -> bool:
    """True until some active clerk has a password (a new database, or one from before logins existed)."""
    query = select(Clerk.id).where(Clerk.password_hash.is_not(None), Clerk.active.is_(True)).limit(1)
    return session.scalar(query) is None


def create_first_admin(session: Session, login: str, name: str, password: str) -> ClerkInfo:
    """The first administrator; refused once any clerk can log in."""
    if not needs_first_admin(session):
        raise RuleError("系统已有管理员，请由管理员在“用户管理”中添加账户。")
    session.info[SYSTEM_KEY] = "首次设置"
    return _upsert(session, login, name, ClerkRole.ADMIN, password)


def _upsert(session: Session, login: str, name: str, role: ClerkRole, password: str) -> ClerkInfo:
    login = _check_login(login)
    name = (name or "").strip()
    if not 2 <= len(name) <= 40:
        raise ValidationError("姓名", "应为2至40个字")
    _check_password(password)
    clerk = session.scalar(select(Clerk).where(Clerk.login == login))
    if clerk is None:
        clerk = Clerk(login=login, name=name, role=role, active=True)
        session.add(clerk)
    clerk.name, clerk.role, clerk.active = name, role, True
    clerk.password_hash = _hasher.hash(password)
    session.flush()
    log.info("clerk %s saved with role %s", login, role.value)
    return _info(clerk)


@requires(Permission.MANAGE_CLERKS)
def save_clerk(session: Session, login: str, name: str, role: str, password: str) -> ClerkInfo:
    """Create a clerk or reset one's name, role and password."""
    try:
        clerk_role = ClerkRole(role)
    except ValueError:
        raise ValidationError("角色", f"应为{'、'.join(r.value for r in ClerkRole)}之一") from None
    return _upsert(session, login, name, clerk_role, password)


@requires(Permission.MANAGE_CLERKS)
def set_active(session: Session, clerk_id: int, active: bool) -> ClerkInfo:
    """Enable or disable a clerk (never deleted: the audit trail names them); the last admin stays."""
    clerk = session.get(Clerk, clerk_id)
    if clerk is None:
        raise RuleError("找不到该用户")
    if not active and clerk.role == ClerkRole.ADMIN and _active_admins(session) <= 1:
        raise RuleError("不能停用最后一个管理员")
    clerk.active = active
    return _info(clerk)


def _active_admins(session: Session) -> int:
    query = select(Clerk.id).where(Clerk.role == ClerkRole.ADMIN, Clerk.active.is_(True))
    return len(session.scalars(query).all())


def authenticate(session: Session, login: str, password: str) -> ClerkInfo:
    """Check the password (argon2id); rehash when the hashing parameters changed; one message for any failure."""
    clerk = session.scalar(select(Clerk).where(Clerk.login == (login or "").strip()))
    failure = RuleError("登录名或密码不正确，或该账户已停用。")
    if clerk is None or not clerk.active or not clerk.password_hash:
        raise failure
    try:
        _hasher.verify(clerk.password_hash, password)
    except (VerificationError, InvalidHashError):
        log.warning("failed login for %s", clerk.login)
        raise failure from None
    if _hasher.check_needs_rehash(clerk.password_hash):
        session.info[SYSTEM_KEY] = "登录时更新密码散列"
        clerk.password_hash = _hasher.hash(password)
        log.info("password hash of %s upgraded", clerk.login)
    return _info(clerk)


def change_own_password(session: Session, clerk_id: int, old: str, new: str) -> None:
    """A clerk changes their own password after proving the old one."""
    clerk = session.get(Clerk, clerk_id)
    if clerk is None:
        raise RuleError("找不到该用户")
    authenticate(session, clerk.login, old)
    _check_password(new)
    session.info[SYSTEM_KEY] = "本人修改密码"
    clerk.password_hash = _hasher.hash(new)


def ensure_workstation_clerk(session: Session, login: str | None = None) -> ClerkInfo:
    """Find or create a clerk for an OS account (tests and scripted use); the first clerk is the administrator."""
    login = login or os_login()
    clerk = session.scalar(select(Clerk).where(Clerk.login == login))
    if clerk is None:
        first = session.scalar(select(Clerk.id).limit(1)) is None
        clerk = Clerk(login=login, name=login, role=ClerkRole.ADMIN if first else ClerkRole.CLERK, active=True)
        session.add(clerk)
        session.flush()
        log.info("created clerk %s (%s)", login, clerk.role.value)
    return _info(clerk)


def find_clerk(session: Session, login: str) -> ClerkInfo:
    """The clerk with this login, or a stand-in without any role (read-only use)."""
    clerk = session.scalar(select(Clerk).where(Clerk.login == login))
    return _info(clerk) if clerk is not None else ClerkInfo(0, login, login, "")


def list_clerks(session: Session) -> list[ClerkInfo]:
    """All clerks, active first, by name."""
    rows = session.scalars(select(Clerk).order_by(Clerk.active.desc(), Clerk.name))
    return [_info(c) for c in rows]
