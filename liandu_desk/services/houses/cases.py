"""Rectification cases (整治): opening, progress, completion and close-out (销号) with its evidence rule."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from liandu_desk.domain.errors import RuleError, ValidationError
from liandu_desk.domain.house_cases import (
    DEMOLITION_MEASURES,
    OPEN_CASE_STATUSES,
    BatchMember,
    CaseProgress,
    CaseStatus,
    Measure,
    RectificationCase,
    SourceBatch,
    Verification,
)
from liandu_desk.domain.houses import DANGEROUS_GRADES, Appraisal, Grade, House
from liandu_desk.domain.permissions import Permission, requires
from liandu_desk.services.constraints import OPEN_CASE, flush_holding
from liandu_desk.services.documents.calendar import WorkCalendar
from liandu_desk.services.houses.common import (
    SaveResult,
    check_version,
    date_value,
    enum_value,
    get_or_raise,
    text_value,
)
from liandu_desk.services.houses.summary import latest_appraisal, refresh_summary
from liandu_desk.services.settings import get_setting


@dataclass(frozen=True)
class CaseInput:
    """What the case form edits; an empty deadline becomes opened_on + the configured working days."""

    measure: str
    opened_on: dt.date
    deadline: dt.date | None = None
    batch: str = ""
    responsible: str = ""
    note: str = ""


NO_CLOSE_OUT_EVIDENCE = "销号需要依据：整改后复鉴为A级或B级，或已记录拆除日期"


def _batch_id(session: Session, name: str, house_id: int) -> int | None:
    name = name.strip()
    if not name:
        return None
    batch_id = session.scalar(select(SourceBatch.id).where(SourceBatch.name == name))
    if batch_id is None:
        raise ValidationError("来源批次", f"“{name}”不存在")
    member = session.scalar(
        select(BatchMember).where(BatchMember.batch_id == batch_id, BatchMember.house_id == house_id)
    )
    if member is None:
        raise ValidationError("来源批次", f"该房屋不在“{name}”名单中")
    if member.verification not in (Verification.PENDING, Verification.CONFIRMED):
        raise RuleError(f"该房屋在“{name}”中已核实为{member.verification.value}，无需整治")
    return batch_id


def _check_dangerous(session: Session, house_id: int, batch_id: int | None) -> Appraisal | None:
    appraisal = latest_appraisal(session, house_id)
    if batch_id is None and (appraisal is None or appraisal.grade not in DANGEROUS_GRADES):
        grade = f"最近鉴定为{appraisal.grade.value}级" if appraisal else "尚未鉴定"
        raise RuleError(f"该房屋{grade}；只有鉴定为C级或D级（或列入核查批次）的房屋才能立案整治")
    return appraisal


def _apply(session: Session, row: RectificationCase, data: CaseInput) -> None:
    days = int(get_setting(session, "deadline.house_rectify"))  # read first: a query would autoflush half an edit
    calendar = WorkCalendar.load(session)  # the same working-day calendar as the case's notice
    row.measure = enum_value(Measure, data.measure, "整治措施")
    row.opened_on = date_value(data.opened_on, "立案日期")
    if data.deadline is not None and data.deadline < row.opened_on:
        raise ValidationError("整改期限", "不能早于立案日期")
    row.deadline = data.deadline or calendar.add_working_days(row.opened_on, days)
    row.responsible = text_value(data.responsible, "责任人", 60)
    row.note = data.note.strip() or None


def open_case(session: Session, house_id: int, data: CaseInput) -> SaveResult:
    """Open a rectification case for a C/D house (or one flagged by a batch)."""
    house = get_or_raise(session, House, house_id, "房屋")
    refusal = (
        f"房屋{house_id}（{house.owner_name or '户主不详'}，{house.address or '地址不详'}）已有未办结的整治案件"
        "（可能是他人刚刚立案的），不能重复立案"
    )
    batch_id = _batch_id(session, data.batch, house_id)
    appraisal = _check_dangerous(session, house_id, batch_id)
    row = RectificationCase(house_id=house_id, batch_id=batch_id, appraisal_id=appraisal.id if appraisal else None)
    _apply(session, row, data)
    row.status = CaseStatus.PENDING
    session.add(row)
    flush_holding(session, OPEN_CASE, refusal, RuleError)
    refresh_summary(session, house_id)
    return SaveResult(row.id, row.version)


def update_case(session: Session, case_id: int, data: CaseInput, expected_version: int | None) -> SaveResult:
    """Edit measure, dates, responsible party and note of a case that is not closed."""
    row = get_or_raise(session, RectificationCase, case_id, "整治案件")
    check_version(row, expected_version)
    if row.status == CaseStatus.CLOSED:
        raise RuleError("案件已销号，不能再修改")
    _apply(session, row, data)
    session.flush()
    refresh_summary(session, row.house_id)
    return SaveResult(row.id, row.version)


def add_progress(
    session: Session, case_id: int, on: dt.date, text: str, percent: int | None = None, clerk_name: str = ""
) -> SaveResult:
    """Add a progress entry; a pending case becomes 整改中."""
    case = get_or_raise(session, RectificationCase, case_id, "整治案件")
    if case.status == CaseStatus.CLOSED:
        raise RuleError("案件已销号，不能再添加进展")
    if percent is not None and not 0 <= percent <= 100:
        raise ValidationError("完成比例", "应在0至100之间")
    row = CaseProgress(
        case_id=case_id,
        on=date_value(on, "进展日期"),
        text=text_value(text, "进展情况", 2000, required=True),
        percent=percent,
        clerk_name=clerk_name,
    )
    session.add(row)
    if case.status == CaseStatus.PENDING:
        case.status = CaseStatus.IN_PROGRESS
    session.flush()
    refresh_summary(session, case.house_id)
    return SaveResult(row.id, row.version)


def complete_case(
    session: Session,
    case_id: int,
    completed_on: dt.date,
    demolished_on: dt.date | None = None,
    expected_version: int | None = None,
) -> SaveResult:
    """Record that the works are done (整改完成); a demolition date is the evidence for demolition measures."""
    case = get_or_raise(session, RectificationCase, case_id, "整治案件")
    check_version(case, expected_version)
    if case.status not in OPEN_CASE_STATUSES:
        raise RuleError(f"案件状态为{case.status.value}，不能再次完成")
    completed_on = date_value(completed_on, "完成日期")
    if completed_on < case.opened_on:
        raise ValidationError("完成日期", "不能早于立案日期")
    if demolished_on is not None:
        if case.measure not in DEMOLITION_MEASURES:
            raise ValidationError("拆除日期", f"整治措施为{case.measure.value}，不是拆除类措施")
        case.demolished_on = date_value(demolished_on, "拆除日期")
    case.completed_on = completed_on
    case.status = CaseStatus.COMPLETED
    session.flush()
    refresh_summary(session, case.house_id)
    return SaveResult(case.id, case.version)


def close_out_evidence(session: Session, case: RectificationCase) -> str | None:
    """Why the case may be closed (销号): a re-appraisal at A/B after it opened, or a recorded demolition."""
    query = (
        select(Appraisal)
        .where(
            Appraisal.house_id == case.house_id,
            Appraisal.appraised_on >= case.opened_on,
            Appraisal.grade.in_([Grade.A, Grade.B]),
        )
        .order_by(Appraisal.appraised_on.desc(), Appraisal.id.desc())
    )
    if case.appraisal_id is not None:
        query = query.where(Appraisal.id != case.appraisal_id)
    reappraisal = session.scalars(query).first()
    if reappraisal is not None:
        number = f"，报告{reappraisal.report_no}" if reappraisal.report_no else ""
        return f"复鉴{reappraisal.grade.value}级（{reappraisal.appraised_on.isoformat()}{number}）"
    if case.demolished_on is not None:
        return f"已拆除（{case.demolished_on.isoformat()}）"
    return None


@requires(Permission.CLOSE_CASES)
def close_case(session: Session, case_id: int, closed_on: dt.date, expected_version: int | None = None):
    """Close out (销号) a completed case; RuleError without evidence (re-appraisal A/B or demolition recorded)."""
    case = get_or_raise(session, RectificationCase, case_id, "整治案件")
    check_version(case, expected_version)
    if case.status != CaseStatus.COMPLETED:
        raise RuleError(f"案件状态为{case.status.value}，整改完成后才能销号")
    evidence = close_out_evidence(session, case)
    if evidence is None:
        raise RuleError(NO_CLOSE_OUT_EVIDENCE)
    closed_on = date_value(closed_on, "销号日期")
    if case.completed_on and closed_on < case.completed_on:
        raise ValidationError("销号日期", "不能早于完成日期")
    case.closed_on = closed_on
    case.close_evidence = evidence
    case.status = CaseStatus.CLOSED
    session.flush()
    refresh_summary(session, case.house_id)
    return SaveResult(case.id, case.version, (f"销号依据：{evidence}",))
