"""Property-company comprehensive evaluation: scores from 业委会, 居委会, 物业协会 and the bureau, weighted."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from liandu_desk.domain.communities import PropertyCompany
from liandu_desk.domain.community_lists import CompanyEvaluation, EvaluationParty, EvaluationWeight
from liandu_desk.domain.errors import NotFoundError, ValidationError
from liandu_desk.domain.permissions import Permission, requires
from liandu_desk.services.communities.defaults import ensure_defaults
from liandu_desk.services.constraints import COMPANY_EVALUATION, flush_holding
from liandu_desk.services.periods import Period

PARTIES = tuple(p.value for p in EvaluationParty)


@dataclass(frozen=True)
class CompanyScore:
    """A company's evaluation for a period: each party's score and the weighted result."""

    company_id: int
    name: str
    uscc: str
    scores: dict[str, float]
    weighted: float | None
    complete: bool


def get_weights(session: Session) -> dict[str, float]:
    """The weight of each party (summing to 1)."""
    ensure_defaults(session)
    stored = {w.party.value: w.weight for w in session.scalars(select(EvaluationWeight))}
    return {party: stored.get(party, 0.0) for party in PARTIES}


@requires(Permission.EDIT_TEMPLATES)
def save_weights(session: Session, weights: dict[str, float]) -> None:
    """Replace the weights: each between 0 and 1, together exactly 1 (to 0.001)."""
    cleaned: dict[str, float] = {}
    for party in PARTIES:
        try:
            value = float(weights.get(party, 0.0))
        except (TypeError, ValueError):
            raise ValidationError(f"{party}权重", "应为数字") from None
        if not 0 <= value <= 1:
            raise ValidationError(f"{party}权重", "应在0至1之间")
        cleaned[party] = value
    if abs(sum(cleaned.values()) - 1) > 0.001:
        raise ValidationError("权重合计", f"应为1，现为{sum(cleaned.values()):g}")
    ensure_defaults(session)
    existing = {w.party.value: w for w in session.scalars(select(EvaluationWeight))}
    for party, value in cleaned.items():
        row = existing.get(party) or EvaluationWeight(party=EvaluationParty(party))
        row.weight = value
        session.add(row)
    session.flush()


def record_evaluation(
    session: Session, company_id: int, period: Period, party: str, score: float, note: str = ""
) -> None:
    """Store (or replace) one party's 0–100 score of a company for a period."""
    if session.get(PropertyCompany, company_id) is None:
        raise NotFoundError(f"物业企业（编号{company_id}）不存在")
    try:
        party_enum = EvaluationParty(party)
    except ValueError:
        raise ValidationError("评价主体", f"应为{'、'.join(PARTIES)}之一") from None
    if not 0 <= score <= 100:
        raise ValidationError(f"{party}评分", "应在0至100之间")
    row = session.scalar(
        select(CompanyEvaluation).where(
            CompanyEvaluation.company_id == company_id,
            CompanyEvaluation.period_start == period.start,
            CompanyEvaluation.period_end == period.end,
            CompanyEvaluation.party == party_enum,
        )
    ) or CompanyEvaluation(company_id=company_id, period_start=period.start, period_end=period.end, party=party_enum)
    row.score, row.note = float(score), note.strip() or None
    session.add(row)
    refusal = (
        f"物业企业（编号{company_id}）{period.start}至{period.end}的{party}评分刚由他人同时录入，"
        "本次未保存，请刷新后再试"
    )
    flush_holding(session, COMPANY_EVALUATION, refusal)


def weighted_score(scores: dict[str, float], weights: dict[str, float]) -> float | None:
    """Σ weight×score over the parties that scored, divided by their total weight (None if nobody scored)."""
    present = [p for p in scores if weights.get(p, 0) > 0]
    total_weight = sum(weights[p] for p in present)
    if not total_weight:
        return None
    return round(sum(weights[p] * scores[p] for p in present) / total_weight, 2)


def company_scores(session: Session, period: Period) -> list[CompanyScore]:
    """Every company evaluated for the period, best weighted score first."""
    weights = get_weights(session)
    query = (
        select(CompanyEvaluation, PropertyCompany.name, PropertyCompany.uscc)
        .join(PropertyCompany, PropertyCompany.id == CompanyEvaluation.company_id)
        .where(CompanyEvaluation.period_start == period.start, CompanyEvaluation.period_end == period.end)
    )
    found: dict[int, tuple[str, str, dict[str, float]]] = {}
    for evaluation, name, uscc in session.execute(query):
        found.setdefault(evaluation.company_id, (name, uscc, {}))[2][evaluation.party.value] = evaluation.score
    rows = []
    for cid, (name, uscc, stored) in found.items():
        scores = {party: stored[party] for party in PARTIES if party in stored}  # the parties' order, on any backend
        rows.append(CompanyScore(cid, name, uscc, scores, weighted_score(scores, weights), set(scores) >= set(PARTIES)))
    return sorted(rows, key=lambda r: (r.weighted is None, -(r.weighted or 0), r.name))
