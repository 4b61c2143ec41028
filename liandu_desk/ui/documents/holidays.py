"""The holiday calendar (节假日与调休) as editable data: list a year, add or change a day, remove a day."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from liandu_desk.domain.permissions import Permission, allowed
from liandu_desk.services.documents.calendar import CalendarDay
from liandu_desk.ui.kit.context import AppContext
from liandu_desk.ui.kit.errors import show_error
from liandu_desk.ui.kit.row_table import Column, RowTableModel

WEEKDAYS = "一二三四五六日"
COLUMNS: tuple[Column[CalendarDay], ...] = (
    Column("日期", lambda d: d.day.isoformat()),
    Column("星期", lambda d: f"星期{WEEKDAYS[d.day.weekday()]}"),
    Column("类型", lambda d: d.kind),
    Column("节日", lambda d: d.name),
    Column("依据", lambda d: d.source),
)


class HolidayDialog(QDialog):
    """节假日与调休: the exceptions to Monday–Friday used to count deadlines in working days."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("节假日与调休")
        self.resize(760, 560)
        self.year = QSpinBox(self)
        self.year.setRange(2000, 2100)
        self.year.setValue(dt.date.today().year)
        self.year.valueChanged.connect(self.refresh)
        self.model: RowTableModel[CalendarDay] = RowTableModel(COLUMNS, self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda index: self._edit(self.model.row_at(index.row())))
        self.day = QDateEdit(QDate.currentDate(), self)
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.kind = QComboBox(self)
        self.kind.addItems(["放假", "调休上班"])
        self.name = QLineEdit(self)
        self.name.setPlaceholderText("节日名称，如国庆节")
        self.source = QLineEdit(self)
        self.source.setPlaceholderText("依据，如国办发明电〔2020〕27号")
        self.save_button = QPushButton("保存该日", self)
        self.delete_button = QPushButton("删除所选", self)
        self.import_button = QPushButton("导入年度安排…", self)
        self.save_button.clicked.connect(self.save_day)
        self.delete_button.clicked.connect(self.delete_selected)
        self.import_button.clicked.connect(self.import_year)
        may_edit = allowed(ctx.clerk.role, Permission.EDIT_SETTINGS)
        for button in (self.save_button, self.delete_button, self.import_button):
            button.setEnabled(may_edit)
        top = QHBoxLayout()
        top.addWidget(QLabel("年份", self))
        top.addWidget(self.year)
        top.addStretch(1)
        top.addWidget(self.import_button)
        edit = QHBoxLayout()
        for widget in (self.day, self.kind, self.name, self.source, self.save_button, self.delete_button):
            edit.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(edit)
        self.refresh()

    def refresh(self) -> None:
        from liandu_desk.services.documents.calendar import list_days

        year = self.year.value()

        def job(_job_ctx):
            with self.ctx.session_scope() as session:
                return list_days(session, year)

        self.ctx.jobs.run(job, self.model.set_rows, on_err=lambda e, t: show_error(e, t, self), key="holidays")

    def _edit(self, row: CalendarDay) -> None:
        self.day.setDate(QDate(row.day.year, row.day.month, row.day.day))
        self.kind.setCurrentText(row.kind)
        self.name.setText(row.name)
        self.source.setText(row.source)

    def _write(self, work) -> None:
        def job(_job_ctx):
            with self.ctx.session_scope() as session:
                return work(session)

        self.ctx.jobs.run(job, lambda _r: self.refresh(), on_err=lambda e, t: show_error(e, t, self), write=True)

    def save_day(self) -> None:
        from liandu_desk.services.documents.calendar import save_day

        day, kind, name, source = (
            self.day.date().toPython(),
            self.kind.currentText(),
            self.name.text(),
            self.source.text(),
        )
        self._write(lambda s: save_day(s, day, kind, name, source))

    def delete_selected(self) -> None:
        from liandu_desk.services.documents.calendar import delete_day

        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        row = self.model.row_at(rows[0].row())
        answer = QMessageBox.question(self, "删除", f"确定删除{row.day.isoformat()}（{row.name}{row.kind}）吗？")
        if answer == QMessageBox.StandardButton.Yes:
            self._write(lambda s: delete_day(s, row.day))

    def import_year(self) -> None:
        """导入年度安排: a whole year, with its changes confirmed before saving."""
        from liandu_desk.ui.documents.holiday_import import HolidayImportDialog

        dialog = HolidayImportDialog(self.ctx, self)
        if dialog.exec():
            self.year.setValue(dialog.year.value())
            self.refresh()
