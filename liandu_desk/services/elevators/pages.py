"""Read models for the elevator screens: everything the project page shows, loaded in one unit of work."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from liandu_desk.domain.elevators import STAGE_INDEX, STAGES, ElevatorStageRecord
from liandu_desk.domain.errors import RuleError
from liandu_desk.domain.registry import Division
from liandu_desk.services.elevators.config import ElevatorConfig, load_config
from liandu_desk.services.elevators.costs import Share
from liandu_desk.services.elevators.disputes import DisputeRow, list_disputes
from liandu_desk.services.elevators.households import (
    HouseholdRow,
    VoteEventRow,
    ballots_of,
    declared_of,
    list_households,
    project_shares,
    vote_history,
)
from liandu_desk.services.elevators.projects import get_project, stage_timing
from liandu_desk.services.elevators.subsidy import SubsidyRow, get_subsidy
from liandu_desk.services.elevators.tally import Declared, Tally, compute_tally


@dataclass(frozen=True)
class TimelineStep:
    """One of the eleven stages on the project's timeline."""

    stage: str
    index: int
    record_id: int | None
    started_on: dt.date | None
    completed_on: dt.date | None
    documents: str | None
    days: int
    expected_days: int
    state: str  # 已完成 / 进行中 / 未开始
    overdue: bool
    override: str | None = None  # entered while a dispute was open: the reviewer and the reason

    @property
    def dates_text(self) -> str:
        if self.started_on is None:
            return ""
        end = self.completed_on.isoformat() if self.completed_on else "至今"
        return f"{self.started_on.isoformat()}～{end}"


@dataclass(frozen=True)
class ProjectPage:
    """The project page's data."""

    id: int
    version: int
    title: str
    community: str
    township: str
    floors: int
    implementing_body: str
    designer: str
    installer: str
    budget: Decimal | None
    stage: str
    note: str
    community_id: int | None
    planned_households: int
    declared_area: Decimal | None
    estate: str
    building: str
    unit: str
    timeline: tuple[TimelineStep, ...]
    households: tuple[HouseholdRow, ...]
    tally: Tally
    shares: tuple[Share, ...]
    disputes: tuple[DisputeRow, ...]
    votes: tuple[VoteEventRow, ...]
    subsidy: SubsidyRow | None
    config: ElevatorConfig
    today: dt.date

    @property
    def declared(self) -> Declared:
        """The unit as declared (the tally's denominator), for recomputing the tally after a grid edit."""
        return Declared(self.planned_households, self.declared_area)

    @property
    def archive_done(self) -> bool:
        step = self.timeline[STAGE_INDEX[STAGES[-2]]]
        return step.completed_on is not None


def _timeline(session: Session, project_id: int, config: ElevatorConfig, today: dt.date) -> tuple[TimelineStep, ...]:
    records = {
        r.stage: r
        for r in session.scalars(select(ElevatorStageRecord).where(ElevatorStageRecord.project_id == project_id))
    }
    steps = []
    for i, stage in enumerate(STAGES):
        r = records.get(stage)
        if r is None:
            steps.append(
                TimelineStep(stage.value, i, None, None, None, None, 0, config.expected_days(stage), "未开始", False)
            )
            continue
        timing = stage_timing(stage, r.started_on, r.completed_on, config, today)
        state = "已完成" if r.completed_on else "进行中"
        steps.append(
            TimelineStep(
                stage.value,
                i,
                r.id,
                r.started_on,
                r.completed_on,
                r.documents,
                timing.days,
                timing.expected_days,
                state,
                timing.overdue,
                f"{r.override_by}：{r.override_reason}" if r.override_reason else None,
            )
        )
    return tuple(steps)


def load_project_page(session: Session, project_id: int, today: dt.date | None = None) -> ProjectPage:
    """Header, timeline, households, tally, cost shares, disputes with sessions, vote history and subsidy."""
    today = today or dt.date.today()
    config = load_config(session)
    project = get_project(session, project_id)
    community = session.get(Division, project.community_id) if project.community_id else None
    township = session.get(Division, community.parent_id) if community and community.parent_id else None
    households = tuple(list_households(session, project_id))
    try:
        shares = tuple(project_shares(session, project_id, config=config))
    except RuleError:  # no flat above the free floors: nothing to share yet
        shares = ()
    return ProjectPage(
        project.id,
        project.version,
        project.title,
        community.name if community else "",
        township.name if township else "",
        project.floors,
        project.implementing_body or "",
        project.designer or "",
        project.installer or "",
        project.budget,
        project.current_stage.value,
        project.note or "",
        project.community_id,
        project.planned_households,
        project.declared_area,
        project.estate,
        project.building,
        project.unit,
        _timeline(session, project_id, config, today),
        households,
        compute_tally(ballots_of(list(households)), config.one_owner_one_person, declared_of(project)),
        shares,
        tuple(list_disputes(session, project_id)),
        tuple(vote_history(session, project_id)),
        get_subsidy(session, project_id),
        config,
        today,
    )
