"""The audit viewer: every recorded change, filtered by object, record, clerk, action and date, with old/new values."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from liandu_desk.services import audit as audit_service
from liandu_desk.ui.kit import ops
from liandu_desk.ui.kit.context import AppContext
from liandu_desk.ui.kit.row_table import Column, RowTableModel
from liandu_desk.ui.kit.tables import read_only_table

COLUMNS: tuple[Column[audit_service.AuditRow], ...] = (
    Column("编号", lambda r: r.id, sort_key=lambda r: r.id),
    Column("时间", lambda r: r.at.astimezone().strftime("%Y-%m-%d %H:%M:%S"), sort_key=lambda r: r.at),
    Column("操作人", lambda r: r.clerk_name),
    Column("操作", lambda r: r.action_label),
    Column("对象", lambda r: r.table_label),
    Column("记录号", lambda r: r.row_id),
    Column("内容", lambda r: r.summary(), tooltip=lambda r: r.summary()),
)
LIMIT = 1000


def _cell(values: dict, key: str) -> str:
    return audit_service.value_text(values[key]) if key in values else ""


class AuditViewer(QDialog):
    """Global by default; pass table_name/row_id for the history of one record."""

    def __init__(self, ctx: AppContext, table_name: str = "", row_id: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("操作记录（审计）")
        self.resize(1100, 650)
        self.table_box, self.clerk_box, self.action_box = QComboBox(), QComboBox(), QComboBox()
        self.row_edit = QLineEdit(row_id)
        self.row_edit.setPlaceholderText("记录号")
        self.use_dates = QCheckBox("日期")
        self.date_from, self.date_to = QDateEdit(QDate.currentDate().addMonths(-1)), QDateEdit(QDate.currentDate())
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.count_label = QLabel()
        self.count_label.setObjectName("auditCount")
        self.model: RowTableModel[audit_service.AuditRow] = RowTableModel(COLUMNS, self)
        self.view = self._make_view()
        self.detail = QTableWidget(0, 3)
        self.detail.setHorizontalHeaderLabels(["字段", "修改前", "修改后"])
        self.detail.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.detail.verticalHeader().setVisible(False)
        self.detail.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self._layout()
        self._load_choices(table_name)

    def _make_view(self) -> QTableView:
        view = read_only_table(self.model, "auditTable", fit_contents=True)
        view.selectionModel().currentRowChanged.connect(lambda current, _prev: self._show_detail(current.row()))
        return view

    def _layout(self) -> None:
        search = QPushButton("查询")
        search.setDefault(True)
        search.clicked.connect(self.refresh)
        bar = QHBoxLayout()
        for label, widget in (("对象", self.table_box), ("操作人", self.clerk_box), ("操作", self.action_box)):
            bar.addWidget(QLabel(label + "："))
            bar.addWidget(widget)
        for widget in (self.row_edit, self.use_dates, self.date_from, QLabel("至"), self.date_to, search):
            bar.addWidget(widget)
        bar.addStretch(1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.view)
        splitter.addWidget(self.detail)
        splitter.setSizes([420, 180])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.count_label)
        layout.addWidget(splitter, 1)

    def _load_choices(self, table_name: str) -> None:
        self.count_label.setText("正在读取……")
        ops.read(
            self.ctx, audit_service.filter_choices, lambda choices: self._fill_choices(choices, table_name), parent=self
        )

    def _fill_choices(self, choices: audit_service.AuditChoices, table_name: str) -> None:
        self.count_label.setText("")
        self.table_box.addItem("全部", "")
        for key, label in choices.tables:
            self.table_box.addItem(label, key)
        self.clerk_box.addItem("全部", "")
        for name in choices.clerks:
            self.clerk_box.addItem(name, name)
        self.action_box.addItem("全部", "")
        for key, label in choices.actions:
            self.action_box.addItem(label, key)
        if table_name:
            self.table_box.setCurrentIndex(max(self.table_box.findData(table_name), 0))
        if self.isVisible():  # shown before the choices came: search again with the record's table
            self.refresh()

    def current_filter(self) -> audit_service.AuditFilter:
        """The filter the boxes describe."""
        dates = self.use_dates.isChecked()
        return audit_service.AuditFilter(
            table_name=self.table_box.currentData() or "",
            row_id=self.row_edit.text().strip(),
            clerk_name=self.clerk_box.currentData() or "",
            action=self.action_box.currentData() or "",
            date_from=self.date_from.date().toPython() if dates else None,
            date_to=self.date_to.date().toPython() if dates else None,
        )

    def refresh(self) -> None:
        wanted = self.current_filter()

        ops.read(self.ctx, lambda session: audit_service.search(session, wanted, LIMIT), self._show, key="audit-viewer")

    def _show(self, result: tuple[list[audit_service.AuditRow], int]) -> None:
        rows, total = result
        self.model.set_rows(rows)
        shown = f"（显示最新 {len(rows)} 条）" if total > len(rows) else ""
        self.count_label.setText(f"共 {total} 条{shown}")
        self.detail.setRowCount(0)

    def _show_detail(self, row: int) -> None:
        if row < 0:
            return
        entry = self.model.row_at(row)
        old, new = entry.old_values or {}, entry.new_values or {}
        keys = [k for k in dict.fromkeys([*old, *new]) if audit_service.field_shown(k)]
        self.detail.setRowCount(len(keys))
        for i, key in enumerate(keys):
            cells = (audit_service.field_label(key, entry.table_name), _cell(old, key), _cell(new, key))
            for j, text in enumerate(cells):
                self.detail.setItem(i, j, QTableWidgetItem(text))

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self.model.rowCount():
            self.refresh()
