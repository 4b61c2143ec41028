"""Open an elevator project from anywhere: the project page inside the 加装电梯 tab."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from liandu_desk.ui.kit.context import AppContext


def open_record(ctx: AppContext, tab: QWidget | None, kind: str, record_id: int, parent: QWidget | None) -> None:
    """Kind 'elevator_project': the tab switches to the project's page."""
    if tab is not None:
        tab.open_project(record_id)  # type: ignore[attr-defined]
        return
    from liandu_desk.ui.elevators.tab import ElevatorsTab

    page = ElevatorsTab(ctx)
    page.setParent(parent)
    page.open_project(record_id)
    page.show()
