"""The house page's history panels: the case timeline (screening → appraisal → case → close-out) and the audit trail."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QTreeWidget, QTreeWidgetItem, QWidget

from liandu_desk.services.audit import AuditRow
from liandu_desk.ui.kit.row_table import Column, RowTableModel

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


def audit_text(row: AuditRow) -> str:
    """What changed, with Chinese field names; internal ids and summary columns left out."""
    return row.summary()


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
