"""星级小区 in the global search: communities by name and property companies by name or credit code."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from liandu_desk.domain.communities import Community, PropertyCompany
from liandu_desk.services.search_hits import SearchHit, like, prefix_range


def _communities(session: Session, term: str, limit: int) -> list[SearchHit]:
    query = select(Community).where(Community.name.like(like(term), escape="\\")).limit(limit)
    return [SearchHit("小区", c.name, c.address or c.type.value, "community", c.id) for c in session.scalars(query)]


def _companies(session: Session, term: str, limit: int) -> list[SearchHit]:
    cond = or_(PropertyCompany.name.like(like(term), escape="\\"), prefix_range(PropertyCompany.uscc, term.upper()))
    query = select(PropertyCompany).where(cond).limit(limit)
    return [SearchHit("物业企业", c.name, c.uscc, "company", c.id) for c in session.scalars(query)]


def search(session: Session, term: str, limit: int) -> list[SearchHit]:
    """Up to `limit` communities, then up to `limit` companies."""
    return [*_communities(session, term, limit), *_companies(session, term, limit)]
