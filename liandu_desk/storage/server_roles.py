"""Shared server roles: an owner role, three group roles with least privileges, and a drift check."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, Connection, make_url

from liandu_desk.storage.migrate import SERVER_OWNER_ROLE, upgrade

log = logging.getLogger(__name__)

OWNER_ROLE = SERVER_OWNER_ROLE
CLERK_GROUP = "liandu_clerk"
REVIEWER_GROUP = "liandu_reviewer"
ADMIN_GROUP = "liandu_admin"
GROUPS = (CLERK_GROUP, REVIEWER_GROUP, ADMIN_GROUP)
APPEND_ONLY_TABLES = ("audit_log", "audit_anchor")
ADMIN_ONLY_WRITE_TABLES = ("clerk",)
READ_WRITE = frozenset({"SELECT", "INSERT", "UPDATE", "DELETE"})
APPEND_ONLY = frozenset({"SELECT", "INSERT"})
READ_ONLY = frozenset({"SELECT"})
ALL_TABLE_PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER")


@dataclass
class DriftReport:
    """Differences between the database and the grant policy, in Chinese."""

    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def expected_privileges(table: str, group: str) -> frozenset[str]:
    """The table privileges a group role must hold, and no others."""
    if table in APPEND_ONLY_TABLES:
        return APPEND_ONLY
    if table in ADMIN_ONLY_WRITE_TABLES:
        return READ_WRITE - {"DELETE"} if group == ADMIN_GROUP else READ_ONLY
    return READ_WRITE


def database_url(admin_url: str, database: str | None) -> URL:
    """The admin URL pointed at the application database."""
    url = make_url(admin_url)
    return url.set(database=database or "liandu_desk")


def _ensure_roles(conn: Connection) -> None:
    for role in (OWNER_ROLE, *GROUPS):
        exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first()
        if not exists:
            conn.execute(text(f'CREATE ROLE "{role}" NOLOGIN'))
            log.info("created role %s", role)


def _ensure_database(admin_url: str, name: str) -> None:
    engine = create_engine(make_url(admin_url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            _ensure_roles(conn)
            if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :d"), {"d": name}).first():
                conn.execute(text(f'CREATE DATABASE "{name}" OWNER "{OWNER_ROLE}" ENCODING \'UTF8\''))
                log.info("created database %s", name)
            conn.execute(text(f'REVOKE ALL ON DATABASE "{name}" FROM PUBLIC'))
            conn.execute(text(f'GRANT CONNECT, TEMPORARY ON DATABASE "{name}" TO {", ".join(GROUPS)}'))
    finally:
        engine.dispose()


def _tables(conn: Connection) -> list[str]:
    rows = conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"))
    return [r[0] for r in rows]


def _give_everything_to_owner(conn: Connection) -> None:
    conn.execute(text(f'ALTER SCHEMA public OWNER TO "{OWNER_ROLE}"'))
    for (name,) in conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname='public'")).all():
        conn.execute(text(f'ALTER TABLE public."{name}" OWNER TO "{OWNER_ROLE}"'))
    for (name,) in conn.execute(text("SELECT viewname FROM pg_views WHERE schemaname='public'")).all():
        conn.execute(text(f'ALTER VIEW public."{name}" OWNER TO "{OWNER_ROLE}"'))
    sequences = conn.execute(
        text(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname='public' AND c.relkind='S' AND NOT EXISTS "
            "(SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i'))"
        )
    ).all()
    for (name,) in sequences:
        conn.execute(text(f'ALTER SEQUENCE public."{name}" OWNER TO "{OWNER_ROLE}"'))
    for (signature,) in conn.execute(
        text(
            "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname='public'"
        )
    ).all():
        conn.execute(text(f'ALTER FUNCTION {signature} OWNER TO "{OWNER_ROLE}"'))


def _apply_grants(conn: Connection) -> None:
    groups = ", ".join(GROUPS)
    conn.execute(text("REVOKE ALL ON SCHEMA public FROM PUBLIC"))
    conn.execute(text(f"GRANT USAGE ON SCHEMA public TO {groups}"))
    conn.execute(text(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC, {groups}"))
    conn.execute(text(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM PUBLIC, {groups}"))
    conn.execute(text(f"REVOKE ALL ON ALL FUNCTIONS IN SCHEMA public FROM PUBLIC, {groups}"))
    conn.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {groups}"))
    conn.execute(text(f"GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO {groups}"))
    for table in _tables(conn):
        for group in GROUPS:
            privileges = ", ".join(sorted(expected_privileges(table, group)))
            conn.execute(text(f'GRANT {privileges} ON public."{table}" TO "{group}"'))


def setup_server(admin_url: str, database: str | None = None) -> URL:
    """Create roles and database, migrate, hand every object to the owner role and apply the grants."""
    from liandu_desk.storage.database import Database

    url = database_url(admin_url, database)
    _ensure_database(admin_url, url.database or "liandu_desk")
    db = Database(url.render_as_string(hide_password=False))
    try:
        upgrade(db, backup=False)
    finally:
        db.dispose()
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            _give_everything_to_owner(conn)
            _apply_grants(conn)
    finally:
        engine.dispose()
    return url


def check_server(admin_url: str, database: str | None = None) -> DriftReport:
    """Compare owners, table grants and append-only triggers with the policy."""
    report = DriftReport()
    engine = create_engine(database_url(admin_url, database))
    try:
        with engine.connect() as conn:
            _check_owners(conn, report)
            _check_grants(conn, report)
            _check_triggers(conn, report)
    finally:
        engine.dispose()
    return report


def _check_owners(conn: Connection, report: DriftReport) -> None:
    rows = conn.execute(
        text(
            "SELECT c.relname, pg_get_userbyid(c.relowner) FROM pg_class c JOIN pg_namespace n "
            "ON n.oid = c.relnamespace WHERE n.nspname='public' AND c.relkind IN ('r', 'v', 'S') ORDER BY 1"
        )
    ).all()
    for name, owner in rows:
        if owner != OWNER_ROLE:
            report.problems.append(f"对象 {name} 的所有者是 {owner}，应为 {OWNER_ROLE}")
    for name, owner in conn.execute(
        text(
            "SELECT p.proname, pg_get_userbyid(p.proowner) FROM pg_proc p JOIN pg_namespace n "
            "ON n.oid = p.pronamespace WHERE n.nspname='public' ORDER BY 1"
        )
    ).all():
        if owner != OWNER_ROLE:
            report.problems.append(f"函数 {name} 的所有者是 {owner}，应为 {OWNER_ROLE}")


def _check_grants(conn: Connection, report: DriftReport) -> None:
    for table in _tables(conn):
        for role in (*GROUPS, "public"):
            held = {
                p
                for p in ALL_TABLE_PRIVILEGES
                if conn.execute(
                    text("SELECT has_table_privilege(:r, :t, :p)"), {"r": role, "t": f'public."{table}"', "p": p}
                ).scalar()
            }
            expected = set() if role == "public" else set(expected_privileges(table, role))
            for p in sorted(held - expected):
                report.problems.append(f"多余权限：{role} 对表 {table} 有 {p}")
            for p in sorted(expected - held):
                report.problems.append(f"缺少权限：{role} 对表 {table} 没有 {p}")


def _check_triggers(conn: Connection, report: DriftReport) -> None:
    rows = conn.execute(
        text(
            "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname='public' AND NOT t.tgisinternal "
            "AND t.tgenabled = 'D' ORDER BY 1, 2"
        )
    ).all()
    for table, trigger in rows:
        report.problems.append(f"触发器已被停用：表 {table} 的 {trigger}（只追加保护失效）")
