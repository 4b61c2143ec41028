"""The work-target form: what is counted, the figure, start and deadline, the division (Enter saves, Esc cancels)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from liandu_desk.services.divisions import DivisionInfo
from liandu_desk.services.home.metrics import METRICS
from liandu_desk.services.home.targets import TargetInput
from liandu_desk.ui.kit import ops
from liandu_desk.ui.kit.ops import Work


def _date_edit(day: dt.date) -> QDateEdit:
    edit = QDateEdit(QDate(day.year, day.month, day.day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


def _day(edit: QDateEdit) -> dt.date:
    value = edit.date()
    return dt.date(value.year(), value.month(), value.day())


class TargetDialog(QDialog):
    """New or existing target. `on_save(TargetInput)` and `on_retire()` hand back the write to make (a function of
    a session); it runs as a job and the form closes once it has committed, or stays open with the refusal."""

    def __init__(
        self,
        townships: list[DivisionInfo],
        on_save: Callable[[TargetInput], Work],
        on_retire: Callable[[], Work] | None = None,
        initial: TargetInput | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("修改工作目标" if on_retire else "新增工作目标")
        self.setMinimumWidth(460)
        self.ctx = ops.context_of(parent)
        self.on_save, self.on_retire = on_save, on_retire
        self.title = QLineEdit()
        self.title.setMaxLength(100)
        self.metric_box = QComboBox()
        for metric in METRICS.values():
            self.metric_box.addItem(f"{metric.label}（{metric.unit}{'，时点数' if metric.stock else ''}）", metric.key)
        self.figure = QSpinBox()
        self.figure.setRange(1, 10_000_000)
        today = dt.date.today()
        self.start, self.deadline = _date_edit(today), _date_edit(today)
        self.division = QComboBox()
        self.division.addItem("全区", None)
        for town in townships:
            self.division.addItem(town.name, town.id)
        self.note = QLineEdit()
        self._layout()
        self.fill(initial or TargetInput("", "rural_rectified", 1, today, dt.date(today.year, 12, 31)))

    def fill(self, initial: TargetInput) -> None:
        """Show a target's stored values (an existing one arrives once it has been read)."""
        self.title.setText(initial.title)
        self.metric_box.setCurrentIndex(max(self.metric_box.findData(initial.metric), 0))
        self.figure.setValue(initial.figure)
        self.start.setDate(QDate(initial.start_on))
        self.deadline.setDate(QDate(initial.deadline))
        self.division.setCurrentIndex(max(self.division.findData(initial.division_id), 0))
        self.note.setText(initial.note or "")

    def _layout(self) -> None:
        form = QFormLayout()
        for label, widget in (
            ("目标名称", self.title),
            ("统计口径", self.metric_box),
            ("目标数", self.figure),
            ("开始日期", self.start),
            ("截止日期", self.deadline),
            ("范围", self.division),
            ("依据/备注", self.note),
        ):
            form.addRow(label, widget)
        self.buttons = buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Save).setDefault(True)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        if self.on_retire is not None:
            retire = QPushButton("停用此目标")
            retire.clicked.connect(self.retire)
            buttons.addButton(retire, QDialogButtonBox.ButtonRole.DestructiveRole)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def values(self) -> TargetInput:
        return TargetInput(
            self.title.text(),
            self.metric_box.currentData(),
            self.figure.value(),
            _day(self.start),
            _day(self.deadline),
            self.division.currentData(),
            self.note.text().strip() or None,
        )

    def accept(self) -> None:
        self._write(self.on_save(self.values()), "无法保存")

    def retire(self) -> None:
        answer = QMessageBox.question(self, "停用工作目标", "停用后首页不再显示此目标（记录保留）。确定停用吗？")
        if answer != QMessageBox.StandardButton.Yes or self.on_retire is None:
            return
        self._write(self.on_retire(), "无法停用")

    def _write(self, work: Work, failure: str) -> None:
        if self.ctx is None:
            raise RuntimeError("the target form must open over the overview tab, which holds the context")
        ops.write(
            self.ctx,
            work,
            lambda _result: super(TargetDialog, self).accept(),
            changed="target",
            parent=self,
            widgets=[self.buttons],
            refused=lambda exc: QMessageBox.warning(self, failure, exc.message),
        )
