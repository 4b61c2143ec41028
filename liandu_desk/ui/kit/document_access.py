"""Document entries on the module pages: enabled per the clerk's permissions and the read-only mode, with the reason."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QMenu, QPushButton, QWidget

from liandu_desk.domain.permissions import Permission, allowed
from liandu_desk.ui.kit.context import AppContext


def draft_denial(ctx: AppContext) -> str:
    """Why this clerk may not draft a numbered document here ('' when allowed): drafts are written to the register."""
    reason = getattr(ctx.db, "read_only_reason", "")
    if reason:
        return f"只读模式，不能起草文书：{reason}"
    if not allowed(ctx.clerk.role, Permission.DRAFT_NOTICES):
        return f"{ctx.clerk.name}没有“{Permission.DRAFT_NOTICES.value}”的权限"
    return ""


def draft_hint(ctx: AppContext, name: str) -> str:
    """What a draft button does, and whether this clerk can issue from the preview."""
    if allowed(ctx.clerk.role, Permission.ISSUE_NOTICES):
        return f"起草{name}并预览（已有的直接打开），在预览中签发（分配文号）"
    return f"起草{name}并预览（已有的直接打开；签发需要审核人员或管理员权限）"


def open_or_draft(
    ctx: AppContext, doc_type: str, subject: tuple[str, int], draft: Callable[[], None], parent: QWidget | None = None
) -> None:
    """Open the subject's newest document of this type that is not void in its preview; call draft() if none.

    Clicking the button twice therefore never leaves two drafts of the same document in the register.
    """
    from liandu_desk.services.documents.views import search_documents
    from liandu_desk.ui.kit.errors import show_error

    def find(_job) -> int | None:
        with ctx.session_scope() as session:
            found = search_documents(session, doc_type=doc_type, subject=subject, limit=20)
        return next((view.id for view in found if view.status != "已作废"), None)

    def done(document_id: int | None) -> None:
        if document_id is None:
            draft()
        else:
            ctx.open_record("document", document_id, parent)

    ctx.jobs.run(find, done, on_err=lambda e, t: show_error(e, t, parent), title="正在查找文书", parent=parent)


def set_state(button: QPushButton, possible: bool, why_not: str, denied: str = "", hint: str = "") -> None:
    """Enable a button when possible and not denied; its tooltip says why not (the denial first), else the hint."""
    button.setEnabled(possible and not denied)
    button.setToolTip(denied or (hint if possible else why_not))


def doc_button(text: str, slot, parent: QWidget | None = None) -> QPushButton:
    """A document button that never becomes a dialog's default button (Enter keeps saving/opening)."""
    button = QPushButton(text, parent)
    button.setAutoDefault(False)
    button.clicked.connect(slot)
    return button


def mirror_menu(parent: QWidget, buttons: Iterable[QPushButton]) -> QMenu:
    """A context menu repeating these buttons: same text, same enabled state and tooltip, same action."""
    menu = QMenu(parent)
    menu.setToolTipsVisible(True)
    for button in buttons:
        action = menu.addAction(button.text())
        action.setEnabled(button.isEnabled())
        action.setToolTip(button.toolTip())
        action.triggered.connect(button.click)
    return menu


def attach_context_menu(view: QAbstractItemView, buttons: Callable[[], Iterable[QPushButton]]) -> None:
    """Right-click on the view selects the row under the cursor, then shows the mirrored buttons."""

    def show(pos) -> None:
        index = view.indexAt(pos)
        if index.isValid():
            view.setCurrentIndex(index)
        menu = mirror_menu(view, buttons())
        view.last_context_menu = menu  # kept for tests
        menu.popup(view.viewport().mapToGlobal(pos))

    view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    view.customContextMenuRequested.connect(show)


def attach_row_menu(view: QAbstractItemView, entries: Callable[[QModelIndex], Iterable[tuple[str, Callable]]]) -> None:
    """Right-click on a row selects it and shows entries(index) as (text, slot) pairs; nothing off the rows."""

    def show(pos) -> None:
        index = view.indexAt(pos)
        if not index.isValid():
            return
        view.setCurrentIndex(index)
        menu = QMenu(view)
        for text, slot in entries(index):
            menu.addAction(text).triggered.connect(slot)
        view.last_context_menu = menu  # kept for tests
        menu.popup(view.viewport().mapToGlobal(pos))

    view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    view.customContextMenuRequested.connect(show)
