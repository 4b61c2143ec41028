"""Base of the 危房 forms: labelled fields, Enter saves, Esc cancels, Chinese errors shown inline with focus."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QLineEdit,
    QMessageBox,
    QSpinBox,
    QWidget,
)

from liandu_desk.domain.errors import ConflictError, LianduError
from liandu_desk.domain.permissions import Permission, allowed
from liandu_desk.services import audit as audit_service
from liandu_desk.ui.kit import ops
from liandu_desk.ui.kit.conflict_dialog import KEEP_MINE, ConflictDialog
from liandu_desk.ui.kit.context import AppContext
from liandu_desk.ui.kit.errors import show_error
from liandu_desk.ui.kit.form_dialog import FormDialog, date_field, date_of
from liandu_desk.ui.kit.signals import emit

log = logging.getLogger(__name__)
CONFLICT_TEXT = "保存失败：这条记录在您打开之后已被其他人修改。您的修改没有保存，请关闭本窗口，重新打开后再录入。"


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    """Ask a yes/no question (No is the default); tests replace this function."""
    answer = QMessageBox.question(
        parent,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def denial(ctx: AppContext, permission: Permission) -> str:
    """Why this clerk may not do it here ('' when allowed): read-only database or missing permission."""
    reason = getattr(ctx.db, "read_only_reason", "")
    if reason:
        return f"只读模式：{reason}"
    if not allowed(ctx.clerk.role, permission):
        return f"{ctx.clerk.name}没有“{permission.value}”的权限"
    return ""


date_edit = date_field  # the one date field (kit.form_dialog), under the name the house forms use
date_value = date_of


def combo(items: list[str] | tuple[str, ...], current: str | None = None, blank: str | None = None) -> QComboBox:
    """A combo of Chinese labels; `blank` adds a first item meaning no value."""
    box = QComboBox()
    if blank is not None:
        box.addItem(blank, None)
    for item in items:
        box.addItem(str(item), str(item))
    if current is not None:
        box.setCurrentIndex(max(box.findData(str(current)), 0))
    return box


def field_value(widget: QWidget) -> Any:
    """The value of a form field by widget type."""
    if isinstance(widget, QDateEdit):
        return date_value(widget)
    if isinstance(widget, QComboBox):
        return widget.currentData()
    if isinstance(widget, QSpinBox | QDoubleSpinBox):
        return None if widget.specialValueText() and widget.value() == widget.minimum() else widget.value()
    if isinstance(widget, QLineEdit):
        return widget.text().strip()
    getter = getattr(widget, "value", None)
    return getter() if callable(getter) else None


def _shown(value: Any) -> str:
    """A field value as text for the conflict table."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


class HouseFormDialogBase(FormDialog):
    """Subclasses add fields with `add_field(label, widget)` and implement `save(session, values)`.

    Saving runs as a write job; a ValidationError names a field label, which gets the focus; a RuleError or
    ConflictError is shown in red above the buttons and the dialog stays open.
    """

    saved = Signal(object)
    #: the kind of record a save changes, announced to every view that shows it ("" announces nothing)
    CHANGED = "house"
    #: form label → stored column, so a save conflict can set the clerk's input beside the stored value
    CONFLICT_COLUMNS: dict[str, str] = {}

    def __init__(self, ctx: AppContext, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent, ctx)
        self.result_value: Any = None

    def values(self) -> dict[str, Any]:
        """Field values by label."""
        return {label: field_value(widget) for label, widget in self.fields.items()}

    def save(self, session, values: dict[str, Any]) -> Any:
        """Call the service; return what `saved` should carry (e.g. the new id)."""
        raise NotImplementedError

    def before_save(self, values: dict[str, Any]) -> bool:
        """Hook for confirmations (warnings); False cancels the save."""
        return True

    def accept(self) -> None:
        if self.busy:
            return
        values = self.values()
        if not self.before_save(values):
            return
        self.write(
            lambda session: self.save(session, values),
            self._saved,
            changed=self.CHANGED or None,
            ids=self.changed_ids,
            refused=self._refused,
        )

    def changed_ids(self, result: Any) -> tuple[int, ...]:
        """The ids of the changed records to announce; none (any of the kind) unless a form knows them."""
        return ()

    def _saved(self, result: Any) -> None:
        self.result_value = result
        emit(self.saved, result)
        self.close_saved()

    def _refused(self, exc: LianduError) -> None:
        if isinstance(exc, ConflictError):
            self._resolve_conflict(exc)
        else:
            self.refused(exc)

    def adopt_version(self, version: int) -> bool:
        """Save the next time against this (newer) version; forms that can, override and return True."""
        return False

    def _resolve_conflict(self, exc: ConflictError) -> None:
        """Show the clerk's input beside the stored record; keep it (save again on the newest version) or give up."""
        if not exc.table:
            self.show_error_text(CONFLICT_TEXT)
            return
        mine = {self.CONFLICT_COLUMNS.get(label, label): _shown(v) for label, v in self.values().items()}
        labels = {column: label for label, column in self.CONFLICT_COLUMNS.items()}
        can_keep = type(self).adopt_version is not HouseFormDialogBase.adopt_version
        choice = ConflictDialog(self.ctx, exc, mine, labels, self, can_keep=can_keep).exec()
        if choice != KEEP_MINE:
            self.show_error_text(CONFLICT_TEXT)
            return
        table, row_id = exc.table, exc.row_id
        ops.read(
            self.ctx,
            lambda session: audit_service.current_values(session, table, row_id) or {},
            self._save_again,
            parent=self,
        )

    def _save_again(self, current: dict[str, Any]) -> None:
        """The clerk kept their input: save it again over the newest version, if this form can."""
        if "version" in current and self.adopt_version(int(current["version"])):
            self.accept()
            return
        self.show_error_text(CONFLICT_TEXT)


def run_confirmed_action(
    ctx: AppContext,
    parent: QWidget,
    question: tuple[str, str] | None,
    action: Callable[[Any], Any],
    done: Callable[[Any], None],
    changed: str | None = None,
    ids: Callable[[Any], Any] | None = None,
) -> None:
    """Ask (if a question is given), then run a write service call; Chinese errors go to a message box."""
    if question is not None and not confirm(parent, *question):
        return

    def refused(exc: LianduError) -> None:
        if isinstance(exc, ConflictError):
            QMessageBox.warning(parent, "保存冲突", CONFLICT_TEXT)
        else:
            show_error(exc, "", parent)

    ops.write(ctx, action, done, changed=changed, ids=ids, parent=parent, refused=refused)
