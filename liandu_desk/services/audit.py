"""Reading the audit trail: recent activity and the history of one record."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from liandu_desk.domain.audit import AuditEntry
from liandu_desk.domain.community_lists import COMMUNITY_TABLE_LABELS
from liandu_desk.domain.documents import DOCUMENT_TABLE_LABELS
from liandu_desk.domain.elevators import ELEVATOR_TABLE_LABELS
from liandu_desk.domain.home import HOME_TABLE_LABELS
from liandu_desk.domain.houses import HOUSE_TABLE_LABELS

ACTION_LABELS = {"insert": "新增", "update": "修改", "delete": "删除", "view": "查看完整信息", "import": "批量导入"}
TABLE_LABELS: dict[str, str] = {"person": "人员", "clerk": "用户", "app_setting": "设置", "division": "行政区划"}
TABLE_LABELS["import_mapping"] = "导入列映射"
TABLE_LABELS.update(HOUSE_TABLE_LABELS)
TABLE_LABELS.update(ELEVATOR_TABLE_LABELS)
TABLE_LABELS.update(COMMUNITY_TABLE_LABELS)
TABLE_LABELS.update(DOCUMENT_TABLE_LABELS)
TABLE_LABELS.update(HOME_TABLE_LABELS)


@dataclass(frozen=True)
class AuditRow:
    """One audit entry for display."""

    id: int
    at: dt.datetime
    clerk_name: str
    action: str
    table_name: str
    row_id: str
    old_values: dict | None
    new_values: dict | None

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)

    @property
    def table_label(self) -> str:
        return TABLE_LABELS.get(self.table_name, self.table_name)

    def summary(self) -> str:
        """Which fields changed, e.g. 'name: 张三 → 张四'."""
        if self.action == "update":
            old, new = self.old_values or {}, self.new_values or {}
            return "；".join(f"{k}: {old.get(k)} → {new.get(k)}" for k in new if k != "version")
        values = self.new_values or self.old_values or {}
        return "，".join(f"{k}={v}" for k, v in list(values.items())[:4] if v not in (None, ""))


def as_utc(value: dt.datetime) -> dt.datetime:
    """SQLite hands timestamps back without an offset; they were stored in UTC."""
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _row(entry: AuditEntry) -> AuditRow:
    return AuditRow(
        entry.id, as_utc(entry.at), entry.clerk_name, entry.action, entry.table_name, entry.row_id,
        entry.old_values, entry.new_values,
    )  # fmt: skip


def recent(session: Session, limit: int = 200) -> list[AuditRow]:
    """The latest entries, newest first."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    return [_row(e) for e in session.scalars(query)]


def history(session: Session, table_name: str, row_id: int | str) -> list[AuditRow]:
    """Every entry for one record, oldest first."""
    query = (
        select(AuditEntry)
        .where(AuditEntry.table_name == table_name, AuditEntry.row_id == str(row_id))
        .order_by(AuditEntry.id)
    )
    return [_row(e) for e in session.scalars(query)]


@dataclass(frozen=True)
class AuditFilter:
    """Filters of the global audit viewer; empty fields do not filter."""

    table_name: str = ""
    row_id: str = ""
    clerk_name: str = ""
    action: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def _conditions(f: AuditFilter) -> list:
    conditions = []
    if f.table_name:
        conditions.append(AuditEntry.table_name == f.table_name)
    if f.row_id:
        conditions.append(AuditEntry.row_id == f.row_id.strip())
    if f.clerk_name:
        conditions.append(AuditEntry.clerk_name == f.clerk_name)
    if f.action:
        conditions.append(AuditEntry.action == f.action)
    if f.date_from:
        conditions.append(AuditEntry.at >= _local_midnight_utc(f.date_from))
    if f.date_to:
        conditions.append(AuditEntry.at < _local_midnight_utc(f.date_to + dt.timedelta(days=1)))
    return conditions


def _local_midnight_utc(day: dt.date) -> dt.datetime:
    """The start of a day on this computer's clock, in UTC (how the trail stores time)."""
    return dt.datetime.combine(day, dt.time()).astimezone().astimezone(dt.UTC)


def search(session: Session, f: AuditFilter, limit: int = 1000) -> tuple[list[AuditRow], int]:
    """The newest `limit` matching entries and how many match in all."""
    conditions = _conditions(f)
    total = session.scalar(select(func.count(AuditEntry.id)).where(*conditions)) or 0
    query = select(AuditEntry).where(*conditions).order_by(AuditEntry.id.desc()).limit(limit)
    return [_row(e) for e in session.scalars(query)], total


@dataclass(frozen=True)
class AuditChoices:
    """What the viewer's filter boxes offer."""

    tables: list[tuple[str, str]]
    clerks: list[str]
    actions: list[tuple[str, str]]


def filter_choices(session: Session) -> AuditChoices:
    """Distinct tables and clerks present in the trail, with Chinese labels."""
    tables = sorted(session.scalars(select(AuditEntry.table_name).distinct()))
    clerks = sorted(session.scalars(select(AuditEntry.clerk_name).distinct()))
    return AuditChoices(
        [(t, TABLE_LABELS.get(t, t)) for t in tables], clerks, [(k, v) for k, v in ACTION_LABELS.items()]
    )


def current_values(session: Session, table_name: str, row_id: object) -> dict[str, object] | None:
    """The record as it is now in the database (any mapped table), or None if it was deleted."""
    from liandu_desk.domain.models import metadata

    table = metadata.tables.get(table_name)
    if table is None or row_id is None:
        return None
    key = next(iter(table.primary_key.columns))
    row = session.execute(select(table).where(key == row_id)).mappings().first()
    return dict(row) if row is not None else None


def last_change(session: Session, table_name: str, row_id: object) -> AuditRow | None:
    """The newest audit entry for a record (who saved it last, when)."""
    query = (
        select(AuditEntry)
        .where(AuditEntry.table_name == table_name, AuditEntry.row_id == str(row_id))
        .order_by(AuditEntry.id.desc())
        .limit(1)
    )
    entry = session.scalar(query)
    return _row(entry) if entry is not None else None


def count(session: Session) -> int:
    """How many audit entries exist."""
    return session.scalar(select(func.count()).select_from(AuditEntry)) or 0
