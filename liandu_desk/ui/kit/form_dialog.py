"""The one form dialog every record form builds on: labelled fields, Enter saves (保存 is always the default button,
never disabled), Esc cancels after asking if something was typed, the first empty field has the focus, a refusal is
shown in the form beside what the clerk typed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QDate, QEvent, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from liandu_desk.domain.errors import LianduError, ValidationError
from liandu_desk.ui.kit import ops
from liandu_desk.ui.kit.context import AppContext

NO_DATE = QDate(1900, 1, 1)
SAVE_TIP = "回车保存（多行文本框中按 Ctrl+回车）"


def date_field(value: dt.date | None = None, optional: bool = False) -> QDateEdit:
    """The one date field: yyyy-MM-dd with a calendar; an optional one shows （无） for no date."""
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


def date_of(edit: QDateEdit) -> dt.date | None:
    """The date in a date field, None for （无）."""
    if edit.specialValueText() and edit.date() == edit.minimumDate():
        return None
    return edit.date().toPython()


def _state(widget: QWidget) -> Any:
    """What a field holds, to tell whether the clerk typed something."""
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QPlainTextEdit | QTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QComboBox):
        return widget.currentIndex()
    if isinstance(widget, QDateEdit):
        return widget.date()
    if isinstance(widget, QSpinBox | QDoubleSpinBox):
        return widget.value()
    if isinstance(widget, QCheckBox | QAbstractButton):
        return widget.isChecked()
    boxes = getattr(widget, "boxes", None)
    if isinstance(boxes, dict):
        return tuple(sorted(name for name, box in boxes.items() if box.isChecked()))
    return None


def _empty(widget: QWidget) -> bool:
    if isinstance(widget, QLineEdit):
        return not widget.text().strip()
    if isinstance(widget, QPlainTextEdit | QTextEdit):
        return not widget.toPlainText().strip()
    if isinstance(widget, QAbstractSpinBox) and widget.specialValueText():
        return widget.text() == widget.specialValueText()
    return False


def _table_of(widget: QWidget | None) -> QTableView | None:
    """The table a widget is (or edits a cell of), if any."""
    while widget is not None and not isinstance(widget, QDialog):
        if isinstance(widget, QTableView):
            return widget
        widget = widget.parentWidget()
    return None


def _next_row(table: QTableView) -> None:
    """Go down a row in the same column (moving on would also commit a cell being edited)."""
    here = table.currentIndex()
    model = table.model()
    if model is None or model.rowCount() == 0:
        return
    row = min(here.row() + 1, model.rowCount() - 1) if here.isValid() else 0
    table.setCurrentIndex(model.index(row, max(here.column(), 0)))
    table.setFocus()


class FormDialog(QDialog):
    """Subclasses add fields with `add_field(label, widget)` and save through `write(work, done)`, or override
    `accept` and call it. A ValidationError names a field label, which gets the focus."""

    def __init__(self, title: str, parent: QWidget | None = None, ctx: AppContext | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx or getattr(self, "ctx", None) or ops.context_of(parent)
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
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setText("取消")
        self.cancel_button.setAutoDefault(False)
        self.save_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.body = QVBoxLayout(self)
        self.body.addLayout(self.form)
        self.body.addWidget(self.error_label)
        self.body.addWidget(self.buttons)
        self.busy = ""  # what the form waits for (a load or a save): Enter does nothing meanwhile
        self.save_button.setToolTip(SAVE_TIP)
        self._initial: dict[str, Any] | None = None
        self.closing_confirmed = False

    # --- fields ----------------------------------------------------------------------------------------
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

    def required_text(self, label: str, reason: str) -> str | None:
        """The stripped text of the field `label`, or None after showing `reason` there when it is empty."""
        text = self.fields[label].text().strip()
        if not text:
            self.refused(ValidationError(label, reason))
            return None
        return text

    def refused(self, exc: LianduError) -> None:
        """A refusal stays in the form, beside what was typed; a named field gets the focus."""
        self.show_error_text(exc.message)
        if isinstance(exc, ValidationError):
            self.focus_field(exc.field)

    # --- saving ----------------------------------------------------------------------------------------
    def set_busy(self, text: str) -> None:
        """While loading or saving: 保存 stays the default button (Enter never falls to 取消) but does nothing."""
        self.busy = text
        self.save_button.setToolTip(text or SAVE_TIP)

    def write(
        self,
        work: Callable[[Any], Any],
        done: Callable[[Any], None] | None = None,
        *,
        changed: str | None = None,
        ids: Callable[[Any], Iterable[int]] | None = None,
        refused: Callable[[LianduError], None] | None = None,
    ) -> None:
        """Run the write as a job; close (accepted) once it committed, unless `done` decides; a refusal stays here."""
        if self.ctx is None:
            raise RuntimeError("a form that writes must open over a page or tab that holds the context")
        self.show_error_text("")
        self.set_busy("正在保存……")

        def ok(result: Any) -> None:
            self.set_busy("")
            if done is not None:
                done(result)
            else:
                self.close_saved()

        def no(exc: LianduError) -> None:
            self.set_busy("")
            (refused or self.refused)(exc)

        ops.write(self.ctx, work, ok, changed=changed, ids=ids, parent=self, refused=no)

    def close_saved(self) -> None:
        """Close as saved (the dialog's result is Accepted)."""
        QDialog.accept(self)

    # --- keyboard and focus ----------------------------------------------------------------------------
    def keyPressEvent(self, event) -> None:
        """Enter saves, whatever button Qt would have made the default: a push button inside the form (a row's
        附件 button, a list's 新增) never takes over Enter unless it has the focus itself. In a table of the form
        (a paste grid, a template's items) Enter never saves: while a cell is edited it finishes the cell (the table
        keeps that key), otherwise it goes down a row, as in Excel."""
        plain = event.modifiers() in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and plain:
            focused = self.focusWidget()
            table = _table_of(focused)
            other_button = isinstance(focused, QPushButton | QToolButton) and focused is not self.save_button
            if table is not None:
                _next_row(table)
            elif other_button and focused.isEnabled():
                focused.click()
            else:
                self.accept()
            event.accept()
            return
        super().keyPressEvent(event)

    def _register_rows(self) -> None:
        """Fields a form added with `form.addRow(label, widget)` instead of add_field count as its fields too, so
        Esc asks about them and the focus can start in them."""
        known = set(map(id, self.fields.values()))
        for row in range(self.form.rowCount()):
            label = self.form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            field = self.form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            widget = field.widget() if field is not None else None
            if widget is None or id(widget) in known or _state(widget) is None:
                continue
            text = label.widget().text() if label is not None and isinstance(label.widget(), QLabel) else ""
            self.fields[text.rstrip("：:").replace("&", "") or f"第{row + 1}项"] = widget

    def eventFilter(self, watched, event) -> bool:
        """Ctrl+Enter in a multi-line text saves (there, Enter starts a new line)."""
        enter = event.type() == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.accept()
            return True
        return super().eventFilter(watched, event)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.activateWindow()  # typing goes here even where the window manager does not activate new windows
        if self._initial is None:
            self._register_rows()
            for text in self.findChildren(QPlainTextEdit) + self.findChildren(QTextEdit):
                text.installEventFilter(self)
        for button in self.findChildren(QPushButton):
            if button is not self.save_button:
                button.setAutoDefault(False)  # focusing it must not move the default away from 保存
        self.save_button.setDefault(True)
        if self._initial is None:
            self._initial = self._states()
            first_empty = next((w for w in self.fields.values() if w.isEnabled() and _empty(w)), None)
            if first_empty is not None:
                first_empty.setFocus()

    def _states(self) -> dict[str, Any]:
        return {label: _state(widget) for label, widget in self.fields.items()}

    def typed(self) -> bool:
        """Whether the clerk changed any field since the form was shown."""
        return self._initial is not None and self._states() != self._initial

    def reject(self) -> None:
        """Esc or 取消: ask first when something was typed, so nothing is lost by a stray key."""
        if self.typed() and not self.closing_confirmed:
            answer = QMessageBox.question(self, "放弃输入", "已填写的内容尚未保存，确定放弃吗？")
            if answer != QMessageBox.StandardButton.Yes:
                return
        super().reject()
