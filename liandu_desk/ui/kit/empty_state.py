"""A centred message for a screen with nothing to show yet, with an optional action button."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget


class EmptyState(QWidget):
    """Title, explanation and (optionally) one button, centred."""

    def __init__(
        self,
        title: str,
        text: str,
        action: tuple[str, Callable[[], None]] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        self.title = QLabel(title)
        self.title.setObjectName("emptyTitle")
        self.title.setStyleSheet("font-size: 20px; font-weight: bold; color: #334;")
        self.text = QLabel(text)
        self.text.setObjectName("emptyText")
        self.text.setWordWrap(True)
        self.text.setMaximumWidth(640)
        self.text.setStyleSheet("font-size: 14px; color: #556;")
        for label in (self.title, self.text):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.title, 0, Qt.AlignmentFlag.AlignHCenter)
        row = QHBoxLayout()  # centred without an alignment flag, so the wrapped text gets the height it needs
        row.addStretch(1)
        row.addWidget(self.text, 100)
        row.addStretch(1)
        layout.addLayout(row)
        self.button: QPushButton | None = None
        if action:
            self.button = QPushButton(action[0])
            self.button.clicked.connect(action[1])
            layout.addSpacing(12)
            layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
