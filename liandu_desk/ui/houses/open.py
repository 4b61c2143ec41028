"""Open a house from anywhere (due list, search, import summary): its page over the 危房 tab, or on its own."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from liandu_desk.ui.kit.context import AppContext


def open_record(ctx: AppContext, tab: QWidget | None, kind: str, record_id: int, parent: QWidget | None) -> None:
    """Kind 'house': the house page (one at a time when the tab shows it)."""
    if tab is not None:
        tab.open_house(record_id)  # type: ignore[attr-defined]
        return
    from liandu_desk.ui.houses.page import HousePageDialog

    HousePageDialog(ctx, record_id, parent).show()
