"""Reporting periods: events count when dated within [from, to]; stocks are taken as of `to`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from liandu_desk.domain.errors import ValidationError


@dataclass(frozen=True)
class Period:
    """An inclusive date range."""

    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValidationError("统计期间", f"结束日期{self.end}早于开始日期{self.start}")

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def previous(self) -> Period:
        """The period just before: the same number of whole months, or else of days."""
        months = self._whole_months()
        if months:
            start = _add_months(self.start, -months)
            return Period(start, self.start - dt.timedelta(days=1))
        length = self.end - self.start
        end = self.start - dt.timedelta(days=1)
        return Period(end - length, end)

    def _whole_months(self) -> int:
        """How many calendar months the period spans exactly (0 if it does not start/end on month edges)."""
        if self.start.day != 1 or (self.end + dt.timedelta(days=1)).day != 1:
            return 0
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    def as_dict(self) -> dict[str, str]:
        return {"from": self.start.isoformat(), "to": self.end.isoformat()}


def _add_months(day: dt.date, months: int) -> dt.date:
    """The first of the month `months` away from a first-of-month date."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def parse_date(text: str, field: str) -> dt.date:
    """A YYYY-MM-DD date or ValidationError naming the field."""
    try:
        return dt.date.fromisoformat(text.strip())
    except (AttributeError, ValueError):
        raise ValidationError(field, f"“{text}”不是YYYY-MM-DD格式的日期") from None


def half_year(year: int, half: int) -> Period:
    """H1 (1 Jan–30 Jun) or H2 (1 Jul–31 Dec) of a year."""
    if half == 1:
        return Period(dt.date(year, 1, 1), dt.date(year, 6, 30))
    return Period(dt.date(year, 7, 1), dt.date(year, 12, 31))
