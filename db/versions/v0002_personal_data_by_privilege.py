"""Personal data by privilege on a server: a 科员's login reads ID numbers and phones only masked.

Revision ID: v0002
Revises: v0001
Create Date: 2026-12-04

PostgreSQL only (nothing on SQLite, where the program masks as before):
- `liandu_mask_id(text)`, `liandu_mask_phone(text)`: the same masks as `domain/validators.py`.
- Schema `liandu_masked` with views `person` (ID number and phone masked) and `audit_log` (the same two values
  masked inside the old and new values of `person` entries, and any password hash of `clerk` entries), in the
  tables' own column order with the same defaults, written through INSTEAD OF triggers (a person's row: only the
  columns the statement changed, so a masked value read is never written back). `server setup` takes SELECT on those
  columns of the real tables away from `liandu_clerk`, and `liandu_login_sync` sets a 科员 login's search_path to
  `liandu_masked, public`, so the program reads the views without knowing it; a 科员 in psql gets "permission
  denied" for the real columns.
- `liandu_person_ids(text[])`: SECURITY DEFINER; the id of each person whose ID number is one of those given (what
  a clerk typing the number already knows), so registration and imports still find an owner by number.
- `liandu_reveal_contact(...)`: SECURITY DEFINER; a reviewer's or administrator's login gets one person's full ID
  number and phone, and the `view` audit entry (hashed by the program over the chain's head) is inserted in the same
  statement; refused for anyone else, and for an entry that is not this person's `view`.
A later migration that adds a column to `person` or `audit_log` must re-create its view (`create_masked_views`).
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import text

revision = "v0002"
down_revision = "v0001"
branch_labels = None
depends_on = None

SCHEMA = "liandu_masked"
MASKED = {
    "person": {"id_number": "public.liandu_mask_id(id_number)", "phone": "public.liandu_mask_phone(phone)"},
    "audit_log": {
        "old_values": "public.liandu_mask_values(table_name, old_values)",
        "new_values": "public.liandu_mask_values(table_name, new_values)",
    },
}
POSTGRES_FUNCTIONS = (
    """CREATE OR REPLACE FUNCTION liandu_mask_id(v text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
         SELECT CASE WHEN v IS NULL OR v = '' THEN v
                     WHEN length(v) > 10 THEN left(v, 6) || repeat('*', length(v) - 10) || right(v, 4)
                     ELSE repeat('*', length(v)) END
       $$""",
    """CREATE OR REPLACE FUNCTION liandu_mask_phone(v text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
         SELECT CASE WHEN v IS NULL OR v = '' THEN v
                     WHEN length(replace(v, '-', '')) >= 8
                       THEN left(replace(v, '-', ''), 3) || '****' || right(replace(v, '-', ''), 4)
                     ELSE repeat('*', length(replace(v, '-', ''))) END
       $$""",
    """CREATE OR REPLACE FUNCTION liandu_mask_values(tbl text, v json) RETURNS json LANGUAGE plpgsql IMMUTABLE AS $$
       DECLARE
         j jsonb;
       BEGIN
         IF v IS NULL OR json_typeof(v) <> 'object' THEN
           RETURN v;
         END IF;
         j := v::jsonb;
         IF tbl = 'person' THEN
           IF j ? 'id_number' THEN
             j := jsonb_set(j, '{id_number}', to_jsonb(liandu_mask_id(j->>'id_number')));
           END IF;
           IF j ? 'phone' THEN
             j := jsonb_set(j, '{phone}', to_jsonb(liandu_mask_phone(j->>'phone')));
           END IF;
         ELSIF tbl = 'clerk' AND j ? 'password_hash' AND j->>'password_hash' IS NOT NULL THEN
           j := jsonb_set(j, '{password_hash}', '"***"');
         END IF;
         RETURN j::json;
       END
       $$""",
    """CREATE OR REPLACE FUNCTION liandu_person_ids(numbers text[])
       RETURNS TABLE (id_number text, id integer) LANGUAGE sql STABLE SECURITY DEFINER
       SET search_path = pg_catalog, public AS $$
         SELECT p.id_number::text, p.id FROM public.person p WHERE p.id_number = ANY (numbers)
       $$""",
    """CREATE OR REPLACE FUNCTION liandu_reveal_contact(
         p_person integer, p_at timestamptz, p_clerk_id integer, p_clerk_name text, p_values json,
         p_prev_hash text, p_hash text)
       RETURNS TABLE (id_number text, phone text) LANGUAGE plpgsql SECURITY DEFINER
       SET search_path = pg_catalog, public AS $$
       BEGIN
         IF NOT EXISTS (SELECT 1 FROM pg_roles me WHERE me.rolname = session_user AND (me.rolsuper OR EXISTS (
                          SELECT 1 FROM pg_roles g
                          WHERE g.rolname IN ('liandu_reviewer', 'liandu_admin', 'liandu_owner')
                          AND pg_has_role(me.oid, g.oid, 'MEMBER')))) THEN
           RAISE EXCEPTION '数据库登录 % 无权查看完整身份证号和电话', session_user
             USING ERRCODE = 'insufficient_privilege';
         END IF;
         IF p_values IS NULL OR json_typeof(p_values) <> 'object' OR (p_values->>'viewed') IS NULL THEN
           RAISE EXCEPTION '查看记录不完整' USING ERRCODE = 'invalid_parameter_value';
         END IF;
         INSERT INTO public.audit_log (at, clerk_id, clerk_name, action, table_name, row_id, old_values, new_values,
                                       prev_hash, hash)
         VALUES (p_at, p_clerk_id, p_clerk_name, 'view', 'person', p_person::text, NULL, p_values, p_prev_hash, p_hash);
         RETURN QUERY SELECT p.id_number::text, p.phone::text FROM public.person p WHERE p.id = p_person;
       END
       $$""",
)


def _columns(table: str) -> list[tuple[str, str | None]]:
    query = text(
        "SELECT column_name, column_default FROM information_schema.columns "
        "WHERE table_schema = 'public' AND table_name = :t ORDER BY ordinal_position"
    )
    return [(name, default) for name, default in op.get_bind().execute(query, {"t": table})]


def create_masked_views() -> None:
    """(Re-)create the masked views and their INSTEAD OF triggers from the tables' current columns."""
    op.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
    for table, masked in MASKED.items():
        columns = _columns(table)
        select = ", ".join(f"{masked[name]} AS {name}" if name in masked else name for name, _ in columns)
        op.execute(f"DROP VIEW IF EXISTS {SCHEMA}.{table}")
        op.execute(f"CREATE VIEW {SCHEMA}.{table} AS SELECT {select} FROM public.{table}")
        for name, default in columns:
            if default is not None:
                op.execute(f"ALTER VIEW {SCHEMA}.{table} ALTER COLUMN {name} SET DEFAULT {default}")
        changed = "\n".join(
            f"IF NEW.{name} IS DISTINCT FROM OLD.{name} THEN "
            f"sets := array_append(sets, '{name} = ($1).{name}'); END IF;"
            for name, _ in columns
            if name != "id"
        )
        update = (
            f"""IF TG_OP = 'UPDATE' THEN
                  {changed}
                  IF cardinality(sets) > 0 THEN
                    EXECUTE format('UPDATE public.{table} SET %s WHERE id = $2', array_to_string(sets, ', '))
                      USING NEW, OLD.id;
                  END IF;
                  RETURN NEW;
                END IF;
                IF TG_OP = 'DELETE' THEN
                  DELETE FROM public.{table} WHERE id = OLD.id;
                  RETURN OLD;
                END IF;"""
            if table == "person"
            else "IF TG_OP <> 'INSERT' THEN RAISE EXCEPTION 'append only' USING ERRCODE = 'insufficient_privilege'; "
            "END IF;"
        )
        op.execute(
            f"""CREATE OR REPLACE FUNCTION {SCHEMA}.{table}_write() RETURNS trigger LANGUAGE plpgsql
                SET search_path = pg_catalog, public AS $$
                DECLARE
                  sets text[] := ARRAY[]::text[];
                BEGIN
                  IF TG_OP = 'INSERT' THEN
                    INSERT INTO public.{table} VALUES (NEW.*);
                    RETURN NEW;
                  END IF;
                  {update}
                  RETURN NULL;
                END
                $$"""
        )
        op.execute(
            f"CREATE TRIGGER {table}_write INSTEAD OF INSERT OR UPDATE OR DELETE ON {SCHEMA}.{table} "
            f"FOR EACH ROW EXECUTE FUNCTION {SCHEMA}.{table}_write()"
        )


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in POSTGRES_FUNCTIONS:
        op.execute(statement)
    create_masked_views()


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
    for signature in (
        "liandu_reveal_contact(integer, timestamptz, integer, text, json, text, text)",
        "liandu_person_ids(text[])",
        "liandu_mask_values(text, json)",
        "liandu_mask_phone(text)",
        "liandu_mask_id(text)",
    ):
        op.execute(f"DROP FUNCTION IF EXISTS {signature}")
