"""Forms for the register: record service (送达), record the follow-up (复查), cancel with a reason."""

from __future__ import annotations

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from liandu_desk.services.documents.lifecycle import SERVICE_METHODS
from liandu_desk.services.documents.service_rules import LEFT_AT_PLACE, Refusal


def _date_edit(parent: QWidget) -> QDateEdit:
    edit = QDateEdit(QDate.currentDate(), parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setMaximumDate(QDate.currentDate())
    return edit


def _buttons(dialog: QDialog) -> QDialogButtonBox:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog)
    box.button(QDialogButtonBox.StandardButton.Ok).setText("保存")
    box.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


class ServeDialog(QDialog):
    """送达: method, the one service date (the signing date), receiver, receipt reference; for a 留置送达 also why and
    when the recipient refused and who witnessed it (电子送达 is checked against the recipient's consent)."""

    def __init__(self, recipient: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("登记送达")
        self.method = QComboBox(self)
        self.method.addItems(SERVICE_METHODS)
        self.served_on = _date_edit(self)
        self.receiver = QLineEdit(recipient, self)
        self.receipt = QLineEdit(self)
        self.receipt.setPlaceholderText("送达回证扫描件的编号或文件名")
        self.refusal_reason = QLineEdit(self)
        self.refusal_reason.setPlaceholderText("受送达人拒收的事由")
        self.refused_on = _date_edit(self)
        self.witness = QLineEdit(self)
        self.witness.setPlaceholderText("见证人姓名（基层组织或所在单位代表）")
        form = QFormLayout(self)
        form.addRow("送达方式", self.method)
        form.addRow("送达日期（签收日期）", self.served_on)
        form.addRow("签收人", self.receiver)
        form.addRow("送达回证", self.receipt)
        form.addRow("拒收事由", self.refusal_reason)
        form.addRow("拒收日期", self.refused_on)
        form.addRow("见证人", self.witness)
        form.addRow(_buttons(self))
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


class FollowUpDialog(QDialog):
    """复查: date and result."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("登记复查")
        self.on = _date_edit(self)
        self.result = QPlainTextEdit(self)
        self.result.setPlaceholderText("复查结果，如：已拆除，现场核实属实")
        form = QFormLayout(self)
        form.addRow("复查日期", self.on)
        form.addRow("复查结果", self.result)
        form.addRow(_buttons(self))

    def values(self) -> tuple[object, str]:
        return self.on.date().toPython(), self.result.toPlainText()


class CancelDialog(QDialog):
    """作废: a reason is required; the number stays in the register and is never reused."""

    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"作废 {label}")
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText("作废原因（必填），文号保留不再使用")
        form = QFormLayout(self)
        form.addRow("作废原因", self.reason)
        form.addRow(_buttons(self))

    def value(self) -> str:
        return self.reason.text()
