"""Rules the database holds: one rectification notice in force per house (or inspection), one open case per house.

Revision ID: m0001
Revises: l0001
Create Date: 2026-12-04

Partial unique indexes, on SQLite and PostgreSQL alike, so two clerks (or two programs) racing cannot both
succeed. A database that already breaks a rule is not changed: the upgrade stops and names the records to fix.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "m0001"
down_revision = "l0001"
branch_labels = None
depends_on = None

IN_FORCE_WHERE = "doc_type IN ('危房整改通知书', '小区整改通知书') AND status IN ('已签发', '已送达', '已到期')"
OPEN_WHERE = "status IN ('待整改', '整改中')"
DUPLICATE_NOTICES = f"""
    SELECT subject_table, subject_id, count(*) FROM document WHERE {IN_FORCE_WHERE}
    GROUP BY doc_type, subject_table, subject_id HAVING count(*) > 1
"""
DUPLICATE_CASES = f"SELECT house_id, count(*) FROM house_case WHERE {OPEN_WHERE} GROUP BY house_id HAVING count(*) > 1"


def _refuse_duplicates() -> None:
    bind = op.get_bind()
    notices = bind.execute(sa.text(DUPLICATE_NOTICES)).all()
    cases = bind.execute(sa.text(DUPLICATE_CASES)).all()
    problems = [f"{table} {subject} 有{count}份在办的整改通知书" for table, subject, count in notices]
    problems += [f"房屋 {house} 有{count}个未办结的整治案件" for house, count in cases]
    if problems:
        raise RuntimeError(
            "数据库中已有违反“一户一份在办通知书/一个未办结案件”规则的记录，升级未进行。请先作废或办结多余的记录："
            + "；".join(problems[:20])
        )


def upgrade() -> None:
    _refuse_duplicates()
    op.create_index(
        "uq_document_in_force",
        "document",
        ["doc_type", "subject_table", "subject_id"],
        unique=True,
        sqlite_where=sa.text(IN_FORCE_WHERE),
        postgresql_where=sa.text(IN_FORCE_WHERE),
    )
    op.create_index(
        "uq_house_case_open",
        "house_case",
        ["house_id"],
        unique=True,
        sqlite_where=sa.text(OPEN_WHERE),
        postgresql_where=sa.text(OPEN_WHERE),
    )


def downgrade() -> None:
    op.drop_index("uq_house_case_open", table_name="house_case")
    op.drop_index("uq_document_in_force", table_name="document")
