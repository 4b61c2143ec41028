"""Rules the database holds, continued: a community or company appears once on a list (red or black) of a period.

Revision ID: u0001
Revises: r0001
Create Date: 2026-12-04

`add_manual_entry` checked this in Python only, so two clerks adding the same community by hand at once could both
succeed. Two partial unique indexes (live entries only: a removed entry keeps its place in the record) now hold it
on SQLite and PostgreSQL alike.

A database that already holds such a duplicate is not refused: the list still names the subject once either way,
so the upgrade keeps the earliest live entry and marks each later duplicate removed, with the reason, and writes
one audit entry per change (who: 系统（升级）) in the same transaction.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "u0001"
down_revision = "r0001"
branch_labels = None
depends_on = None

LIVE = "NOT removed"
REASON = "升级时发现与同一期同一榜单上的条目重复，保留最早一条，本条自动移除"
DUPLICATES = """
    SELECT e.id, e.removed_reason FROM cm_list_entry e
    WHERE NOT e.removed AND e.{column} IS NOT NULL AND EXISTS (
        SELECT 1 FROM cm_list_entry f WHERE NOT f.removed AND f.publication_id = e.publication_id
        AND f.list_kind = e.list_kind AND f.{column} = e.{column} AND f.id < e.id)
    ORDER BY e.id
"""


def _remove_later_duplicates() -> None:
    from liandu_desk.domain.base import utcnow
    from liandu_desk.storage.audit_listener import write_entries

    bind = op.get_bind()
    queries = [sa.text(DUPLICATES.format(column=column)) for column in ("community_id", "company_id")]
    rows = [row for query in queries for row in bind.execute(query)]
    if not rows:
        return
    bind.execute(
        sa.text("UPDATE cm_list_entry SET removed = :yes, removed_reason = :reason WHERE id = :id"),
        [{"yes": True, "reason": REASON, "id": entry_id} for entry_id, _old in rows],
    )
    now = utcnow()
    write_entries(
        bind,
        [
            {
                "at": now,
                "clerk_id": None,
                "clerk_name": "系统（升级）",
                "action": "update",
                "table_name": "cm_list_entry",
                "row_id": str(entry_id),
                "old_values": {"removed": False, "removed_reason": old},
                "new_values": {"removed": True, "removed_reason": REASON},
            }
            for entry_id, old in rows
        ],
    )


def upgrade() -> None:
    _remove_later_duplicates()
    for column in ("community_id", "company_id"):
        op.create_index(
            f"uq_cm_list_entry_{column.removesuffix('_id')}",
            "cm_list_entry",
            ["publication_id", "list_kind", column],
            unique=True,
            sqlite_where=sa.text(LIVE),
            postgresql_where=sa.text(LIVE),
        )


def downgrade() -> None:
    op.drop_index("uq_cm_list_entry_company", table_name="cm_list_entry")
    op.drop_index("uq_cm_list_entry_community", table_name="cm_list_entry")
