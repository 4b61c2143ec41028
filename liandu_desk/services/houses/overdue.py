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


def overdue_cases(
    session: Session, today: dt.date | None = None, township_id: int | None = None, limit: int | None = None
) -> list[OverdueCase]:
    """Open cases whose deadline has passed as of `today`, most overdue first."""
    today = today or dt.date.today()
    query = (
        select(RectificationCase, House.owner_name, House.address)
        .join(House, House.id == RectificationCase.house_id)
        .where(*_overdue_where(today, township_id))
        .order_by(RectificationCase.deadline, RectificationCase.id)
        .limit(limit)
    )
    return [
        OverdueCase(
            c.id, c.house_id, owner, address, c.measure.value, c.status.value, c.deadline, (today - c.deadline).days
        )
        for c, owner, address in session.execute(query)
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
