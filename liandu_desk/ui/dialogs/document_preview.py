"""Preview a document before issuing it; issue it (number, frozen PDF); print or save the exact bytes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QDateEdit, QDialog, QHBoxLayout, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget

from liandu_desk.services.permissions import Permission, allowed
from liandu_desk.ui.context import AppContext
from liandu_desk.ui.dialogs.errors import show_error
from liandu_desk.ui.signals import emit
from liandu_desk.ui.widgets.document_preview import DocumentPreview


def _load(ctx: AppContext, document_id: int):
    from liandu_desk.services.documents.lifecycle import preview_document
    from liandu_desk.services.documents.views import get_document

    def job(_job_ctx):
        with ctx.session_scope() as session:
            return get_document(session, document_id), preview_document(session, document_id)

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
        self.ctx.jobs.run(_load(self.ctx, self.document_id), self._loaded, on_err=self._failed,
                          key=f"document-preview-{self.document_id}", title="正在生成文书", parent=self)  # fmt: skip

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
        self.header.setText("无法生成预览")
        show_error(exc, trace, self)

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
                with self.ctx.session_scope() as session:
                    return lifecycle.issue(session, self.document_id, day, clerk)

            return lifecycle.with_retry(work)

        self.ctx.jobs.run(job, self._issued, on_err=self._failed, title="正在签发", write=True, parent=self,
                          widgets=[self.issue_button])  # fmt: skip

    def _issued(self, view) -> None:
        emit(self.issued, view.id)
        self.reload()


class PdfPreviewDialog(QDialog):
    """Preview of an unregistered PDF (dossier, mediation record, summary): print or save it."""

    def __init__(self, data: bytes, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(name.removesuffix(".pdf"))
        self.resize(820, 900)
        self.preview = DocumentPreview(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.preview)
        self.preview.set_pdf(data, name)


def _draft_then_preview(ctx: AppContext, make_draft: Callable, title: str, parent: QWidget | None) -> None:
    """Run make_draft(session) in the writer job, then open the registered draft's preview (issue from there)."""

    def job(_job_ctx):
        with ctx.session_scope() as session:
            return make_draft(session)

    ctx.jobs.run(job, lambda view: DocumentPreviewDialog(ctx, view.id, parent).exec(),
                 on_err=lambda e, t: show_error(e, t, parent), title=title, write=True, parent=parent)  # fmt: skip


def _bytes_preview(ctx: AppContext, make_pdf: Callable, name: str, parent: QWidget | None) -> None:
    """Run make_pdf(session) in a reader job and show the bytes."""

    def job(_job_ctx):
        with ctx.session_scope() as session:
            return make_pdf(session)

    ctx.jobs.run(job, lambda data: PdfPreviewDialog(data, name, parent).exec(),
                 on_err=lambda e, t: show_error(e, t, parent), title="正在生成", parent=parent)  # fmt: skip


def open_house_notice(ctx: AppContext, house_id: int, parent: QWidget | None = None) -> None:
    """Draft (or refresh the draft of) a house's 危房整改通知书 and open its preview, from which it is issued."""
    from liandu_desk.services.documents.house_notices import draft_house_notice

    _draft_then_preview(ctx, lambda s: draft_house_notice(s, house_id, ctx.clerk.name), "正在起草整改通知书", parent)


def open_community_notice(ctx: AppContext, inspection_id: int, parent: QWidget | None = None) -> None:
    """Draft the 小区整改通知书 of an inspection and open its preview."""
    from liandu_desk.services.documents.community_notices import draft_community_notice

    _draft_then_preview(ctx, lambda s: draft_community_notice(s, inspection_id, ctx.clerk.name), "正在起草",
                        parent)  # fmt: skip


def open_mediation_agreement(ctx: AppContext, mediation_id: int, parent: QWidget | None = None) -> None:
    """Draft the 调解协议书 of a mediation session and open its preview."""
    from liandu_desk.services.documents.mediation_docs import draft_agreement

    _draft_then_preview(ctx, lambda s: draft_agreement(s, mediation_id, ctx.clerk.name), "正在起草", parent)


def open_list_publication(ctx: AppContext, subject: str, period, parent: QWidget | None = None) -> None:
    """Draft the 红黑榜通报 of a period and open its preview."""
    from liandu_desk.services.documents.list_docs import draft_list_publication

    _draft_then_preview(ctx, lambda s: draft_list_publication(s, subject, period, ctx.clerk.name), "正在起草",
                        parent)  # fmt: skip


def open_mediation_record(ctx: AppContext, mediation_id: int, parent: QWidget | None = None) -> None:
    """Show the 调解记录 of a session (generated on demand)."""
    from liandu_desk.services.documents.mediation_docs import record_pdf

    _bytes_preview(ctx, lambda s: record_pdf(s, mediation_id), "加装电梯调解记录.pdf", parent)


def open_dossier(ctx: AppContext, kind: str, record_id: int, parent: QWidget | None = None) -> None:
    """Show the 案卷 of a house ('house'), an elevator project ('project') or a community ('community')."""
    from liandu_desk.services.documents import module_dossiers
    from liandu_desk.services.documents.dossiers import house_dossier

    builders = {"house": house_dossier, "project": module_dossiers.project_dossier,
                "community": module_dossiers.community_dossier}  # fmt: skip
    make = builders[kind]
    _bytes_preview(
        ctx, lambda s: module_dossiers.dossier_pdf(make(s, record_id)), f"案卷_{kind}_{record_id}.pdf", parent
    )
