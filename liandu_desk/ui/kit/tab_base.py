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

    def follow_changes(self, *kinds: str) -> None:
        """Reload (once the tab has been shown) whenever records of these kinds were written anywhere."""
        self.ctx.changes.follow(kinds, self.records_changed, owner=self)

    def records_changed(self, kind: str, ids: tuple[int, ...]) -> None:
        """Records the tab shows have changed: reload if loaded (tabs that can do less override this)."""
        if self._loaded_once:
            self.refresh()


class PendingModuleTab(BaseTab):
    """A module whose screens are not built yet: says so plainly and what it will hold."""

    heading = ""
    description = ""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        layout = QVBoxLayout(self)
        self.empty_state = EmptyState(self.heading, self.description)
        layout.addWidget(self.empty_state)
