"""Base classes of the main window's tabs."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from liandu_desk.ui.kit.context import AppContext
from liandu_desk.ui.kit.empty_state import EmptyState


class BaseTab(QWidget):
    """A tab receives the app context; it loads its data the first time it is shown."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._loaded_once = False

    def activate(self) -> None:
        """Called when the tab becomes current: load on first show."""
        if not self._loaded_once:
            self._loaded_once = True
            self.refresh()

    def refresh(self) -> None:
        """Reload the tab's data (F5)."""


class PendingModuleTab(BaseTab):
    """A module whose screens are not built yet: says so plainly and what it will hold."""

    heading = ""
    description = ""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        layout = QVBoxLayout(self)
        self.empty_state = EmptyState(self.heading, self.description)
        layout.addWidget(self.empty_state)
