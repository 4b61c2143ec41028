"""A year's holiday arrangement imported whole: from a holiday-cn JSON file or from ranges plus make-up days.

What would change is shown before anything is saved (added, removed and changed days); saving replaces the
year's exception days in one transaction and is audited like every other change to the calendar.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from liandu_desk.domain.documents import DayKind, Holiday
from liandu_desk.domain.errors import ValidationError
from liandu_desk.domain.permissions import Permission, requires

FILE_FIELD = "节假日安排文件"
MAX_SOURCE = 60


@dataclass(frozen=True)
class ArrangedDay:
    """One day of an arrangement: a holiday (放假) or a make-up working day (调休上班)."""

    day: dt.date
    kind: str
    name: str


@dataclass(frozen=True)
class YearArrangement:
    """The whole arrangement of one year and the document it comes from."""

    year: int
    days: tuple[ArrangedDay, ...]
    source: str


@dataclass(frozen=True)
class CalendarDiff:
    """What saving an arrangement changes in the calendar of its year."""

    year: int
    added: tuple[ArrangedDay, ...]
    removed: tuple[ArrangedDay, ...]
    changed: tuple[tuple[ArrangedDay, ArrangedDay], ...]

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def lines(self) -> list[str]:
        """The changes in Chinese, one line each."""
        if self.empty:
            return [f"{self.year}年的安排与已录入的一致，没有变化"]
        out = [f"新增 {d.day.isoformat()} {d.kind}（{d.name}）" for d in self.added]
        out += [f"删除 {d.day.isoformat()} {d.kind}（{d.name}）" for d in self.removed]
        out += [
            f"修改 {old.day.isoformat()} {old.kind}（{old.name}）→ {new.kind}（{new.name}）"
            for old, new in self.changed
        ]
        return out


def _date(text: Any, year: int) -> dt.date:
    try:
        day = dt.date.fromisoformat(str(text))
    except ValueError:
        raise ValidationError(FILE_FIELD, f"日期“{text}”不是YYYY-MM-DD格式") from None
    if day.year != year:
        raise ValidationError(FILE_FIELD, f"日期{day.isoformat()}不在{year}年")
    return day


def _checked(year: int, days: list[ArrangedDay], source: str) -> YearArrangement:
    if not 2000 <= year <= 2100:
        raise ValidationError(FILE_FIELD, f"年份{year}不在2000至2100之间")
    seen: dict[dt.date, ArrangedDay] = {}
    for item in days:
        if item.day in seen and seen[item.day].kind != item.kind:
            raise ValidationError(FILE_FIELD, f"{item.day.isoformat()}同时被列为放假和上班")
        if item.kind == DayKind.WORKDAY.value and item.day.weekday() < 5:
            raise ValidationError(FILE_FIELD, f"{item.day.isoformat()}是周一至周五，不能列为调休上班")
        if not 1 <= len(item.name.strip()) <= 20:
            raise ValidationError(FILE_FIELD, f"{item.day.isoformat()}的节日名称应为1至20个字")
        seen[item.day] = item
    if not any(item.kind == DayKind.HOLIDAY.value for item in seen.values()):
        raise ValidationError(FILE_FIELD, f"{year}年的安排中没有放假日期（可能是尚未发布的空安排）")
    source = source.strip()
    if not source:
        raise ValidationError("依据文件", "请填写安排所依据的国务院办公厅通知（名称或文号）")
    return YearArrangement(year, tuple(sorted(seen.values(), key=lambda d: d.day)), source[:MAX_SOURCE])


def parse_holiday_cn(text: str | bytes, source: str = "") -> YearArrangement:
    """A year in the widely used holiday-cn layout: {"year": …, "days": [{"name", "date", "isOffDay"}], "papers"}."""
    try:
        data = json.loads(text)
        year = int(data["year"])
        entries = list(data["days"])
    except (ValueError, KeyError, TypeError):
        raise ValidationError(FILE_FIELD, "不是 holiday-cn 格式的 JSON（应含 year 和 days）") from None
    days = []
    for entry in entries:
        if not isinstance(entry, dict) or not {"name", "date", "isOffDay"} <= entry.keys():
            raise ValidationError(FILE_FIELD, "days 中的每一项应含 name、date、isOffDay")
        kind = DayKind.HOLIDAY.value if entry["isOffDay"] is True else DayKind.WORKDAY.value
        days.append(ArrangedDay(_date(entry["date"], year), kind, str(entry["name"])))
    papers = data.get("papers") or []
    return _checked(year, days, source or (f"国务院办公厅{year}年节假日安排 {papers[0]}" if papers else ""))


def arrangement_from_ranges(
    year: int,
    holidays: list[tuple[str, dt.date, dt.date]],
    makeup_days: list[tuple[str, dt.date]],
    source: str,
) -> YearArrangement:
    """A year from the notice's wording: (name, first day, last day) per holiday and (name, day) per make-up day."""
    days: list[ArrangedDay] = []
    for name, first, last in holidays:
        if last < first:
            raise ValidationError(FILE_FIELD, f"{name}的结束日期早于开始日期")
        day = first
        while day <= last:
            days.append(ArrangedDay(_date(day.isoformat(), year), DayKind.HOLIDAY.value, name))
            day += dt.timedelta(days=1)
    days += [ArrangedDay(_date(day.isoformat(), year), DayKind.WORKDAY.value, name) for name, day in makeup_days]
    return _checked(year, days, source)


def _stored(session: Session, year: int) -> dict[dt.date, ArrangedDay]:
    rows = session.scalars(
        select(Holiday).where(Holiday.day >= dt.date(year, 1, 1), Holiday.day <= dt.date(year, 12, 31))
    )
    return {row.day: ArrangedDay(row.day, row.kind.value, row.name) for row in rows}


def diff_year(session: Session, arrangement: YearArrangement) -> CalendarDiff:
    """What saving the arrangement would change (nothing is written)."""
    old = _stored(session, arrangement.year)
    new = {item.day: item for item in arrangement.days}
    added = tuple(new[d] for d in sorted(new.keys() - old.keys()))
    removed = tuple(old[d] for d in sorted(old.keys() - new.keys()))
    changed = tuple((old[d], new[d]) for d in sorted(old.keys() & new.keys()) if old[d] != new[d])
    return CalendarDiff(arrangement.year, added, removed, changed)


@requires(Permission.EDIT_SETTINGS)
def import_year(session: Session, arrangement: YearArrangement) -> CalendarDiff:
    """Replace the year's exception days with the arrangement; returns what changed."""
    diff = diff_year(session, arrangement)
    year = arrangement.year
    for row in session.scalars(
        select(Holiday).where(Holiday.day >= dt.date(year, 1, 1), Holiday.day <= dt.date(year, 12, 31))
    ):
        session.delete(row)  # through the ORM, so every removed day is in the audit trail
    session.flush()
    for item in arrangement.days:
        session.add(Holiday(day=item.day, kind=DayKind(item.kind), name=item.name, source=arrangement.source))
    session.flush()
    return diff


def parse_ranges_text(year: int, text: str, source: str) -> YearArrangement:
    """A year typed from the notice, one line each: `国庆节 2027-10-01 2027-10-07` (one day: a single date) for a
    holiday, `上班 2027-09-26 国庆节` for a make-up working day."""
    holidays: list[tuple[str, dt.date, dt.date]] = []
    makeup: list[tuple[str, dt.date]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        parts = line.replace("至", " ").split()
        if not parts:
            continue
        try:
            if parts[0] == "上班" and len(parts) in (2, 3):
                makeup.append((parts[2] if len(parts) == 3 else "调休", dt.date.fromisoformat(parts[1])))
            elif len(parts) in (2, 3):
                first = dt.date.fromisoformat(parts[1])
                holidays.append((parts[0], first, dt.date.fromisoformat(parts[2]) if len(parts) == 3 else first))
            else:
                raise ValueError
        except ValueError:
            raise ValidationError(
                "放假安排", f"第{number}行应为“节日 开始日期 结束日期”或“上班 日期 节日”，日期写作YYYY-MM-DD"
            ) from None
    return arrangement_from_ranges(year, holidays, makeup, source)
