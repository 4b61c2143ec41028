"""Installation id: a random id stored in every database when it is created, carried into every backup manifest,
so a backup from another installation is refused at restore.

Revision ID: n0001
Revises: m0001
Create Date: 2026-12-04
"""

from __future__ import annotations

import json
import uuid

import sqlalchemy as sa
from alembic import op

revision = "n0001"
down_revision = "m0001"
branch_labels = None
depends_on = None

KEY = "installation.id"


def upgrade() -> None:
    table = sa.table(
        "app_setting", sa.column("key", sa.String), sa.column("value", sa.JSON), sa.column("version", sa.Integer)
    )
    op.bulk_insert(table, [{"key": KEY, "value": json.loads(json.dumps(str(uuid.uuid4()))), "version": 1}])


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM app_setting WHERE key = :key").bindparams(key=KEY))
