"""Villages and communities as data: divisions become audited, carry the NBS name, a check status and its source,
and the shipped register of Liandu (resources/divisions/liandu_331102.json) is loaded.

Revision ID: w0001
Revises: v0003
Create Date: 2026-12-04

The 15 townships get their 9-digit codes; each village or community of the register is inserted unless the
township already has one of that name (an import created it from a file's text), which then gets the code, the
NBS name and the check status instead. Villages created earlier that the register does not name stay as they are,
marked 未核实. In a database already in use (its audit trail has entries) one audit entry (who: 系统（升级）) records
the load; a new database is created with the register, as it is with the townships.
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "w0001"
down_revision = "v0003"
branch_labels = None
depends_on = None

REGISTER = ("divisions", "liandu_331102.json")
STATUSES = ("已核实", "未核实")
DIVISION = sa.table(
    "division",
    sa.column("id", sa.Integer),
    sa.column("parent_id", sa.Integer),
    sa.column("name", sa.String),
    sa.column("level", sa.String),
    sa.column("code", sa.String),
    sa.column("sort_order", sa.Integer),
    sa.column("official_name", sa.String),
    sa.column("check_status", sa.String),
    sa.column("source", sa.String),
)


def _register() -> dict[str, Any]:
    from liandu_desk.paths import resource_path

    return json.loads(resource_path(*REGISTER).read_text(encoding="utf-8"))


def _load(bind: sa.Connection, register: dict[str, Any]) -> dict[str, int]:
    """Codes for the townships, then each village inserted or (same name under the same township) completed."""
    labels, status = register["source_label"], register["check_status"]
    towns = {name: i for i, name in bind.execute(sa.text("SELECT id, name FROM division WHERE parent_id IS NULL"))}
    counts = {"townships": 0, "inserted": 0, "completed": 0}
    for township in register["townships"]:
        town_id = towns[township["name"]]
        bind.execute(
            DIVISION.update()
            .where(DIVISION.c.id == town_id)
            .values(code=township["code"], check_status=status, source=labels["township"])
        )
        counts["townships"] += 1
        query = sa.text("SELECT id, name FROM division WHERE parent_id = :parent")
        existing = {name: i for i, name in bind.execute(query, {"parent": town_id})}
        for order, village in enumerate(township["villages"], start=1):
            values = {
                "code": village["code"],
                "official_name": village["official_name"],
                "check_status": status,
                "source": labels["village"],
                "sort_order": order,
            }
            found = existing.get(village["name"]) or existing.get(village["official_name"])
            if found is not None:
                bind.execute(DIVISION.update().where(DIVISION.c.id == found).values(**values))
                counts["completed"] += 1
            else:
                bind.execute(
                    DIVISION.insert().values(parent_id=town_id, name=village["name"], level=village["level"], **values)
                )
                counts["inserted"] += 1
    return counts


def _audit(bind: sa.Connection, counts: dict[str, int], register: dict[str, Any]) -> None:
    from liandu_desk.domain.base import utcnow
    from liandu_desk.storage.audit_listener import write_entries

    sources = "；".join(f"{s['title']}（截至{s['cutoff']}）" for s in register["sources"])
    entry = {
        "at": utcnow(),
        "clerk_id": None,
        "clerk_name": "系统（升级）",
        "action": "import",
        "table_name": "division",
        "row_id": "",
        "old_values": None,
        "new_values": {"file": "/".join(REGISTER), "source": sources, **counts},
    }
    write_entries(bind, [entry])


def upgrade() -> None:
    with op.batch_alter_table("division", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))
        batch_op.add_column(sa.Column("official_name", sa.String(length=60), nullable=True))
        batch_op.add_column(
            sa.Column(
                "check_status",
                sa.Enum(*STATUSES, name="checkstatus", native_enum=False, length=10),
                server_default="未核实",
                nullable=False,
            )
        )
        batch_op.add_column(sa.Column("source", sa.String(length=120), nullable=True))
    bind = op.get_bind()
    in_use = bind.execute(sa.text("SELECT COUNT(*) FROM audit_log")).scalar()
    register = _register()
    counts = _load(bind, register)
    if in_use:
        _audit(bind, counts, register)


def downgrade() -> None:
    """The columns go (ALTER TABLE … DROP COLUMN, SQLite 3.35 or later: rebuilding the table would break the
    foreign keys that point at it); the villages stay, as rows an import could have made."""
    for column in ("source", "check_status", "official_name", "version"):
        op.drop_column("division", column)
