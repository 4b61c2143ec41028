"""Star ratings per period from thresholds kept as data, star history, and the 擂台赛 leaderboard with movement."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import case, delete, func, select
from sqlalchemy.orm import Session

from liandu_desk.domain.communities import Community, Inspection
from liandu_desk.domain.community_lists import StarRating, StarRule
from liandu_desk.domain.errors import ValidationError
from liandu_desk.domain.permissions import Permission, requires
from liandu_desk.services.communities.defaults import ensure_defaults
from liandu_desk.services.constraints import STAR_RATING, flush_holding
from liandu_desk.services.periods import Period


@dataclass(frozen=True)
class PeriodScore:
    """A community's inspections in a period, aggregated."""

    community_id: int
    average: float
    inspections: int
    vetoed: bool


@dataclass(frozen=True)
class StarRuleRow:
    """One star level's thresholds."""

    stars: int
    min_average: float
    min_inspections: int
    no_veto: bool = True
    active: bool = True

    def describe(self) -> str:
        veto = "，期内无一票否决" if self.no_veto else ""
        return f"{self.stars}星：期内平均分≥{self.min_average:g}分，检查≥{self.min_inspections}次{veto}"


@dataclass(frozen=True)
class LeaderRow:
    """One line of the leaderboard."""

    rank: int
    community_id: int
    community: str
    type: str
    average: float
    inspections: int
    vetoed: bool
    stars: int
    previous_rank: int | None

    @property
    def movement(self) -> int | None:
        """Places gained since the previous period (negative = fell); None if not ranked then."""
        return None if self.previous_rank is None else self.previous_rank - self.rank


def period_scores(session: Session, period: Period) -> dict[int, PeriodScore]:
    """Average total, count and veto flag of each community's inspections dated in the period (one SQL aggregate)."""
    query = (
        select(
            Inspection.community_id,
            func.avg(Inspection.total),
            func.count(Inspection.id),
            func.max(case((Inspection.vetoed.is_(True), 1), else_=0)),
        )
        .where(Inspection.inspected_on.between(period.start, period.end), Inspection.superseded_by_id.is_(None))
        .group_by(Inspection.community_id)
    )
    return {cid: PeriodScore(cid, round(avg, 2), n, bool(v)) for cid, avg, n, v in session.execute(query)}


def star_rules(session: Session) -> list[StarRuleRow]:
    """The star thresholds, highest level first."""
    ensure_defaults(session)
    query = select(StarRule).order_by(StarRule.stars.desc())
    return [StarRuleRow(r.stars, r.min_average, r.min_inspections, r.no_veto, r.active) for r in session.scalars(query)]


@requires(Permission.EDIT_TEMPLATES)
def save_star_rules(session: Session, rules: Sequence[StarRuleRow]) -> None:
    """Replace the thresholds; a higher level may not need a lower average than a lower level."""
    ordered = sorted(rules, key=lambda r: r.stars)
    for rule in ordered:
        if not 1 <= rule.stars <= 5:
            raise ValidationError("星级", "应为1至5")
        if not 0 <= rule.min_average <= 100:
            raise ValidationError(f"{rule.stars}星 平均分", "应在0至100之间")
        if rule.min_inspections < 1:
            raise ValidationError(f"{rule.stars}星 检查次数", "至少1次")
    for low, high in zip(ordered, ordered[1:], strict=False):
        if high.min_average < low.min_average:
            raise ValidationError(f"{high.stars}星 平均分", f"不能低于{low.stars}星的{low.min_average:g}分")
    existing = {r.stars: r for r in session.scalars(select(StarRule))}
    for rule in ordered:
        row = existing.pop(rule.stars, None) or StarRule(stars=rule.stars)
        row.min_average, row.min_inspections = rule.min_average, rule.min_inspections
        row.no_veto, row.active = rule.no_veto, rule.active
        session.add(row)
    for row in existing.values():
        session.delete(row)
    session.flush()


def stars_for(score: PeriodScore | None, rules: Sequence[StarRuleRow]) -> tuple[int, str]:
    """The highest active level whose thresholds the score meets, and the rule text (0 stars if none)."""
    if score is None:
        return 0, "期内无检查"
    for rule in sorted((r for r in rules if r.active), key=lambda r: -r.stars):
        if rule.no_veto and score.vetoed:
            continue
        if score.average >= rule.min_average and score.inspections >= rule.min_inspections:
            return rule.stars, rule.describe()
    return 0, "未达到星级标准" + ("（期内触发一票否决）" if score.vetoed else "")


def rate_period(session: Session, period: Period) -> dict[int, int]:
    """Rate every community inspected in the period (replacing earlier ratings of it); returns {stars: count}."""
    rules = star_rules(session)
    scores = period_scores(session, period)
    session.execute(
        delete(StarRating).where(StarRating.period_start == period.start, StarRating.period_end == period.end)
    )
    counts: dict[int, int] = {}
    for score in scores.values():
        stars, basis = stars_for(score, rules)
        session.add(
            StarRating(
                community_id=score.community_id,
                period_start=period.start,
                period_end=period.end,
                stars=stars,
                average=score.average,
                inspections=score.inspections,
                vetoed=score.vetoed,
                basis=basis,
            )
        )
        counts[stars] = counts.get(stars, 0) + 1
    refusal = f"{period.start}至{period.end}的星级评定刚由他人同时进行并已保存，本次评定未保存，请刷新后再评定"
    flush_holding(session, STAR_RATING, refusal)
    return counts


@dataclass(frozen=True)
class StarPoint:
    """One period of a community's star history."""

    period_start: dt.date
    period_end: dt.date
    stars: int
    average: float | None


def star_history(session: Session, community_id: int) -> list[StarPoint]:
    """A community's ratings, oldest period first (for the chart)."""
    query = select(StarRating).where(StarRating.community_id == community_id).order_by(StarRating.period_end)
    return [StarPoint(r.period_start, r.period_end, r.stars, r.average) for r in session.scalars(query)]


def current_stars(session: Session, on: dt.date) -> dict[int, int]:
    """Each community's latest rating of a period ended by `on`."""
    latest = (
        select(StarRating.community_id, func.max(StarRating.period_end).label("end"))
        .where(StarRating.period_end <= on)
        .group_by(StarRating.community_id)
        .subquery()
    )
    query = select(StarRating.community_id, StarRating.stars).join(
        latest, (latest.c.community_id == StarRating.community_id) & (latest.c.end == StarRating.period_end)
    )
    return dict(session.execute(query).all())


def _ranks(scores: dict[int, PeriodScore]) -> dict[int, int]:
    """Competition ranking (1, 2, 2, 4): vetoed communities after all others, then by average descending."""
    ordered = sorted(scores.values(), key=lambda s: (s.vetoed, -s.average))
    ranks: dict[int, int] = {}
    previous: tuple[bool, float] | None = None
    for position, score in enumerate(ordered, start=1):
        key = (score.vetoed, score.average)
        if key != previous:
            rank, previous = position, key
        ranks[score.community_id] = rank
    return ranks


def leaderboard(
    session: Session, period: Period, type_: str | None = None, previous: Period | None = None
) -> list[LeaderRow]:
    """The 擂台赛 ranking for a period (optionally within one community type), with movement since `previous`
    (by default the period of the same length just before)."""
    names = {
        cid: (name, ctype.value)
        for cid, name, ctype in session.execute(select(Community.id, Community.name, Community.type))
        if type_ is None or ctype.value == type_
    }
    now = {cid: s for cid, s in period_scores(session, period).items() if cid in names}
    before = {cid: s for cid, s in period_scores(session, previous or period.previous()).items() if cid in names}
    ranks, previous_ranks = _ranks(now), _ranks(before)
    rules = star_rules(session)
    rows = [
        LeaderRow(
            ranks[cid],
            cid,
            names[cid][0],
            names[cid][1],
            s.average,
            s.inspections,
            s.vetoed,
            stars_for(s, rules)[0],
            previous_ranks.get(cid),
        )
        for cid, s in now.items()
    ]
    return sorted(rows, key=lambda r: (r.rank, r.community))
