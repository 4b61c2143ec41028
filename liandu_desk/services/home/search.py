"""One search box over everything: people here, then each module's own `search` hook (plugins.py) in module order.

Each category returns at most `limit` hits from an indexed or bounded query: people by name or ID-number prefix
(index); the modules' searches say how they find their records (houses through the 危房 list's own condition).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from liandu_desk.domain.houses import House
from liandu_desk.domain.registry import Person
from liandu_desk.domain.validators import mask_id_number
from liandu_desk.plugins import with_hook
from liandu_desk.services.search_hits import SearchHit, prefix_range

DEFAULT_LIMIT = 8


def normalize_term(text: str) -> str:
    """Trim, and accept [2021] / (2021) / 【2021】 for the 〔2021〕 of a document number."""
    term = " ".join(text.split())
    for a, b in (("[", "〔"), ("]", "〕"), ("【", "〔"), ("】", "〕"), ("（", "〔"), ("）", "〕")):
        term = term.replace(a, b)
    return term


def _people(session: Session, term: str, limit: int) -> list[SearchHit]:
    upper = term.upper()
    cond = prefix_range(Person.id_number, upper) if upper[:1].isdigit() else prefix_range(Person.name, term)
    house = select(House.id).where(House.owner_id == Person.id).limit(1).scalar_subquery()
    query = select(Person.id, Person.name, Person.id_number, house).where(cond).limit(limit)
    return [
        SearchHit("人员", name, mask_id_number(id_number), "house" if house_id else "person", house_id or pid)
        for pid, name, id_number, house_id in session.execute(query)
    ]


def search_all(session: Session, text: str, limit: int = DEFAULT_LIMIT) -> list[SearchHit]:
    """Up to `limit` hits per category: people, then each module's in module order; nothing for an empty term."""
    term = normalize_term(text)
    if not term:
        return []
    hits = _people(session, term, limit)
    for _spec, search in with_hook("search"):
        hits.extend(search(session, term, limit))
    return hits
