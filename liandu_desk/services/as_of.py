"""The one "as of" day every list counts overdue and stage days against, and the words that state it on screen.

The rule: today, unless nothing was recorded in the last `STALE_DATA_DAYS` days (an old or demo database, data
imported after the fact); then the newest record's date, so a historical file is read as of its own last day rather
than showing every open deadline years overdue. A day the clerk picks overrides both. The 首页 overview, the house
list, the elevator list and the community issue list all take their day from `resolve_as_of`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from liandu_desk.domain.communities import Issue
from liandu_desk.domain.elevators import ElevatorStageRecord
from liandu_desk.domain.house_cases import RectificationCase
from liandu_desk.domain.houses import Appraisal, Screening

STALE_DATA_DAYS = 30


@dataclass(frozen=True)
class AsOf:
    """The day a list is counted against, and why it is that day."""

    day: dt.date
    source: str  # 今日 | 数据最新日期 | 指定日期

    def label(self) -> str:
        """The sentence the lists show, e.g. 截至 2021-06-30（数据最新日期）."""
        return f"截至 {self.day.isoformat()}（{self.source}）"

    @property
    def historical(self) -> bool:
        return self.source == "数据最新日期"


def latest_record_date(session: Session) -> dt.date | None:
    """The newest event date on file (screening, appraisal, case completion, issue, elevator stage)."""
    columns = (
        Screening.screened_on,
        Appraisal.appraised_on,
        RectificationCase.completed_on,
        Issue.found_on,
        ElevatorStageRecord.started_on,
    )
    found = [session.scalar(select(func.max(c))) for c in columns]
    days = [d for d in found if d is not None]
    return max(days) if days else None


def reference_day(latest: dt.date | None, today: dt.date | None = None) -> dt.date:
    """Today, or the newest record's date when nothing was recorded in the last 30 days (an old or demo database)."""
    today = today or dt.date.today()
    if latest is not None and latest < today - dt.timedelta(days=STALE_DATA_DAYS):
        return latest
    return today


def resolve_as_of(session: Session, chosen: dt.date | None = None, today: dt.date | None = None) -> AsOf:
    """The day chosen by the clerk, else the rule above."""
    if chosen is not None:
        return AsOf(chosen, "指定日期")
    today = today or dt.date.today()
    day = reference_day(latest_record_date(session), today)
    return AsOf(day, "今日" if day == today else "数据最新日期")


def as_of_day(session: Session, chosen: dt.date | None = None) -> dt.date:
    """Just the day (what a list takes when its caller names none)."""
    return chosen or resolve_as_of(session).day
