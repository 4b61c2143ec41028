"""The overview's figure cards (value and change against the previous period) and target progress bars."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QProgressBar, QVBoxLayout, QWidget

from liandu_desk.services.home.targets import MISSED, REACHED, TargetProgress
from liandu_desk.services.overview import FigureRow
from liandu_desk.ui.kit.signals import emit

CARD_COLUMNS = 7
STATE_COLOURS = {REACHED: "#2e8b57", MISSED: "#b00020"}
WARN = "#c25400"


class FigureCard(QFrame):
    """One figure: module and label, the value, the change against the previous period."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("figureCard")
        self.label, self.value, self.change = QLabel(), QLabel(), QLabel()
        self.label.setStyleSheet("color: #555;")
        self.value.setStyleSheet("font-size: 20px; font-weight: bold;")
        self.change.setStyleSheet("color: #777; font-size: 11px;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.setSpacing(0)
        for widget in (self.label, self.value, self.change):
            widget.setWordWrap(True)  # a narrow window wraps a long label instead of widening the grid
            layout.addWidget(widget)

    def show_row(self, row: FigureRow) -> None:
        self.label.setText(f"{row.module}·{row.label}")
        self.label.setToolTip(f"{row.module}：{row.label}（{row.unit}）")
        self.value.setText(f"{row.value}<span style='font-size:12px;font-weight:normal'> {row.unit}</span>")
        change = row.change or 0
        colour = "#2e8b57" if change > 0 else "#b00020" if change < 0 else "#777"
        self.change.setText(row.change_text())
        self.change.setStyleSheet(f"color: {colour}; font-size: 11px;")


class FigureCards(QWidget):
    """A grid of figure cards."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(4)
        self.cards: list[FigureCard] = []
        self.placeholder = QLabel("正在统计本期数据……")
        self.grid.addWidget(self.placeholder, 0, 0)

    def set_rows(self, rows: Sequence[FigureRow]) -> None:
        self.placeholder.setVisible(not rows)
        while len(self.cards) < len(rows):
            card = FigureCard(self)
            index = len(self.cards)
            self.grid.addWidget(card, index // CARD_COLUMNS, index % CARD_COLUMNS)
            self.cards.append(card)
        for card, row in zip(self.cards, rows, strict=False):
            card.show_row(row)
        for index, card in enumerate(self.cards):
            card.setVisible(index < len(rows))

    def texts(self) -> list[str]:
        """label: value (for tests)."""
        return [f"{c.label.text()}={c.value.text().split('<')[0]}" for c in self.cards if not c.isHidden()]


class TargetRow(QWidget):
    """A target: title, progress bar, and one line with days left and the pace; double-click edits it."""

    activated = Signal(int)

    def __init__(self, target: TargetProgress, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.target = target
        self.setToolTip("双击修改或停用此目标")
        span = f"{target.start_on:%Y.%m.%d}–{target.deadline:%Y.%m.%d}"
        detail = f"<span style='color:#777'>{target.division}·{span}·{target.metric_label}</span>"
        title = QLabel(f"<b>{target.title}</b>　{detail}")
        title.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setRange(0, 100)
        self.bar.setValue(target.percent)
        self.bar.setFormat(f"{target.done}/{target.figure}{target.unit}（%p%）")
        colour = STATE_COLOURS.get(target.state, WARN if target.warning else "#d48806")
        self.bar.setStyleSheet(
            f"QProgressBar::chunk {{ background: {colour}; }} QProgressBar {{ text-align: center; }}"
        )
        self.summary = QLabel(("⚠ " if target.warning else "") + target.summary())
        self.summary.setStyleSheet(f"color: {colour if target.warning or target.state == REACHED else '#555'};")
        self.summary.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 4)
        layout.setSpacing(1)
        for widget in (title, self.bar, self.summary):
            layout.addWidget(widget)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        emit(self.activated, self.target.id)
        super().mouseDoubleClickEvent(event)


class TargetList(QWidget):
    """Every active target as a progress row."""

    activated = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.rows: list[TargetRow] = []
        self.empty = QLabel("尚未设定工作目标。")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.layout_.addWidget(self.empty)
        self.layout_.addStretch(1)

    def set_targets(self, targets: Sequence[TargetProgress]) -> None:
        for row in self.rows:
            self.layout_.removeWidget(row)
            row.deleteLater()
        self.rows = [TargetRow(t, self) for t in targets]
        for index, row in enumerate(self.rows):
            row.activated.connect(self.activated)
            self.layout_.insertWidget(index, row)
        self.empty.setVisible(not targets)
