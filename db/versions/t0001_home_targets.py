"""首页 work targets.

Revision ID: t0001
Revises: 0001
Create Date: 2026-11-24 03:25:00
"""

import sqlalchemy as sa
from alembic import op

revision = "t0001"
down_revision = "0001"
branch_labels = None
depends_on = None
NOW = sa.text("(CURRENT_TIMESTAMP)")


def upgrade() -> None:
    op.create_table(
        "home_target",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("metric", sa.String(length=40), nullable=False),
        sa.Column("figure", sa.Integer(), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("division_id", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["division_id"], ["division.id"], name=op.f("fk_home_target_division_id_division"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_home_target")),
    )
    with op.batch_alter_table("home_target", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_home_target_division_id"), ["division_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("home_target", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_home_target_division_id"))
    op.drop_table("home_target")
