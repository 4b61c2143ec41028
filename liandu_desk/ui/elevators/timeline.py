"""The stage timeline of a retrofit: eleven boxes, done / current (overdue in red) / not started."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from liandu_desk.services.elevators.pages import TimelineStep
from liandu_desk.ui.kit.signals import emit

STYLES = {
    "已完成": "background:#e3f1e6; border:1px solid #7bb38a; color:#1d4d2a;",
    "进行中": "background:#dbe8fb; border:2px solid #3a6fc4; color:#13305e;",
    "超期": "background:#fbe3e1; border:2px solid #c0392b; color:#7a1d14;",
    "未开始": "background:#f4f4f6; border:1px dashed #b0b0b8; color:#8a8a94;",
}


class StageBox(QFrame):
    """One stage: name, dates and days against the expectation."""

    def __init__(self, step: TimelineStep, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        state = "超期" if step.state == "进行中" and step.overdue else step.state
        self.setObjectName(f"stage_{step.index}")
        self.setStyleSheet(f"QFrame#stage_{step.index} {{{STYLES[state]} border-radius:4px;}}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 3, 4, 3)
        layout.setSpacing(1)
        name = QLabel(f"<b>{step.index + 1}. {step.stage}</b>")
        name.setWordWrap(True)
        layout.addWidget(name)
        if step.started_on:
            layout.addWidget(QLabel(step.started_on.strftime("%Y-%m-%d")))
            end = step.completed_on.strftime("%Y-%m-%d") if step.completed_on else "进行中"
            layout.addWidget(QLabel(f"～{end}"))
            over = f"，超{step.days - step.expected_days}天" if step.overdue else ""
            layout.addWidget(QLabel(f"{step.days}/{step.expected_days}天{over}"))
        else:
            layout.addWidget(QLabel(f"预期{step.expected_days}天"))
        for label in self.findChildren(QLabel):
            label.setStyleSheet("border:none; background:transparent; font-size:11px;")
        self.step = step
        tip = f"材料：{step.documents}" if step.documents else "尚无材料"
        if step.override:
            tip += f"\n纠纷未化解时经审核推进（{step.override}）"
        self.setToolTip(tip + ("\n双击修改日期和材料" if step.record_id else ""))

    def mouseDoubleClickEvent(self, event) -> None:
        timeline = self.parent()
        if self.step.record_id and isinstance(timeline, StageTimeline):
            emit(timeline.step_activated, self.step)
        super().mouseDoubleClickEvent(event)


class StageTimeline(QWidget):
    """A row of StageBoxes; call show_steps(). Double-clicking a started stage emits step_activated."""

    step_activated = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stageTimeline")
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(3)
        self.boxes: list[StageBox] = []

    def show_steps(self, steps: tuple[TimelineStep, ...]) -> None:
        for box in self.boxes:
            self._layout.removeWidget(box)
            box.deleteLater()
        self.boxes = [StageBox(step, self) for step in steps]
        for box in self.boxes:
            self._layout.addWidget(box, 1, Qt.AlignmentFlag.AlignTop)
