"""The house list: filters, SQL sort, live count, paged rows and substring search (LIKE or FTS5 trigram)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Integer, column, func, literal_column, or_, select, text, type_coerce
from sqlalchemy.orm import Session, aliased

from liandu_desk.domain.house_cases import OPEN_CASE_STATUSES, BatchMember, CaseStatus, SourceBatch
from liandu_desk.domain.houses import Grade, House
from liandu_desk.domain.registry import Division, Person
from liandu_desk.domain.validators import mask_id_number
from liandu_desk.services.as_of import as_of_day
from liandu_desk.services.divisions import DivisionInfo, list_children, list_townships, retired_children

UNGRADED = "未鉴定"
ID_FRAGMENT = re.compile(r"[0-9]+[Xx]?")
FTS_MIN_CHARS = 3  # FTS5 trigram silently misses shorter terms: 1-2 characters go to LIKE.
SORT_COLUMNS = {
    "id": House.id,
    "township": House.township_id,
    "village": House.village_id,
    "address": House.address,
    "owner": House.owner_name,
    "kind": House.kind,
    "grade": House.latest_grade,
    "status": House.case_status,
    "deadline": House.case_deadline,
}
SORT_KEYS: tuple[str, ...] = tuple(SORT_COLUMNS)


@dataclass(frozen=True)
class HouseFilter:
    """What the list shows; empty fields do not filter."""

    township_id: int | None = None
    village_id: int | None = None
    kind: str | None = None
    grade: str | None = None
    case_status: str | None = None
    batch: str | None = None
    overdue: bool = False
    search: str = ""
    today: dt.date | None = None

    @property
    def is_selective(self) -> bool:
        """Whether anything but the (unselective) kind narrows the list."""
        return bool(
            self.township_id or self.village_id or self.grade or self.case_status or self.batch or self.overdue
        ) or bool(self.search.strip())


@dataclass(frozen=True)
class HouseListRow:
    """One line of the house list."""

    id: int
    township: str
    village: str
    address: str
    owner_name: str
    owner_id_masked: str
    kind: str
    structure: str
    floors: int | None
    latest_grade: str | None
    case_status: str | None
    batch: str | None
    deadline: dt.date | None
    overdue: bool


@dataclass(frozen=True)
class FilterOptions:
    """Choices for the filter bar."""

    townships: list[DivisionInfo]
    villages: dict[int, list[DivisionInfo]]
    batches: list[str]
    case_statuses: list[str]
    grades: list[str]


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def _text_matches(session: Session, term: str):
    """Ids of houses whose search text (owner name, address) contains the term."""
    if len(term) >= FTS_MIN_CHARS and _dialect(session) == "sqlite":
        phrase = '"' + term.replace('"', '""') + '"'
        matches = text("SELECT rowid FROM house_fts WHERE house_fts MATCH :phrase").bindparams(phrase=phrase)
        return matches.columns(column("rowid", Integer))
    return select(House.id).where(House.search_text.like(f"%{_escape_like(term.upper())}%", escape="\\"))


def search_condition(session: Session, term: str) -> ColumnElement[bool] | None:
    """Owner name or address containing the term (FTS5 trigram for 3+ characters on SQLite, else LIKE); a term
    of digits (and a final X) also matches the owner's ID number."""
    term = term.strip()
    if not term:
        return None
    if len(term) < FTS_MIN_CHARS or _dialect(session) != "sqlite":
        found = House.search_text.like(f"%{_escape_like(term.upper())}%", escape="\\")
        if not ID_FRAGMENT.fullmatch(term):
            return found
        return or_(found, House.owner_id.in_(_id_owners(term)))
    matches = House.id.in_(_text_matches(session, term))
    if ID_FRAGMENT.fullmatch(term):  # SQLite answers this OR with two index lookups (MULTI-INDEX OR)
        return or_(matches, House.owner_id.in_(_id_owners(term)))
    return matches


def _id_owners(term: str):
    return select(Person.id).where(Person.id_number.like(f"%{_escape_like(term.upper())}%", escape="\\"))


def _conditions(session: Session, f: HouseFilter) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if f.township_id:
        where.append(House.township_id == f.township_id)
    if f.village_id:
        where.append(House.village_id == f.village_id)
    if f.kind:
        where.append(House.kind == f.kind)
    if f.grade:
        where.append(House.latest_grade.is_(None) if f.grade == UNGRADED else House.latest_grade == f.grade)
    if f.case_status:
        where.append(House.case_status == f.case_status)
    if f.batch:
        members = select(BatchMember.house_id).join(SourceBatch).where(SourceBatch.name == f.batch)
        where.append(House.id.in_(members))
    if f.overdue:
        today = f.today or as_of_day(session)
        # Drive by the (few) open statuses, not by the deadline index: every house with a case has a deadline.
        deadline = House.case_deadline
        if _dialect(session) == "sqlite":
            deadline = type_coerce(literal_column("+house.case_deadline"), House.case_deadline.type)
        where += [House.case_status.in_([s.value for s in OPEN_CASE_STATUSES]), deadline < today]
    found = search_condition(session, f.search)
    if found is not None:
        where.append(found)
    return where


def count_houses(session: Session, f: HouseFilter) -> int:
    """How many houses match the filter."""
    return session.scalar(select(func.count()).select_from(House).where(*_conditions(session, f))) or 0


def _order_column(session: Session, sort: str, f: HouseFilter):
    """The sort column; with a selective filter on SQLite it is wrapped in unary + so the planner does not walk
    the sort index over the whole table to skip a sort of the (small) filtered set (see measured.md)."""
    if sort not in SORT_COLUMNS:
        raise ValueError(f"unknown sort key {sort!r}")
    col = SORT_COLUMNS[sort]
    if f.is_selective and _dialect(session) == "sqlite":
        return type_coerce(literal_column(f"+house.{col.key}"), col.type)
    return col


def house_ids_query(session: Session, f: HouseFilter, sort: str = "id", descending: bool = False):
    """The SELECT behind house_ids (exposed for EXPLAIN QUERY PLAN tests)."""
    col = _order_column(session, sort, f)
    if _dialect(session) == "sqlite":
        order = [col.desc(), House.id.desc()] if descending else [col, House.id]
    else:  # SQLite sorts NULL lowest; other databases are told so, for the same order everywhere
        order = [col.desc().nulls_last(), House.id.desc()] if descending else [col.asc().nulls_first(), House.id]
    if sort == "id":
        order = order[:1]  # (with a filter, +house.id: scan the narrowest index, then sort the matches)
    return select(House.id).where(*_conditions(session, f)).order_by(*order)


def house_ids(
    session: Session, f: HouseFilter, sort: str = "id", descending: bool = False, limit: int | None = None
) -> list[int]:
    """The id of every matching house in display order (only the first `limit` when given: the first screen)."""
    query = house_ids_query(session, f, sort, descending)
    result = session.connection().execute(query.limit(limit) if limit is not None else query)
    cursor = getattr(result, "cursor", None)
    if cursor is None:
        return [row[0] for row in result]
    # Plain integers straight from the driver: building 500,000 Row objects would cost more than the query.
    try:
        return [row[0] for row in cursor.fetchall()]
    finally:
        result.close()


def batch_name_subquery():
    """Correlated subquery: the name of the newest source batch the house belongs to."""
    return (
        select(SourceBatch.name)
        .join(BatchMember, BatchMember.batch_id == SourceBatch.id)
        .where(BatchMember.house_id == House.id)
        .order_by(BatchMember.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def house_rows(session: Session, ids: Sequence[int], today: dt.date | None = None) -> list[HouseListRow]:
    """The list rows of a page of ids, in the order of ids (ids no longer on file are skipped)."""
    if not ids:
        return []
    today = today or as_of_day(session)
    town, village = aliased(Division), aliased(Division)
    query = (
        select(House, town.name, village.name, Person.id_number, batch_name_subquery())
        .join(town, town.id == House.township_id)
        .outerjoin(village, village.id == House.village_id)
        .outerjoin(Person, Person.id == House.owner_id)
        .where(House.id.in_(list(ids)))
    )
    found = {}
    for house, town_name, village_name, id_number, batch in session.execute(query):
        found[house.id] = _row(house, town_name, village_name or "", id_number, batch, today)
    return [found[i] for i in ids if i in found]


def is_overdue(status: str | None, deadline: dt.date | None, today: dt.date) -> bool:
    """An open case past its deadline."""
    open_values = {s.value for s in OPEN_CASE_STATUSES}
    return status in open_values and deadline is not None and deadline < today


def _row(house: House, town: str, village: str, id_number: str | None, batch: str | None, today: dt.date):
    return HouseListRow(
        id=house.id,
        township=town,
        village=village,
        address=house.address,
        owner_name=house.owner_name,
        owner_id_masked=mask_id_number(id_number),
        kind=house.kind.value,
        structure=house.structure.value,
        floors=house.floors,
        latest_grade=house.latest_grade,
        case_status=house.case_status,
        batch=batch,
        deadline=house.case_deadline,
        overdue=is_overdue(house.case_status, house.case_deadline, today),
    )


def filter_options(session: Session) -> FilterOptions:
    """Townships, their villages/communities, batch names, case statuses and grades for the filter bar."""
    townships = list_townships(session)
    villages = {t.id: list_children(session, t.id) + retired_children(session, t.id) for t in townships}
    batches = list(session.scalars(select(SourceBatch.name).order_by(SourceBatch.issued_on, SourceBatch.id)))
    return FilterOptions(
        townships=townships,
        villages=villages,
        batches=batches,
        case_statuses=[s.value for s in CaseStatus],
        grades=[g.value for g in Grade] + [UNGRADED],
    )
