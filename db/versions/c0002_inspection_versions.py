"""Inspection versions: who recorded an inspection, and corrections as new versions that supersede the old one.

Revision ID: c0002
Revises: e0002
Create Date: 2026-12-04

`recorded_by_id`/`recorded_by`: the clerk who saved the inspection (the author who may correct it; older rows are
looked up in the audit trail). A correction is a new row with `revision` one higher, `corrected_from_id` pointing
at the version it replaces and the clerk's `correction_reason`; the replaced row keeps its scores and gets
`superseded_by_id`. Lists, star ratings and list rules read only rows whose `superseded_by_id` is empty.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "c0002"
down_revision = "e0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("cm_inspection", sa.Column("recorded_by_id", sa.Integer(), nullable=True))
    op.add_column("cm_inspection", sa.Column("recorded_by", sa.String(40), nullable=False, server_default=""))
    op.add_column("cm_inspection", sa.Column("revision", sa.Integer(), nullable=False, server_default="1"))
    op.add_column("cm_inspection", sa.Column("corrected_from_id", sa.Integer(), nullable=True))
    op.add_column("cm_inspection", sa.Column("superseded_by_id", sa.Integer(), nullable=True))
    op.add_column("cm_inspection", sa.Column("correction_reason", sa.Text(), nullable=True))
    op.create_index("ix_cm_inspection_superseded_by_id", "cm_inspection", ["superseded_by_id"])


def downgrade() -> None:
    op.drop_index("ix_cm_inspection_superseded_by_id", table_name="cm_inspection")
    with op.batch_alter_table("cm_inspection") as batch:
        for name in ("correction_reason", "superseded_by_id", "corrected_from_id", "revision", "recorded_by"):
            batch.drop_column(name)
        batch.drop_column("recorded_by_id")
