"""What changed: written records announced by kind and ids, so every view that shows them refreshes."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject, Signal, Slot

from liandu_desk.ui.kit.signals import emit

Listener = Callable[[str, tuple[int, ...]], None]


class _Follower(QObject):
    """Hears the bus for one view; a child of that view, so it stops hearing when the view is destroyed."""

    def __init__(self, kinds: frozenset[str], slot: Listener, owner: QObject) -> None:
        super().__init__(owner)
        self.kinds, self.slot = kinds, slot

    @Slot(str, object)
    def hear(self, kind: str, ids: tuple[int, ...]) -> None:
        if kind in self.kinds:
            self.slot(kind, ids)


class ChangeBus(QObject):
    """One per window: `changed(kind, ids)` after a write job has committed (ids empty: any of that kind)."""

    changed = Signal(str, object)

    def announce(self, kind: str, ids: Iterable[int] = ()) -> None:
        emit(self.changed, kind, tuple(ids))

    def follow(self, kinds: Iterable[str], slot: Listener, owner: QObject | None = None) -> None:
        """Call slot(kind, ids) whenever a record of one of these kinds changed; with an owner (the view), only
        while the owner lives."""
        wanted = frozenset(kinds)
        if owner is not None:
            self.changed.connect(_Follower(wanted, slot, owner).hear)
            return
        self.changed.connect(lambda kind, ids: slot(kind, ids) if kind in wanted else None)
