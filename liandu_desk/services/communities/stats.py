"""The `communities` figures of the stats contract, each one SQL aggregate."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from liandu_desk.domain.communities import Community, Issue, IssueStatus
from liandu_desk.domain.community_lists import StarRating
from liandu_desk.services.communities.lists import published_count
from liandu_desk.services.periods import Period


def _scalar(session: Session, query) -> int:
    return int(session.scalar(query) or 0)


def star_counts_query(period: Period):
    """Communities per star level by their latest rating of a period ended by `to` (uses the composite index)."""
    latest = (
        select(StarRating.community_id, func.max(StarRating.period_end).label("end"))
        .where(StarRating.period_end <= period.end)
        .group_by(StarRating.community_id)
        .subquery()
    )
    return (
        select(StarRating.stars, func.count())
        .join(latest, (latest.c.community_id == StarRating.community_id) & (latest.c.end == StarRating.period_end))
        .where(StarRating.stars >= 3)
        .group_by(StarRating.stars)
    )


def star_counts(session: Session, period: Period) -> dict[str, int]:
    """Communities by their latest star rating of a period ended by `to` (stock as of `to`)."""
    found = dict(session.execute(star_counts_query(period)).all())
    return {str(stars): int(found.get(stars, 0)) for stars in (5, 4, 3)}


def section(session: Session, period: Period) -> dict[str, Any]:
    """closed_managed, grid_staff, issues_found, issues_rectified, red_list, black_list, stars."""
    return {
        "closed_managed": _scalar(session, select(func.count(Community.id)).where(Community.closed_managed.is_(True))),
        "grid_staff": _scalar(
            session,
            select(func.count(func.distinct(Community.grid_staff_id))).where(Community.grid_staff_id.is_not(None)),
        ),
        "issues_found": _scalar(
            session, select(func.count(Issue.id)).where(Issue.found_on.between(period.start, period.end))
        ),
        "issues_rectified": _scalar(
            session,
            select(func.count(Issue.id)).where(
                Issue.status == IssueStatus.CLOSED, Issue.rectified_on.between(period.start, period.end)
            ),
        ),
        "red_list": published_count(session, "小区", "红榜", period),
        "black_list": published_count(session, "小区", "黑榜", period),
        "stars": star_counts(session, period),
    }
