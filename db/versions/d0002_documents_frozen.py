"""Documents: database triggers keep issued documents frozen (PDF bytes, numbers, issued content).

Revision ID: d0002
Revises: d0001
Create Date: 2026-11-24 03:15:00
"""

from alembic import op

revision = "d0002"
down_revision = "d0001"
branch_labels = None
depends_on = None

FROZEN_COLUMNS = "doc_type, facts, text, number, recipient, title, issued_on"
SQLITE_TRIGGERS = (
    """CREATE TRIGGER document_file_no_update BEFORE UPDATE ON document_file
       BEGIN SELECT RAISE(ABORT, 'an issued PDF never changes'); END""",
    """CREATE TRIGGER document_file_no_delete BEFORE DELETE ON document_file
       BEGIN SELECT RAISE(ABORT, 'an issued PDF never changes'); END""",
    """CREATE TRIGGER doc_number_no_delete BEFORE DELETE ON doc_number
       BEGIN SELECT RAISE(ABORT, 'document numbers are kept, void ones too'); END""",
    """CREATE TRIGGER doc_number_fixed BEFORE UPDATE OF doc_type, year, seq, prefix, number ON doc_number
       BEGIN SELECT RAISE(ABORT, 'a document number never changes'); END""",
    f"""CREATE TRIGGER document_frozen BEFORE UPDATE OF {FROZEN_COLUMNS} ON document
       WHEN OLD.status <> '草稿'
       BEGIN SELECT RAISE(ABORT, 'an issued document is frozen'); END""",
    """CREATE TRIGGER document_no_delete BEFORE DELETE ON document WHEN OLD.status <> '草稿'
       BEGIN SELECT RAISE(ABORT, 'an issued document is kept'); END""",
)
POSTGRES_TRIGGERS = (
    """CREATE FUNCTION documents_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION '%', TG_ARGV[0]; END $$""",
    """CREATE TRIGGER document_file_frozen BEFORE UPDATE OR DELETE ON document_file
       FOR EACH ROW EXECUTE FUNCTION documents_refuse('an issued PDF never changes')""",
    """CREATE TRIGGER doc_number_no_delete BEFORE DELETE ON doc_number
       FOR EACH ROW EXECUTE FUNCTION documents_refuse('document numbers are kept, void ones too')""",
    """CREATE TRIGGER doc_number_fixed BEFORE UPDATE OF doc_type, year, seq, prefix, number ON doc_number
       FOR EACH ROW EXECUTE FUNCTION documents_refuse('a document number never changes')""",
    f"""CREATE TRIGGER document_frozen BEFORE UPDATE OF {FROZEN_COLUMNS} ON document
       FOR EACH ROW WHEN (OLD.status <> '草稿') EXECUTE FUNCTION documents_refuse('an issued document is frozen')""",
    """CREATE TRIGGER document_no_delete BEFORE DELETE ON document
       FOR EACH ROW WHEN (OLD.status <> '草稿') EXECUTE FUNCTION documents_refuse('an issued document is kept')""",
)
TRIGGER_TABLES = {
    "document_file_no_update": "document_file",
    "document_file_no_delete": "document_file",
    "document_file_frozen": "document_file",
    "doc_number_no_delete": "doc_number",
    "doc_number_fixed": "doc_number",
    "document_frozen": "document",
    "document_no_delete": "document",
}


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    for statement in SQLITE_TRIGGERS if dialect == "sqlite" else POSTGRES_TRIGGERS if dialect == "postgresql" else ():
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for name, table in TRIGGER_TABLES.items():
        if dialect == "sqlite":
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        elif dialect == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
    if dialect == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS documents_refuse()")
