"""The overview of a period: the stats service's figures against the previous period, chart series, targets."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from liandu_desk.domain.house_cases import RectificationCase
from liandu_desk.domain.houses import House
from liandu_desk.services.as_of import as_of_day
from liandu_desk.services.divisions import list_townships
from liandu_desk.services.elevators.stats import accepted
from liandu_desk.services.home.metrics import issues_rectified
from liandu_desk.services.home.targets import TargetProgress, target_progress
from liandu_desk.services.overview import FigureRow, figure_rows
from liandu_desk.services.periods import Period, _add_months
from liandu_desk.services.stats import collect_stats

TREND_MIN_MONTHS = 6
TREND_MAX_MONTHS = 24


@dataclass(frozen=True)
class Series:
    """One named series of a chart."""

    name: str
    values: list[int]


@dataclass(frozen=True)
class Chart:
    """Categories (x axis) and one or more series."""

    title: str
    categories: list[str]
    series: list[Series]


@dataclass
class Overview:
    """Everything the overview shows for one period."""

    period: Period
    previous: Period
    as_of: dt.date
    figures: list[FigureRow]
    by_township: Chart
    trend: Chart
    targets: list[TargetProgress]
    timings: dict[str, float] = field(default_factory=dict)


def dangerous_by_township(session: Session) -> Chart:
    """Houses whose latest grade is C or D, per township (served by the grade/township index)."""
    query = (
        select(House.township_id, House.latest_grade, func.count())
        .where(House.latest_grade.in_(("C", "D")))
        .group_by(House.township_id, House.latest_grade)
    )
    counts = {(t, g): n for t, g, n in session.execute(query)}
    towns = list_townships(session)
    return Chart(
        "各乡镇（街道）危房户数（现状）",
        [t.name for t in towns],
        [Series(f"{g}级", [counts.get((t.id, g), 0) for t in towns]) for g in ("C", "D")],
    )


def trend_months(period: Period) -> list[Period]:
    """The months of the period (at least the last six up to its end, at most 24)."""
    end_month = period.end.replace(day=1)
    start_month = period.start.replace(day=1)
    months = (end_month.year - start_month.year) * 12 + end_month.month - start_month.month + 1
    months = min(max(months, TREND_MIN_MONTHS), TREND_MAX_MONTHS)
    firsts = [_add_months(end_month, -i) for i in range(months - 1, -1, -1)]
    return [Period(f, _add_months(f, 1) - dt.timedelta(days=1)) for f in firsts]


def _done_cases(session: Session, month: Period) -> int:
    query = select(func.count(RectificationCase.id)).where(
        RectificationCase.completed_on.between(month.start, month.end)
    )
    return session.scalar(query) or 0


def trend(session: Session, period: Period) -> Chart:
    """Month by month: rectifications completed, community issues closed, elevators accepted."""
    months = trend_months(period)
    return Chart(
        "逐月完成情况",
        [f"{m.start.year % 100:02d}年{m.start.month}月" for m in months],
        [
            Series("危房整治完成（户）", [_done_cases(session, m) for m in months]),
            Series("小区问题销号（个）", [issues_rectified(session, m.start, m.end) for m in months]),
            Series("电梯竣工验收（台）", [accepted(session, m) for m in months]),
        ],
    )


def load_overview(session: Session, period: Period, as_of: dt.date | None = None) -> Overview:
    """The figures of the period and the previous one (from the stats service), charts and targets."""
    as_of = as_of or as_of_day(session)
    timings: dict[str, float] = {}
    began = time.perf_counter()
    figures = period_figures(session, period)
    timings["figures"] = time.perf_counter() - began
    began = time.perf_counter()
    by_town, months = dangerous_by_township(session), trend(session, period)
    timings["charts"] = time.perf_counter() - began
    began = time.perf_counter()
    targets = target_progress(session, as_of)
    timings["targets"] = time.perf_counter() - began
    return Overview(period, period.previous(), as_of, figures, by_town, months, targets, timings)


PERIOD_KINDS = ("本月", "本季度", "本半年", "本年")


def period_of(kind: str, day: dt.date) -> Period:
    """The month, quarter, half-year or year containing the day."""
    months = {"本月": 1, "本季度": 3, "本半年": 6, "本年": 12}[kind]
    first = dt.date(day.year, (day.month - 1) // months * months + 1, 1)
    return Period(first, _add_months(first, months) - dt.timedelta(days=1))


def period_figures(session: Session, period: Period) -> list[FigureRow]:
    """The figure rows of a period against the previous one (two calls of the stats service)."""
    return figure_rows(collect_stats(session, period), collect_stats(session, period.previous()))
