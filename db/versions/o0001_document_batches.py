"""Document batches: a batch of notices issued together and the exact bytes of its combined PDF.

Revision ID: o0001
Revises: n0001
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "o0001"
down_revision = "n0001"
branch_labels = None
depends_on = None

DOC_TYPES = ("危房整改通知书", "小区整改通知书", "调解记录", "调解协议书", "红黑榜通报")


def upgrade() -> None:
    op.create_table(
        "doc_batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("doc_type", sa.Enum(*DOC_TYPES, name="doctype", native_enum=False, length=20), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("issued_by", sa.String(length=40), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("first_number", sa.String(length=40), nullable=False),
        sa.Column("last_number", sa.String(length=40), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_doc_batch")),
    )
    op.create_table(
        "doc_batch_member",
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["doc_batch.id"], name=op.f("fk_doc_batch_member_batch_id_doc_batch"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["document_id"], ["document.id"], name=op.f("fk_doc_batch_member_document_id_document"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("batch_id", "position", name=op.f("pk_doc_batch_member")),
        sa.UniqueConstraint("document_id", name=op.f("uq_doc_batch_member_document_id")),
    )


def downgrade() -> None:
    op.drop_table("doc_batch_member")
    op.drop_table("doc_batch")
