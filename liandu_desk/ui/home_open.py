"""Opening a record from anywhere (due list, search): switch to its module's tab and show the record."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QMainWindow, QMessageBox

log = logging.getLogger(__name__)


def open_record(window: QMainWindow, kind: str, record_id: int) -> bool:
    """Show a record in the main window; False (and a message) for a kind no screen opens yet.

    Kinds: house (the house page, with its cases and 一房一策 plans), elevator_project, community, document.
    """
    pages = getattr(window, "pages", {})
    ctx = window.ctx  # type: ignore[attr-defined]
    if kind == "house" and "危房" in pages:
        window.select_tab("危房")  # type: ignore[attr-defined]
        pages["危房"].open_house(record_id)
        return True
    if kind == "elevator_project" and "加装电梯" in pages:
        window.select_tab("加装电梯")  # type: ignore[attr-defined]
        pages["加装电梯"].open_project(record_id)
        return True
    if kind == "community":
        from liandu_desk.ui.dialogs.community_page import CommunityPage

        window.select_tab("星级小区")  # type: ignore[attr-defined]
        CommunityPage(ctx, record_id, window).show()
        return True
    if kind == "document":
        from liandu_desk.ui.dialogs.document_preview import DocumentPreviewDialog

        DocumentPreviewDialog(ctx, record_id, window).exec()
        return True
    log.info("no screen opens %s %s", kind, record_id)
    QMessageBox.information(window, "打开记录", f"该类记录（{kind} {record_id}）暂无单独的页面。")
    return False
