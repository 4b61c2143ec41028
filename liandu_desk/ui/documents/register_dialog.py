"""The document register in its own window (文书登记簿)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QTabWidget, QVBoxLayout, QWidget

from liandu_desk.ui.documents.batches import BatchRegister
from liandu_desk.ui.documents.register import DocumentRegister
from liandu_desk.ui.kit.context import AppContext


class DocumentRegisterDialog(QDialog):
    """文书登记簿: every numbered document with its status; search, preview, print, serve, follow up, cancel."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("文书登记簿")
        self.resize(1100, 640)
        self.register = DocumentRegister(ctx, self)
        self.batches = BatchRegister(ctx, self)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.register, "文书")
        self.tabs.addTab(self.batches, "批次")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        self.register.refresh()
        self.batches.refresh()
