"""加装电梯 in the global search: projects by estate, building and unit."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from liandu_desk.domain.elevators import ElevatorProject
from liandu_desk.services.search_hits import SearchHit, like


def search(session: Session, term: str, limit: int) -> list[SearchHit]:
    """Up to `limit` projects whose title contains the term."""
    title = ElevatorProject.estate + ElevatorProject.building + "幢" + ElevatorProject.unit + "单元"
    query = select(ElevatorProject).where(title.like(like(term), escape="\\")).limit(limit)
    return [
        SearchHit("电梯项目", p.title, p.current_stage.value, "elevator_project", p.id) for p in session.scalars(query)
    ]
