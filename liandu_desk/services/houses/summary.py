"""Keeps the house row's summary columns (owner name, search text, latest grade, current case) in step."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from liandu_desk.domain.house_cases import RectificationCase
from liandu_desk.domain.houses import Appraisal, House


def search_text(owner_name: str | None, id_number: str | None, address: str | None, building: str | None) -> str:
    """What the list's text search looks in: owner name, address and building, upper-cased.

    The ID number is left out on purpose (it would double the trigram index); number searches go to
    person.id_number instead (see listing.search_condition). The argument stays for callers' convenience.
    """
    del id_number
    parts = (owner_name, address, building)
    return " ".join(p.strip() for p in parts if p and p.strip()).upper()[:400]


def latest_appraisal(session: Session, house_id: int) -> Appraisal | None:
    """The newest appraisal of a house (by date, then entry order)."""
    query = (
        select(Appraisal)
        .where(Appraisal.house_id == house_id)
        .order_by(Appraisal.appraised_on.desc(), Appraisal.id.desc())
        .limit(1)
    )
    return session.scalar(query)


def current_case(session: Session, house_id: int) -> RectificationCase | None:
    """The newest rectification case of a house."""
    query = (
        select(RectificationCase)
        .where(RectificationCase.house_id == house_id)
        .order_by(RectificationCase.opened_on.desc(), RectificationCase.id.desc())
        .limit(1)
    )
    return session.scalar(query)


def refresh_summary(session: Session, house_id: int) -> None:
    """Recompute latest grade and current case status/deadline with a Core UPDATE (no version bump, no audit)."""
    session.flush()
    appraisal = latest_appraisal(session, house_id)
    case = current_case(session, house_id)
    values = {
        "latest_grade": appraisal.grade.value if appraisal else None,
        "case_status": case.status.value if case else None,
        "case_deadline": case.deadline if case else None,
    }
    session.execute(
        update(House).where(House.id == house_id).values(**values), execution_options={"synchronize_session": False}
    )
    house = session.get(House, house_id)
    if house is not None:
        session.expire(house, list(values))
