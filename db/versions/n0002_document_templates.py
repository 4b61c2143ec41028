"""Document templates: the wording of every document type as versioned data, and the versions an issued
document used.

Revision ID: n0002
Revises: u0001
Create Date: 2026-12-04

Each row of doc_template is one version of a document type's wording; rows are only ever added (an edit, a reset
to the shipped default, or the first use of the default), so triggers refuse UPDATE and DELETE. An issued document
records the versions it was worded by, and those references are frozen with the rest of the issued document.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "n0002"
down_revision = "u0001"
branch_labels = None
depends_on = None

ORIGINS = ("默认", "修改", "恢复默认")
REFERENCES = ("template_version_id", "receipt_template_version_id")
SQLITE_TRIGGERS = (
    """CREATE TRIGGER doc_template_no_update BEFORE UPDATE ON doc_template
       BEGIN SELECT RAISE(ABORT, 'a template version never changes: save a new one'); END""",
    """CREATE TRIGGER doc_template_no_delete BEFORE DELETE ON doc_template
       BEGIN SELECT RAISE(ABORT, 'template versions are kept'); END""",
    """CREATE TRIGGER document_template_frozen BEFORE UPDATE OF template_version_id, receipt_template_version_id
       ON document WHEN OLD.status <> '草稿'
       BEGIN SELECT RAISE(ABORT, 'an issued document is frozen'); END""",
)
POSTGRES_TRIGGERS = (
    """CREATE TRIGGER doc_template_kept BEFORE UPDATE OR DELETE ON doc_template
       FOR EACH ROW EXECUTE FUNCTION documents_refuse('template versions are kept and never change')""",
    """CREATE TRIGGER document_template_frozen BEFORE UPDATE OF template_version_id, receipt_template_version_id
       ON document FOR EACH ROW WHEN (OLD.status <> '草稿')
       EXECUTE FUNCTION documents_refuse('an issued document is frozen')""",
)
TRIGGER_TABLES = {
    "doc_template_no_update": "doc_template",
    "doc_template_no_delete": "doc_template",
    "doc_template_kept": "doc_template",
    "document_template_frozen": "document",
}


def upgrade() -> None:
    op.create_table(
        "doc_template",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("template_key", sa.String(length=40), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("slots", sa.JSON(), nullable=False),
        sa.Column("origin", sa.Enum(*ORIGINS, name="templateorigin", native_enum=False, length=10), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("created_by", sa.String(length=40), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_doc_template")),
        sa.UniqueConstraint("template_key", "revision", name="template_key_revision"),
    )
    dialect = op.get_bind().dialect.name
    for column in REFERENCES:
        name = op.f(f"fk_document_{column}_doc_template")
        # SQLite: ADD COLUMN … REFERENCES keeps the table, its triggers and partial indexes in place (no batch
        # copy); the reference has no ON DELETE clause, which SQLite could not report back (rows are kept anyway)
        if dialect == "sqlite":
            op.execute(
                f"ALTER TABLE document ADD COLUMN {column} INTEGER CONSTRAINT {name} REFERENCES doc_template (id)"
            )
        else:
            op.add_column("document", sa.Column(column, sa.Integer(), nullable=True))
            op.create_foreign_key(name, "document", "doc_template", [column], ["id"])
    for statement in SQLITE_TRIGGERS if dialect == "sqlite" else POSTGRES_TRIGGERS if dialect == "postgresql" else ():
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for name, table in TRIGGER_TABLES.items():
        if dialect == "sqlite":
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        elif dialect == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
    for column in REFERENCES:
        if dialect != "sqlite":
            op.drop_constraint(op.f(f"fk_document_{column}_doc_template"), "document", type_="foreignkey")
        op.drop_column("document", column)
    op.drop_table("doc_template")
