"""What a work target can count: each key names one computation over the records (never a stored figure).

An event metric counts records dated in [start, as_of]; a stock metric is taken as of `as_of`. A division
(township, or a village/community beneath it) narrows the count where the records carry one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from liandu_desk.domain.communities import Community, Issue, IssueStatus
from liandu_desk.domain.elevators import ElevatorProject, ElevatorStage, ElevatorStageRecord
from liandu_desk.domain.house_cases import DONE_CASE_STATUSES, HousePlan, PlanStatus, RectificationCase
from liandu_desk.domain.houses import Appraisal, House, HouseKind
from liandu_desk.domain.registry import Division
from liandu_desk.services.houses.stats import urban_c_plans

Counter = Callable[[Session, dt.date, dt.date, "int | None"], int]


@dataclass(frozen=True)
class Metric:
    """One countable thing: its key, Chinese label, unit and whether it is a stock (as of a day)."""

    key: str
    label: str
    unit: str
    count: Counter
    stock: bool = False


def in_division(column, division_id: int | None) -> ColumnElement[bool] | None:
    """The column names this division or one directly beneath it."""
    if not division_id:
        return None
    children = select(Division.id).where(Division.parent_id == division_id)
    return or_(column == division_id, column.in_(children))


def _where(*conditions) -> list:
    return [c for c in conditions if c is not None]


def _cases_done(session: Session, start: dt.date, end: dt.date, division_id: int | None, batch: bool) -> int:
    query = (
        select(func.count(RectificationCase.id))
        .join(House, House.id == RectificationCase.house_id)
        .where(
            House.kind == HouseKind.RURAL,
            RectificationCase.status.in_(DONE_CASE_STATUSES),
            RectificationCase.completed_on.between(start, end),
            RectificationCase.batch_id.is_not(None) if batch else RectificationCase.batch_id.is_(None),
            *_where(in_division(House.township_id, division_id)),
        )
    )
    return session.scalar(query) or 0


def rural_rectified(session: Session, start: dt.date, end: dt.date, division_id: int | None = None) -> int:
    """Rural dangerous houses (not from a source batch) whose rectification was completed in the window."""
    return _cases_done(session, start, end, division_id, batch=False)


def batch_rectified(session: Session, start: dt.date, end: dt.date, division_id: int | None = None) -> int:
    """Houses of a source batch (e.g. 2021省委巡视) whose rectification was completed in the window."""
    return _cases_done(session, start, end, division_id, batch=True)


def urban_c_planned(session: Session, start: dt.date, end: dt.date, division_id: int | None = None) -> int:
    """Urban C-grade buildings with an open 一房一策 plan as of `end` (the stats service's urban_c_plans)."""
    if not division_id:
        return urban_c_plans(session, end)
    grade = (
        select(Appraisal.grade)
        .where(Appraisal.house_id == House.id, Appraisal.appraised_on <= end)
        .order_by(Appraisal.appraised_on.desc(), Appraisal.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    query = (
        select(func.count(func.distinct(House.id)))
        .join(HousePlan, HousePlan.house_id == House.id)
        .where(
            House.kind == HouseKind.URBAN,
            HousePlan.opened_on <= end,
            or_(HousePlan.status.in_([PlanStatus.NOT_STARTED, PlanStatus.IN_PROGRESS]), HousePlan.resolved_on > end),
            grade == "C",
            in_division(House.township_id, division_id),
        )
    )
    return session.scalar(query) or 0


def urban_resolved(session: Session, start: dt.date, end: dt.date, division_id: int | None = None) -> int:
    """Urban buildings whose 一房一策 plan was resolved (已解危) in the window."""
    query = (
        select(func.count(HousePlan.id))
        .join(House, House.id == HousePlan.house_id)
        .where(HousePlan.resolved_on.between(start, end), *_where(in_division(House.township_id, division_id)))
    )
    return session.scalar(query) or 0


def elevators_accepted(session: Session, start: dt.date, end: dt.date, division_id: int | None = None) -> int:
    """Elevator projects passing completion acceptance (竣工验收) in the window."""
    query = (
        select(func.count(ElevatorStageRecord.id))
        .join(ElevatorProject, ElevatorProject.id == ElevatorStageRecord.project_id)
        .where(
            ElevatorStageRecord.stage == ElevatorStage.ACCEPTANCE,
            ElevatorStageRecord.completed_on.between(start, end),
            *_where(in_division(ElevatorProject.community_id, division_id)),
        )
    )
    return session.scalar(query) or 0


def issues_rectified(session: Session, start: dt.date, end: dt.date, division_id: int | None = None) -> int:
    """Community inspection issues rectified and closed (销号) in the window."""
    query = (
        select(func.count(Issue.id))
        .join(Community, Community.id == Issue.community_id)
        .where(
            Issue.status == IssueStatus.CLOSED,
            Issue.rectified_on.between(start, end),
            *_where(in_division(Community.division_id, division_id)),
        )
    )
    return session.scalar(query) or 0


METRICS: dict[str, Metric] = {
    m.key: m
    for m in (
        Metric("rural_rectified", "农村危房完成整治", "户", rural_rectified),
        Metric("batch_rectified", "交办批次危房完成整改", "户", batch_rectified),
        Metric("urban_c_plans", "城镇C级危房一房一策", "幢", urban_c_planned, stock=True),
        Metric("urban_resolved", "城镇危房解危", "幢", urban_resolved),
        Metric("elevators_accepted", "加装电梯竣工验收", "台", elevators_accepted),
        Metric("issues_rectified", "小区问题整改销号", "个", issues_rectified),
    )
}


def metric(key: str) -> Metric:
    """The metric of a key; KeyError names the unknown key."""
    return METRICS[key]
