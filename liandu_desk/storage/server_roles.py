"""Shared server roles: an owner role, three group roles with least privileges, and a drift check."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, Connection, make_url

from liandu_desk.storage.migrate import upgrade
from liandu_desk.storage.server_names import ADMIN_GROUP, CLERK_GROUP, GROUPS, OWNER_ROLE, REVIEWER_GROUP

log = logging.getLogger(__name__)

__all__ = ["ADMIN_GROUP", "CLERK_GROUP", "GROUPS", "OWNER_ROLE", "REVIEWER_GROUP"]
LOGIN_ADMIN_ROLE = "liandu_login_admin"  # NOLOGIN, CREATEROLE; owns only the login functions
LOGIN_FUNCTIONS = {"liandu_login_sync": (ADMIN_GROUP,)}  # SECURITY DEFINER functions owned by LOGIN_ADMIN_ROLE
RESTRICTED_FUNCTIONS = {
    **LOGIN_FUNCTIONS,
    "liandu_reveal_contact": (REVIEWER_GROUP, ADMIN_GROUP),
    "liandu_take_number": (REVIEWER_GROUP, ADMIN_GROUP),
}
NUMBERING_TABLES = ("doc_counter", "doc_number")  # written only by liandu_take_number (and a reviewer's void)
MASKED_SCHEMA = "liandu_masked"  # views a 科员's login reads instead of the real tables (search_path)
MASKED_COLUMNS = {"person": ("id_number", "phone"), "audit_log": ("old_values", "new_values")}
APPEND_ONLY_TABLES = ("audit_log", "audit_anchor")
ADMIN_ONLY_WRITE_TABLES = ("clerk",)
READ_WRITE = frozenset({"SELECT", "INSERT", "UPDATE", "DELETE"})
APPEND_ONLY = frozenset({"SELECT", "INSERT"})
READ_ONLY = frozenset({"SELECT"})
MASKED_VIEW_PRIVILEGES = {"person": READ_WRITE, "audit_log": APPEND_ONLY}
ALL_TABLE_PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER")


@dataclass
class DriftReport:
    """Differences between the database and the grant policy, in Chinese."""

    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def expected_privileges(table: str, group: str) -> frozenset[str]:
    """The table privileges a group role must hold, and no others (a 科员 reads masked tables column by column)."""
    if table in APPEND_ONLY_TABLES:
        held = APPEND_ONLY
    elif table in NUMBERING_TABLES:
        held = READ_ONLY | ({"UPDATE"} if table == "doc_number" and group != CLERK_GROUP else set())
    elif table in ADMIN_ONLY_WRITE_TABLES:
        held = READ_WRITE - {"DELETE"} if group == ADMIN_GROUP else READ_ONLY
    else:
        held = READ_WRITE
    return held - {"SELECT"} if group == CLERK_GROUP and table in MASKED_COLUMNS else held


def database_url(admin_url: str, database: str | None) -> URL:
    """The admin URL pointed at the application database."""
    url = make_url(admin_url)
    return url.set(database=database or "liandu_desk")


def _ensure_roles(conn: Connection) -> None:
    for role in (OWNER_ROLE, *GROUPS, LOGIN_ADMIN_ROLE):
        exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first()
        if not exists:
            conn.execute(text(f'CREATE ROLE "{role}" NOLOGIN'))
            log.info("created role %s", role)
    conn.execute(text(f'ALTER ROLE "{LOGIN_ADMIN_ROLE}" NOLOGIN CREATEROLE'))
    if conn.execute(text("SELECT current_setting('server_version_num')::int >= 160000")).scalar():
        # PostgreSQL 16 lets a CREATEROLE role grant only roles it holds WITH ADMIN OPTION (without using them)
        for group in GROUPS:
            conn.execute(text(f'GRANT "{group}" TO "{LOGIN_ADMIN_ROLE}" WITH ADMIN OPTION, INHERIT FALSE, SET FALSE'))


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
            "WHERE n.nspname = ANY(:schemas)"
        ),
        {"schemas": ["public", MASKED_SCHEMA]},
    ).all():
        conn.execute(text(f'ALTER FUNCTION {signature} OWNER TO "{_function_owner(signature)}"'))
    if _has_masked_schema(conn):
        conn.execute(text(f'ALTER SCHEMA "{MASKED_SCHEMA}" OWNER TO "{OWNER_ROLE}"'))
        for view in MASKED_COLUMNS:
            conn.execute(text(f'ALTER VIEW "{MASKED_SCHEMA}"."{view}" OWNER TO "{OWNER_ROLE}"'))


def _has_masked_schema(conn: Connection) -> bool:
    query = "SELECT 1 FROM pg_namespace WHERE nspname = :s"
    return conn.execute(text(query), {"s": MASKED_SCHEMA}).first() is not None


def _visible_columns(conn: Connection, table: str) -> list[str]:
    query = (
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = :t "
        "ORDER BY ordinal_position"
    )
    return [c for (c,) in conn.execute(text(query), {"t": table}) if c not in MASKED_COLUMNS[table]]


def _function_owner(signature: str) -> str:
    return LOGIN_ADMIN_ROLE if signature.split("(", 1)[0] in LOGIN_FUNCTIONS else OWNER_ROLE


def _restricted_function_signatures(conn: Connection) -> dict[str, str]:
    rows = conn.execute(
        text(
            "SELECT p.proname, p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname='public' AND p.proname = ANY(:names)"
        ),
        {"names": list(RESTRICTED_FUNCTIONS)},
    ).all()
    return dict(rows)


def _apply_grants(conn: Connection) -> None:
    groups = ", ".join(GROUPS)
    conn.execute(text("REVOKE ALL ON SCHEMA public FROM PUBLIC"))
    conn.execute(text(f"GRANT USAGE ON SCHEMA public TO {groups}"))
    conn.execute(text(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC, {groups}"))
    conn.execute(text(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM PUBLIC, {groups}"))
    conn.execute(text(f"REVOKE ALL ON ALL FUNCTIONS IN SCHEMA public FROM PUBLIC, {groups}"))
    conn.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {groups}"))
    conn.execute(text(f"GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO {groups}"))
    for name, signature in _restricted_function_signatures(conn).items():
        conn.execute(text(f"REVOKE EXECUTE ON FUNCTION {signature} FROM {groups}"))
        allowed = ", ".join(f'"{group}"' for group in RESTRICTED_FUNCTIONS[name])
        conn.execute(text(f"GRANT EXECUTE ON FUNCTION {signature} TO {allowed}"))
    for table in _tables(conn):
        for group in GROUPS:
            privileges = ", ".join(sorted(expected_privileges(table, group)))
            conn.execute(text(f'GRANT {privileges} ON public."{table}" TO "{group}"'))
    if _has_masked_schema(conn):
        _grant_masked(conn, groups)
        _mask_clerk_logins(conn)


def _mask_clerk_logins(conn: Connection) -> None:
    """Every login in the 科员 group reads through the masked views (logins made before the views existed too)."""
    statements = conn.execute(
        text(
            "SELECT format('ALTER ROLE %I SET search_path = liandu_masked, public', r.rolname) FROM pg_roles r "
            "JOIN pg_auth_members m ON m.member = r.oid JOIN pg_roles g ON g.oid = m.roleid "
            "WHERE g.rolname = :group AND r.rolcanlogin AND NOT r.rolsuper"
        ),
        {"group": CLERK_GROUP},
    ).scalars()
    for statement in list(statements):
        conn.execute(text(statement))


def _grant_masked(conn: Connection, groups: str) -> None:
    """A 科员 reads ID numbers and phones only through the masked views; the real columns are not theirs to read."""
    for table in MASKED_COLUMNS:
        columns = ", ".join(f'"{c}"' for c in _visible_columns(conn, table))
        conn.execute(text(f'GRANT SELECT ({columns}) ON public."{table}" TO "{CLERK_GROUP}"'))
    conn.execute(text(f'REVOKE ALL ON SCHEMA "{MASKED_SCHEMA}" FROM PUBLIC, {groups}'))
    conn.execute(text(f'GRANT USAGE ON SCHEMA "{MASKED_SCHEMA}" TO "{CLERK_GROUP}"'))
    conn.execute(text(f'REVOKE ALL ON ALL TABLES IN SCHEMA "{MASKED_SCHEMA}" FROM PUBLIC, {groups}'))
    conn.execute(text(f'REVOKE ALL ON ALL FUNCTIONS IN SCHEMA "{MASKED_SCHEMA}" FROM PUBLIC, {groups}'))
    for view, privileges in MASKED_VIEW_PRIVILEGES.items():
        granted = ", ".join(sorted(privileges))
        conn.execute(text(f'GRANT {granted} ON "{MASKED_SCHEMA}"."{view}" TO "{CLERK_GROUP}"'))


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
            _check_functions(conn, report)
            _check_masked(conn, report)
            _check_logins(conn, report)
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
        expected = _function_owner(name)
        if owner != expected:
            report.problems.append(f"函数 {name} 的所有者是 {owner}，应为 {expected}")


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


def _check_functions(conn: Connection, report: DriftReport) -> None:
    """Who may run the login functions, and that their owner can do nothing but manage roles."""
    for name, signature in _restricted_function_signatures(conn).items():
        for role in (*GROUPS, "public"):
            held = conn.execute(text("SELECT has_function_privilege(:r, :f, 'EXECUTE')"), {"r": role, "f": signature})
            if held.scalar() and role not in RESTRICTED_FUNCTIONS[name]:
                report.problems.append(f"多余权限：{role} 可以执行 {name}")
    row = conn.execute(
        text("SELECT rolcanlogin, rolsuper, rolcreaterole FROM pg_roles WHERE rolname = :r"), {"r": LOGIN_ADMIN_ROLE}
    ).first()
    if row is None or row.rolcanlogin or row.rolsuper or not row.rolcreaterole:
        report.problems.append(f"角色 {LOGIN_ADMIN_ROLE} 应存在，且为 NOLOGIN、CREATEROLE、非超级用户")


def _check_masked(conn: Connection, report: DriftReport) -> None:
    """A 科员 may read every column but the masked ones, and the masked views only as granted."""
    if not _has_masked_schema(conn):
        report.problems.append(f"缺少模式 {MASKED_SCHEMA}（科员读取打码的身份证号和电话）：请运行 server upgrade")
        return
    for table, hidden in MASKED_COLUMNS.items():
        for column in (*hidden, *_visible_columns(conn, table)):
            held = conn.execute(
                text("SELECT has_column_privilege(:r, :t, :c, 'SELECT')"),
                {"r": CLERK_GROUP, "t": f'public."{table}"', "c": column},
            ).scalar()
            if held and column in hidden:
                report.problems.append(f"多余权限：{CLERK_GROUP} 可以读取 {table}.{column}（应只经打码视图读取）")
            elif not held and column not in hidden:
                report.problems.append(f"缺少权限：{CLERK_GROUP} 不能读取 {table}.{column}")
        view = f'"{MASKED_SCHEMA}"."{table}"'
        for role in (*GROUPS, "public"):
            expected = MASKED_VIEW_PRIVILEGES[table] if role == CLERK_GROUP else frozenset()
            for p in ALL_TABLE_PRIVILEGES:
                held = conn.execute(text("SELECT has_table_privilege(:r, :t, :p)"), {"r": role, "t": view, "p": p})
                if held.scalar() != (p in expected):
                    state = "多余" if p not in expected else "缺少"
                    report.problems.append(f"{state}权限：{role} 对视图 {MASKED_SCHEMA}.{table} 的 {p}")
    rows = conn.execute(
        text(
            "SELECT c.relname, pg_get_userbyid(c.relowner) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = :s ORDER BY 1"
        ),
        {"s": MASKED_SCHEMA},
    ).all()
    for name, owner in rows:
        if owner != OWNER_ROLE:
            report.problems.append(f"视图 {MASKED_SCHEMA}.{name} 的所有者是 {owner}，应为 {OWNER_ROLE}")


def _check_logins(conn: Connection, report: DriftReport) -> None:
    """Every clerk's login: in the group of the clerk's role (and no other), able to log in only while active."""
    from liandu_desk.storage.server_logins import GROUP_OF_ROLE

    clerks = conn.execute(text("SELECT login, name, role, active FROM clerk ORDER BY login")).all()
    for login, name, role, active in clerks:
        found = conn.execute(
            text("SELECT oid, rolcanlogin, rolsuper FROM pg_roles WHERE rolname = :r"), {"r": login}
        ).first()
        who = f"人员 {name}（{login}）"
        if found is None:
            if active:
                report.problems.append(f"{who} 没有数据库登录（请管理员重置其密码以建立登录）")
            continue
        if found.rolsuper:
            report.problems.append(f"{who} 的数据库登录是超级用户")
        if found.rolcanlogin and not active:
            report.problems.append(f"{who} 已停用，但其数据库登录仍可登录")
        settings = conn.execute(
            text(
                "SELECT array_to_string(setconfig, ',') FROM pg_db_role_setting WHERE setrole = :m AND setdatabase = 0"
            ),
            {"m": found.oid},
        ).scalar()
        masked = f"search_path={MASKED_SCHEMA}, public"
        if role == "科员" and masked not in (settings or ""):
            report.problems.append(f"{who} 是科员，其数据库登录未设为经打码视图读取个人信息（search_path）")
        groups = {
            g
            for (g,) in conn.execute(
                text("SELECT r.rolname FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid WHERE m.member = :m"),
                {"m": found.oid},
            )
        }
        expected = GROUP_OF_ROLE.get(role, "")
        if groups != {expected}:
            held = "、".join(sorted(groups)) or "任何组"
            report.problems.append(f"{who} 的角色是 {role}，其数据库登录应只属于 {expected}，实际属于 {held}")


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
