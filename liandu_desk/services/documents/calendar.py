"""The working-day calendar: Monday–Friday, minus public holidays, plus make-up working days (调休), as data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from liandu_desk.domain.documents import DayKind, Holiday
from liandu_desk.domain.errors import NotFoundError, ValidationError
from liandu_desk.services.permissions import Permission, requires

MAX_WORKING_DAYS = 3650


@dataclass(frozen=True)
class CalendarDay:
    """One exception day for display and editing."""

    day: dt.date
    kind: str
    name: str
    source: str
    version: int


class WorkCalendar:
    """The exceptions loaded once; answers working-day questions without further queries."""

    def __init__(self, holidays: set[dt.date], workdays: set[dt.date]) -> None:
        self.holidays = holidays
        self.workdays = workdays

    @classmethod
    def load(cls, session: Session) -> WorkCalendar:
        rows = session.execute(select(Holiday.day, Holiday.kind)).all()
        holidays = {day for day, kind in rows if kind == DayKind.HOLIDAY}
        workdays = {day for day, kind in rows if kind == DayKind.WORKDAY}
        return cls(holidays, workdays)

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The day on which `days` working days after `start` have passed (start itself not counted)."""
        if not 0 <= days <= MAX_WORKING_DAYS:
            raise ValidationError("工作日天数", f"应在0至{MAX_WORKING_DAYS}之间")
        day = start
        left = days
        while left:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                left -= 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end`."""
        count, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            count += self.is_working_day(day)
        return count


def add_working_days(session: Session, start: dt.date, days: int) -> dt.date:
    """Convenience: load the calendar and count `days` working days from `start`."""
    return WorkCalendar.load(session).add_working_days(start, days)


def _row(row: Holiday) -> CalendarDay:
    return CalendarDay(row.day, row.kind.value, row.name, row.source, row.version)


def list_days(session: Session, year: int | None = None) -> list[CalendarDay]:
    """Exception days (all, or of one year), in date order."""
    query = select(Holiday).order_by(Holiday.day)
    if year is not None:
        query = query.where(Holiday.day >= dt.date(year, 1, 1), Holiday.day <= dt.date(year, 12, 31))
    return [_row(row) for row in session.scalars(query)]


@requires(Permission.EDIT_SETTINGS)
def save_day(session: Session, day: dt.date, kind: str, name: str, source: str = "") -> CalendarDay:
    """Add or change one exception day; a make-up working day must fall on a weekend, a holiday is any day."""
    try:
        kind_value = DayKind(kind)
    except ValueError:
        raise ValidationError("类型", f"“{kind}”不是可选值（放假、调休上班）") from None
    name = (name or "").strip()
    if not 1 <= len(name) <= 20:
        raise ValidationError("节日名称", "应为1至20个字")
    if kind_value == DayKind.WORKDAY and day.weekday() < 5:
        raise ValidationError("日期", f"{day.isoformat()}是工作日，无需设为调休上班")
    row = session.get(Holiday, day)
    if row is None:
        row = Holiday(day=day)
        session.add(row)
    row.kind, row.name, row.source = kind_value, name, (source or "").strip()[:60]
    session.flush()
    return _row(row)


@requires(Permission.EDIT_SETTINGS)
def delete_day(session: Session, day: dt.date) -> None:
    """Remove an exception (the day follows the Monday–Friday rule again)."""
    row = session.get(Holiday, day)
    if row is None:
        raise NotFoundError(f"{day.isoformat()}不在节假日表中")
    session.delete(row)
    session.flush()
