"""What is due, as the 督办单 (PDF and spreadsheet) prints it: one item per overdue or due-soon record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

OVERDUE, DUE_SOON = "超期", "临期"


@dataclass(frozen=True)
class DueItem:
    """One thing past or near its deadline; (record_kind, record_id) opens it, (table, row_id) is the record."""

    module: str
    category: str
    title: str
    township: str
    township_id: int | None
    clerk: str
    responsible: str
    deadline: dt.date
    days_over: int
    record_kind: str
    record_id: int
    table: str
    row_id: int

    def with_clerk(self, clerk: str) -> DueItem:
        """The same item with its clerk filled in: a field-for-field copy (a fifth of dataclasses.replace's cost,
        which counts for the thousands of items of the 首页 due list)."""
        copy = object.__new__(DueItem)
        copy.__dict__.update(self.__dict__, clerk=clerk)
        return copy

    @property
    def state(self) -> str:
        return OVERDUE if self.days_over > 0 else DUE_SOON

    def when_text(self) -> str:
        if self.days_over > 0:
            return f"超期{self.days_over}天"
        return "今天到期" if self.days_over == 0 else f"{-self.days_over}天后到期"


def by_township(items: Iterable[DueItem]) -> dict[str, list[DueItem]]:
    """Items grouped by township (in first-seen order; items without one go under 未分区)."""
    groups: dict[str, list[DueItem]] = {}
    for item in items:
        groups.setdefault(item.township or "未分区", []).append(item)
    return groups
