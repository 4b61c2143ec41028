"""Login lockout: failed logins counted per clerk, the account locked for growing waits after five in a row.

Revision ID: l0001
Revises: k0001
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "l0001"
down_revision = "k0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("clerk") as batch:
        batch.add_column(sa.Column("failed_logins", sa.Integer(), server_default="0", nullable=False))
        batch.add_column(sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("clerk") as batch:
        batch.drop_column("locked_until")
        batch.drop_column("failed_logins")
