"""One search box over everything: people, houses, cases, projects, communities, companies, document numbers.

Each category returns at most `limit` hits from an indexed or bounded query: people by name or ID-number prefix
(index); houses by owner-name or address prefix for 1–2 characters (index) and through the 危房 list's own search
condition (FTS5 trigram, anywhere in the text) for 3 or more; the small tables (projects, communities, companies,
documents) by substring.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from liandu_desk.domain.communities import Community, PropertyCompany
from liandu_desk.domain.documents import Document
from liandu_desk.domain.elevators import ElevatorProject
from liandu_desk.domain.house_cases import RectificationCase
from liandu_desk.domain.houses import House
from liandu_desk.domain.registry import Person
from liandu_desk.domain.validators import mask_id_number
from liandu_desk.services.houses.listing import FTS_MIN_CHARS, search_condition

CATEGORIES = ("人员", "房屋", "整治案件", "电梯项目", "小区", "物业企业", "文书")
DEFAULT_LIMIT = 8
OWNER_LIMIT = 50


@dataclass(frozen=True)
class SearchHit:
    """One result: category, what to show, and the record it opens."""

    category: str
    title: str
    detail: str
    record_kind: str
    record_id: int


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _prefix_range(column, term: str):
    """column starts with term, as a range the column's b-tree index can serve."""
    return (column >= term) & (column < term + "\U0010ffff")


def normalize_term(text: str) -> str:
    """Trim, and accept [2021] / (2021) / 【2021】 for the 〔2021〕 of a document number."""
    term = " ".join(text.split())
    for a, b in (("[", "〔"), ("]", "〕"), ("【", "〔"), ("】", "〕"), ("（", "〔"), ("）", "〕")):
        term = term.replace(a, b)
    return term


def _people(session: Session, term: str, limit: int) -> list[SearchHit]:
    upper = term.upper()
    cond = _prefix_range(Person.id_number, upper) if upper[:1].isdigit() else _prefix_range(Person.name, term)
    house = select(House.id).where(House.owner_id == Person.id).limit(1).scalar_subquery()
    query = select(Person.id, Person.name, Person.id_number, house).where(cond).limit(limit)
    return [
        SearchHit("人员", name, mask_id_number(id_number), "house" if house_id else "person", house_id or pid)
        for pid, name, id_number, house_id in session.execute(query)
    ]


def _house_condition(session: Session, term: str):
    """Digits: owners whose ID number starts so; 1–2 characters: owner name or address starting with the term
    (indexes; a substring scan of 500,000 rows takes 0.3 s); 3 or more: anywhere in name, ID number or address
    (the 危房 list's FTS5/LIKE condition)."""
    if term[:1].isdigit():  # an ID number (or its start): owners found through the unique ID-number index
        owners = select(Person.id).where(_prefix_range(Person.id_number, term.upper())).limit(OWNER_LIMIT)
        return House.owner_id.in_(owners)
    if len(term) < FTS_MIN_CHARS:
        return or_(_prefix_range(House.owner_name, term), _prefix_range(House.address, term))
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
        )  # fmt: skip
        for c, owner, address in session.execute(query)
    ]


def _projects(session: Session, term: str, limit: int) -> list[SearchHit]:
    title = ElevatorProject.estate + ElevatorProject.building + "幢" + ElevatorProject.unit + "单元"
    query = select(ElevatorProject).where(title.like(_like(term), escape="\\")).limit(limit)
    return [
        SearchHit("电梯项目", p.title, p.current_stage.value, "elevator_project", p.id) for p in session.scalars(query)
    ]


def _communities(session: Session, term: str, limit: int) -> list[SearchHit]:
    query = select(Community).where(Community.name.like(_like(term), escape="\\")).limit(limit)
    return [SearchHit("小区", c.name, c.address or c.type.value, "community", c.id) for c in session.scalars(query)]


def _companies(session: Session, term: str, limit: int) -> list[SearchHit]:
    cond = or_(PropertyCompany.name.like(_like(term), escape="\\"), _prefix_range(PropertyCompany.uscc, term.upper()))
    query = select(PropertyCompany).where(cond).limit(limit)
    return [SearchHit("物业企业", c.name, c.uscc, "company", c.id) for c in session.scalars(query)]


def _documents(session: Session, term: str, limit: int) -> list[SearchHit]:
    query = (
        select(Document)
        .where(Document.number.is_not(None), Document.number.like(_like(term), escape="\\"))
        .order_by(Document.id.desc())
        .limit(limit)
    )
    return [
        SearchHit("文书", d.number or "", f"{d.doc_type.value}　{d.recipient}　{d.status.value}", "document", d.id)
        for d in session.scalars(query)
    ]


def search_all(session: Session, text: str, limit: int = DEFAULT_LIMIT) -> list[SearchHit]:
    """Up to `limit` hits per category, categories in CATEGORIES order; nothing for an empty term."""
    term = normalize_term(text)
    if not term:
        return []
    houses, house_ids = _houses(session, term, limit)
    return [
        *_people(session, term, limit),
        *houses,
        *_cases(session, house_ids, limit),
        *_projects(session, term, limit),
        *_communities(session, term, limit),
        *_companies(session, term, limit),
        *_documents(session, term, limit),
    ]


def count_documents(session: Session) -> int:
    """How many documents carry a number (for the benchmark's report)."""
    return session.scalar(select(func.count(Document.id)).where(Document.number.is_not(None))) or 0
