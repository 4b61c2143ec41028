"""危房 items past or near their deadline: open rectification cases and 一房一策 plans, for the 首页 due list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from liandu_desk.domain.house_cases import OPEN_PLAN_STATUSES, HousePlan
from liandu_desk.domain.houses import House
from liandu_desk.reports.due_facts import DueItem
from liandu_desk.services.houses.overdue import overdue_cases


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
            )
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
            )
        )
    return items


def due_items(session: Session, as_of: dt.date, horizon: dt.date, towns: dict) -> list[DueItem]:
    """Cases and plans with a deadline before `horizon`, in days past `as_of`."""
    return _cases(session, as_of, horizon, towns) + _plans(session, as_of, horizon, towns)
