"""The holiday calendar (节假日与调休) as editable data: list a year, add or change a day, remove a day."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
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
from liandu_desk.services.documents.calendar import CalendarDay, delete_day, list_days, save_day
from liandu_desk.ui.kit import ops
from liandu_desk.ui.kit.context import AppContext
from liandu_desk.ui.kit.form_dialog import FormDialog, date_field, date_of
from liandu_desk.ui.kit.row_table import Column, RowTableModel

WEEKDAYS = "一二三四五六日"
COLUMNS: tuple[Column[CalendarDay], ...] = (
    Column("日期", lambda d: d.day.isoformat()),
    Column("星期", lambda d: f"星期{WEEKDAYS[d.day.weekday()]}"),
    Column("类型", lambda d: d.kind),
    Column("节日", lambda d: d.name),
    Column("依据", lambda d: d.source),
)


class HolidayForm(FormDialog):
    """One day of the calendar: 放假 or 调休上班, the festival and the notice it comes from (Enter saves)."""

    def __init__(self, row: CalendarDay | None, parent: QWidget, ctx: AppContext) -> None:
        super().__init__("修改节假日" if row else "新增节假日", parent, ctx)
        day = row.day if row else dt.date.today()
        self.day = self.add_field("日期", date_field(day))
        self.kind = self.add_field("类型", QComboBox())
        self.kind.addItems(["放假", "调休上班"])
        self.name = self.add_field("节日", QLineEdit())
        self.name.setPlaceholderText("节日名称，如国庆节")
        self.source = self.add_field("依据", QLineEdit())
        self.source.setPlaceholderText("依据，如国办发明电〔2020〕27号")
        if row is not None:
            self.kind.setCurrentText(row.kind)
            self.name.setText(row.name)
            self.source.setText(row.source)
        self.saved_day: dt.date | None = None

    def accept(self) -> None:
        if self.busy:
            return
        day = date_of(self.day) or dt.date.today()
        kind, name, source = self.kind.currentText(), self.name.text(), self.source.text()
        self.saved_day = day
        self.write(lambda s: save_day(s, day, kind, name, source), changed="calendar")


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
        self.table.doubleClicked.connect(lambda index: self.edit_day(self.model.row_at(index.row())))
        self.add_button = QPushButton("新增(&N)…", self)
        self.edit_button = QPushButton("修改所选(&E)…", self)
        self.delete_button = QPushButton("删除所选", self)
        self.import_button = QPushButton("导入年度安排…", self)
        self.add_button.clicked.connect(lambda: self.edit_day(None))
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.import_button.clicked.connect(self.import_year)
        self.may_edit = allowed(ctx.clerk.role, Permission.EDIT_SETTINGS)
        for button in (self.add_button, self.edit_button, self.delete_button, self.import_button):
            button.setEnabled(self.may_edit)
            button.setAutoDefault(False)
        top = QHBoxLayout()
        top.addWidget(QLabel("年份", self))
        top.addWidget(self.year)
        top.addStretch(1)
        top.addWidget(self.import_button)
        actions = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.delete_button):
            actions.addWidget(button)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        self.refresh()

    def refresh(self) -> None:
        year = self.year.value()
        ops.read(self.ctx, lambda session: list_days(session, year), self.model.set_rows, key="holidays", parent=self)

    def selected(self) -> CalendarDay | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def edit_selected(self) -> None:
        row = self.selected()
        if row is not None:
            self.edit_day(row)

    def edit_day(self, row: CalendarDay | None) -> None:
        """新增 or 修改 one day in its form; the list shows the year of the saved day."""
        if not self.may_edit:
            return
        form = HolidayForm(row, self, self.ctx)
        if form.exec() and form.saved_day is not None:
            if form.saved_day.year != self.year.value():
                self.year.setValue(form.saved_day.year)
            self.refresh()

    def delete_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        answer = QMessageBox.question(self, "删除", f"确定删除{row.day.isoformat()}（{row.name}{row.kind}）吗？")
        if answer == QMessageBox.StandardButton.Yes:
            ops.write(
                self.ctx, lambda s: delete_day(s, row.day), lambda _r: self.refresh(), changed="calendar", parent=self
            )

    def import_year(self) -> None:
        """导入年度安排: a whole year, with its changes confirmed before saving."""
        from liandu_desk.ui.documents.holiday_import import HolidayImportDialog

        dialog = HolidayImportDialog(self.ctx, self)
        if dialog.exec():
            self.year.setValue(dialog.year.value())
            self.refresh()
