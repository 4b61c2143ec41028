"""Dialogs for disputes: register a dispute, log a mediation session (with votes changed after it), close."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QListWidget, QListWidgetItem, QPlainTextEdit, QWidget

from liandu_desk.domain.elevators import DisputeStatus, DisputeType, EscalationLevel, VoteChoice
from liandu_desk.domain.errors import ValidationError
from liandu_desk.services.elevators.disputes import MediationInput
from liandu_desk.services.elevators.households import HouseholdRow
from liandu_desk.ui.elevators.forms import FormDialog, date_edit, date_of
from liandu_desk.ui.kit.ops import Work


def _text(height: int = 60) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setTabChangesFocus(True)
    edit.setFixedHeight(height)
    return edit


@dataclass
class DisputeValues:
    type: str
    description: str
    opened_on: dt.date
    level: str
    party_ids: list[int] = field(default_factory=list)


class DisputeDialog(FormDialog):
    """Register a dispute: type, description, date, level and the households involved."""

    def __init__(
        self,
        households: list[HouseholdRow],
        on_save: Callable[[DisputeValues], Work | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("登记纠纷", on_save, parent)
        self.type = QComboBox()
        self.type.addItems([t.value for t in DisputeType])
        self.description = _text(80)
        self.opened_on = date_edit()
        self.level = QComboBox()
        self.level.addItems([lv.value for lv in EscalationLevel])
        self.parties = QListWidget()
        self.parties.setObjectName("disputeParties")
        self.parties.setFixedHeight(140)
        for row in households:
            item = QListWidgetItem(f"{row.room} {row.owner_name}（{row.vote}）")
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.parties.addItem(item)
        for label, widget in (
            ("类型", self.type),
            ("描述", self.description),
            ("登记日期", self.opened_on),
            ("处理层级", self.level),
            ("当事住户", self.parties),
        ):
            self.form.addRow(label + "：", widget)
        self.finish_layout()

    def values(self) -> DisputeValues:
        ids = [
            self.parties.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.parties.count())
            if self.parties.item(i).checkState() == Qt.CheckState.Checked
        ]
        return DisputeValues(
            self.type.currentText(),
            self.description.toPlainText(),
            date_of(self.opened_on),
            self.level.currentText(),
            ids,
        )


@dataclass
class SessionValues:
    session: MediationInput
    vote_changes: dict[int, str] = field(default_factory=dict)


class MediationDialog(FormDialog):
    """Log one mediation session; a party whose vote changed as a result gets its new vote here."""

    def __init__(
        self,
        parties: list[HouseholdRow],
        level: str,
        on_save: Callable[[SessionValues], Work | None],
        parent: QWidget | None = None,
        held_on: dt.date | None = None,
    ) -> None:
        super().__init__("添加调解记录", on_save, parent)
        self.held_on = date_edit(held_on)
        self.place = QLineEdit()
        self.place.setPlaceholderText("如：社区党群服务中心议事厅")
        self.mediator = QLineEdit()
        self.level = QComboBox()
        self.level.addItems([lv.value for lv in EscalationLevel])
        self.level.setCurrentText(level)
        self.attendees = _text(50)
        self.summary = _text(70)
        self.outcome = QLineEdit()
        self.next_step = QLineEdit()
        for label, widget in (
            ("调解日期", self.held_on),
            ("地点", self.place),
            ("调解人", self.mediator),
            ("层级", self.level),
            ("参加人员", self.attendees),
            ("调解经过", self.summary),
            ("调解结果", self.outcome),
            ("下一步", self.next_step),
        ):
            self.form.addRow(label + "：", widget)
        self.votes: dict[int, tuple[str, QComboBox]] = {}
        if parties:
            self.form.addRow(QLabel("<b>调解后表决意见</b>（改变的将记入表决记录并重新计算表决结果）"))
        for row in parties:
            combo = QComboBox()
            combo.addItems([v.value for v in VoteChoice])
            combo.setCurrentText(row.vote)
            combo.setObjectName(f"vote_{row.room}")
            self.votes[row.id] = (row.vote, combo)
            self.form.addRow(f"{row.room} {row.owner_name}：", combo)
        self.finish_layout()

    def values(self) -> SessionValues:
        if not self.mediator.text().strip():
            raise ValidationError("调解人", "不能为空")
        data = MediationInput(
            date_of(self.held_on),
            self.place.text(),
            self.mediator.text(),
            self.attendees.toPlainText(),
            self.summary.toPlainText(),
            self.outcome.text(),
            self.next_step.text() or None,
            EscalationLevel(self.level.currentText()),
        )
        changes = {hid: combo.currentText() for hid, (old, combo) in self.votes.items() if combo.currentText() != old}
        return SessionValues(data, changes)


@dataclass
class CloseValues:
    status: str
    on: dt.date
    outcome: str


class CloseDisputeDialog(FormDialog):
    """Close a dispute as 已化解 / 已撤回 / 未化解 with the outcome."""

    def __init__(self, on_save: Callable[[CloseValues], Work | None], parent: QWidget | None = None) -> None:
        super().__init__("纠纷结案", on_save, parent)
        self.status = QComboBox()
        self.status.addItems(
            [DisputeStatus.RESOLVED.value, DisputeStatus.WITHDRAWN.value, DisputeStatus.UNRESOLVED.value]
        )
        self.on = date_edit()
        self.outcome = _text(70)
        for label, widget in (("结果", self.status), ("结案日期", self.on), ("处理结果", self.outcome)):
            self.form.addRow(label + "：", widget)
        self.finish_layout()

    def values(self) -> CloseValues:
        return CloseValues(self.status.currentText(), date_of(self.on), self.outcome.toPlainText())
