"""Open a document from anywhere: its preview, from which a draft is issued."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from liandu_desk.ui.kit.context import AppContext


def open_record(ctx: AppContext, tab: QWidget | None, kind: str, record_id: int, parent: QWidget | None) -> None:
    """Kind 'document': the preview dialog, modal over `parent`."""
    from liandu_desk.ui.documents.preview import DocumentPreviewDialog

    DocumentPreviewDialog(ctx, record_id, parent).exec()
