"""Appraisals (鉴定): each re-appraisal is a new row, so the grade history is never erased."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from liandu_desk.domain.errors import ValidationError
from liandu_desk.domain.houses import Appraisal, AppraisalStandard, Grade, Handling, House, HouseKind
from liandu_desk.services.houses.common import (
    SaveResult,
    check_version,
    date_value,
    enum_value,
    get_or_raise,
    text_value,
)
from liandu_desk.services.houses.summary import refresh_summary

# domain §1.2, "suggested rule (UI warning only)" [U]: usual handling types per grade.
USUAL_HANDLING: dict[Grade, tuple[Handling, ...]] = {
    Grade.A: (),
    Grade.B: (),
    Grade.C: (Handling.TREAT, Handling.OBSERVE),
    Grade.D: (Handling.STOP, Handling.DEMOLISH),
}


@dataclass(frozen=True)
class AppraisalInput:
    """What the appraisal form edits."""

    appraised_on: dt.date
    grade: str
    agency: str = ""
    report_no: str = ""
    handling: str | None = None
    note: str = ""
    standard: str | None = None  # empty: the usual one for the house (rural guide or JGJ 125-2016)
    disaster_measures: str = ""  # 防灾措施 conclusion, rural houses only


def handling_warnings(grade: Grade | str, handling: Handling | str | None) -> list[str]:
    """Warnings (never blocks) for an unusual grade/handling pair."""
    grade = Grade(grade)
    handling = Handling(handling) if handling else None
    usual = USUAL_HANDLING[grade]
    if not usual:
        return [f"处理类型：{grade.value}级房屋一般无需处理类型（已填“{handling.value}”）"] if handling else []
    if handling is None:
        return [f"处理类型：{grade.value}级危房应填写处理类型（通常为{'或'.join(h.value for h in usual)}）"]
    if handling not in usual:
        expected = "或".join(h.value for h in usual)
        return [f"处理类型：{grade.value}级房屋通常为{expected}，所填“{handling.value}”较少见，请核实"]
    return []


def _apply(row: Appraisal, data: AppraisalInput, kind: HouseKind | None = None) -> list[str]:
    rural = kind == HouseKind.RURAL
    if data.standard:
        row.standard = enum_value(AppraisalStandard, data.standard, "鉴定标准")
    elif row.standard is None:
        row.standard = AppraisalStandard.RURAL_GUIDE if rural else AppraisalStandard.JGJ125
    measures = (data.disaster_measures or "").strip()
    if measures and not rural:
        raise ValidationError("防灾措施结论", "只有农村房屋的鉴定记录防灾措施结论")
    row.disaster_measures = text_value(measures, "防灾措施结论", 200) or None
    row.appraised_on = date_value(data.appraised_on, "鉴定日期")
    row.grade = enum_value(Grade, data.grade, "鉴定等级")
    row.handling = enum_value(Handling, data.handling, "处理类型") if data.handling else None
    row.agency = text_value(data.agency, "鉴定机构", 100)
    row.report_no = text_value(data.report_no, "报告编号", 60)
    row.note = data.note.strip() or None
    return handling_warnings(row.grade, row.handling)


def add_appraisal(session: Session, house_id: int, data: AppraisalInput) -> SaveResult:
    """Record an appraisal or re-appraisal; earlier ones stay as the grade history."""
    get_or_raise(session, House, house_id, "房屋")
    house = get_or_raise(session, House, house_id, "房屋")
    row = Appraisal(house_id=house_id)
    warnings = _apply(row, data, house.kind)
    session.add(row)
    session.flush()
    refresh_summary(session, house_id)
    return SaveResult(row.id, row.version, tuple(warnings))


def correct_appraisal(session: Session, appraisal_id: int, data: AppraisalInput, expected_version: int | None):
    """Correct a typing error in an appraisal (the audit trail keeps the old values)."""
    row = get_or_raise(session, Appraisal, appraisal_id, "鉴定记录")
    check_version(row, expected_version)
    warnings = _apply(row, data, session.get(House, row.house_id).kind)
    session.flush()
    refresh_summary(session, row.house_id)
    return SaveResult(row.id, row.version, tuple(warnings))


def grade_history(session: Session, house_id: int) -> list[tuple[dt.date, str]]:
    """Every grade of a house, oldest first."""
    query = (
        select(Appraisal.appraised_on, Appraisal.grade)
        .where(Appraisal.house_id == house_id)
        .order_by(Appraisal.appraised_on, Appraisal.id)
    )
    return [(day, grade.value) for day, grade in session.execute(query)]
