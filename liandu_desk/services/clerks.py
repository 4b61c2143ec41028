"""Clerks: accounts with argon2id passwords, roles, the first administrator, and the workstation identity."""

from __future__ import annotations

import datetime as dt
import getpass
import logging
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from liandu_desk.domain.errors import PermissionDenied, RuleError, ValidationError
from liandu_desk.domain.permissions import Permission, requires
from liandu_desk.domain.registry import Clerk, ClerkRole
from liandu_desk.storage import Database, server_logins
from liandu_desk.storage.audit_listener import SYSTEM_KEY, write_entries

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


def _server(session: Session) -> Connection | None:
    """The session's connection when it is a shared server whose clerks have their own logins, else None."""
    connection = session.connection()
    return connection if server_logins.logins_managed(connection) else None


def _check_name(name: str) -> str:
    name = (name or "").strip()
    if not 2 <= len(name) <= 40:
        raise ValidationError("姓名", "应为2至40个字")
    return name


def _check_role(role: str) -> ClerkRole:
    try:
        return ClerkRole(role)
    except ValueError:
        raise ValidationError("角色", f"应为{'、'.join(r.value for r in ClerkRole)}之一") from None


def _set_password(session: Session, clerk: Clerk, password: str) -> None:
    """On a file, the argon2id hash in the clerk row; on a server, the login's SCRAM verifier (no hash in the
    table every clerk can read). Either way the row records when, so the change is in the audit trail."""
    _check_password(password)
    server = _server(session)
    clerk.password_hash = None if server is not None else _hasher.hash(password)
    clerk.password_changed_at = dt.datetime.now(dt.UTC)
    clerk.failed_logins, clerk.locked_until = 0, None
    session.flush()
    if server is not None:
        server_logins.sync_login(server, clerk.login, clerk.role.value, clerk.active, password)


def _sync(session: Session, clerk: Clerk) -> None:
    session.flush()
    server = _server(session)
    if server is not None:
        server_logins.sync_login(server, clerk.login, clerk.role.value, clerk.active)


def _upsert(session: Session, login: str, name: str, role: ClerkRole, password: str) -> ClerkInfo:
    login = _check_login(login)
    if _server(session) is not None:
        login = server_logins.check_server_login(login)
    name = _check_name(name)
    _check_password(password)
    clerk = session.scalar(select(Clerk).where(Clerk.login == login))
    if clerk is None:
        clerk = Clerk(login=login, name=name, role=role, active=True)
        session.add(clerk)
    elif clerk.role == ClerkRole.ADMIN and role != ClerkRole.ADMIN and clerk.active:
        _keep_an_admin(session)
    clerk.name, clerk.role, clerk.active = name, role, True
    _set_password(session, clerk, password)
    log.info("clerk %s saved with role %s", login, role.value)
    return _info(clerk)


@requires(Permission.MANAGE_CLERKS)
def save_clerk(session: Session, login: str, name: str, role: str, password: str) -> ClerkInfo:
    """Create a clerk or reset one's name, role and password; on a server also their login in the role's group."""
    return _upsert(session, login, name, _check_role(role), password)


def add_clerk(session: Session, login: str, name: str, role: str, password: str) -> ClerkInfo:
    """A new clerk (refused when the login is taken); on a server with their own login."""
    if session.scalar(select(Clerk.id).where(Clerk.login == (login or "").strip())) is not None:
        raise RuleError(f"登录名 {login.strip()} 已有人使用")
    return save_clerk(session, login, name, role, password)


def _clerk(session: Session, clerk_id: int) -> Clerk:
    clerk = session.get(Clerk, clerk_id)
    if clerk is None:
        raise RuleError("找不到该用户")
    return clerk


def _keep_an_admin(session: Session) -> None:
    if _active_admins(session) <= 1:
        raise RuleError("不能停用最后一个管理员，也不能改变其角色")


@requires(Permission.MANAGE_CLERKS)
def edit_clerk(session: Session, clerk_id: int, name: str, role: str) -> ClerkInfo:
    """Change a clerk's name and role; on a server the login moves to the new role's group in the same
    transaction. The last active administrator keeps the role."""
    clerk = _clerk(session, clerk_id)
    new_role = _check_role(role)
    if clerk.role == ClerkRole.ADMIN and new_role != ClerkRole.ADMIN and clerk.active:
        _keep_an_admin(session)
    clerk.name, clerk.role = _check_name(name), new_role
    _sync(session, clerk)
    log.info("clerk %s edited: role %s", clerk.login, new_role.value)
    return _info(clerk)


@requires(Permission.MANAGE_CLERKS)
def reset_password(session: Session, clerk_id: int, password: str) -> ClerkInfo:
    """An administrator sets a clerk's new password (and lifts any lock); on a server, the login's password."""
    clerk = _clerk(session, clerk_id)
    _set_password(session, clerk, password)
    log.info("password of clerk %s reset by an administrator", clerk.login)
    return _info(clerk)


@requires(Permission.MANAGE_CLERKS)
def set_active(session: Session, clerk_id: int, active: bool) -> ClerkInfo:
    """Enable or disable a clerk (never deleted: the audit trail names them); the last admin stays. On a server the
    login is made LOGIN or NOLOGIN in the same transaction."""
    clerk = _clerk(session, clerk_id)
    if not active and clerk.role == ClerkRole.ADMIN and clerk.active:
        _keep_an_admin(session)
    clerk.active = active
    _sync(session, clerk)
    log.info("clerk %s %s", clerk.login, "enabled" if active else "disabled")
    return _info(clerk)


def _active_admins(session: Session) -> int:
    query = select(Clerk.id).where(Clerk.role == ClerkRole.ADMIN, Clerk.active.is_(True))
    return len(session.scalars(query).all())


LOCK_AFTER = 5  # failures in a row before the account is locked
LOCK_STEPS = (30, 60, 300, 900, 3600)  # seconds locked after the 5th, 6th, 7th … failure in a row


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or dt.datetime.now(dt.UTC)


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)  # SQLite returns naive UTC


def _wait_text(seconds: float) -> str:
    seconds = max(int(seconds + 0.999), 1)
    return f"{seconds}秒" if seconds < 60 else f"{(seconds + 59) // 60}分钟"


def _locked_message(clerk: Clerk, now: dt.datetime) -> str:
    wait = (_aware(clerk.locked_until) - now).total_seconds() if clerk.locked_until else 0
    return f"该账户因连续{clerk.failed_logins}次输错密码已被锁定，请{_wait_text(wait)}后再试，或请管理员解锁。"


def _record_failure(session: Session, clerk: Clerk, now: dt.datetime) -> None:
    """Count the failure (a row change, so it is in the audit trail) and lock after five in a row; committed at
    once, because the login that failed rolls back everything else."""
    session.info[SYSTEM_KEY] = "登录失败"
    clerk.failed_logins = (clerk.failed_logins or 0) + 1
    locked = clerk.locked_until is not None and _aware(clerk.locked_until) > now
    if clerk.failed_logins >= LOCK_AFTER and not locked:
        step = LOCK_STEPS[min(clerk.failed_logins - LOCK_AFTER, len(LOCK_STEPS) - 1)]
        clerk.locked_until = now + dt.timedelta(seconds=step)
        session.info[SYSTEM_KEY] = f"连续{clerk.failed_logins}次登录失败，账户锁定{_wait_text(step)}"
        log.warning("clerk %s locked for %s s after %s failed logins", clerk.login, step, clerk.failed_logins)
    try:
        session.commit()
    except OperationalError:  # a read-only copy (another program holds the file) cannot count: the lock is theirs
        session.rollback()
        log.warning("failed login for %s not recorded: the database is read-only here", clerk.login)
    session.info.pop(SYSTEM_KEY, None)


def authenticate(session: Session, login: str, password: str, now: dt.datetime | None = None) -> ClerkInfo:
    """Check the password (argon2id); rehash when the hashing parameters changed; one message for any failure.

    Failures are counted; after five in a row the account is locked for growing waits (LOCK_STEPS) during which
    even the right password is refused. Every failure and lock is a change to the clerk row, so it is audited.
    """
    now = _now(now)
    clerk = session.scalar(select(Clerk).where(Clerk.login == (login or "").strip()))
    failure = RuleError("登录名或密码不正确，或该账户已停用。")
    if clerk is None or not clerk.active or not clerk.password_hash:
        raise failure
    if clerk.locked_until is not None and _aware(clerk.locked_until) > now:
        message = _locked_message(clerk, now)
        _record_failure(session, clerk, now)
        raise RuleError(message)
    try:
        _hasher.verify(clerk.password_hash, password)
    except (VerificationError, InvalidHashError):
        log.warning("failed login for %s", clerk.login)
        _record_failure(session, clerk, now)
        raise (
            RuleError(_locked_message(clerk, now))
            if clerk.locked_until and _aware(clerk.locked_until) > now
            else failure
        ) from None
    if clerk.failed_logins or clerk.locked_until is not None:
        session.info[SYSTEM_KEY] = "登录成功，清除失败计数"
        clerk.failed_logins, clerk.locked_until = 0, None
    if _hasher.check_needs_rehash(clerk.password_hash):
        session.info[SYSTEM_KEY] = "登录时更新密码散列"
        clerk.password_hash = _hasher.hash(password)
        log.info("password hash of %s upgraded", clerk.login)
    return _info(clerk)


@requires(Permission.MANAGE_CLERKS)
def unlock_clerk(session: Session, clerk_id: int) -> ClerkInfo:
    """An administrator lifts a lock and clears the failure count (audited as a change by that administrator)."""
    clerk = session.get(Clerk, clerk_id)
    if clerk is None:
        raise RuleError("找不到该用户")
    if not clerk.failed_logins and clerk.locked_until is None:
        raise RuleError(f"{clerk.name}（{clerk.login}）未被锁定，无需解锁")
    clerk.failed_logins, clerk.locked_until = 0, None
    log.info("clerk %s unlocked", clerk.login)
    return _info(clerk)


def change_own_password(session: Session, clerk_id: int, old: str, new: str) -> None:
    """A clerk changes their own password after proving the old one.

    On a server it is the session's own login that changes (whoever else clerk_id names is refused): the old
    password is proved by a separate connection, the new one sent as a SCRAM verifier, and a `password` entry
    written to the audit trail (a 科员's login may not update the clerk table).
    """
    clerk = _clerk(session, clerk_id)
    connection = session.connection()
    if not server_logins.is_server(connection):
        authenticate(session, clerk.login, old)
        _check_password(new)
        session.info[SYSTEM_KEY] = "本人修改密码"
        clerk.password_hash = _hasher.hash(new)
        clerk.password_changed_at = dt.datetime.now(dt.UTC)
        return
    actor = server_logins.server_actor(connection)
    if actor.clerk_id != clerk.id:
        raise PermissionDenied("只能修改本人的密码；他人的密码由管理员重置。")
    _check_password(new)
    if not server_logins.password_is_right(connection, old):
        raise RuleError("原密码不正确。")
    server_logins.change_login_password(connection, new)
    entry = {
        "at": dt.datetime.now(dt.UTC),
        "clerk_id": clerk.id,
        "clerk_name": clerk.name,
        "action": "password",
        "table_name": "clerk",
        "row_id": str(clerk.id),
        "old_values": None,
        "new_values": {"password": "本人修改"},
    }
    write_entries(connection, [entry], session.info)


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


def session_clerk(db: Database) -> ClerkInfo:
    """On a shared server: the clerk whose login the database session belongs to, with their role capped by the
    login's group (IT's superuser or owner logins act as 信息科 with the administrator's rights). No second password:
    the server has checked the login's. A login that is no active clerk is refused in Chinese."""
    from sqlalchemy.exc import DBAPIError

    from liandu_desk.services.server_connection import explain

    try:
        with db.engine.connect() as connection:
            actor = server_logins.server_actor(connection)
    except DBAPIError as exc:
        raise RuleError(explain(exc)) from None
    server_logins.require_clerk(actor)
    return ClerkInfo(actor.clerk_id or 0, actor.login, actor.name, actor.role, actor.active)


def find_clerk(session: Session, login: str) -> ClerkInfo:
    """The clerk with this login, or a stand-in without any role (read-only use)."""
    clerk = session.scalar(select(Clerk).where(Clerk.login == login))
    return _info(clerk) if clerk is not None else ClerkInfo(0, login, login, "")


def list_clerks(session: Session) -> list[ClerkInfo]:
    """All clerks, active first, by name."""
    rows = session.scalars(select(Clerk).order_by(Clerk.active.desc(), Clerk.name))
    return [_info(c) for c in rows]


def lock_states(session: Session, now: dt.datetime | None = None) -> list[tuple[str, str, str, str, str]]:
    """(login, name, role, 启用/停用, lock state) per clerk, for the administrator."""
    now = _now(now)
    rows = []
    for clerk in session.scalars(select(Clerk).order_by(Clerk.active.desc(), Clerk.name)):
        locked = clerk.locked_until is not None and _aware(clerk.locked_until) > now
        state = (
            _locked_message(clerk, now)
            if locked
            else (f"连续失败{clerk.failed_logins}次" if clerk.failed_logins else "正常")
        )
        rows.append((clerk.login, clerk.name, clerk.role.value, "启用" if clerk.active else "停用", state))
    return rows


@dataclass(frozen=True)
class ClerkRow:
    """A clerk as the 人员与权限 list shows it: who, role, enabled, and whether failed logins locked the account."""

    id: int
    login: str
    name: str
    role: str
    active: bool
    state: str
    locked: bool


def clerk_rows(session: Session, now: dt.datetime | None = None) -> list[ClerkRow]:
    """Every clerk (enabled first), with the lock state in Chinese."""
    now = _now(now)
    rows = []
    for clerk in session.scalars(select(Clerk).order_by(Clerk.active.desc(), Clerk.name)):
        locked = clerk.locked_until is not None and _aware(clerk.locked_until) > now
        if locked:
            state = _locked_message(clerk, now)
        else:
            state = f"连续失败{clerk.failed_logins}次" if clerk.failed_logins else "正常"
        rows.append(
            ClerkRow(
                clerk.id,
                clerk.login,
                clerk.name,
                clerk.role.value,
                clerk.active,
                state,
                locked or bool(clerk.failed_logins),
            )
        )
    return rows
