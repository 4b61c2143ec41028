"""Appraisal basis: the standard each appraisal was made under and, for rural houses, its 防灾措施 conclusion.

Revision ID: q0001
Revises: p0001
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "q0001"
down_revision = "p0001"
branch_labels = None
depends_on = None

STANDARDS = ("JGJ 125-2016", "农村住房安全性鉴定技术导则", "GB 50292-2015")


def upgrade() -> None:
    with op.batch_alter_table("house_appraisal") as batch:
        batch.add_column(
            sa.Column("standard", sa.Enum(*STANDARDS, name="appraisalstandard", native_enum=False, length=30))
        )
        batch.add_column(sa.Column("disaster_measures", sa.String(length=200)))


def downgrade() -> None:
    with op.batch_alter_table("house_appraisal") as batch:
        batch.drop_column("disaster_measures")
        batch.drop_column("standard")
