"""What changed: written records announced by kind and ids, so every view that shows them refreshes."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject, Signal

from liandu_desk.ui.kit.signals import emit


class ChangeBus(QObject):
    """One per window: `changed(kind, ids)` after a write job has committed (ids empty: any of that kind)."""

    changed = Signal(str, object)

    def announce(self, kind: str, ids: Iterable[int] = ()) -> None:
        emit(self.changed, kind, tuple(ids))

    def follow(self, kinds: Iterable[str], slot: Callable[[str, tuple[int, ...]], None]) -> None:
        """Call slot(kind, ids) whenever a record of one of these kinds changed."""
        wanted = frozenset(kinds)
        self.changed.connect(lambda kind, ids: slot(kind, ids) if kind in wanted else None)
