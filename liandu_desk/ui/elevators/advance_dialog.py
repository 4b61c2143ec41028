"""Complete the current stage and enter the next; while a dispute is open a reviewer may do so with a reason."""

from __future__ import annotations

import datetime as dt
import logging

from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit, QWidget

from liandu_desk.domain.elevators import STAGE_INDEX, ElevatorStage
from liandu_desk.domain.permissions import Permission, allowed
from liandu_desk.services.elevators.disputes import DisputeRow
from liandu_desk.services.elevators.projects import OPEN_DISPUTE, advance_stage
from liandu_desk.ui.elevators.forms import date_edit, date_of
from liandu_desk.ui.kit.context import AppContext
from liandu_desk.ui.kit.form_dialog import FormDialog

log = logging.getLogger(__name__)
OPEN_STATUSES = frozenset(s.value for s in OPEN_DISPUTE)


def open_disputes(disputes: tuple[DisputeRow, ...] | list[DisputeRow]) -> list[DisputeRow]:
    """The disputes that hold the stages after 表决与协议."""
    return [d for d in disputes if d.status in OPEN_STATUSES]


class AdvanceDialog(FormDialog):
    """完成本阶段: date and documents; past 表决与协议 with open disputes, the reviewer's reason (audited)."""

    def __init__(
        self,
        ctx: AppContext,
        project_id: int,
        current: ElevatorStage,
        following: ElevatorStage,
        disputes: list[DisputeRow],
        parent: QWidget | None = None,
        today: dt.date | None = None,
    ) -> None:
        super().__init__("完成本阶段", parent, ctx)
        self.project_id = project_id
        self.setMinimumWidth(520)
        held = STAGE_INDEX[following] > STAGE_INDEX[ElevatorStage.VOTE] and bool(disputes)
        self.reviewer = allowed(ctx.clerk.role, Permission.CLOSE_CASES)
        self.form.addRow(QLabel(f"完成“{current.value}”，进入“{following.value}”。"))
        self.on = self.add_field("完成日期", date_edit(today))
        self.documents = self.add_field("材料", QLineEdit())
        self.documents.setPlaceholderText("本阶段归档材料，如：表决票、书面协议")
        self.warning = QLabel("")
        self.warning.setObjectName("disputeGateWarning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #b3261e;")
        self.reason = QPlainTextEdit()
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(60)
        self.reason.setPlaceholderText("审核人员填写：为何在纠纷未化解时推进（记入修改记录）")
        if held:
            listed = "、".join(f"{d.type}（{d.status}）" for d in disputes)
            who = "须先调解结案，或填写推进理由（记入修改记录）。" if self.reviewer else "须由审核或管理员办理。"
            self.warning.setText(f"尚有{len(disputes)}件纠纷未化解：{listed}。进入“{following.value}”{who}")
            self.form.addRow(self.warning)
            self.add_field("推进理由", self.reason)
            self.reason.setEnabled(self.reviewer)
        self.reason.setObjectName("overrideReason")
        self.held = held
        self.errors = self.error_label
        self.errors.setObjectName("advanceErrors")

    def accept(self) -> None:
        """Advance on the writer; a refusal (tally, dispute, permission) stays in the dialog in Chinese."""
        if self.busy:
            return
        on, documents = date_of(self.on), self.documents.text().strip() or None
        reason = self.reason.toPlainText().strip() or None if self.held else None
        pid = self.project_id
        self.write(
            lambda session: advance_stage(session, pid, on, documents, reason),
            changed="elevator_project",
            ids=lambda _stage: (pid,),
        )
