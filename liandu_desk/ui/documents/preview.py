"""Preview a document before issuing it; issue it (number, frozen PDF); print or save the exact bytes."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QDateEdit, QDialog, QHBoxLayout, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget

from liandu_desk.domain.permissions import Permission, allowed
from liandu_desk.services.settings import SettingsUnconfirmed
from liandu_desk.ui.kit import ops
from liandu_desk.ui.kit.context import AppContext
from liandu_desk.ui.kit.errors import show_error
from liandu_desk.ui.kit.pdf_view import DocumentPreview
from liandu_desk.ui.kit.signals import emit


def _load(ctx: AppContext, document_id: int):
    from liandu_desk.services.documents.lifecycle import preview_document
    from liandu_desk.services.documents.views import get_document

    def job(_job_ctx):
        return ops.in_session(
            ctx, lambda session: (get_document(session, document_id), preview_document(session, document_id))
        )()

    return job


class DocumentPreviewDialog(QDialog):
    """Shows a registered document; a draft can be issued from here."""

    issued = Signal(int)

    def __init__(self, ctx: AppContext, document_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.document_id = ctx, document_id
        self.view = None
        self.setWindowTitle("文书预览")
        self.resize(820, 900)
        self.header = QLabel("正在生成预览…", self)
        self.notes = QLabel("", self)  # unverified legal bases, placeholders without a value: said before issuing
        self.notes.setWordWrap(True)
        self.notes.setStyleSheet("color: #b00020; font-weight: bold;")
        self.notes.setVisible(False)
        self.preview = DocumentPreview(self)
        self.issue_date = QDateEdit(QDate.currentDate(), self)
        self.issue_date.setCalendarPopup(True)
        self.issue_date.setDisplayFormat("yyyy-MM-dd")
        self.issue_button = QPushButton("签发（分配文号）", self)
        self.issue_button.clicked.connect(self.confirm_issue)
        close = QPushButton("关闭", self)
        close.clicked.connect(self.reject)
        bar = QHBoxLayout()
        bar.addWidget(self.header, 1)
        self.issue_label = QLabel("签发日期：", self)
        bar.addWidget(self.issue_label)
        bar.addWidget(self.issue_date)
        bar.addWidget(self.issue_button)
        bar.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.notes)
        layout.addWidget(self.preview, 1)
        self._set_draft_controls(False)
        self.reload()

    def _set_draft_controls(self, draft: bool) -> None:
        may_issue = allowed(self.ctx.clerk.role, Permission.ISSUE_NOTICES)
        self.issue_label.setVisible(draft)
        for widget in (self.issue_date, self.issue_button):
            widget.setVisible(draft)
            widget.setEnabled(draft and may_issue)
        if draft and not may_issue:
            self.issue_button.setToolTip("签发需要审核人员或管理员权限")

    def reload(self) -> None:
        self.ctx.jobs.run(
            _load(self.ctx, self.document_id),
            self._loaded,
            on_err=self._failed,
            key=f"document-preview-{self.document_id}",
            title="正在生成文书",
            parent=self,
        )

    def _loaded(self, result) -> None:
        self.view, shown = result
        number = self.view.number or "未分配文号"
        v = self.view
        self.header.setText(f"{v.doc_type}　{number}　状态：{v.status}　受送达人：{v.recipient}")
        self.header.setToolTip("措辞：" + "；".join(shown.templates) if shown.templates else "")
        self.notes.setText("\n".join(f"⚠ {note}" for note in shown.notes))
        self.notes.setVisible(bool(shown.notes))
        self.setWindowTitle(f"文书预览 — {self.view.title}")
        self.preview.set_pdf(shown.pdf, f"{self.view.number or self.view.title}.pdf")
        self._set_draft_controls(self.view.status == "草稿")

    def _failed(self, exc: BaseException, trace: str) -> None:
        if isinstance(exc, SettingsUnconfirmed):
            self._ask_to_confirm(exc)
            return
        self.header.setText("无法生成预览")
        show_error(exc, trace, self)

    def _ask_to_confirm(self, exc: SettingsUnconfirmed) -> None:
        """Issuing was refused while printed values are 待确认: say which, and offer to open the settings."""
        box = QMessageBox(QMessageBox.Icon.Warning, "不能签发", exc.message, parent=self)
        settings = box.addButton("打开设置…", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("关闭", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if box.clickedButton() is settings:
            self.ctx.open_record("settings", 0, self)

    def confirm_issue(self) -> None:
        day = self.issue_date.date().toPython()
        answer = QMessageBox.question(
            self, "签发文书", f"签发后将分配正式文号，内容和PDF不可再修改。\n签发日期：{day:%Y年%m月%d日}\n确定签发吗？"
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.issue(day)

    def issue(self, day: dt.date) -> None:
        from liandu_desk.services.documents import lifecycle

        clerk = self.ctx.clerk.name

        def job(_job_ctx):
            def work():
                return ops.in_session(
                    self.ctx, lambda session: lifecycle.issue(session, self.document_id, day, clerk)
                )()

            return lifecycle.with_retry(work)

        self.ctx.jobs.run(
            job,
            self._issued,
            on_err=self._failed,
            title="正在签发",
            write=True,
            parent=self,
            widgets=[self.issue_button],
        )

    def _issued(self, view) -> None:
        self.ctx.changed("document", [view.id])
        emit(self.issued, view.id)
        self.reload()
