"""Source batches (e.g. 2021省委巡视): membership, verification (核实) and figures with an explicit denominator."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import and_, case, exists, func, or_, select
from sqlalchemy.orm import Session

from liandu_desk.domain.errors import ValidationError
from liandu_desk.domain.house_cases import VERIFIED_OUT, BatchMember, RectificationCase, SourceBatch, Verification
from liandu_desk.domain.houses import House
from liandu_desk.services.constraints import BATCH_NAME, flush_holding
from liandu_desk.services.houses.common import SaveResult, date_value, enum_value, get_or_raise, text_value


@dataclass(frozen=True)
class BatchFigures:
    """flagged − verified_out = rate_denominator; rate = rectified / rate_denominator; remaining = the rest."""

    name: str
    flagged: int
    verified_out: int
    rectified: int
    remaining: int
    rate: float
    rate_denominator: int

    def as_dict(self) -> dict[str, int | float]:
        return {
            "flagged": self.flagged,
            "verified_out": self.verified_out,
            "rectified": self.rectified,
            "remaining": self.remaining,
            "rate": self.rate,
            "rate_denominator": self.rate_denominator,
        }

    def explanation(self) -> str:
        """The sentence that explains the rate on screen and in reports."""
        return (
            f"{self.name}：交办{self.flagged}户，核实排除{self.verified_out}户（非危房或重复），"
            f"应整治{self.rate_denominator}户，已整治{self.rectified}户，"
            f"完成率{self.rate:.1%}（{self.rectified}/{self.rate_denominator}），剩余{self.remaining}户"
        )


def create_batch(session: Session, name: str, source: str = "", issued_on: dt.date | None = None) -> SaveResult:
    """A new source batch with a unique name."""
    name = text_value(name, "批次名称", 60, required=True)
    if session.scalar(select(SourceBatch.id).where(SourceBatch.name == name)) is not None:
        raise ValidationError("批次名称", f"“{name}”已存在")
    batch = SourceBatch(
        name=name, source=text_value(source, "来源", 60), issued_on=date_value(issued_on, "交办日期", required=False)
    )
    session.add(batch)
    flush_holding(session, BATCH_NAME, f"批次名称：“{name}”已存在（可能是他人刚刚建立的）")
    return SaveResult(batch.id, batch.version)


def add_members(session: Session, batch_id: int, house_ids: Iterable[int]) -> int:
    """Flag houses in a batch (already-flagged ones are skipped); returns how many were added."""
    get_or_raise(session, SourceBatch, batch_id, "批次")
    present = set(session.scalars(select(BatchMember.house_id).where(BatchMember.batch_id == batch_id)))
    added = 0
    for house_id in dict.fromkeys(house_ids):
        if house_id not in present:
            get_or_raise(session, House, house_id, "房屋")
            session.add(BatchMember(batch_id=batch_id, house_id=house_id))
            added += 1
    session.flush()
    return added


def verify_member(
    session: Session, batch_id: int, house_id: int, outcome: str, verified_on: dt.date, note: str = ""
) -> SaveResult:
    """Record the verification (核实) of a flagged house: 确认, 非危房 or 重复."""
    member = session.scalar(
        select(BatchMember).where(BatchMember.batch_id == batch_id, BatchMember.house_id == house_id)
    )
    if member is None:
        raise ValidationError("核实", "该房屋不在此批次名单中")
    member.verification = enum_value(Verification, outcome, "核实结果")
    member.verified_on = date_value(verified_on, "核实日期")
    member.note = note.strip() or None
    session.flush()
    return SaveResult(member.id, member.version)


def _figures_query(as_of: dt.date | None):
    out = BatchMember.verification.in_([v.value for v in VERIFIED_OUT])
    if as_of is not None:
        out = and_(out, or_(BatchMember.verified_on.is_(None), BatchMember.verified_on <= as_of))
    done = [
        RectificationCase.house_id == BatchMember.house_id,
        RectificationCase.batch_id == BatchMember.batch_id,
        RectificationCase.completed_on.is_not(None),
    ]
    if as_of is not None:
        done.append(RectificationCase.completed_on <= as_of)
    rectified = and_(~out, exists().where(*done))
    return (
        select(
            SourceBatch.name,
            func.count(BatchMember.id),
            func.coalesce(func.sum(case((out, 1), else_=0)), 0),
            func.coalesce(func.sum(case((rectified, 1), else_=0)), 0),
        )
        .join(BatchMember, BatchMember.batch_id == SourceBatch.id)
        .group_by(SourceBatch.id, SourceBatch.name)
        .order_by(SourceBatch.issued_on, SourceBatch.id)
    )


def _figures(name: str, flagged: int, verified_out: int, rectified: int) -> BatchFigures:
    denominator = flagged - verified_out
    rate = rectified / denominator if denominator else 0.0
    return BatchFigures(name, flagged, verified_out, rectified, denominator - rectified, rate, denominator)


def all_batch_figures(session: Session, as_of: dt.date | None = None) -> dict[str, BatchFigures]:
    """Figures of every batch, counting verifications and completions up to `as_of` (all when None)."""
    rows = session.execute(_figures_query(as_of))
    return {name: _figures(name, int(f), int(o), int(r)) for name, f, o, r in rows}


def batch_figures(session: Session, name: str, as_of: dt.date | None = None) -> BatchFigures:
    """Figures of one batch (zeros if it has no members yet)."""
    return all_batch_figures(session, as_of).get(name) or _figures(name, 0, 0, 0)
