"""Base classes of the main window's tabs."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QVBoxLayout, QWidget

from liandu_desk.ui.kit.context import AppContext
from liandu_desk.ui.kit.fit import scrolling


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


class LazyTab(BaseTab):
    """Stands in a tab's place until it is first shown, then builds the module's tab inside itself: start-up builds
    only the tab the window opens on."""

    def __init__(
        self, ctx: AppContext, build: Callable[[AppContext], BaseTab], built: Callable[[BaseTab], None]
    ) -> None:
        super().__init__(ctx)
        self._build, self._built = build, built
        self.page: BaseTab | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def ensure(self) -> BaseTab:
        """The module's tab, built now if it was not yet."""
        if self.page is None:
            self.page = self._build(self.ctx)
            self._layout.addWidget(scrolling(self.page))  # a tall page scrolls instead of squashing its rows
            self._built(self.page)
        return self.page

    def activate(self) -> None:
        self.ensure().activate()

    def refresh(self) -> None:
        if self.page is not None:
            self.page.refresh()
