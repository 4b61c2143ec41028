"""危房 items past or near their deadline: open rectification cases and 一房一策 plans, for the 首页 due list."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from liandu_desk.domain.house_cases import OPEN_PLAN_STATUSES, HousePlan
from liandu_desk.domain.houses import House
from liandu_desk.reports.due_facts import DueItem
from liandu_desk.services.houses.overdue import overdue_case_rows


def _cases(session: Session, as_of: dt.date, horizon: dt.date, towns: dict) -> list[DueItem]:
    query = overdue_case_rows(horizon, None, House.township_id)
    items = []
    for case_id, house_id, owner, address, measure, status, deadline, house_town in session.execute(query):
        town_id, town = towns.get(house_town, (None, ""))
        title = f"{owner} {address}（{measure.value}，{status.value}）"
        items.append(
            DueItem(
                "危房",
                "整治期限",
                title,
                town,
                town_id,
                "",
                "",
                deadline,
                (as_of - deadline).days,
                "house",
                house_id,
                "house_case",
                case_id,
            )
        )
    return items


def _plans(session: Session, as_of: dt.date, horizon: dt.date, towns: dict) -> list[DueItem]:
    query = (
        select(
            HousePlan.id,
            HousePlan.house_id,
            HousePlan.method,
            HousePlan.status,
            HousePlan.responsible_party,
            HousePlan.deadline,
            House.address,
            House.building_name,
            House.township_id,
        )
        .join(House, House.id == HousePlan.house_id)
        .where(HousePlan.status.in_(OPEN_PLAN_STATUSES), HousePlan.deadline < horizon)
    )
    items = []
    for plan_id, house_id, method, status, responsible, deadline, address, building, town_id in session.execute(query):
        town_id, town = towns.get(town_id, (None, ""))
        title = f"{building or address}（一房一策，{method.value}，{status.value}）"
        items.append(
            DueItem(
                "危房",
                "一房一策",
                title,
                town,
                town_id,
                "",
                responsible,
                deadline,
                (as_of - deadline).days,
                "house",
                house_id,
                "house_plan",
                plan_id,
            )
        )
    return items


def due_items(session: Session, as_of: dt.date, horizon: dt.date, towns: dict) -> list[DueItem]:
    """Cases and plans with a deadline before `horizon`, in days past `as_of`."""
    return _cases(session, as_of, horizon, towns) + _plans(session, as_of, horizon, towns)
