"""The retrofit subsidy: claimable per unit only after the files are handed over (档案移交)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from liandu_desk.domain.elevators import (
    STAGE_INDEX,
    ElevatorStage,
    ElevatorStageRecord,
    ElevatorSubsidy,
)
from liandu_desk.domain.errors import ConflictError, RuleError, ValidationError
from liandu_desk.domain.permissions import Permission, requires
from liandu_desk.services.constraints import ELEVATOR_SUBSIDY, flush_holding
from liandu_desk.services.elevators.config import ElevatorConfig, load_config
from liandu_desk.services.elevators.projects import get_project


@dataclass(frozen=True)
class SubsidyRow:
    """A claimed subsidy."""

    id: int
    project_id: int
    amount: Decimal
    claimed_on: dt.date
    paid_on: dt.date | None


def archive_done_on(session: Session, project_id: int) -> dt.date | None:
    """The day 档案移交 was completed, or None."""
    return session.scalar(
        select(ElevatorStageRecord.completed_on).where(
            ElevatorStageRecord.project_id == project_id, ElevatorStageRecord.stage == ElevatorStage.ARCHIVE
        )
    )


def claim_subsidy(session: Session, project_id: int, on: dt.date, config: ElevatorConfig | None = None) -> SubsidyRow:
    """Claim the per-unit subsidy (configured amount); refused until 档案移交 is completed."""
    config = config or load_config(session)
    project = get_project(session, project_id)
    done = archive_done_on(session, project_id)
    if done is None:
        raise RuleError(f"{project.title}尚未完成档案移交，不能申领补助（当前阶段：{project.current_stage.value}）")
    if on < done:
        raise ValidationError("申领日期", f"不能早于档案移交完成日期{done}")
    if session.scalar(select(ElevatorSubsidy.id).where(ElevatorSubsidy.project_id == project_id)) is not None:
        raise ConflictError(f"{project.title}已申领过补助")
    subsidy = ElevatorSubsidy(project_id=project_id, amount=config.subsidy_per_unit, claimed_on=on)
    session.add(subsidy)
    if STAGE_INDEX[project.current_stage] < STAGE_INDEX[ElevatorStage.SUBSIDY]:
        project.current_stage, project.stage_started_on = ElevatorStage.SUBSIDY, on
        session.add(
            ElevatorStageRecord(
                project_id=project_id,
                stage=ElevatorStage.SUBSIDY,
                seq=STAGE_INDEX[ElevatorStage.SUBSIDY],
                started_on=on,
            )
        )
    flush_holding(session, ELEVATOR_SUBSIDY, f"{project.title}已申领过补助（可能是他人刚刚申领的）")
    return SubsidyRow(subsidy.id, project_id, Decimal(subsidy.amount), on, None)


@requires(Permission.APPROVE_SUBSIDIES)
def mark_paid(session: Session, project_id: int, on: dt.date) -> None:
    """Record the payout (a reviewer's act: 审批补助); completes the 补助申领 stage."""
    subsidy = session.scalar(select(ElevatorSubsidy).where(ElevatorSubsidy.project_id == project_id))
    if subsidy is None:
        raise RuleError("尚未申领补助")
    if on < subsidy.claimed_on:
        raise ValidationError("拨付日期", "不能早于申领日期")
    subsidy.paid_on = on
    record = session.scalar(
        select(ElevatorStageRecord).where(
            ElevatorStageRecord.project_id == project_id, ElevatorStageRecord.stage == ElevatorStage.SUBSIDY
        )
    )
    if record is not None:
        record.completed_on = on


def get_subsidy(session: Session, project_id: int) -> SubsidyRow | None:
    s = session.scalar(select(ElevatorSubsidy).where(ElevatorSubsidy.project_id == project_id))
    return None if s is None else SubsidyRow(s.id, s.project_id, Decimal(s.amount), s.claimed_on, s.paid_on)
