"""What is due: overdue and due-soon items of every module, each module's from its own `due` hook (plugins.py).

The clerk of an item (经办人) is whoever last changed the record in the audit trail (documents: whoever issued them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from liandu_desk.domain.audit import AuditEntry
from liandu_desk.domain.registry import Division
from liandu_desk.plugins import with_hook
from liandu_desk.reports.due_facts import DUE_SOON, OVERDUE, DueItem, by_township
from liandu_desk.services.as_of import as_of_day

__all__ = ["DUE_SOON", "OVERDUE", "DueFilter", "DueItem", "by_township"]

DEFAULT_SOON_DAYS = 7
NO_CLERK = "（未记录）"
SORT_KEYS = ("deadline", "days", "township", "clerk", "module")


@dataclass(frozen=True)
class DueFilter:
    """Which items to show: by township, clerk, module and whether due-soon items count."""

    township_id: int | None = None
    clerk: str | None = None
    module: str | None = None
    include_soon: bool = True
    soon_days: int = DEFAULT_SOON_DAYS


def _townships(session: Session) -> dict[int, tuple[int, str]]:
    """Every division id → (its township id, township name)."""
    parent = aliased(Division)
    query = select(Division.id, Division.parent_id, Division.name, parent.name).outerjoin(
        parent, parent.id == Division.parent_id
    )
    result = {}
    for div_id, parent_id, name, parent_name in session.execute(query):
        result[div_id] = (parent_id, parent_name) if parent_id else (div_id, name)
    return result


def _with_clerks(session: Session, items: list[DueItem]) -> list[DueItem]:
    """Fill in the clerk who last changed each record (one grouped query per table, in chunks)."""
    wanted: dict[str, list[str]] = {}
    for item in items:
        if not item.clerk:
            wanted.setdefault(item.table, []).append(str(item.row_id))
    last: dict[tuple[str, str], str] = {}
    for table, ids in wanted.items():
        for i in range(0, len(ids), 500):
            latest = (
                select(func.max(AuditEntry.id))
                .where(AuditEntry.table_name == table, AuditEntry.row_id.in_(ids[i : i + 500]))
                .group_by(AuditEntry.row_id)
            )
            query = select(AuditEntry.row_id, AuditEntry.clerk_name).where(AuditEntry.id.in_(latest))
            last.update({(table, row_id): name for row_id, name in session.execute(query)})
    return [
        item if item.clerk else item.with_clerk(last.get((item.table, str(item.row_id))) or NO_CLERK) for item in items
    ]


def due_items(session: Session, as_of: dt.date | None = None, flt: DueFilter | None = None) -> list[DueItem]:
    """Overdue (and, unless excluded, due within soon_days) items of every module, most overdue first."""
    as_of, flt = as_of or as_of_day(session), flt or DueFilter()
    horizon = as_of + dt.timedelta(days=flt.soon_days + 1 if flt.include_soon else 0)
    towns = _townships(session)
    items = [item for _spec, due in with_hook("due") for item in due(session, as_of, horizon, towns)]
    items = [i for i in items if _matches(i, flt)]
    items = _with_clerks(session, items)
    if flt.clerk:
        items = [i for i in items if i.clerk == flt.clerk]
    return sort_items(items)


def _matches(item: DueItem, flt: DueFilter) -> bool:
    if flt.township_id and item.township_id != flt.township_id:
        return False
    return not flt.module or item.module == flt.module


def sort_items(items: Sequence[DueItem], key: str = "days", descending: bool = True) -> list[DueItem]:
    """Sort by days overdue (default: most overdue first), deadline, township, clerk or module."""
    keys = {
        "days": lambda i: (i.days_over, i.row_id),
        "deadline": lambda i: (i.deadline, i.row_id),
        "township": lambda i: (i.township, -i.days_over),
        "clerk": lambda i: (i.clerk, -i.days_over),
        "module": lambda i: (i.module, -i.days_over),
    }
    return sorted(items, key=keys[key], reverse=descending)


def clerks_of(items: Iterable[DueItem]) -> list[str]:
    """The distinct clerks among items, for the filter box."""
    return sorted({i.clerk for i in items})
