"""Elevator retrofits: the unit's declared total exclusive area, and a reviewer's override of open disputes.

Revision ID: e0002
Revises: w0001
Create Date: 2026-12-04

elevator_project.declared_area is the total exclusive area of the whole unit (from the property records), used by
the tally while some declared households are not registered yet. elevator_stage.override_reason/override_by record
why a reviewer let the project enter a stage past 表决与协议 while a dispute was still open.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "e0002"
down_revision = "w0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("elevator_project") as batch:
        batch.add_column(sa.Column("declared_area", sa.Numeric(10, 2)))
    with op.batch_alter_table("elevator_stage") as batch:
        batch.add_column(sa.Column("override_reason", sa.Text()))
        batch.add_column(sa.Column("override_by", sa.String(length=40)))


def downgrade() -> None:
    with op.batch_alter_table("elevator_stage") as batch:
        batch.drop_column("override_by")
        batch.drop_column("override_reason")
    with op.batch_alter_table("elevator_project") as batch:
        batch.drop_column("declared_area")
