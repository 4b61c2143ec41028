"""Base of the 危房 forms: labelled fields, Enter saves, Esc cancels, Chinese errors shown inline with focus."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from liandu_desk.domain.errors import ConflictError, LianduError, ValidationError
from liandu_desk.domain.permissions import Permission, allowed
from liandu_desk.services import audit as audit_service
from liandu_desk.ui.kit import ops
from liandu_desk.ui.kit.conflict_dialog import KEEP_MINE, ConflictDialog
from liandu_desk.ui.kit.context import AppContext
from liandu_desk.ui.kit.errors import show_error
from liandu_desk.ui.kit.signals import emit

log = logging.getLogger(__name__)
NO_DATE = QDate(1900, 1, 1)
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


def date_edit(value: dt.date | None = None, optional: bool = False) -> QDateEdit:
    """A date field (yyyy-MM-dd, calendar popup); an optional one shows （无） for no date."""
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    if optional:
        edit.setMinimumDate(NO_DATE)
        edit.setSpecialValueText("（无）")
        edit.setDate(QDate(value) if value else NO_DATE)
    else:
        edit.setDate(QDate(value or dt.date.today()))
    return edit


def date_value(edit: QDateEdit) -> dt.date | None:
    """The date in a field, None for （无）."""
    if edit.specialValueText() and edit.date() == edit.minimumDate():
        return None
    return edit.date().toPython()


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


class HouseFormDialogBase(QDialog):
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
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        self.fields: dict[str, QWidget] = {}
        self.form = QFormLayout()
        self.error_label = QLabel("")
        self.error_label.setObjectName("formError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #c0392b; font-weight: bold;")
        self.error_label.setVisible(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("保存")
        self.save_button.setDefault(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.result_value: Any = None

    def add_field(self, label: str, widget: QWidget, tip: str = "") -> QWidget:
        """Add a row; `label` is the field name services use in ValidationError."""
        widget.setObjectName(label)
        if tip:
            widget.setToolTip(tip)
        self.fields[label] = widget
        self.form.addRow(label + "：", widget)
        return widget

    def add_note(self, text: str) -> QLabel:
        """A line of explanation below the fields."""
        note = QLabel(text)
        note.setObjectName("formNote")
        note.setWordWrap(True)
        note.setStyleSheet("color: #7d6608;")
        self.form.addRow(note)
        return note

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
        values = self.values()
        if not self.before_save(values):
            return
        self.show_error_text("")

        ops.write(
            self.ctx,
            lambda session: self.save(session, values),
            self._saved,
            changed=self.CHANGED or None,
            ids=self.changed_ids,
            parent=self,
            widgets=[self.save_button],
            refused=self._refused,
        )

    def changed_ids(self, result: Any) -> tuple[int, ...]:
        """The ids of the changed records to announce; none (any of the kind) unless a form knows them."""
        return ()

    def _saved(self, result: Any) -> None:
        self.result_value = result
        emit(self.saved, result)
        super().accept()

    def _refused(self, exc: LianduError) -> None:
        if isinstance(exc, ConflictError):
            self._resolve_conflict(exc)
        elif isinstance(exc, ValidationError):
            self.show_error_text(exc.message)
            self.focus_field(exc.field)
        else:
            self.show_error_text(exc.message)

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

    def show_error_text(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))

    def focus_field(self, label: str) -> None:
        """Focus the field a ValidationError names (exact label, else a label containing it)."""
        widget = self.fields.get(label) or next((w for k, w in self.fields.items() if label in k or k in label), None)
        if widget is not None:
            widget.setFocus()
            if isinstance(widget, QLineEdit):
                widget.selectAll()


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
