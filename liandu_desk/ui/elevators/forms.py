"""Shared pieces of the elevator dialogs: a form dialog that saves through a callback and keeps open on errors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QMessageBox, QVBoxLayout, QWidget

from liandu_desk.domain.errors import LianduError


def date_edit(day: dt.date | None = None) -> QDateEdit:
    """A calendar date field (yyyy-MM-dd)."""
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    day = day or dt.date.today()
    edit.setDate(QDate(day.year, day.month, day.day))
    return edit


def date_of(edit: QDateEdit) -> dt.date:
    value = edit.date()
    return dt.date(value.year(), value.month(), value.day())


class FormDialog(QDialog):
    """A form with 保存/取消 (Enter saves, Esc cancels); `on_save(values)` runs the service and may refuse."""

    def __init__(self, title: str, on_save: Callable[[Any], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(480)
        self.on_save = on_save
        self.form = QFormLayout()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setDefault(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.body = QVBoxLayout(self)
        self.body.addLayout(self.form)

    def finish_layout(self) -> None:
        self.body.addWidget(self.buttons)

    def values(self) -> Any:
        raise NotImplementedError

    def accept(self) -> None:
        try:
            self.on_save(self.values())
        except LianduError as exc:
            QMessageBox.warning(self, "无法保存", exc.message)
            return
        super().accept()
