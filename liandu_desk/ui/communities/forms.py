"""Small forms of the 星级小区 module: reasons, issue actions, list entries, companies, evaluations, weights."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from liandu_desk.domain.errors import LianduError
from liandu_desk.ui.kit.form_dialog import FormDialog as KitFormDialog
from liandu_desk.ui.kit.form_dialog import date_field
from liandu_desk.ui.kit.ops import Work


class FormDialog(KitFormDialog):
    """Labelled fields; Enter runs `on_save()`; Esc cancels (asking if something was typed); errors stay in the form.

    `on_save` reads the fields and returns the write to make (a function of a session), or None when there is
    nothing to write; the write runs as a job, the form closes when it has committed and stays open on a refusal.
    """

    def __init__(self, title: str, parent: QWidget | None = None, changed: str = "community") -> None:
        super().__init__(title, parent)
        self.changed = changed
        self.error = self.error_label
        self.error.setVisible(True)
        self.on_save: Callable[[], Work | None] | None = None

    def accept(self) -> None:
        if self.busy:
            return
        self.show_error_text("")
        self.error.setVisible(True)
        try:
            work = self.on_save() if self.on_save else None
        except LianduError as exc:
            self.refused(exc)
            return
        if work is None:
            self.close_saved()
            return
        self.write(work, changed=self.changed)

    _accept = accept


def score_field(value: float = 0.0, top: float = 100.0, decimals: int = 1) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(0.0, top)
    box.setDecimals(decimals)
    box.setValue(value)
    return box


def ask_reason(parent: QWidget | None, title: str, prompt: str, apply: Callable[[str], Work]) -> bool:
    """Ask for a required reason and apply it; the service refuses an empty one and the form says so."""
    dialog = FormDialog(title, parent)
    text = QPlainTextEdit()
    text.setObjectName("reasonText")
    text.setPlaceholderText("必填：人工调整须写明理由（将记入榜单和操作记录）")
    text.setFixedHeight(90)
    note = QLabel(prompt)
    note.setWordWrap(True)
    dialog.form.addRow(note)
    dialog.form.addRow("理由：", text)
    dialog.on_save = lambda: apply(text.toPlainText())
    return dialog.exec() == QDialog.DialogCode.Accepted


def record_line(dialog: FormDialog, text: str) -> QLabel:
    """The record an action changes, named at the top of its dialog (number, name, current state)."""
    label = QLabel(text)
    label.setObjectName("actionRecord")
    label.setWordWrap(True)
    label.setStyleSheet("font-weight: bold;")
    dialog.body.insertWidget(0, label)
    return label


def issue_text(issue: Any) -> str:
    """问题 #编号 小区：问题（当前状态，期限）."""
    return f"问题 #{issue.id}　{issue.community}：{issue.description}（当前：{issue.status}，期限 {issue.deadline}）"


def issue_report_dialog(
    parent: QWidget | None, apply: Callable[[str, dt.date, list[str]], Work], issue: Any = None
) -> bool:
    """The responsible party's rectification report: evidence, date and optional photos; names the issue."""
    dialog = FormDialog("报送整改情况", parent)
    if issue is not None:
        record_line(dialog, issue_text(issue))
    evidence = QPlainTextEdit()
    evidence.setFixedHeight(90)
    evidence.setPlaceholderText("整改情况说明（必填）")
    day = date_field()
    photos: list[str] = []
    pick = QPushButton("选择整改后照片…")

    def choose() -> None:
        files, _ = QFileDialog.getOpenFileNames(dialog, "选择整改后照片", "", "图片 (*.jpg *.jpeg *.png);;所有文件 (*)")
        photos[:] = files
        pick.setText(f"已选{len(files)}张照片" if files else "选择整改后照片…")

    pick.clicked.connect(choose)
    dialog.form.addRow("整改佐证：", evidence)
    dialog.form.addRow("报送日期：", day)
    dialog.form.addRow("照片：", pick)
    dialog.on_save = lambda: apply(evidence.toPlainText(), day.date().toPython(), list(photos))
    return dialog.exec() == QDialog.DialogCode.Accepted


def reinspect_dialog(parent: QWidget | None, inspector: str, apply: Callable[..., Any], issue: Any = None) -> bool:
    """Re-inspection: passed closes the issue, failed reopens it with a new deadline; names the issue."""
    dialog = FormDialog("复查", parent)
    if issue is not None:
        record_line(dialog, issue_text(issue))
    result = QComboBox()
    result.addItems(["复查通过（销号）", "复查未通过（重新整改）"])
    day, who, note = date_field(), QLineEdit(inspector), QLineEdit()
    evidence = QLineEdit()
    evidence.setPlaceholderText("如现场补充了整改佐证，在此填写")
    for label, widget in (
        ("复查结果：", result),
        ("复查日期：", day),
        ("复查人：", who),
        ("复查意见：", note),
        ("补充佐证：", evidence),
    ):
        dialog.form.addRow(label, widget)
    dialog.on_save = lambda: apply(
        day.date().toPython(), result.currentIndex() == 0, who.text(), note.text(), evidence.text()
    )
    return dialog.exec() == QDialog.DialogCode.Accepted


def manual_entry_dialog(
    parent: QWidget | None, subjects: list[tuple[int, str]], apply: Callable[[str, int, str], Work]
) -> bool:
    """Put a community or company on a list by hand, with the required reason."""
    dialog = FormDialog("人工增加榜单条目", parent)
    kind = QComboBox()
    kind.addItems(["红榜", "黑榜"])
    who = QComboBox()
    who.setEditable(True)
    for subject_id, name in subjects:
        who.addItem(name, subject_id)
    reason = QLineEdit()
    reason.setPlaceholderText("必填")
    dialog.form.addRow("榜单：", kind)
    dialog.form.addRow("对象：", who)
    dialog.form.addRow("理由：", reason)

    def save() -> Work:
        if who.findText(who.currentText()) < 0:
            raise LianduError("对象：请从列表中选择")
        return apply(kind.currentText(), who.currentData(), reason.text())

    dialog.on_save = save
    return dialog.exec() == QDialog.DialogCode.Accepted


def company_dialog(parent: QWidget | None, apply: Callable[[dict], Work]) -> bool:
    """New property company; the credit code is checked by the service (GB 32100)."""
    dialog = FormDialog("新增物业企业", parent)
    fields = {key: QLineEdit() for key in ("name", "uscc", "contact_name", "contact_phone", "address")}
    labels = ("企业名称：", "统一社会信用代码：", "联系人：", "联系电话：", "地址：")
    for label, widget in zip(labels, fields.values(), strict=True):
        dialog.form.addRow(label, widget)
    dialog.on_save = lambda: apply({k: w.text() for k, w in fields.items()})
    return dialog.exec() == QDialog.DialogCode.Accepted


def evaluation_dialog(
    parent: QWidget | None, company: str, current: dict[str, float], apply: Callable[[dict[str, float]], Work]
) -> bool:
    """The four parties' scores of one company for the period."""
    dialog = FormDialog(f"综合评价 — {company}", parent)
    boxes = {p: score_field(current.get(p, 0.0)) for p in ("业委会", "居委会", "物业协会", "主管部门")}
    for party, box in boxes.items():
        dialog.form.addRow(f"{party}评分：", box)
    dialog.on_save = lambda: apply({p: b.value() for p, b in boxes.items()})
    return dialog.exec() == QDialog.DialogCode.Accepted


def weights_dialog(
    parent: QWidget | None, current: dict[str, float], apply: Callable[[dict[str, float]], Work]
) -> bool:
    """The weights of the comprehensive evaluation (must sum to 1)."""
    dialog = FormDialog("综合评价权重", parent)
    boxes = {p: score_field(w, 1.0, 3) for p, w in current.items()}
    for party, box in boxes.items():
        box.setSingleStep(0.05)
        dialog.form.addRow(f"{party}：", box)
    dialog.form.addRow(
        QLabel("各方权重合计应为1。权重由局里确定，可随时调整，调整后重新生成企业红黑榜即按新权重计算。")
    )
    dialog.on_save = lambda: apply({p: b.value() for p, b in boxes.items()})
    return dialog.exec() == QDialog.DialogCode.Accepted


def rule_dialog(
    parent: QWidget | None,
    text: str,
    threshold: float | None,
    rounds: int | None,
    active: bool,
    apply: Callable[[float | None, int | None, bool], Work],
) -> bool:
    """Edit one declared list rule's parameters."""
    dialog = FormDialog("修改榜单规则", parent)
    line = score_field(threshold or 0.0)
    count = QDoubleSpinBox()
    count.setDecimals(0)
    count.setRange(0, 12)
    count.setValue(rounds or 0)
    enabled = QCheckBox("启用")
    enabled.setChecked(active)
    dialog.form.addRow(QLabel(text))
    if threshold is not None:
        dialog.form.addRow("分数线：", line)
    if rounds is not None:
        dialog.form.addRow("连续轮次：", count)
    dialog.form.addRow("", enabled)
    dialog.on_save = lambda: apply(
        line.value() if threshold is not None else None,
        int(count.value()) if rounds is not None else None,
        enabled.isChecked(),
    )
    return dialog.exec() == QDialog.DialogCode.Accepted


def info(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.information(parent, title, text)
