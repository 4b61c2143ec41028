"""The `houses` section of the figures contract (formats/stats.md), computed with SQL aggregates only.

Definitions: rural figures count rural houses; `grades` is the latest grade (as of the period's end) of rural
houses appraised in the period, so grades C + D = rural_dangerous. Batch figures count verifications and
completions up to the period's end. urban_d_resolved: urban buildings graded D whose case was completed or
whose 一房一策 plan was resolved in the period. urban_c_plans: urban buildings whose latest grade as of `to`
is C and that have a plan opened by `to` and not resolved by then.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import and_, func, or_, select, union
from sqlalchemy.orm import Session, aliased

from liandu_desk.domain.house_cases import HousePlan, PlanStatus, RectificationCase
from liandu_desk.domain.houses import Appraisal, House, HouseKind, Screening
from liandu_desk.services.houses.batches import all_batch_figures
from liandu_desk.services.periods import Period

RURAL = HouseKind.RURAL.value
URBAN = HouseKind.URBAN.value


def rural_screened(session: Session, period: Period) -> int:
    """Rural screening records dated in the period (all of them minus the few urban ones: no join over 480k)."""
    in_period = Screening.screened_on.between(period.start, period.end)
    total = session.scalar(select(func.count()).select_from(Screening).where(in_period)) or 0
    urban = select(func.count()).select_from(Screening).where(Screening.house_id.in_(_non_rural_ids()), in_period)
    return total - (session.scalar(urban) or 0)


def rural_grades(session: Session, period: Period) -> dict[str, int]:
    """Latest grade in the period of each rural house appraised in the period.

    "Latest" = no later appraisal of the same house in the period (NOT EXISTS on the (house, date) index);
    urban houses are excluded by their (few) ids rather than by a join over every appraisal.
    """
    later = aliased(Appraisal)
    in_period = Appraisal.appraised_on.between(period.start, period.end)
    superseded = (
        select(later.id)
        .where(
            later.house_id == Appraisal.house_id,
            later.appraised_on.between(period.start, period.end),
            or_(
                later.appraised_on > Appraisal.appraised_on,
                and_(later.appraised_on == Appraisal.appraised_on, later.id > Appraisal.id),
            ),
        )
        .exists()
    )
    query = (
        select(Appraisal.grade, func.count())
        .where(in_period, Appraisal.house_id.not_in(_non_rural_ids()), ~superseded)
        .group_by(Appraisal.grade)
    )
    counts = {grade.value if hasattr(grade, "value") else grade: n for grade, n in session.execute(query)}
    return {g: int(counts.get(g, 0)) for g in ("A", "B", "C", "D")}


def _non_rural_ids():
    return select(House.id).where(House.kind.in_([k for k in HouseKind if k != HouseKind.RURAL]))


def _grade_as_of(day):
    """Correlated subquery: the house's latest grade on or before `day`."""
    return (
        select(Appraisal.grade)
        .where(Appraisal.house_id == House.id, Appraisal.appraised_on <= day)
        .order_by(Appraisal.appraised_on.desc(), Appraisal.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def urban_d_resolved(session: Session, period: Period) -> int:
    """Urban D buildings resolved (解危) in the period: case completed, or plan resolved, within it."""
    urban = select(House.id).where(House.kind == URBAN)  # the few urban houses first, not every completed case
    by_case = (
        select(House.id)
        .join(RectificationCase, RectificationCase.house_id == House.id)
        .where(
            RectificationCase.house_id.in_(urban),
            RectificationCase.completed_on.between(period.start, period.end),
            _grade_as_of(RectificationCase.completed_on) == "D",
        )
    )
    by_plan = (
        select(House.id)
        .join(HousePlan, HousePlan.house_id == House.id)
        .where(
            House.kind == URBAN,
            HousePlan.resolved_on.between(period.start, period.end),
            _grade_as_of(HousePlan.opened_on) == "D",
        )
    )
    return session.scalar(select(func.count()).select_from(union(by_case, by_plan).subquery())) or 0


def urban_c_plans(session: Session, as_of: dt.date) -> int:
    """Urban C buildings with a 一房一策 plan open as of the day."""
    open_then = or_(
        HousePlan.status.in_([PlanStatus.NOT_STARTED, PlanStatus.IN_PROGRESS]),
        and_(HousePlan.resolved_on.is_not(None), HousePlan.resolved_on > as_of),
    )
    query = (
        select(func.count(func.distinct(House.id)))
        .join(HousePlan, HousePlan.house_id == House.id)
        .where(House.kind == URBAN, HousePlan.opened_on <= as_of, open_then, _grade_as_of(as_of) == "C")
    )
    return session.scalar(query) or 0


def section(session: Session, period: Period) -> dict[str, Any]:
    """The `houses` figures for a period."""
    grades = rural_grades(session, period)
    return {
        "rural_screened": rural_screened(session, period),
        "rural_appraised": sum(grades.values()),
        "rural_dangerous": grades["C"] + grades["D"],
        "grades": grades,
        "batches": {name: f.as_dict() for name, f in all_batch_figures(session, period.end).items()},
        "urban_d_resolved": urban_d_resolved(session, period),
        "urban_c_plans": urban_c_plans(session, period.end),
    }
