"""Elevator projects whose stage has run past (or near) its expected days, for the 首页 due list."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from liandu_desk.reports.due_facts import DueItem
from liandu_desk.services.elevators.projects import list_projects


def due_items(session: Session, as_of: dt.date, horizon: dt.date, towns: dict) -> list[DueItem]:
    """Unfinished projects whose stage deadline is before `horizon`."""
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
            )
        )
    return items
