"""送达回证 details: refusal reason and date and the witness of a 留置送达; a person's consent to electronic service.

Revision ID: r0001
Revises: q0001
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "r0001"
down_revision = "q0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("document", sa.Column("refusal_reason", sa.String(length=200), nullable=True))
    op.add_column("document", sa.Column("refused_on", sa.Date(), nullable=True))
    op.add_column("document", sa.Column("witness", sa.String(length=60), nullable=True))
    op.add_column("person", sa.Column("e_service_address", sa.String(length=100), nullable=True))
    op.add_column("person", sa.Column("e_service_consent_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("person") as batch:
        batch.drop_column("e_service_consent_on")
        batch.drop_column("e_service_address")
    with op.batch_alter_table("document") as batch:
        batch.drop_column("witness")
        batch.drop_column("refused_on")
        batch.drop_column("refusal_reason")
