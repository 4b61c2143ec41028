"""Open community issues past or near their deadline, for the 首页 due list."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from liandu_desk.domain.communities import Community, IssueStatus
from liandu_desk.reports.due_facts import DueItem
from liandu_desk.services.communities.issues import list_issues


def due_items(session: Session, as_of: dt.date, horizon: dt.date, towns: dict) -> list[DueItem]:
    """Open issues whose deadline is before `horizon`."""
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
            )
        )
    return items
