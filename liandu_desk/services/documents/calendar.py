"""The working-day calendar: Monday–Friday, minus public holidays, plus make-up working days (调休), as data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from liandu_desk.domain.documents import DayKind, Holiday
from liandu_desk.domain.errors import NotFoundError, RuleError, ValidationError
from liandu_desk.domain.permissions import Permission, requires

MAX_WORKING_DAYS = 3650
WARN_FROM_MONTH = 11  # from 1 November the overview warns when next year's arrangement is missing


class CalendarYearMissing(RuleError):
    """A deadline would run into a year whose holiday arrangement has not been entered."""

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(
            f"{year}年的节假日与调休安排尚未录入，无法按工作日计算期限（否则会把节假日算作工作日）。"
            f"请管理员在 文书 → 节假日与调休 → 导入年度安排 中录入{year}年的安排后再试。"
        )


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

    def __init__(self, holidays: set[dt.date], workdays: set[dt.date], years: set[int] | None = None) -> None:
        self.holidays = holidays
        self.workdays = workdays
        self.years = years if years is not None else {day.year for day in holidays | workdays}

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
            if day.year not in self.years:
                raise CalendarYearMissing(day.year)
            if self.is_working_day(day):
                left -= 1
        return day

    def require_year(self, year: int) -> None:
        """Refuse work that counts working days in a year without an arrangement."""
        if year not in self.years:
            raise CalendarYearMissing(year)

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end`."""
        count, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            if day.year not in self.years:
                raise CalendarYearMissing(day.year)
            count += self.is_working_day(day)
        return count


def covered_years(session: Session) -> set[int]:
    """Years whose holiday arrangement is on file (every year has holidays, so a year with none is missing)."""
    return {day.year for day in session.scalars(select(Holiday.day))}


def missing_year_warning(session: Session, today: dt.date | None = None) -> str:
    """From 1 November, a warning when next year's arrangement is missing ('' otherwise)."""
    today = today or dt.date.today()
    years = covered_years(session)
    missing = [year for year in (today.year, today.year + 1) if year not in years]
    if not missing or (missing == [today.year + 1] and today.month < WARN_FROM_MONTH):
        return ""
    year = missing[0]
    return (
        f"{year}年的节假日与调休安排尚未录入：到期日落在{year}年的期限将无法计算。"
        "请管理员在 文书 → 节假日与调休 → 导入年度安排 中录入（国务院办公厅通常于11月发布次年安排）。"
    )


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
