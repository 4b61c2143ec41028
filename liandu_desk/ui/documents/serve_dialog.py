"""Forms for the register: record service (送达), record the follow-up (复查), cancel with a reason. Each names its
document and saves itself (kit FormDialog): a refusal (no witness for 留置送达, no consent for 电子送达, no reason)
stays in the form with what the clerk typed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QComboBox, QDateEdit, QLabel, QLineEdit, QMessageBox, QPlainTextEdit, QWidget

from liandu_desk.services.documents.lifecycle import SERVICE_METHODS
from liandu_desk.services.documents.service_rules import LEFT_AT_PLACE, Refusal
from liandu_desk.ui.kit.context import AppContext
from liandu_desk.ui.kit.form_dialog import FormDialog

Work = Callable[[Any], Any]


def _date_edit() -> QDateEdit:
    edit = QDateEdit(QDate.currentDate())
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setMaximumDate(QDate.currentDate())
    return edit


class _DocumentForm(FormDialog):
    """A register form: names the document it changes, saves through `make(values)` → the write."""

    def __init__(self, ctx: AppContext, title: str, document: str, parent: QWidget | None) -> None:
        super().__init__(title, parent, ctx)
        named = QLabel(document)
        named.setObjectName("actionRecord")
        named.setWordWrap(True)
        named.setStyleSheet("font-weight: bold;")
        self.body.insertWidget(0, named)
        self.make: Callable[[], Work] | None = None

    def accept(self) -> None:
        if self.busy or self.make is None:
            return
        self.write(self.make(), changed="document")


class ServeDialog(_DocumentForm):
    """送达: method, the one service date (the signing date), receiver, receipt reference; for a 留置送达 also why and
    when the recipient refused and who witnessed it (电子送达 is checked against the recipient's consent)."""

    def __init__(self, ctx: AppContext, document: str, recipient: str, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "登记送达", document, parent)
        self.method = QComboBox()
        self.method.addItems(SERVICE_METHODS)
        self.served_on = _date_edit()
        self.receiver = QLineEdit(recipient)
        self.receipt = QLineEdit()
        self.receipt.setPlaceholderText("送达回证扫描件的编号或文件名")
        self.refusal_reason = QLineEdit()
        self.refusal_reason.setPlaceholderText("受送达人拒收的事由")
        self.refused_on = _date_edit()
        self.witness = QLineEdit()
        self.witness.setPlaceholderText("见证人姓名（基层组织或所在单位代表）")
        self.add_field("送达方式", self.method)
        self.add_field("送达日期（签收日期）", self.served_on)
        self.add_field("签收人", self.receiver)
        self.add_field("送达回证", self.receipt)
        self.add_field("拒收事由", self.refusal_reason)
        self.add_field("拒收日期", self.refused_on)
        self.add_field("见证人", self.witness)
        self.method.currentTextChanged.connect(self._method_changed)
        self._method_changed(self.method.currentText())

    def _method_changed(self, method: str) -> None:
        left = method == LEFT_AT_PLACE
        for widget in (self.refusal_reason, self.refused_on, self.witness):
            widget.setEnabled(left)

    def values(self) -> tuple[str, object, str, str]:
        return (self.method.currentText(), self.served_on.date().toPython(), self.receiver.text(), self.receipt.text())

    def refusal(self) -> Refusal:
        """The 留置送达 details (empty for other methods)."""
        if self.method.currentText() != LEFT_AT_PLACE:
            return Refusal()
        return Refusal(self.refusal_reason.text(), self.refused_on.date().toPython(), self.witness.text())


class FollowUpDialog(_DocumentForm):
    """复查: date and result."""

    def __init__(self, ctx: AppContext, document: str, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "登记复查", document, parent)
        self.on = _date_edit()
        self.result_text = QPlainTextEdit()
        self.result_text.setPlaceholderText("复查结果，如：已拆除，现场核实属实")
        self.add_field("复查日期", self.on)
        self.add_field("复查结果", self.result_text)

    def values(self) -> tuple[object, str]:
        return self.on.date().toPython(), self.result_text.toPlainText()


class CancelDialog(_DocumentForm):
    """作废: a reason is required; the number stays in the register and is never reused. Asks once more before."""

    def __init__(self, ctx: AppContext, label: str, parent: QWidget | None = None) -> None:
        super().__init__(ctx, f"作废 {label}", f"作废：{label}", parent)
        self.label = label
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("作废原因（必填），文号保留不再使用")
        self.add_field("作废原因", self.reason)

    def value(self) -> str:
        return self.reason.text()

    def accept(self) -> None:
        if self.busy:
            return
        if not self.reason.text().strip():  # the rule before the confirmation
            self.show_error_text("作废原因：不能为空")
            self.focus_field("作废原因")
            return
        question = f"确定作废“{self.label}”吗？作废后文号保留、不再使用。"
        if QMessageBox.question(self, "作废文书", question) == QMessageBox.StandardButton.Yes:
            super().accept()
