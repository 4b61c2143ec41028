"""危房 in the global search: houses by owner, ID number or address, and their rectification cases."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from liandu_desk.domain.house_cases import RectificationCase
from liandu_desk.domain.houses import House
from liandu_desk.domain.registry import Person
from liandu_desk.services.houses.listing import FTS_MIN_CHARS, search_condition
from liandu_desk.services.search_hits import SearchHit, prefix_range

OWNER_LIMIT = 50


def _house_condition(session: Session, term: str):
    """Digits: owners whose ID number starts so; 1–2 characters: owner name or address starting with the term
    (indexes; a substring scan of 500,000 rows takes 0.3 s); 3 or more: anywhere in name, ID number or address
    (the 危房 list's FTS5/LIKE condition)."""
    if term[:1].isdigit():  # an ID number (or its start): owners found through the unique ID-number index
        owners = select(Person.id).where(prefix_range(Person.id_number, term.upper())).limit(OWNER_LIMIT)
        return House.owner_id.in_(owners)
    if len(term) < FTS_MIN_CHARS:
        return or_(prefix_range(House.owner_name, term), prefix_range(House.address, term))
    return search_condition(session, term)


def _houses(session: Session, term: str, limit: int) -> tuple[list[SearchHit], list[int]]:
    cond = _house_condition(session, term)
    query = select(House.id, House.owner_name, House.address, House.kind, House.latest_grade).where(cond).limit(limit)
    hits, ids = [], []
    for house_id, owner, address, kind, grade in session.execute(query):
        ids.append(house_id)
        hits.append(SearchHit("房屋", f"{owner} {address}", f"{kind.value}　{grade or '未鉴定'}级", "house", house_id))
    return hits, ids


def _cases(session: Session, house_ids: list[int], limit: int) -> list[SearchHit]:
    if not house_ids:
        return []
    query = (
        select(RectificationCase, House.owner_name, House.address)
        .join(House, House.id == RectificationCase.house_id)
        .where(RectificationCase.house_id.in_(house_ids))
        .order_by(RectificationCase.id.desc())
        .limit(limit)
    )
    return [
        SearchHit(
            "整治案件",
            f"{owner} {address}",
            f"{c.measure.value}　{c.status.value}　期限{c.deadline or '未定'}",
            "house",
            c.house_id,
        )
        for c, owner, address in session.execute(query)
    ]


def search(session: Session, term: str, limit: int) -> list[SearchHit]:
    """Up to `limit` houses, then up to `limit` cases of those houses."""
    houses, house_ids = _houses(session, term, limit)
    return [*houses, *_cases(session, house_ids, limit)]
