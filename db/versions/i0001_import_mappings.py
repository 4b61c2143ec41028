"""Import: saved column mappings.

Revision ID: i0001
Revises: 0001
Create Date: 2026-11-24 03:05:00
"""

import sqlalchemy as sa
from alembic import op

revision = "i0001"
down_revision = "0001"
branch_labels = None
depends_on = None
NOW = sa.text("(CURRENT_TIMESTAMP)")


def upgrade() -> None:
    op.create_table(
        "import_mapping",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("target", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("columns", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_mapping")),
        sa.UniqueConstraint("target", "name", name="target_name"),
    )


def downgrade() -> None:
    op.drop_table("import_mapping")
