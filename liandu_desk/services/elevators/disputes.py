"""Disputes of a retrofit, their escalation (社区 → 街道 → 人民调解 → 诉讼) and mediation sessions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from liandu_desk.domain.elevators import (
    ESCALATION_ORDER,
    DisputeStatus,
    DisputeType,
    ElevatorDispute,
    ElevatorDisputeParty,
    ElevatorHousehold,
    ElevatorMediation,
    EscalationLevel,
    VoteChoice,
)
from liandu_desk.domain.errors import NotFoundError, RuleError, ValidationError
from liandu_desk.domain.permissions import Permission, requires
from liandu_desk.services.elevators.households import HouseholdRow, set_vote
from liandu_desk.services.elevators.tally import Tally

CLOSED = (DisputeStatus.RESOLVED, DisputeStatus.WITHDRAWN)


@dataclass(frozen=True)
class MediationRow:
    """One mediation session for display."""

    id: int
    dispute_id: int
    held_on: dt.date
    place: str
    mediator: str
    level: str
    attendees: str
    summary: str
    outcome: str
    next_step: str | None


@dataclass(frozen=True)
class DisputeRow:
    """A dispute with its parties and sessions."""

    id: int
    project_id: int
    type: str
    description: str
    status: str
    level: str
    opened_on: dt.date
    resolved_on: dt.date | None
    outcome: str | None
    parties: tuple[str, ...] = ()
    party_ids: tuple[int, ...] = ()
    sessions: tuple[MediationRow, ...] = field(default=())


@dataclass(frozen=True)
class MediationInput:
    """What the add-session dialog collects."""

    held_on: dt.date
    place: str
    mediator: str
    attendees: str = ""
    summary: str = ""
    outcome: str = ""
    next_step: str | None = None
    level: EscalationLevel | None = None


def _session_row(m: ElevatorMediation) -> MediationRow:
    return MediationRow(
        m.id,
        m.dispute_id,
        m.held_on,
        m.place,
        m.mediator,
        m.level.value,
        m.attendees,
        m.summary,
        m.outcome,
        m.next_step,
    )


def _get(session: Session, dispute_id: int) -> ElevatorDispute:
    dispute = session.get(ElevatorDispute, dispute_id)
    if dispute is None:
        raise NotFoundError("该纠纷记录不存在")
    return dispute


def create_dispute(
    session: Session,
    project_id: int,
    type_: DisputeType | str,
    description: str,
    opened_on: dt.date,
    party_household_ids: list[int] | tuple[int, ...] = (),
    level: EscalationLevel | str = EscalationLevel.COMMUNITY,
) -> int:
    """Record a dispute with the households involved."""
    if not description.strip():
        raise ValidationError("纠纷描述", "不能为空")
    dispute = ElevatorDispute(
        project_id=project_id,
        type=DisputeType(type_),
        description=description.strip(),
        opened_on=opened_on,
        level=EscalationLevel(level),
        status=DisputeStatus.OPEN,
    )
    for household_id in party_household_ids:
        owner = session.get(ElevatorHousehold, household_id)
        if owner is None or owner.project_id != project_id:
            raise ValidationError("当事方", "只能选择本单元的住户")
        dispute.parties.append(ElevatorDisputeParty(household_id=household_id))
    session.add(dispute)
    session.flush()
    return dispute.id


def escalate(session: Session, dispute_id: int) -> EscalationLevel:
    """Move the dispute up one level (社区 → 街道 → 人民调解 → 诉讼)."""
    dispute = _get(session, dispute_id)
    if dispute.status in CLOSED:
        raise RuleError("纠纷已结案，不能再升级")
    index = ESCALATION_ORDER.index(dispute.level)
    if index + 1 >= len(ESCALATION_ORDER):
        raise RuleError("纠纷已进入诉讼，无法再升级")
    dispute.level = ESCALATION_ORDER[index + 1]
    if dispute.level == EscalationLevel.LITIGATION:
        dispute.status = DisputeStatus.UNRESOLVED
    return dispute.level


@requires(Permission.CLOSE_CASES)
def close_dispute(session: Session, dispute_id: int, status: DisputeStatus | str, on: dt.date, outcome: str) -> None:
    """Mark a dispute 已化解/已撤回/未化解 with the date and outcome (a reviewer's act: 销号结案)."""
    dispute = _get(session, dispute_id)
    status = DisputeStatus(status)
    if status not in (*CLOSED, DisputeStatus.UNRESOLVED):
        raise ValidationError("状态", "结案时应为已化解、已撤回或未化解")
    if on < dispute.opened_on:
        raise ValidationError("结案日期", "不能早于纠纷登记日期")
    if not outcome.strip():
        raise ValidationError("处理结果", "不能为空")
    dispute.status, dispute.resolved_on, dispute.outcome = status, on, outcome.strip()


def add_session(session: Session, dispute_id: int, data: MediationInput) -> int:
    """Log a mediation session; an open dispute becomes 调解中."""
    dispute = _get(session, dispute_id)
    if data.held_on < dispute.opened_on:
        raise ValidationError("调解日期", f"不能早于纠纷登记日期{dispute.opened_on}")
    if not data.mediator.strip():
        raise ValidationError("调解人", "不能为空")
    if not data.place.strip():
        raise ValidationError("地点", "不能为空")
    mediation = ElevatorMediation(
        dispute_id=dispute.id,
        held_on=data.held_on,
        place=data.place.strip(),
        mediator=data.mediator.strip(),
        level=EscalationLevel(data.level or dispute.level),
        attendees=data.attendees,
        summary=data.summary,
        outcome=data.outcome,
        next_step=data.next_step,
    )
    session.add(mediation)
    if dispute.status == DisputeStatus.OPEN:
        dispute.status = DisputeStatus.MEDIATING
    session.flush()
    return mediation.id


def change_vote_after_mediation(
    session: Session, mediation_id: int, household_id: int, vote: VoteChoice | str, reason: str = "调解后改变表决意见"
) -> tuple[HouseholdRow, Tally]:
    """A vote changed as the result of a session: history keeps the old vote and the session; returns the new tally."""
    from liandu_desk.services.elevators.households import project_tally

    mediation = session.get(ElevatorMediation, mediation_id)
    if mediation is None:
        raise NotFoundError("该调解记录不存在")
    row = set_vote(session, household_id, vote, mediation.held_on, reason, mediation_id=mediation_id)
    household = session.get(ElevatorHousehold, household_id)
    return row, project_tally(session, household.project_id)


def list_disputes(session: Session, project_id: int) -> list[DisputeRow]:
    """The project's disputes with parties and mediation sessions, newest first."""
    query = (
        select(ElevatorDispute)
        .where(ElevatorDispute.project_id == project_id)
        .options(selectinload(ElevatorDispute.parties), selectinload(ElevatorDispute.sessions))
        .order_by(ElevatorDispute.opened_on.desc(), ElevatorDispute.id.desc())
    )
    disputes = list(session.scalars(query))
    ids = {p.household_id for d in disputes for p in d.parties}
    names = {
        h.id: f"{h.room} {h.owner_name}"
        for h in session.scalars(select(ElevatorHousehold).where(ElevatorHousehold.id.in_(ids)))
    }
    return [
        DisputeRow(
            d.id,
            d.project_id,
            d.type.value,
            d.description,
            d.status.value,
            d.level.value,
            d.opened_on,
            d.resolved_on,
            d.outcome,
            tuple(names.get(p.household_id, "") for p in d.parties),
            tuple(p.household_id for p in d.parties),
            tuple(_session_row(m) for m in d.sessions),
        )
        for d in disputes
    ]
