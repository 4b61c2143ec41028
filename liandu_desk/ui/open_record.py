"""Opening a record from anywhere (due list, search): switch to its module's tab and show the record."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QMainWindow, QMessageBox, QWidget

from liandu_desk.ui.kit.context import AppContext

log = logging.getLogger(__name__)


def open_record(
    ctx: AppContext, window: QMainWindow | None, kind: str, record_id: int, parent: QWidget | None = None
) -> bool:
    """Show a record in the main window; False (and a message) for a kind no screen opens yet.

    Kinds: house (the house page, with its cases and 一房一策 plans), elevator_project, community, document (its
    preview, over `parent` when given), audit (the audit trail; record_id 0 for all of it).
    """
    pages = getattr(window, "pages", {})
    if kind == "house" and "危房" in pages:
        window.select_tab("危房")  # type: ignore[attr-defined]
        pages["危房"].open_house(record_id)
        return True
    if kind == "elevator_project" and "加装电梯" in pages:
        window.select_tab("加装电梯")  # type: ignore[attr-defined]
        pages["加装电梯"].open_project(record_id)
        return True
    if kind == "community":
        from liandu_desk.ui.communities.page import CommunityPage

        if window is not None:
            window.select_tab("星级小区")  # type: ignore[attr-defined]
        CommunityPage(ctx, record_id, parent or window).show()
        return True
    if kind == "document":
        from liandu_desk.ui.documents.preview import DocumentPreviewDialog

        DocumentPreviewDialog(ctx, record_id, parent or window).exec()
        return True
    if kind == "audit":
        from liandu_desk.ui.admin.audit_viewer import AuditViewer

        AuditViewer(ctx, parent=parent or window).exec()
        return True
    log.info("no screen opens %s %s", kind, record_id)
    QMessageBox.information(parent or window, "打开记录", f"该类记录（{kind} {record_id}）暂无单独的页面。")
    return False
