"""Applying declared red/black list rules to a period's inspections and company evaluations."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from liandu_desk.domain.communities import Inspection, InspectionScore, ScoreItem
from liandu_desk.domain.community_lists import ListKind, RuleKind
from liandu_desk.services.communities.evaluations import company_scores
from liandu_desk.services.communities.ratings import period_scores
from liandu_desk.services.periods import Period


class Rule(Protocol):
    id: int
    list_kind: str
    kind: str
    threshold: float | None
    rounds: int | None


@dataclass
class Candidate:
    """A community or company a rule puts on a list, with the reason and the evidence."""

    list_kind: str
    subject_id: int
    rule_id: int | None
    reason: str
    evidence: str


def _veto_hits(session: Session, period: Period) -> dict[int, list[str]]:
    query = (
        select(Inspection.community_id, Inspection.inspected_on, Inspection.id, ScoreItem.text, InspectionScore.note)
        .join(InspectionScore, InspectionScore.inspection_id == Inspection.id)
        .join(ScoreItem, ScoreItem.id == InspectionScore.item_id)
        .where(
            Inspection.inspected_on.between(period.start, period.end),
            InspectionScore.veto_triggered.is_(True),
            Inspection.superseded_by_id.is_(None),
        )
        .order_by(Inspection.inspected_on)
    )
    hits: dict[int, list[str]] = {}
    for cid, day, inspection_id, text, note in session.execute(query):
        hits.setdefault(cid, []).append(f"{day} 检查（记录{inspection_id}）：{text}" + (f"（{note}）" if note else ""))
    return hits


def _failing_runs(session: Session, period: Period, rounds: int, pass_mark: float) -> dict[int, list[str]]:
    """Communities whose last `rounds` inspections up to the period end all failed, the latest within the period."""
    numbered = (
        select(
            Inspection.community_id,
            Inspection.inspected_on,
            Inspection.total,
            Inspection.vetoed,
            func.row_number()
            .over(partition_by=Inspection.community_id, order_by=(Inspection.inspected_on.desc(), Inspection.id.desc()))
            .label("n"),
        )
        .where(Inspection.inspected_on <= period.end, Inspection.superseded_by_id.is_(None))
        .subquery()
    )
    query = select(numbered).where(numbered.c.n <= rounds).order_by(numbered.c.community_id, numbered.c.n)
    runs: dict[int, list] = {}
    for cid, day, total, vetoed, _n in session.execute(query):
        runs.setdefault(cid, []).append((day, total, vetoed))
    found: dict[int, list[str]] = {}
    for cid, run in runs.items():
        failing = all(total < pass_mark or vetoed for _day, total, vetoed in run)
        if len(run) == rounds and failing and period.contains(run[0][0]):
            found[cid] = [f"{day} {total:g}分" + ("（否决）" if vetoed else "") for day, total, vetoed in reversed(run)]
    return found


def community_candidates(session: Session, period: Period, rules: Sequence[Rule]) -> list[Candidate]:
    """Black entries first (veto, failing rounds), then red entries for communities not on the black list."""
    black: dict[int, Candidate] = {}
    for rule in (r for r in rules if r.list_kind == ListKind.BLACK.value):
        if rule.kind == RuleKind.VETO.value:
            hits = {cid: ("期内触发一票否决项", lines) for cid, lines in _veto_hits(session, period).items()}
        elif rule.kind == RuleKind.FAILING_ROUNDS.value and rule.rounds and rule.threshold is not None:
            runs = _failing_runs(session, period, rule.rounds, rule.threshold)
            hits = {
                cid: (f"连续{rule.rounds}轮检查不合格（<{rule.threshold:g}分）", lines) for cid, lines in runs.items()
            }
        else:
            continue
        for cid, (reason, lines) in hits.items():
            _merge(black, Candidate(ListKind.BLACK.value, cid, rule.id, reason, "；".join(lines)))
    red: dict[int, Candidate] = {}
    scores = period_scores(session, period)
    for rule in (r for r in rules if r.list_kind == ListKind.RED.value):
        if rule.kind != RuleKind.AVERAGE_AT_LEAST.value or rule.threshold is None:
            continue
        for cid, s in scores.items():
            if cid not in black and not s.vetoed and s.average >= rule.threshold:
                reason = f"期内平均分{s.average:g}分（≥{rule.threshold:g}分），检查{s.inspections}次，无一票否决"
                _merge(red, Candidate(ListKind.RED.value, cid, rule.id, reason, _evidence(session, cid, period)))
    return list(black.values()) + list(red.values())


def _merge(found: dict[int, Candidate], candidate: Candidate) -> None:
    existing = found.get(candidate.subject_id)
    if existing is None:
        found[candidate.subject_id] = candidate
    else:
        existing.reason += "；" + candidate.reason
        existing.evidence += "；" + candidate.evidence


def _evidence(session: Session, community_id: int, period: Period) -> str:
    query = (
        select(Inspection.id, Inspection.inspected_on, Inspection.total)
        .where(
            Inspection.community_id == community_id,
            Inspection.inspected_on.between(period.start, period.end),
            Inspection.superseded_by_id.is_(None),
        )
        .order_by(Inspection.inspected_on)
    )
    return "；".join(f"{day} 检查（记录{i}）{total:g}分" for i, day, total in session.execute(query))


def company_candidates(session: Session, period: Period, rules: Sequence[Rule]) -> list[Candidate]:
    """Companies by weighted comprehensive evaluation: black below the line, red at or above it."""
    found: list[Candidate] = []
    black_ids: set[int] = set()
    scores = [s for s in company_scores(session, period) if s.weighted is not None]
    ordered = sorted(rules, key=lambda r: r.list_kind != ListKind.BLACK.value)
    for rule in ordered:
        if rule.threshold is None:
            continue
        for s in scores:
            parts = "，".join(f"{p}{v:g}" for p, v in s.scores.items())
            if rule.kind == RuleKind.SCORE_BELOW.value and s.weighted < rule.threshold:
                black_ids.add(s.company_id)
                reason = f"综合评价{s.weighted:g}分（<{rule.threshold:g}分）"
            elif rule.kind == RuleKind.SCORE_AT_LEAST.value and s.weighted >= rule.threshold:
                if s.company_id in black_ids:
                    continue
                reason = f"综合评价{s.weighted:g}分（≥{rule.threshold:g}分）"
            else:
                continue
            found.append(Candidate(rule.list_kind, s.company_id, rule.id, reason, f"各方评分：{parts}"))
    return found
