"""Overdue detection: open rectification cases past their deadline."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from liandu_desk.domain.house_cases import OPEN_CASE_STATUSES, RectificationCase
from liandu_desk.domain.houses import House


@dataclass(frozen=True)
class OverdueCase:
    """An open case past its deadline."""

    case_id: int
    house_id: int
    owner_name: str
    address: str
    measure: str
    status: str
    deadline: dt.date
    days_overdue: int


def _overdue_where(today: dt.date, township_id: int | None):
    where = [RectificationCase.status.in_(OPEN_CASE_STATUSES), RectificationCase.deadline < today]
    if township_id:
        where.append(House.township_id == township_id)
    return where


def overdue_case_rows(today: dt.date, township_id: int | None = None, *more):
    """The query of open cases past their deadline as of `today`, most overdue first: rows of (case id, house id,
    owner, address, measure, status, deadline, *more columns) read as plain tuples, no case entities."""
    return (
        select(
            RectificationCase.id,
            RectificationCase.house_id,
            House.owner_name,
            House.address,
            RectificationCase.measure,
            RectificationCase.status,
            RectificationCase.deadline,
            *more,
        )
        .join(House, House.id == RectificationCase.house_id)
        .where(*_overdue_where(today, township_id))
        .order_by(RectificationCase.deadline, RectificationCase.id)
    )


def overdue_cases(
    session: Session, today: dt.date | None = None, township_id: int | None = None, limit: int | None = None
) -> list[OverdueCase]:
    """Open cases whose deadline has passed as of `today`, most overdue first."""
    today = today or dt.date.today()
    return [
        OverdueCase(case_id, house_id, owner, address, measure.value, status.value, deadline, (today - deadline).days)
        for case_id, house_id, owner, address, measure, status, deadline in session.execute(
            overdue_case_rows(today, township_id).limit(limit)
        )
    ]


def count_overdue(session: Session, today: dt.date | None = None, township_id: int | None = None) -> int:
    """How many open cases are past their deadline."""
    query = (
        select(func.count())
        .select_from(RectificationCase)
        .join(House, House.id == RectificationCase.house_id)
        .where(*_overdue_where(today or dt.date.today(), township_id))
    )
    return session.scalar(query) or 0
