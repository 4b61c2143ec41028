"""The work-target form: what is counted, the figure, start and deadline, the division (Enter saves, Esc cancels)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QLineEdit, QMessageBox, QPushButton, QSpinBox, QWidget

from liandu_desk.domain.errors import LianduError
from liandu_desk.services.divisions import DivisionInfo
from liandu_desk.services.home.metrics import METRICS
from liandu_desk.services.home.targets import TargetInput
from liandu_desk.ui.kit.form_dialog import FormDialog, date_field, date_of
from liandu_desk.ui.kit.ops import Work


class TargetDialog(FormDialog):
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
        super().__init__("修改工作目标" if on_retire else "新增工作目标", parent)
        self.on_save, self.on_retire = on_save, on_retire
        self.title = self.add_field("目标名称", QLineEdit())
        self.title.setMaxLength(100)
        self.metric_box = self.add_field("统计口径", QComboBox())
        for metric in METRICS.values():
            self.metric_box.addItem(f"{metric.label}（{metric.unit}{'，时点数' if metric.stock else ''}）", metric.key)
        self.figure = self.add_field("目标数", QSpinBox())
        self.figure.setRange(1, 10_000_000)
        today = dt.date.today()
        self.start = self.add_field("开始日期", date_field(today))
        self.deadline = self.add_field("截止日期", date_field(today))
        self.division = self.add_field("范围", QComboBox())
        self.division.addItem("全区", None)
        for town in townships:
            self.division.addItem(town.name, town.id)
        self.note = self.add_field("依据/备注", QLineEdit())
        if on_retire is not None:
            retire = QPushButton("停用此目标")
            retire.setAutoDefault(False)
            retire.clicked.connect(self.retire)
            self.buttons.addButton(retire, QDialogButtonBox.ButtonRole.DestructiveRole)
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
        self.set_busy("")
        if self.isVisible():
            self._initial = self._states()  # a target read after the form opened is not typing

    def values(self) -> TargetInput:
        return TargetInput(
            self.title.text(),
            self.metric_box.currentData(),
            self.figure.value(),
            date_of(self.start) or dt.date.today(),
            date_of(self.deadline) or dt.date.today(),
            self.division.currentData(),
            self.note.text().strip() or None,
        )

    def accept(self) -> None:
        if self.busy:
            return
        try:
            work = self.on_save(self.values())
        except LianduError as exc:
            self.refused(exc)
            return
        self.write(work, changed="target")

    def retire(self) -> None:
        if self.busy:
            return
        answer = QMessageBox.question(self, "停用工作目标", "停用后首页不再显示此目标（记录保留）。确定停用吗？")
        if answer != QMessageBox.StandardButton.Yes or self.on_retire is None:
            return
        self.write(self.on_retire(), changed="target")
