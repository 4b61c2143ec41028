"""Opening a record from anywhere (due list, search, another room): the module that opens its kind shows it."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QMainWindow, QMessageBox, QWidget

from liandu_desk.plugins import module_opening
from liandu_desk.ui.kit.context import AppContext

log = logging.getLogger(__name__)


def open_record(
    ctx: AppContext, window: QMainWindow | None, kind: str, record_id: int, parent: QWidget | None = None
) -> bool:
    """Show a record; False (and a message) for a kind no screen opens.

    The module whose spec lists the kind in `opens` shows it through its `opener` hook, after its tab (when the
    window has one) is brought forward. The audit trail (kind 'audit', record_id 0 for all of it) belongs to no
    module.
    """
    if kind == "audit":
        from liandu_desk.ui.admin.audit_viewer import AuditViewer

        AuditViewer(ctx, parent=parent or window).exec()
        return True
    if kind == "settings":
        from liandu_desk.ui.admin.settings_dialog import SettingsDialog

        SettingsDialog(ctx, parent or window).exec()
        return True
    spec = module_opening(kind)
    if spec is None or spec.opener is None:
        log.info("no screen opens %s %s", kind, record_id)
        QMessageBox.information(parent or window, "打开记录", f"该类记录（{kind} {record_id}）暂无单独的页面。")
        return False
    pages = getattr(window, "pages", {})
    tab = pages.get(spec.title)
    if tab is not None:
        window.select_tab(spec.title)  # type: ignore[union-attr]
    spec.opener(ctx, tab, kind, record_id, parent or window)
    return True
