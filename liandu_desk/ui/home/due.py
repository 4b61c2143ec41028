"""What is due: overdue and due-soon items of every module, filters, one click to the record, 督办 sheet export."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from liandu_desk.plugins import with_hook
from liandu_desk.services.as_of import latest_record_date, reference_day
from liandu_desk.services.divisions import DivisionInfo
from liandu_desk.services.home.due import DueFilter, DueItem, clerks_of, due_items
from liandu_desk.services.settings import get_setting
from liandu_desk.ui.kit import ops
from liandu_desk.ui.kit.context import AppContext
from liandu_desk.ui.kit.row_table import Column, RowTableModel
from liandu_desk.ui.kit.signals import emit
from liandu_desk.ui.kit.tables import read_only_table

log = logging.getLogger(__name__)
ALL = "全部"
MODULES = tuple(module.title for module, _due in with_hook("due"))
COLUMNS: tuple[Column[DueItem], ...] = (
    Column("情况", lambda i: i.when_text(), sort_key=lambda i: -i.days_over),
    Column("模块", lambda i: i.module),
    Column("事项", lambda i: i.title, tooltip=lambda i: f"{i.category}：{i.title}\n责任人/单位：{i.responsible}"),
    Column("乡镇（街道）", lambda i: i.township),
    Column("经办人", lambda i: i.clerk),
    Column("期限", lambda i: i.deadline.isoformat(), sort_key=lambda i: i.deadline),
)


class DueModel(RowTableModel[DueItem]):
    """Overdue rows in red, due-soon rows in amber."""

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.ForegroundRole and index.isValid():
            return QColor("#b00020") if self.row_at(index.row()).days_over > 0 else QColor("#8a5a00")
        return super().data(index, role)


class DuePanel(QWidget):
    """The due list with township / clerk / module filters; double-click or Enter opens the record."""

    loaded = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.as_of: dt.date | None = None
        self.items: list[DueItem] = []
        self.township, self.clerk, self.module = QComboBox(), QComboBox(), QComboBox()
        self.township.setObjectName("dueTownship")
        self.clerk.setObjectName("dueClerk")
        self.module.setObjectName("dueModule")
        self.township.addItem(ALL, None)
        self.clerk.addItem(ALL, None)
        self.module.addItem(ALL, None)
        for name in MODULES:
            self.module.addItem(name, name)
        self.soon = QCheckBox("含7天内到期")
        self.soon.setChecked(True)
        self.count = QLabel("正在读取……")
        self.model = DueModel(COLUMNS, self)
        self.table = self._make_table()
        self.pdf_button, self.xlsx_button = QPushButton("督办单PDF…"), QPushButton("督办单Excel…")
        self.pdf_button.clicked.connect(lambda: self.export("pdf"))
        self.xlsx_button.clicked.connect(lambda: self.export("xlsx"))
        for box in (self.township, self.clerk, self.module):
            box.currentIndexChanged.connect(lambda _i: self.reload())
        self.soon.toggled.connect(lambda _on: self.reload())
        self._layout()

    def _layout(self) -> None:
        bar = QHBoxLayout()
        for text, widget in (("乡镇", self.township), ("经办人", self.clerk), ("模块", self.module)):
            bar.addWidget(QLabel(text))
            bar.addWidget(widget)
        bar.addWidget(self.soon)
        bar.addStretch(1)
        bar.addWidget(self.pdf_button)
        bar.addWidget(self.xlsx_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)

    def _make_table(self) -> QTableView:
        table = read_only_table(self.model, "dueTable", row_height=22)
        table.setAlternatingRowColors(False)
        header = table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 80), (1, 64), (3, 80), (4, 76), (5, 84)):
            table.setColumnWidth(column, width)
        table.doubleClicked.connect(lambda index: self.open_row(index.row()))
        table.installEventFilter(self)
        return table

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.table.currentIndex().isValid():
                self.open_row(self.table.currentIndex().row())
                return True
        return super().eventFilter(watched, event)

    def set_townships(self, townships: list[DivisionInfo]) -> None:
        if self.township.count() > 1:
            return
        self.township.blockSignals(True)
        for town in townships:
            self.township.addItem(town.name, town.id)
        self.township.blockSignals(False)

    def current_filter(self) -> DueFilter:
        return DueFilter(
            self.township.currentData(), self.clerk.currentData(), self.module.currentData(), self.soon.isChecked()
        )

    def load(self, as_of: dt.date | None) -> None:
        """Load the items due as of the day (None: the reference day, found in the job)."""
        self.as_of = as_of
        self.reload()

    def reload(self) -> None:
        flt, fixed = self.current_filter(), self.as_of

        def items(session) -> tuple[dt.date, list[DueItem]]:
            as_of = fixed or reference_day(latest_record_date(session))
            return as_of, due_items(session, as_of, flt)

        ops.read(self.ctx, items, lambda result: self.show_items(*result), key="home.due")

    def show_items(self, as_of: dt.date, items: list[DueItem]) -> None:
        self.as_of = as_of
        self.items = items
        self.model.set_rows(items)
        self._fill_clerks(items)
        late = sum(1 for i in items if i.days_over > 0)
        self.count.setText(f"截至{self.as_of:%Y-%m-%d}：超期{late}项，临期{len(items) - late}项（双击或回车打开记录）")
        emit(self.loaded, len(items))

    def _fill_clerks(self, items: list[DueItem]) -> None:
        known = {self.clerk.itemText(i) for i in range(self.clerk.count())}
        self.clerk.blockSignals(True)
        for name in clerks_of(items):
            if name not in known:
                self.clerk.addItem(name, name)
        self.clerk.blockSignals(False)

    def open_row(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            item = self.model.row_at(row)
            log.info("open %s %s from the due list", item.record_kind, item.record_id)
            self.ctx.open_record(item.record_kind, item.record_id)

    def export(self, kind: str, path: str | None = None) -> None:
        """Write the 督办 sheet of the listed items (PDF or Excel), grouped by township."""
        if path is None:
            suffix = "PDF 文件 (*.pdf)" if kind == "pdf" else "Excel 工作簿 (*.xlsx)"
            default = str(Path.home() / f"督办事项清单{self.as_of or dt.date.today():%Y%m%d}.{kind}")
            path, _ = QFileDialog.getSaveFileName(self, "保存督办单", default, suffix)
            if not path:
                return
        items, as_of = list(self.items), self.as_of or dt.date.today()

        def read(session) -> tuple[str, dict]:
            from liandu_desk.services.documents.templates import wordings

            return str(get_setting(session, "bureau.name")), wordings(session, ("duban",), strict=True)

        def render(found: tuple[str, dict]) -> None:  # a job of its own: the session is closed while it draws
            bureau, texts = found

            def job(_job_ctx) -> str:
                from liandu_desk.reports.engine import write_atomic

                if kind == "pdf":
                    from liandu_desk.reports.duban import render_sheet

                    data = render_sheet(items, as_of, bureau, texts)
                else:
                    from liandu_desk.io.duban_xlsx import sheet_bytes

                    data = sheet_bytes(items, as_of, bureau)
                return str(write_atomic(path, data))

            saved = "督办单已保存：{}"
            self.ctx.jobs.run(job, lambda written: self.count.setText(saved.format(written)), title="正在生成督办单")

        ops.read(self.ctx, read, render, parent=self)
