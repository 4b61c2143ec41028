"""Reading the audit trail: recent activity and the history of one record."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from liandu_desk.domain.audit import AuditEntry
from liandu_desk.domain.fields import catalogued_label
from liandu_desk.plugins import with_hook

ACTION_LABELS = {
    "insert": "新增",
    "update": "修改",
    "delete": "删除",
    "view": "查看完整信息",
    "import": "批量导入",
    "reopen": "撤销销号",
}
FIELD_LABELS = {
    "kind": "类别",
    "address": "地址",
    "owner_name": "户主",
    "structure": "结构",
    "floors": "层数",
    "build_year": "建造年份",
    "area": "面积",
    "use": "用途",
    "self_built": "自建",
    "building_name": "楼栋",
    "building_no": "幢",
    "unit_no": "单元",
    "block": "街区/项目",
    "note": "备注",
    "screened_on": "排查日期",
    "screener": "排查人",
    "conclusion": "结论",
    "hazards": "隐患",
    "appraised_on": "鉴定日期",
    "grade": "等级",
    "agency": "鉴定机构",
    "report_no": "报告编号",
    "handling": "处理类型",
    "measure": "措施",
    "opened_on": "立案日期",
    "deadline": "期限",
    "status": "状态",
    "completed_on": "完成日期",
    "demolished_on": "拆除日期",
    "closed_on": "销号日期",
    "close_evidence": "销号依据",
    "responsible": "责任人",
    "on": "日期",
    "text": "进展",
    "percent": "比例",
    "original_name": "文件名",
    "role": "类别",
    "method": "方式",
    "responsible_party": "责任主体",
    "title": "节点",
    "due_on": "到期",
    "done_on": "完成",
    "category": "类别",
    "applied_on": "申请日期",
    "subsidy_amount": "补助",
    "verification": "核实",
    "verified_on": "核实日期",
    "name": "名称",
    "login": "登录名",
    "active": "启用",
    "id_number": "身份证号",
    "phone": "电话",
    "value": "值",
    "key": "设置项",
    "published_on": "发布日期",
    "published_by": "发布人",
    "generated_on": "生成日期",
    "period_start": "期间起",
    "period_end": "期间止",
    "subject": "对象",
    "list_kind": "榜单",
    "reason": "原因",
    "override_reason": "纠纷未化解时推进的理由",
    "override_by": "推进审核人",
    "declared_area": "单元专有面积总和",
    "score": "得分",
    "total": "总分",
    "stage": "阶段",
    "started_on": "开始日期",
    "households": "户数",
    "viewed": "查看内容",
    "purpose": "用途",
    "number": "文号",
    "recipient": "受送达人",
    "evidence": "依据",
    "party": "评价方",
    "code": "统计用区划代码",
    "official_name": "统计局名称",
    "check_status": "核对状态",
    "source": "核对来源",
    "valid_from": "有效期起",
    "valid_to": "有效期止",
    "level": "类型",
}
HIDDEN_FIELDS = {
    "id",
    "version",
    "created_at",
    "updated_at",
    "search_text",
    "latest_grade",
    "case_status",
    "case_deadline",
    "sha256",
    "storage",
    "mime",
    "size",
    "password_hash",
    "sort_order",
}


def field_shown(key: str) -> bool:
    """Internal ids, versions and derived columns are left out of what a clerk reads."""
    return key not in HIDDEN_FIELDS and not key.endswith("_id")


def value_text(value: Any) -> str:
    """A stored value as a clerk reads it (是/否, lists joined, 空 for nothing)."""
    if isinstance(value, list):
        return "、".join(str(v) for v in value) or "无"
    if value is True or value is False:
        return "是" if value else "否"
    return "空" if value in (None, "") else str(value)


def field_label(key: str, table: str = "") -> str:
    """The Chinese name of a column: the field catalogue's for a catalogued table, else the shared names, else
    the column name itself."""
    return catalogued_label(table, key) or FIELD_LABELS.get(key, key)


TABLE_LABELS: dict[str, str] = {"person": "人员", "clerk": "用户", "app_setting": "设置", "division": "行政区划"}
TABLE_LABELS["import_mapping"] = "导入列映射"
for _module, _labels in with_hook("audit_labels"):
    TABLE_LABELS.update(_labels.resolve())


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
        """What changed, with Chinese field names; internal ids and derived columns left out."""
        if self.action == "update":
            old, new = self.old_values or {}, self.new_values or {}
            changes = [
                f"{field_label(k, self.table_name)}：{value_text(old.get(k))} → {value_text(v)}"
                for k, v in new.items()
                if field_shown(k)
            ]
            return "；".join(changes)
        values = self.new_values or self.old_values or {}
        shown = [
            f"{field_label(k, self.table_name)}={value_text(v)}"
            for k, v in values.items()
            if field_shown(k) and v not in (None, "", [])
        ]
        return "，".join(shown[:6])


def as_utc(value: dt.datetime) -> dt.datetime:
    """SQLite hands timestamps back without an offset; they were stored in UTC."""
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _row(entry: AuditEntry) -> AuditRow:
    return AuditRow(
        entry.id,
        as_utc(entry.at),
        entry.clerk_name,
        entry.action,
        entry.table_name,
        entry.row_id,
        entry.old_values,
        entry.new_values,
    )


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
