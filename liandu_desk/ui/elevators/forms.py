"""Shared pieces of the elevator dialogs: a form dialog that saves through a callback and keeps open on errors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QDateEdit, QWidget

from liandu_desk.domain.errors import LianduError
from liandu_desk.ui.kit.form_dialog import FormDialog as KitFormDialog
from liandu_desk.ui.kit.form_dialog import date_field
from liandu_desk.ui.kit.form_dialog import date_of as kit_date_of
from liandu_desk.ui.kit.ops import Work

date_edit = date_field  # the one date field (kit.form_dialog)


def date_of(edit: QDateEdit) -> dt.date:
    """The date in a (required) date field."""
    return kit_date_of(edit) or dt.date.today()


class FormDialog(KitFormDialog):
    """A form with 保存/取消 (Enter saves, Esc cancels, asking if something was typed). `on_save(values)` returns the
    write to make (a function of a session, run by kit.ops as a job; the form closes once it has committed and
    stays open with the reason on a refusal). Subclasses add rows to `form` and widgets to `body`, then call
    `finish_layout()`."""

    #: what a save changes, announced so the views showing it refresh
    changed = "elevator_project"

    def __init__(self, title: str, on_save: Callable[[Any], Work | None], parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.changed_ids: Callable[[Any], tuple[int, ...]] | None = None
        self.setMinimumWidth(480)
        self.on_save = on_save
        self.body.removeWidget(self.error_label)
        self.body.removeWidget(self.buttons)

    def finish_layout(self) -> None:
        self.body.addWidget(self.error_label)
        self.body.addWidget(self.buttons)

    def values(self) -> Any:
        raise NotImplementedError

    def accept(self) -> None:
        if self.busy:
            return
        self.show_error_text("")
        try:
            work = self.on_save(self.values())
        except LianduError as exc:
            self.refused(exc)
            return
        if work is None:
            self.close_saved()
            return
        self.write(work, changed=self.changed, ids=self.changed_ids)
