"""Audit anchors on a server: the table a shared database keeps its anchors in (append-only, like audit_log).

Revision ID: p0001
Revises: o0001
Create Date: 2026-12-04

A desk keeps its anchors in a journal file beside the database; a server database has no such place every clerk
shares, so each transaction that adds audit entries also adds its head here. Updates and deletes are refused by
a trigger; the server-mode roles grant clerks INSERT and SELECT only.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "p0001"
down_revision = "o0001"
branch_labels = None
depends_on = None

SQLITE_TRIGGERS = (
    """CREATE TRIGGER audit_anchor_no_update BEFORE UPDATE ON audit_anchor
       BEGIN SELECT RAISE(ABORT, 'audit_anchor is append-only'); END""",
    """CREATE TRIGGER audit_anchor_no_delete BEFORE DELETE ON audit_anchor
       BEGIN SELECT RAISE(ABORT, 'audit_anchor is append-only'); END""",
)
POSTGRES_TRIGGERS = (
    """CREATE FUNCTION audit_anchor_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'audit_anchor is append-only'; END $$""",
    """CREATE TRIGGER audit_anchor_append_only BEFORE UPDATE OR DELETE ON audit_anchor
       FOR EACH ROW EXECUTE FUNCTION audit_anchor_append_only()""",
)


def upgrade() -> None:
    op.create_table(
        "audit_anchor",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("head_id", sa.Integer(), nullable=False),
        sa.Column("head_hash", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_anchor")),
    )
    dialect = op.get_bind().dialect.name
    for statement in SQLITE_TRIGGERS if dialect == "sqlite" else POSTGRES_TRIGGERS if dialect == "postgresql" else ():
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_anchor_append_only ON audit_anchor")
        op.execute("DROP FUNCTION IF EXISTS audit_anchor_append_only()")
    op.drop_table("audit_anchor")
