"""Shared pieces of the elevator dialogs: a form dialog that saves through a callback and keeps open on errors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QMessageBox, QVBoxLayout, QWidget

from liandu_desk.domain.errors import LianduError
from liandu_desk.ui.kit import ops
from liandu_desk.ui.kit.ops import Work


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
    """A form with 保存/取消 (Enter saves, Esc cancels). `on_save(values)` returns the write to make (a function of
    a session, run by kit.ops as a job; the form closes once it has committed and stays open on a refusal)."""

    #: what a save changes, announced so the views showing it refresh
    changed = "elevator_project"

    def __init__(self, title: str, on_save: Callable[[Any], Work | None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.changed_ids: Callable[[Any], tuple[int, ...]] | None = None
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
            work = self.on_save(self.values())
        except LianduError as exc:
            QMessageBox.warning(self, "无法保存", exc.message)
            return
        if work is None:
            super().accept()
            return
        ctx = ops.context_of(self)
        if ctx is None:
            raise RuntimeError("a form that writes must open over a page or tab that holds the context")
        ops.write(
            ctx,
            work,
            lambda _result: super(FormDialog, self).accept(),
            changed=self.changed,
            ids=self.changed_ids,
            parent=self,
            widgets=[self.buttons],
            refused=lambda exc: QMessageBox.warning(self, "无法保存", exc.message),
        )
