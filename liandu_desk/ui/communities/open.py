"""Open a community from anywhere: its community page."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from liandu_desk.ui.kit.context import AppContext


def open_record(ctx: AppContext, tab: QWidget | None, kind: str, record_id: int, parent: QWidget | None) -> None:
    """Kind 'community': the community page (inspections, issues, ratings), a window of its own."""
    from liandu_desk.ui.communities.page import CommunityPage

    CommunityPage(ctx, record_id, parent or tab).show()
