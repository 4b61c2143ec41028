"""The house page's history panels: the case timeline (screening → appraisal → case → close-out) and the audit trail."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QTreeWidget, QTreeWidgetItem, QWidget

from liandu_desk.services.audit import AuditRow
from liandu_desk.ui.models.row_table import Column, RowTableModel

KIND_COLOURS = {
    "排查": "#2471a3",
    "鉴定": "#b9770e",
    "核实": "#7d3c98",
    "立案": "#c0392b",
    "进展": "#a04000",
    "完成": "#1e8449",
    "销号": "#117a65",
    "方案": "#5d6d7e",
    "解危": "#117a65",
    "申请": "#6c3483",
}

FIELD_LABELS = {
    "kind": "类别", "address": "地址", "owner_name": "户主", "structure": "结构", "floors": "层数",
    "build_year": "建造年份", "area": "面积", "use": "用途", "self_built": "自建", "building_name": "楼栋",
    "building_no": "幢", "unit_no": "单元", "block": "街区/项目", "note": "备注", "screened_on": "排查日期",
    "screener": "排查人", "conclusion": "结论", "hazards": "隐患", "appraised_on": "鉴定日期", "grade": "等级",
    "agency": "鉴定机构", "report_no": "报告编号", "handling": "处理类型", "measure": "措施", "opened_on": "立案日期",
    "deadline": "期限", "status": "状态", "completed_on": "完成日期", "demolished_on": "拆除日期",
    "closed_on": "销号日期", "close_evidence": "销号依据", "responsible": "责任人", "on": "日期", "text": "进展",
    "percent": "比例", "original_name": "文件名", "role": "类别", "method": "方式", "responsible_party": "责任主体",
    "title": "节点", "due_on": "到期", "done_on": "完成", "category": "类别", "applied_on": "申请日期",
    "subsidy_amount": "补助", "verification": "核实", "verified_on": "核实日期",
}  # fmt: skip
HIDDEN_FIELDS = {"id", "version", "created_at", "updated_at", "search_text", "latest_grade", "case_status",
                 "case_deadline", "sha256", "storage", "mime", "size"}  # fmt: skip


def _shown(key: str) -> bool:
    return key not in HIDDEN_FIELDS and not key.endswith("_id")


def _value(value: Any) -> str:
    if isinstance(value, list):
        return "、".join(str(v) for v in value) or "无"
    if value is True or value is False:
        return "是" if value else "否"
    return "空" if value in (None, "") else str(value)


def audit_text(row: AuditRow) -> str:
    """What changed, with Chinese field names; internal ids and summary columns left out."""
    if row.action == "update":
        old, new = row.old_values or {}, row.new_values or {}
        changes = [f"{FIELD_LABELS.get(k, k)}：{_value(old.get(k))} → {_value(v)}" for k, v in new.items() if _shown(k)]
        return "；".join(changes)
    values = row.new_values or row.old_values or {}
    shown = [
        f"{FIELD_LABELS.get(k, k)}={_value(v)}" for k, v in values.items() if _shown(k) and v not in (None, "", [])
    ]
    return "，".join(shown[:6])


AUDIT_COLUMNS: tuple[Column[AuditRow], ...] = (
    Column("时间", lambda r: r.at.astimezone().strftime("%Y-%m-%d %H:%M"), sort_key=lambda r: r.at),
    Column("操作人", lambda r: r.clerk_name),
    Column("操作", lambda r: r.action_label),
    Column("对象", lambda r: f"{r.table_label}#{r.row_id}"),
    Column("内容", audit_text, tooltip=audit_text),
)


def _kind_of(event: Any) -> str:
    return str(getattr(event, "kind", "") or "")


class TimelineView(QTreeWidget):
    """One line per event, oldest first, coloured by stage."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("houseTimeline")
        self.setColumnCount(4)
        self.setHeaderLabels(["日期", "阶段", "事件", "说明"])
        self.setRootIsDecorated(False)
        self.setAlternatingRowColors(True)
        self.setUniformRowHeights(True)
        self.setColumnWidth(0, 92)
        self.setColumnWidth(1, 70)
        self.setColumnWidth(2, 150)
        self.header().setStretchLastSection(True)

    def set_events(self, events: Sequence[Any]) -> None:
        """Show TimelineEvent(date, kind, title, detail) objects."""
        self.clear()
        for event in events:
            day = getattr(event, "date", None)
            item = QTreeWidgetItem(
                [day.isoformat() if day else "", _kind_of(event), str(event.title), str(event.detail or "")]
            )
            colour = KIND_COLOURS.get(_kind_of(event))
            if colour:
                item.setForeground(1, QBrush(QColor(colour)))
                item.setForeground(2, QBrush(QColor(colour)))
            item.setToolTip(3, str(event.detail or ""))
            self.addTopLevelItem(item)

    def lines(self) -> list[str]:
        """The events as 'date kind title' text (for tests and copying)."""
        return [
            " ".join(self.topLevelItem(i).text(c) for c in range(3)).strip() for i in range(self.topLevelItemCount())
        ]


class AuditTrailView(QTableView):
    """The audit entries of the house and its records, newest first."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("houseAudit")
        self.model_: RowTableModel[AuditRow] = RowTableModel(AUDIT_COLUMNS, self)
        self.setModel(self.model_)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(22)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((120, 60, 44, 110)):
            self.setColumnWidth(column, width)

    def set_rows(self, rows: Sequence[AuditRow]) -> None:
        self.model_.set_rows(sorted(rows, key=lambda r: (r.at, r.id), reverse=True))
