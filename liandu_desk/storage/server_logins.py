"""Clerks' own logins on a shared server: SCRAM verifiers, the login functions, and who the session belongs to."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from liandu_desk.domain.errors import PermissionDenied, RuleError, ValidationError
from liandu_desk.domain.registry import ClerkRole
from liandu_desk.storage.server_names import ADMIN_GROUP, CLERK_GROUP, OWNER_ROLE, REVIEWER_GROUP

log = logging.getLogger(__name__)

LOGIN_RE = re.compile(r"[a-z][a-z0-9_]{1,62}")
GROUP_OF_ROLE = {
    ClerkRole.CLERK.value: CLERK_GROUP,
    ClerkRole.REVIEWER.value: REVIEWER_GROUP,
    ClerkRole.ADMIN.value: ADMIN_GROUP,
}
ROLE_OF_GROUP = {group: role for role, group in GROUP_OF_ROLE.items()}
ROLE_RANK = {ClerkRole.CLERK.value: 0, ClerkRole.REVIEWER.value: 1, ClerkRole.ADMIN.value: 2}
IT_NAME = "信息科（{}）"


def is_server(connection: Connection) -> bool:
    """A PostgreSQL connection (the shared server)."""
    return connection.dialect.name == "postgresql"


def logins_managed(connection: Connection) -> bool:
    """The database was set up by `server setup` (owned by the owner role): clerks have their own logins."""
    if not is_server(connection):
        return False
    query = "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()"
    return connection.execute(text(query)).scalar() == OWNER_ROLE


def check_server_login(login: str) -> str:
    """A login name the server accepts as a role name without quoting tricks: a-z, digits, underscore."""
    login = (login or "").strip()
    if not LOGIN_RE.fullmatch(login) or login.startswith("pg_"):
        raise ValidationError("登录名", "共享服务器上的登录名应以小写字母开头，只含小写字母、数字和下划线（2至63位）")
    return login


def scram_verifier(connection: Connection, login: str, password: str) -> str:
    """The SCRAM-SHA-256 verifier of the password, computed here by libpq: the password never reaches the server."""
    driver: Any = connection.connection.driver_connection
    verifier = driver.pgconn.encrypt_password(password.encode("utf-8"), login.encode("utf-8"), b"scram-sha-256")
    return verifier.decode("ascii")


def _explain(exc: DBAPIError) -> Exception:
    detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
    code = getattr(getattr(exc, "orig", None), "sqlstate", "") or ""
    if code == "42501":
        return PermissionDenied(detail.removeprefix("ERROR:").strip())
    return RuleError(detail.removeprefix("ERROR:").strip())


def sync_login(connection: Connection, login: str, role: str, active: bool, password: str | None = None) -> None:
    """Create or update the clerk's login in the group of their role, LOGIN or NOLOGIN; with a password, set it.

    Runs in the caller's transaction, so the login changes with the clerk row or not at all.
    """
    login = check_server_login(login)
    verifier = scram_verifier(connection, login, password) if password else None
    statement = text("SELECT liandu_login_sync(:login, :verifier, :grp, :active)")
    values = {"login": login, "verifier": verifier, "grp": GROUP_OF_ROLE[role], "active": active}
    try:
        connection.execute(statement, values)
    except DBAPIError as exc:
        raise _explain(exc) from exc
    log.info("server login %s: group %s, %s", login, GROUP_OF_ROLE[role], "LOGIN" if active else "NOLOGIN")


def change_login_password(connection: Connection, password: str) -> None:
    """The session's own login takes a new password (as a SCRAM verifier)."""
    login = connection.execute(text("SELECT session_user")).scalar() or ""
    verifier = scram_verifier(connection, login, password)
    try:
        connection.execute(text("SELECT liandu_login_password(:v)"), {"v": verifier})
    except DBAPIError as exc:
        raise _explain(exc) from exc
    log.info("server login %s changed its password", login)


def password_is_right(connection: Connection, password: str) -> bool:
    """Whether the session's login would be let in with this password (a separate, bounded connection)."""
    url = connection.engine.url.set(password=password)
    engine = create_engine(url, connect_args={"connect_timeout": 5})
    try:
        with engine.connect():
            return True
    except DBAPIError as exc:
        log.info("password check for %s failed: %s", url.username, type(exc).__name__)
        return False
    finally:
        engine.dispose()


@dataclass(frozen=True)
class ServerActor:
    """Who the database session belongs to: IT (superuser or owner member), or a clerk's login."""

    login: str
    is_it: bool
    clerk_id: int | None = None
    name: str = ""
    role: str = ""  # the lesser of the clerk row's role and the login's group
    active: bool = False


_IT_QUERY = (
    "SELECT session_user, coalesce(bool_or(r.rolsuper OR EXISTS (SELECT 1 FROM pg_roles o WHERE o.rolname = :owner "
    "AND pg_has_role(r.oid, o.oid, 'MEMBER'))), false) FROM pg_roles r WHERE r.rolname = session_user"
)


def server_actor(connection: Connection) -> ServerActor:
    """Ask the database whose session this is; a clerk's role is capped by the group their login is in."""
    login, is_it = connection.execute(text(_IT_QUERY), {"owner": OWNER_ROLE}).one()
    if is_it:
        return ServerActor(login, True, name=IT_NAME.format(login), role=ClerkRole.ADMIN.value, active=True)
    row = connection.execute(
        text("SELECT id, name, role, active FROM clerk WHERE login = :login"), {"login": login}
    ).first()
    if row is None:
        return ServerActor(login, False)
    groups = connection.execute(
        text("SELECT rolname FROM pg_roles WHERE rolname = ANY(:groups) AND pg_has_role(session_user, oid, 'MEMBER')"),
        {"groups": list(ROLE_OF_GROUP)},
    ).scalars()
    group_roles = [ROLE_OF_GROUP[g] for g in groups]
    if not group_roles:
        return ServerActor(login, False, row.id, row.name, "", bool(row.active))
    role = min([row.role, max(group_roles, key=ROLE_RANK.__getitem__)], key=ROLE_RANK.__getitem__)
    return ServerActor(login, False, row.id, row.name, role, bool(row.active))


def stamp_actor(connection: Connection, entries: list[dict[str, Any]]) -> None:
    """Name the session's clerk in audit entries (one round trip); IT sessions keep the name the program gave."""
    query = text(
        f"SELECT it.is_it, c.id, c.name FROM ({_IT_QUERY}) AS it(login, is_it) "
        "LEFT JOIN clerk c ON c.login = it.login AND c.active"
    )
    is_it, clerk_id, name = connection.execute(query, {"owner": OWNER_ROLE}).one()
    if is_it or clerk_id is None:  # a login that is no active clerk: the audit trigger refuses the entries
        return
    for entry in entries:
        entry["clerk_id"], entry["clerk_name"] = clerk_id, name


def require_clerk(actor: ServerActor) -> None:
    """Refuse a login that is neither IT nor an active clerk with a group role."""
    if actor.is_it:
        return
    if actor.clerk_id is None:
        raise PermissionDenied(f"数据库登录 {actor.login} 不是本系统的人员，请管理员在人员管理中添加。")
    if not actor.active:
        raise PermissionDenied(f"{actor.name}（{actor.login}）已停用，不能登录。")
    if not actor.role:
        raise PermissionDenied(f"数据库登录 {actor.login} 不属于科员、审核或管理员组，请联系信息科。")
