"""Numbering and issuing held by the server: numbers only through a SECURITY DEFINER function, issuing by reviewers.

Revision ID: v0003
Revises: v0002
Create Date: 2026-12-04

PostgreSQL only (skipped on SQLite):
- `liandu_may_issue()`: the session's login is a reviewer's, an administrator's, or IT's.
- `liandu_take_number(doc_type, year, prefix, document)`: SECURITY DEFINER (owned by `liandu_owner` after `server
  setup`, executable by `liandu_reviewer` and `liandu_admin` only); refuses any other login, then takes the next
  sequence number of (type, year) under the counter row's lock and records it in `doc_number`. `server setup` leaves
  the groups only SELECT on `doc_counter` and no INSERT on `doc_number`, so this is the one way to a number.
- `document_issue_guard`: a trigger refusing, for any other login, a document inserted other than as a 草稿 or with
  a number, and an update that issues a draft, cancels a document, or changes its number or issue date or issuer.
"""

from __future__ import annotations

from alembic import op

revision = "v0003"
down_revision = "v0002"
branch_labels = None
depends_on = None

POSTGRES_FUNCTIONS = (
    """CREATE OR REPLACE FUNCTION liandu_may_issue() RETURNS boolean LANGUAGE sql STABLE
       SET search_path = pg_catalog AS $$
         SELECT EXISTS (SELECT 1 FROM pg_roles me WHERE me.rolname = session_user AND (me.rolsuper OR EXISTS (
           SELECT 1 FROM pg_roles g WHERE g.rolname IN ('liandu_reviewer', 'liandu_admin', 'liandu_owner')
           AND pg_has_role(me.oid, g.oid, 'MEMBER'))))
       $$""",
    """CREATE OR REPLACE FUNCTION liandu_take_number(p_doc_type text, p_year integer, p_prefix text, p_document integer)
       RETURNS TABLE (id integer, seq integer, number text) LANGUAGE plpgsql SECURITY DEFINER
       SET search_path = pg_catalog, public AS $$
       DECLARE
         next_seq integer;
         new_id integer;
         formatted text;
       BEGIN
         IF NOT public.liandu_may_issue() THEN
           RAISE EXCEPTION '数据库登录 % 无权签发文书或占用文号', session_user USING ERRCODE = 'insufficient_privilege';
         END IF;
         IF p_prefix IS NULL OR length(p_prefix) NOT BETWEEN 1 AND 12 OR p_prefix ~ '[〔〕\\s]'
            OR p_year NOT BETWEEN 2000 AND 2100 THEN
           RAISE EXCEPTION '文号代字或年份不合规' USING ERRCODE = 'invalid_parameter_value';
         END IF;
         INSERT INTO public.doc_counter (doc_type, year, last_seq) VALUES (p_doc_type, p_year, 0)
           ON CONFLICT DO NOTHING;
         UPDATE public.doc_counter c SET last_seq = c.last_seq + 1, updated_at = now()
           WHERE c.doc_type = p_doc_type AND c.year = p_year RETURNING c.last_seq INTO next_seq;
         formatted := p_prefix || '〔' || p_year || '〕' || next_seq || '号';
         INSERT INTO public.doc_number AS d (doc_type, year, seq, prefix, number, document_id, status, version)
           VALUES (p_doc_type, p_year, next_seq, p_prefix, formatted, p_document, '使用中', 1)
           RETURNING d.id INTO new_id;
         RETURN QUERY SELECT new_id, next_seq, formatted;
       END
       $$""",
    """CREATE OR REPLACE FUNCTION liandu_document_issue_guard() RETURNS trigger LANGUAGE plpgsql
       SET search_path = pg_catalog, public AS $$
       BEGIN
         IF public.liandu_may_issue() THEN
           RETURN NEW;
         END IF;
         IF TG_OP = 'INSERT' THEN
           IF NEW.status <> '草稿' OR NEW.number IS NOT NULL OR NEW.issued_on IS NOT NULL THEN
             RAISE EXCEPTION '数据库登录 % 只能起草文书，不能签发', session_user
               USING ERRCODE = 'insufficient_privilege';
           END IF;
         ELSIF (OLD.status = '草稿' AND NEW.status <> '草稿') OR (NEW.status = '已作废' AND OLD.status <> '已作废')
               OR NEW.number IS DISTINCT FROM OLD.number OR NEW.issued_on IS DISTINCT FROM OLD.issued_on
               OR NEW.issued_by IS DISTINCT FROM OLD.issued_by THEN
           RAISE EXCEPTION '数据库登录 % 无权签发、作废文书或改动文号', session_user
             USING ERRCODE = 'insufficient_privilege';
         END IF;
         RETURN NEW;
       END
       $$""",
)
POSTGRES_TRIGGERS = (
    """CREATE TRIGGER document_issue_guard BEFORE INSERT OR UPDATE ON document
       FOR EACH ROW EXECUTE FUNCTION liandu_document_issue_guard()""",
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in (*POSTGRES_FUNCTIONS, *POSTGRES_TRIGGERS):
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER IF EXISTS document_issue_guard ON document")
    for signature in (
        "liandu_document_issue_guard()",
        "liandu_take_number(text, integer, text, integer)",
        "liandu_may_issue()",
    ):
        op.execute(f"DROP FUNCTION IF EXISTS {signature}")
