"""The `elevators` figures of formats/stats.md, from SQL aggregates."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from liandu_desk.domain.elevators import STAGES, ElevatorMediation, ElevatorStage, ElevatorStageRecord
from liandu_desk.services.periods import Period


def accepted(session: Session, period: Period) -> int:
    """Projects whose completion acceptance (竣工验收) was completed in the period."""
    query = select(func.count(ElevatorStageRecord.id)).where(
        ElevatorStageRecord.stage == ElevatorStage.ACCEPTANCE,
        ElevatorStageRecord.completed_on.between(period.start, period.end),
    )
    return session.scalar(query) or 0


def mediations(session: Session, period: Period) -> int:
    """Mediation sessions held in the period."""
    query = select(func.count(ElevatorMediation.id)).where(ElevatorMediation.held_on.between(period.start, period.end))
    return session.scalar(query) or 0


def by_stage(session: Session, period: Period) -> dict[str, int]:
    """Projects per stage as of the period's end: each project's latest stage started on or before that day."""
    latest = (
        select(ElevatorStageRecord.project_id, func.max(ElevatorStageRecord.seq).label("seq"))
        .where(ElevatorStageRecord.started_on <= period.end)
        .group_by(ElevatorStageRecord.project_id)
        .subquery()
    )
    query = (
        select(ElevatorStageRecord.stage, func.count())
        .join(
            latest, and_(latest.c.project_id == ElevatorStageRecord.project_id, latest.c.seq == ElevatorStageRecord.seq)
        )
        .group_by(ElevatorStageRecord.stage)
    )
    counts = {str(stage): 0 for stage in STAGES}
    for stage, count in session.execute(query):
        counts[str(stage)] = count
    return counts


def section(session: Session, period: Period) -> dict[str, Any]:
    """{"accepted", "mediations", "by_stage"} for the period."""
    return {
        "accepted": accepted(session, period),
        "mediations": mediations(session, period),
        "by_stage": by_stage(session, period),
    }
