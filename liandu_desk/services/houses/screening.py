"""Screening records (排查录入, 一房一表): entry and correction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from liandu_desk.domain.errors import ValidationError
from liandu_desk.domain.houses import HAZARDS, House, Screening, ScreeningConclusion
from liandu_desk.services.houses.common import (
    SaveResult,
    check_version,
    date_value,
    enum_value,
    get_or_raise,
    text_value,
)


@dataclass(frozen=True)
class ScreeningInput:
    """What the screening form edits; hazards is a multi-select from HAZARDS."""

    screened_on: dt.date
    conclusion: str
    screener: str = ""
    hazards: tuple[str, ...] = field(default_factory=tuple)
    note: str = ""


def _hazards(values: tuple[str, ...] | list[str]) -> list[str]:
    unknown = [v for v in values if v not in HAZARDS]
    if unknown:
        raise ValidationError("隐患情况", f"“{'、'.join(unknown)}”不是可选项")
    return [h for h in HAZARDS if h in set(values)]


def _apply(row: Screening, data: ScreeningInput) -> list[str]:
    row.screened_on = date_value(data.screened_on, "排查日期")
    row.conclusion = enum_value(ScreeningConclusion, data.conclusion, "排查结论")
    row.screener = text_value(data.screener, "排查人", 40)
    row.hazards = _hazards(data.hazards)
    row.note = data.note.strip() or None
    if row.conclusion == ScreeningConclusion.NONE and row.hazards:
        return ["排查结论：结论为“无隐患”但勾选了隐患情况，请核实"]
    if row.conclusion == ScreeningConclusion.COLLAPSE_RISK:
        return ["排查结论：有结构倒塌风险，应尽快委托鉴定并落实管控措施"]
    return []


def add_screening(session: Session, house_id: int, data: ScreeningInput) -> SaveResult:
    """Record a screening of a house."""
    get_or_raise(session, House, house_id, "房屋")
    row = Screening(house_id=house_id)
    warnings = _apply(row, data)
    session.add(row)
    session.flush()
    return SaveResult(row.id, row.version, tuple(warnings))


def update_screening(session: Session, screening_id: int, data: ScreeningInput, expected_version: int | None):
    """Correct a screening record."""
    row = get_or_raise(session, Screening, screening_id, "排查记录")
    check_version(row, expected_version)
    warnings = _apply(row, data)
    session.flush()
    return SaveResult(row.id, row.version, tuple(warnings))
