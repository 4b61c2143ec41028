"""The frozen facts of the half-year work summary (no reportlab import, so services can build them cheaply)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class TownshipTable:
    """One by-township table: column titles, one row per township (name + ints), the stats keys it sums to."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, tuple[int, ...]], ...]
    totals_of: tuple[str, ...] = ()

    def totals(self) -> tuple[int, ...]:
        return tuple(sum(values[i] for _, values in self.rows) for i in range(len(self.columns)))


@dataclass(frozen=True)
class SummaryFacts:
    """Everything the summary prints: the stats dict (all totals) and the township tables."""

    bureau: str
    period_from: dt.date
    period_to: dt.date
    dated: dt.date
    figures: dict[str, Any]
    tables: dict[str, TownshipTable] = field(default_factory=dict)
    unverified: tuple[str, ...] = ()  # figures it depends on that no 文号 has verified (e.g. the star thresholds)


def figure(figures: dict[str, Any], dotted: str) -> Any:
    """A figure by its dotted path, e.g. 'houses.grades.C'."""
    value: Any = figures
    for key in dotted.split("."):
        value = value[key]
    return value


def period_label(start: dt.date, end: dt.date) -> str:
    """2021年上半年 / 2021年下半年 / 2021年 / 2021年1月1日至2021年3月31日."""
    if start.year == end.year and start.day == 1:
        if (start.month, end.month, end.day) == (1, 6, 30):
            return f"{start.year}年上半年"
        if (start.month, end.month, end.day) == (7, 12, 31):
            return f"{start.year}年下半年"
        if (start.month, end.month, end.day) == (1, 12, 31):
            return f"{start.year}年"
    return f"{start.year}年{start.month}月{start.day}日至{end.year}年{end.month}月{end.day}日"
