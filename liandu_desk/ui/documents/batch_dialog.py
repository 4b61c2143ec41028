"""Batch notices: pick grades and a township, optionally issue each, render one PDF with progress and cancel."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from liandu_desk.domain.permissions import Permission, allowed
from liandu_desk.ui.kit import ops
from liandu_desk.ui.kit.context import AppContext
from liandu_desk.ui.kit.errors import show_error

ALL_TOWNSHIPS = "全区"


class BatchNoticeDialog(QDialog):
    """批量生成危房整改通知书 (one PDF, each notice with its own number when issued)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.result = None
        self.setWindowTitle("批量生成危房整改通知书")
        self.grade_c, self.grade_d = QCheckBox("C级", self), QCheckBox("D级", self)
        self.grade_c.setChecked(True)
        self.grade_d.setChecked(True)
        self.township = QComboBox(self)
        self.township.addItem(ALL_TOWNSHIPS)
        self.issue = QCheckBox("逐份签发（分配文号并存档）", self)
        self.issue.setEnabled(allowed(ctx.clerk.role, Permission.ISSUE_NOTICES))
        self.receipt = QCheckBox("附送达回证", self)
        self.receipt.setChecked(True)
        self.issued_on = QDateEdit(QDate.currentDate(), self)
        self.issued_on.setCalendarPopup(True)
        self.issued_on.setDisplayFormat("yyyy-MM-dd")
        self.status = QLabel("", self)
        self.run_button = QPushButton("生成…", self)
        self.run_button.clicked.connect(self.choose_and_run)
        close = QPushButton("关闭", self)
        close.clicked.connect(self.reject)
        grades = QHBoxLayout()
        grades.addWidget(self.grade_c)
        grades.addWidget(self.grade_d)
        form = QFormLayout()
        form.addRow("鉴定等级", grades)
        form.addRow("乡镇（街道）", self.township)
        form.addRow("签发日期", self.issued_on)
        form.addRow("", self.issue)
        form.addRow("", self.receipt)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.run_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        self._load_townships()

    def _load_townships(self) -> None:
        from liandu_desk.services.divisions import list_townships

        def job(_job_ctx):
            return ops.in_session(self.ctx, lambda session: [t.name for t in list_townships(session)])()

        self.ctx.jobs.run(job, lambda names: self.township.addItems(names), key="batch-townships")

    def request(self):
        from liandu_desk.services.documents.batch import BatchRequest

        grades = tuple(g for g, box in (("C", self.grade_c), ("D", self.grade_d)) if box.isChecked())
        township = self.township.currentText()
        return BatchRequest(
            grades=grades,
            division=None if township == ALL_TOWNSHIPS else township,
            issue=self.issue.isChecked(),
            issued_on=self.issued_on.date().toPython(),
            with_receipt=self.receipt.isChecked(),
        )

    def choose_and_run(self) -> None:
        name = f"危房整改通知书_{dt.date.today():%Y%m%d}.pdf"
        path, _ = QFileDialog.getSaveFileName(self, "保存批量通知书", name, "PDF 文件 (*.pdf)")
        if not path:
            return
        request = self.request()
        if request.issue:
            answer = QMessageBox.question(self, "批量签发", "将为每份通知书分配正式文号，签发后不可修改。确定吗？")
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.run(request, Path(path))

    def run(self, request, out: Path) -> None:
        from liandu_desk.services.documents.batch import run_batch

        def job(job_ctx):
            return run_batch(self.ctx.db, request, out, progress=job_ctx.progress, cancelled=lambda: job_ctx.cancelled)

        self.ctx.jobs.run(
            job,
            self._done,
            on_err=lambda e, t: show_error(e, t, self),
            title="正在生成通知书",
            cancellable=True,
            write=request.issue,
            widgets=[self.run_button],
            parent=self,
        )

    def _done(self, result) -> None:
        self.result = result
        numbers = f"，文号{result.first_number}至{result.last_number}" if result.issued else ""
        self.status.setText(f"已生成{result.count}份（{result.pages}页{numbers}），用时{result.seconds:.1f}秒")
