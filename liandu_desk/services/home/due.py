"""What is due: overdue and due-soon items of every module, gathered from the modules' own services.

Rectification cases come from services.houses.overdue, community issues from services.communities.issues,
elevator stages from services.elevators.projects; 一房一策 plans and served documents past their deadline have no
service of their own yet and are read here. The clerk of an item (经办人) is whoever last changed the record
in the audit trail (documents: whoever issued them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from liandu_desk.domain.audit import AuditEntry
from liandu_desk.domain.communities import Community, IssueStatus
from liandu_desk.domain.documents import DocStatus, Document
from liandu_desk.domain.house_cases import OPEN_PLAN_STATUSES, HousePlan
from liandu_desk.domain.houses import House
from liandu_desk.domain.registry import Division
from liandu_desk.reports.due_facts import DUE_SOON, OVERDUE, DueItem, by_township
from liandu_desk.services.communities.issues import list_issues
from liandu_desk.services.elevators.projects import list_projects
from liandu_desk.services.houses.overdue import overdue_cases

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


def _house_towns(session: Session, house_ids: Iterable[int]) -> dict[int, int]:
    ids, found = sorted(set(house_ids)), {}
    for i in range(0, len(ids), 500):
        query = select(House.id, House.township_id).where(House.id.in_(ids[i : i + 500]))
        found.update({h: t for h, t in session.execute(query)})
    return found


def _cases(session: Session, as_of: dt.date, horizon: dt.date, towns: dict) -> list[DueItem]:
    found = overdue_cases(session, today=horizon)
    house_town = _house_towns(session, (c.house_id for c in found))
    items = []
    for c in found:
        town_id, town = towns.get(house_town.get(c.house_id), (None, ""))
        title = f"{c.owner_name} {c.address}（{c.measure}，{c.status}）"
        items.append(
            DueItem(
                "危房",
                "整治期限",
                title,
                town,
                town_id,
                "",
                "",
                c.deadline,
                (as_of - c.deadline).days,
                "house",
                c.house_id,
                "house_case",
                c.case_id,
            )  # fmt: skip
        )
    return items


def _plans(session: Session, as_of: dt.date, horizon: dt.date, towns: dict) -> list[DueItem]:
    query = (
        select(HousePlan, House.address, House.building_name, House.township_id)
        .join(House, House.id == HousePlan.house_id)
        .where(HousePlan.status.in_(OPEN_PLAN_STATUSES), HousePlan.deadline < horizon)
    )
    items = []
    for plan, address, building, town_id in session.execute(query):
        town_id, town = towns.get(town_id, (None, ""))
        title = f"{building or address}（一房一策，{plan.method.value}，{plan.status.value}）"
        items.append(
            DueItem(
                "危房",
                "一房一策",
                title,
                town,
                town_id,
                "",
                plan.responsible_party,
                plan.deadline,
                (as_of - plan.deadline).days,
                "house",
                plan.house_id,
                "house_plan",
                plan.id,
            )  # fmt: skip
        )
    return items


def _documents(session: Session, as_of: dt.date, horizon: dt.date) -> list[DueItem]:
    """Served documents past (or near) their deadline and not yet followed up (only the columns shown)."""
    query = select(
        Document.id, Document.number, Document.title, Document.recipient, Document.status, Document.issued_by,
        Document.drafted_by, Document.deadline,
    ).where(
        Document.status.in_((DocStatus.SERVED, DocStatus.DUE)),
        Document.deadline < horizon,
        Document.followed_up_on.is_(None),
    )  # fmt: skip
    items = []
    for doc_id, number, title, recipient, status, issued_by, drafted_by, deadline in session.execute(query):
        text = f"{number or ''} {title}（{recipient}，{status.value}）".strip()
        items.append(
            DueItem(
                "文书",
                "文书期限",
                text,
                "",
                None,
                issued_by or drafted_by or "",
                recipient,
                deadline,
                (as_of - deadline).days,
                "document",
                doc_id,
                "document",
                doc_id,
            )  # fmt: skip
        )
    return items


def _issues(session: Session, as_of: dt.date, horizon: dt.date, towns: dict) -> list[DueItem]:
    rows = [
        r
        for r in list_issues(session, status=IssueStatus.OPEN.value, today=as_of, limit=1_000_000)
        if r.deadline < horizon
    ]
    query = select(Community.id, Community.division_id).where(Community.id.in_({r.community_id for r in rows}))
    divisions = {c: d for c, d in session.execute(query)}
    items = []
    for r in rows:
        town_id, town = towns.get(divisions.get(r.community_id), (None, ""))
        items.append(
            DueItem(
                "星级小区",
                "小区问题",
                f"{r.community}：{r.description}",
                town,
                town_id,
                "",
                r.responsible,
                r.deadline,
                (as_of - r.deadline).days,
                "community",
                r.community_id,
                "cm_issue",
                r.id,
            )  # fmt: skip
        )
    return items


def _elevators(session: Session, as_of: dt.date, horizon: dt.date, towns: dict) -> list[DueItem]:
    by_name = {name: town_id for town_id, name in towns.values()}
    items = []
    for r in list_projects(session, today=as_of):
        if r.finished or r.stage_started_on is None:
            continue
        deadline = r.stage_started_on + dt.timedelta(days=r.expected_days)
        if deadline >= horizon:
            continue
        word = "停滞" if r.stalled else "阶段"
        title = f"{r.title}（{r.stage}{word}，已{r.days_in_stage}天，应≤{r.expected_days}天）"
        items.append(
            DueItem(
                "加装电梯",
                "电梯阶段",
                title,
                r.township,
                by_name.get(r.township),
                "",
                r.community,
                deadline,
                (as_of - deadline).days,
                "elevator_project",
                r.id,
                "elevator_project",
                r.id,
            )  # fmt: skip
        )
    return items


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
        item if item.clerk else replace(item, clerk=last.get((item.table, str(item.row_id))) or NO_CLERK)
        for item in items
    ]


def due_items(session: Session, as_of: dt.date | None = None, flt: DueFilter | None = None) -> list[DueItem]:
    """Overdue (and, unless excluded, due within soon_days) items of every module, most overdue first."""
    as_of, flt = as_of or dt.date.today(), flt or DueFilter()
    horizon = as_of + dt.timedelta(days=flt.soon_days + 1 if flt.include_soon else 0)
    towns = _townships(session)
    items = (
        _cases(session, as_of, horizon, towns)
        + _plans(session, as_of, horizon, towns)
        + _documents(session, as_of, horizon)
        + _issues(session, as_of, horizon, towns)
        + _elevators(session, as_of, horizon, towns)
    )
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
