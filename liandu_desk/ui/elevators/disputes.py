"""Disputes of a project with their mediation log, and the actions on them."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QPushButton, QSplitter, QVBoxLayout, QWidget

from liandu_desk.domain.permissions import Permission, allowed
from liandu_desk.services.elevators import disputes as dispute_service
from liandu_desk.services.elevators.disputes import DisputeRow, MediationRow
from liandu_desk.services.elevators.households import list_households
from liandu_desk.services.elevators.pages import ProjectPage
from liandu_desk.ui.elevators.projects_model import DISPUTE_COLUMNS, SESSION_COLUMNS
from liandu_desk.ui.kit import ops
from liandu_desk.ui.kit.context import AppContext
from liandu_desk.ui.kit.document_access import (
    attach_context_menu,
    doc_button,
    draft_denial,
    draft_hint,
    open_or_draft,
    set_state,
)
from liandu_desk.ui.kit.ops import Work
from liandu_desk.ui.kit.pdf_view import draft_then_open, show_pdf
from liandu_desk.ui.kit.row_table import ROW_ROLE, RowTableModel
from liandu_desk.ui.kit.signals import emit
from liandu_desk.ui.kit.tables import read_only_table


class DisputePanel(QWidget):
    """Dispute list on top, the selected dispute's mediation sessions below."""

    changed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.page: ProjectPage | None = None
        self.model = RowTableModel(DISPUTE_COLUMNS, self)
        self.sessions = RowTableModel(SESSION_COLUMNS, self)
        self.table = read_only_table(self.model, "disputeTable", fit_contents=True, row_height=22)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_sessions())
        self.table.doubleClicked.connect(lambda *_: self._add_session())
        self.session_label = QLabel("调解记录")
        buttons = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        actions = (
            ("new", "登记纠纷…", self._new_dispute),
            ("session", "添加调解记录…", self._add_session),
            ("escalate", "升级处理层级", self._escalate),
            ("close", "结案…", self._close),
        )
        for key, text, slot in actions:
            button = QPushButton(text)
            button.clicked.connect(slot)
            self.buttons[key] = button
            buttons.addWidget(button)
        buttons.addStretch(1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.table)
        log_box = QWidget()
        log_layout = QVBoxLayout(log_box)
        log_layout.setContentsMargins(0, 0, 0, 0)
        self.session_table = read_only_table(self.sessions, "mediationLog", fit_contents=True, row_height=22)
        self.session_table.selectionModel().currentRowChanged.connect(lambda *_: self._update_document_buttons())
        self.record_button = doc_button("调解记录(PDF)…", self.show_record)
        self.record_button.setObjectName("mediationRecord")
        self.agreement_button = doc_button("调解协议书…", self.draft_agreement)
        self.agreement_button.setObjectName("mediationAgreement")
        attach_context_menu(self.session_table, lambda: (self.record_button, self.agreement_button))
        log_bar = QHBoxLayout()
        log_bar.addWidget(self.session_label, 1)
        log_bar.addWidget(self.record_button)
        log_bar.addWidget(self.agreement_button)
        log_layout.addLayout(log_bar)
        log_layout.addWidget(self.session_table, 1)
        split.addWidget(log_box)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(split, 1)

    def show_disputes(self, page: ProjectPage) -> None:
        self.page = page
        self.model.set_rows(list(page.disputes))
        if page.disputes:
            self.table.selectRow(0)
        self._show_sessions()

    def current(self) -> DisputeRow | None:
        index = self.table.currentIndex()
        return self.model.data(index, ROW_ROLE) if index.isValid() else None

    def _show_sessions(self) -> None:
        dispute = self.current()
        self.sessions.set_rows(list(dispute.sessions) if dispute else [])
        self.session_label.setText(
            f"<b>调解记录</b>：{dispute.type}（{dispute.status}，{dispute.level}）" if dispute else "<b>调解记录</b>"
        )
        open_ = dispute is not None and dispute.status not in ("已化解", "已撤回")
        for key in ("session", "escalate", "close"):
            self.buttons[key].setEnabled(open_)
        if not allowed(self.ctx.clerk.role, Permission.CLOSE_CASES):
            self.buttons["close"].setEnabled(False)
            self.buttons["close"].setToolTip("结案需要审核或管理员权限")
        if self.sessions.rowCount():
            self.session_table.selectRow(self.sessions.rowCount() - 1)
        self._update_document_buttons()

    def current_session(self) -> MediationRow | None:
        """The mediation session selected in the log."""
        index = self.session_table.currentIndex()
        return self.sessions.data(index, ROW_ROLE) if index.isValid() else None

    def _update_document_buttons(self) -> None:
        session = self.current_session()
        pick = "请先在调解记录中选择一次调解"
        set_state(self.record_button, session is not None, pick, hint="本次调解的调解记录（PDF，可打印）")
        has_outcome = session is not None and bool(session.outcome.strip())
        why_not = pick if session is None else "本次调解没有形成调解结果，不能制作调解协议书"
        hint = draft_hint(self.ctx, "调解协议书")
        set_state(self.agreement_button, has_outcome, why_not, draft_denial(self.ctx), hint)

    def show_record(self) -> None:
        """The selected session's 调解记录 as a PDF preview (generated on demand, not numbered)."""

        session = self.current_session()
        if session is not None:
            open_mediation_record(self.ctx, session.id, self)

    def draft_agreement(self) -> None:
        """Draft the selected session's 调解协议书 and open its preview (issued from there)."""

        session = self.current_session()
        if session is not None and self.agreement_button.isEnabled():
            draft = lambda: open_mediation_agreement(self.ctx, session.id, self)  # noqa: E731
            open_or_draft(self.ctx, "调解协议书", ("elevator_mediation", session.id), draft, self)

    def _run(self, action) -> None:
        ops.write(
            self.ctx,
            action,
            lambda _result: emit(self.changed),
            changed="elevator_project",
            parent=self,
            refused=lambda exc: QMessageBox.warning(self, "无法完成操作", exc.message),
        )

    def _new_dispute(self) -> None:
        from liandu_desk.ui.elevators.mediation import DisputeDialog

        if self.page is None:
            return
        pid = self.page.id

        def save(v) -> Work:
            return lambda session: dispute_service.create_dispute(
                session, pid, v.type, v.description, v.opened_on, v.party_ids, v.level
            )

        def ask(households: list) -> None:  # the households as stored now: votes entered since the page loaded
            if DisputeDialog(households, save, self).exec():
                emit(self.changed)

        ops.read(self.ctx, lambda session: list_households(session, pid), ask, parent=self, key="elevators.parties")

    def _add_session(self) -> None:
        from liandu_desk.ui.elevators.mediation import MediationDialog

        dispute = self.current()
        if dispute is None or self.page is None:
            return
        pid, today = self.page.id, self.page.today

        def ask(households: list) -> None:  # current votes, not those of when the page loaded
            parties = [h for h in households if h.id in dispute.party_ids]
            dialog = MediationDialog(parties, dispute.level, lambda v: self.save_session(dispute.id, v), self, today)
            if dialog.exec():
                emit(self.changed)

        ops.read(self.ctx, lambda session: list_households(session, pid), ask, parent=self, key="elevators.parties")

    def save_session(self, dispute_id: int, values) -> Work:
        """Log the session and the votes it changed in one unit of work (the tally is recomputed on reload)."""

        def work(session) -> None:
            session_id = dispute_service.add_session(session, dispute_id, values.session)
            for household_id, vote in values.vote_changes.items():
                dispute_service.change_vote_after_mediation(session, session_id, household_id, vote)

        return work

    def _escalate(self) -> None:
        dispute = self.current()
        if dispute is None:
            return
        answer = QMessageBox.question(
            self, "升级处理层级", f"将“{dispute.type}”纠纷提交上一级处理（当前：{dispute.level}）？"
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._run(lambda s: dispute_service.escalate(s, dispute.id))

    def _close(self) -> None:
        from liandu_desk.ui.elevators.mediation import CloseDisputeDialog

        dispute = self.current()
        if dispute is None:
            return

        def save(v) -> Work:
            return lambda session: dispute_service.close_dispute(session, dispute.id, v.status, v.on, v.outcome)

        if CloseDisputeDialog(save, self).exec():
            emit(self.changed)


def open_mediation_agreement(ctx: AppContext, mediation_id: int, parent: QWidget | None = None) -> None:
    """Draft the 调解协议书 of a mediation session and open its preview."""
    from liandu_desk.services.documents.mediation_docs import draft_agreement

    draft_then_open(ctx, lambda s: draft_agreement(s, mediation_id, ctx.clerk.name), "正在起草", parent)


def open_mediation_record(ctx: AppContext, mediation_id: int, parent: QWidget | None = None) -> None:
    """Show the 调解记录 of a session (generated on demand)."""
    from liandu_desk.services.documents.mediation_docs import record_pdf

    show_pdf(ctx, lambda s: record_pdf(s, mediation_id), "加装电梯调解记录.pdf", parent)
