"""One database login per clerk: the login functions, the audit actor taken from the database session.

Revision ID: v0001
Revises: n0002
Create Date: 2026-12-04

Both backends: `clerk.password_changed_at`, so a password reset or change is a row change in the audit trail even
where the password itself lives in the server's login (no hash in the clerk table on a server).

PostgreSQL only (skipped on SQLite):
- `liandu_is_it()`: the session's login is a superuser or a member of `liandu_owner` (IT, not a clerk).
- `audit_log_actor`: a BEFORE INSERT trigger refusing an audit entry whose clerk is not the active clerk whose
  login the database session belongs to (IT sessions excepted), so nobody can write entries in another's name.
- `liandu_login_sync(login, verifier, group, active)`: SECURITY DEFINER, callable by `liandu_admin` members only;
  creates or updates a clerk's login (SCRAM verifier only, never a plain password), its one group role, LOGIN or
  NOLOGIN, and a 科员's search_path (the masked views of v0002 first); refuses a name that is not a clerk login
  (a superuser, IT's own roles, the group roles, any role in a role other than the groups). `server setup` hands
  it to `liandu_login_admin` (NOLOGIN, CREATEROLE, owns nothing else).
- `liandu_login_password(verifier)`: the session's own login takes a new SCRAM verifier.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "v0001"
down_revision = "n0002"
branch_labels = None
depends_on = None

GROUPS = "ARRAY['liandu_clerk', 'liandu_reviewer', 'liandu_admin']"
VERIFIER_PATTERN = r"^SCRAM-SHA-256\$[0-9]+:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$"
LOGIN_PATTERN = "^[a-z][a-z0-9_]{1,62}$"

POSTGRES_FUNCTIONS = (
    """CREATE OR REPLACE FUNCTION liandu_is_it() RETURNS boolean LANGUAGE sql STABLE
       SET search_path = pg_catalog AS $$
         SELECT coalesce(bool_or(r.rolsuper OR EXISTS (
           SELECT 1 FROM pg_roles o WHERE o.rolname = 'liandu_owner' AND pg_has_role(r.oid, o.oid, 'MEMBER'))), false)
         FROM pg_roles r WHERE r.rolname = session_user
       $$""",
    """CREATE OR REPLACE FUNCTION liandu_audit_actor() RETURNS trigger LANGUAGE plpgsql
       SET search_path = pg_catalog, public AS $$
       DECLARE
         me record;
       BEGIN
         IF liandu_is_it() THEN
           RETURN NEW;
         END IF;
         SELECT id, name INTO me FROM public.clerk WHERE login = session_user AND active;
         IF NOT FOUND THEN
           RAISE EXCEPTION '数据库登录 % 不是本系统的在用人员，不能写入审计记录', session_user
             USING ERRCODE = 'insufficient_privilege';
         END IF;
         IF NEW.clerk_id IS DISTINCT FROM me.id OR NEW.clerk_name IS DISTINCT FROM me.name THEN
           RAISE EXCEPTION '审计记录的操作人“%”与数据库登录 %（%）不符', NEW.clerk_name, session_user, me.name
             USING ERRCODE = 'insufficient_privilege';
         END IF;
         RETURN NEW;
       END
       $$""",
    f"""CREATE OR REPLACE FUNCTION liandu_login_sync(p_login text, p_verifier text, p_group text, p_active boolean)
       RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
       DECLARE
         found_role pg_roles%ROWTYPE;
         g text;
       BEGIN
         IF NOT EXISTS (SELECT 1 FROM pg_roles me WHERE me.rolname = session_user AND (me.rolsuper OR EXISTS (
                          SELECT 1 FROM pg_roles a WHERE a.rolname IN ('liandu_admin', 'liandu_owner')
                          AND pg_has_role(me.oid, a.oid, 'MEMBER')))) THEN
           RAISE EXCEPTION '只有管理员可以建立、修改或停用人员的数据库登录' USING ERRCODE = 'insufficient_privilege';
         END IF;
         IF p_login IS NULL OR p_login !~ '{LOGIN_PATTERN}' OR p_login ~ '^pg_' THEN
           RAISE EXCEPTION '登录名 % 不合规：应以小写字母开头，只含小写字母、数字和下划线', p_login
             USING ERRCODE = 'invalid_parameter_value';
         END IF;
         IF p_group IS NULL OR NOT p_group = ANY ({GROUPS}) THEN
           RAISE EXCEPTION '组角色 % 不存在', p_group USING ERRCODE = 'invalid_parameter_value';
         END IF;
         IF p_verifier IS NOT NULL AND p_verifier !~ '{VERIFIER_PATTERN}' THEN
           RAISE EXCEPTION '只接受 SCRAM-SHA-256 密码摘要' USING ERRCODE = 'invalid_parameter_value';
         END IF;
         SELECT * INTO found_role FROM pg_roles WHERE rolname = p_login;
         IF FOUND THEN
           IF found_role.rolsuper OR found_role.rolcreaterole OR found_role.rolcreatedb OR found_role.rolreplication
              OR found_role.rolbypassrls
              OR NOT EXISTS (SELECT 1 FROM pg_auth_members m JOIN pg_roles gr ON gr.oid = m.roleid
                             WHERE m.member = found_role.oid AND gr.rolname = ANY ({GROUPS}))
              OR EXISTS (SELECT 1 FROM pg_auth_members m JOIN pg_roles gr ON gr.oid = m.roleid
                         WHERE m.member = found_role.oid AND NOT gr.rolname = ANY ({GROUPS})) THEN
             RAISE EXCEPTION '数据库中已有角色 %，它不是本系统人员的登录，不能由程序修改', p_login
               USING ERRCODE = 'duplicate_object';
           END IF;
         ELSIF p_verifier IS NULL THEN
           RAISE EXCEPTION '新建登录 % 需要密码', p_login USING ERRCODE = 'invalid_parameter_value';
         ELSE
           EXECUTE format('CREATE ROLE %I NOLOGIN', p_login);
         END IF;
         IF p_verifier IS NOT NULL THEN
           EXECUTE format('ALTER ROLE %I PASSWORD %L', p_login, p_verifier);
         END IF;
         EXECUTE format('ALTER ROLE %I %s', p_login, CASE WHEN p_active THEN 'LOGIN' ELSE 'NOLOGIN' END);
         FOREACH g IN ARRAY {GROUPS} LOOP
           IF g = p_group THEN
             EXECUTE format('GRANT %I TO %I', g, p_login);
           ELSIF pg_has_role(p_login, g, 'MEMBER') THEN
             EXECUTE format('REVOKE %I FROM %I', g, p_login);
           END IF;
         END LOOP;
         IF p_group = 'liandu_clerk' THEN  -- a 科员 reads personal data through the masked views (v0002)
           EXECUTE format('ALTER ROLE %I SET search_path = liandu_masked, public', p_login);
         ELSE
           EXECUTE format('ALTER ROLE %I RESET search_path', p_login);
         END IF;
       END
       $$""",
    f"""CREATE OR REPLACE FUNCTION liandu_login_password(p_verifier text) RETURNS void LANGUAGE plpgsql
       SET search_path = pg_catalog AS $$
       BEGIN
         IF p_verifier IS NULL OR p_verifier !~ '{VERIFIER_PATTERN}' THEN
           RAISE EXCEPTION '只接受 SCRAM-SHA-256 密码摘要' USING ERRCODE = 'invalid_parameter_value';
         END IF;
         EXECUTE format('ALTER ROLE %I PASSWORD %L', session_user, p_verifier);
       END
       $$""",
)
POSTGRES_TRIGGERS = (
    """CREATE TRIGGER audit_log_actor BEFORE INSERT ON audit_log
       FOR EACH ROW EXECUTE FUNCTION liandu_audit_actor()""",
)


def upgrade() -> None:
    with op.batch_alter_table("clerk") as batch:
        batch.add_column(sa.Column("password_changed_at", sa.DateTime(timezone=True), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        for statement in (*POSTGRES_FUNCTIONS, *POSTGRES_TRIGGERS):
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_log_actor ON audit_log")
        for name in ("liandu_audit_actor()", "liandu_login_sync(text, text, text, boolean)"):
            op.execute(f"DROP FUNCTION IF EXISTS {name}")
        op.execute("DROP FUNCTION IF EXISTS liandu_login_password(text)")
        op.execute("DROP FUNCTION IF EXISTS liandu_is_it()")
    with op.batch_alter_table("clerk") as batch:
        batch.drop_column("password_changed_at")
