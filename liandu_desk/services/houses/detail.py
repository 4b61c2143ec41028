"""The house page: every record of one house (screening → appraisal → case → close-out) and its timeline."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from liandu_desk.domain.house_cases import (
    BatchMember,
    CaseProgress,
    HouseAction,
    HousePlan,
    PlanMilestone,
    RectificationCase,
    RenovationApplication,
    SourceBatch,
    case_actions,
    house_actions,
    plan_actions,
)
from liandu_desk.domain.houses import Appraisal, House, Screening
from liandu_desk.domain.registry import Division, Person
from liandu_desk.domain.validators import mask_id_number, mask_phone
from liandu_desk.services.attachments import AttachmentInfo, list_attachments
from liandu_desk.services.houses.cases import close_out_evidence
from liandu_desk.services.houses.common import get_or_raise
from liandu_desk.services.houses.listing import is_overdue


@dataclass(frozen=True)
class ScreeningInfo:
    id: int
    version: int
    screened_on: dt.date
    screener: str
    conclusion: str
    hazards: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class AppraisalInfo:
    id: int
    version: int
    appraised_on: dt.date
    grade: str
    agency: str
    report_no: str
    handling: str | None
    note: str
    standard: str | None = None
    disaster_measures: str = ""


@dataclass(frozen=True)
class ProgressInfo:
    id: int
    on: dt.date
    text: str
    percent: int | None
    clerk_name: str


@dataclass(frozen=True)
class CaseInfo:
    id: int
    version: int
    measure: str
    batch: str | None
    opened_on: dt.date
    deadline: dt.date | None
    status: str
    overdue: bool
    completed_on: dt.date | None
    demolished_on: dt.date | None
    closed_on: dt.date | None
    close_evidence: str | None
    available_evidence: str | None  # what would justify 销号 now (None: no evidence yet)
    responsible: str
    note: str
    progress: tuple[ProgressInfo, ...]
    actions: frozenset[HouseAction] = frozenset()  # what may be done to it now (domain state rules)


@dataclass(frozen=True)
class MilestoneInfo:
    id: int
    version: int
    title: str
    due_on: dt.date | None
    status: str
    done_on: dt.date | None


@dataclass(frozen=True)
class PlanInfo:
    id: int
    version: int
    responsible_party: str
    street: str
    method: str
    funding: str
    interim_controls: tuple[str, ...]
    opened_on: dt.date
    deadline: dt.date | None
    status: str
    resolved_on: dt.date | None
    evidence: str | None
    note: str
    milestones: tuple[MilestoneInfo, ...]
    actions: frozenset[HouseAction] = frozenset()


@dataclass(frozen=True)
class ApplicationInfo:
    id: int
    version: int
    applicant_name: str
    applicant_id_masked: str
    year: int
    category: str
    measure: str
    applied_on: dt.date
    status: str
    subsidy_amount: int | None
    amount_verified: bool
    eligibility_note: str
    decided_on: dt.date | None


@dataclass(frozen=True)
class BatchInfo:
    name: str
    verification: str
    verified_on: dt.date | None


@dataclass(frozen=True)
class TimelineEvent:
    date: dt.date
    kind: str  # 排查 鉴定 批次 立案 进展 完成 销号 方案 解危 申请
    title: str
    detail: str
    record_id: int = 0  # the row it comes from: same-day events of one kind follow the order they were recorded


@dataclass(frozen=True)
class HouseDetail:
    id: int
    version: int
    kind: str
    township_id: int
    township: str
    village_id: int | None
    village: str
    address: str
    owner_id: int | None
    owner_name: str
    owner_id_number: str
    owner_id_masked: str
    owner_phone: str
    owner_phone_masked: str
    structure: str
    floors: int | None
    build_year: int | None
    area: float | None
    use: str
    self_built: bool
    longitude: float | None
    latitude: float | None
    building_name: str
    building_no: str
    unit_no: str
    block: str
    note: str
    latest_grade: str | None
    case_status: str | None
    screenings: tuple[ScreeningInfo, ...]
    appraisals: tuple[AppraisalInfo, ...]  # the whole grade history, oldest first
    batches: tuple[BatchInfo, ...]
    cases: tuple[CaseInfo, ...]
    plans: tuple[PlanInfo, ...]
    applications: tuple[ApplicationInfo, ...]
    attachments: tuple[AttachmentInfo, ...]
    timeline: tuple[TimelineEvent, ...]
    actions: frozenset[HouseAction] = frozenset()  # house-level: open a case, add a plan or an application


def _name(session: Session, division_id: int | None) -> str:
    division = session.get(Division, division_id) if division_id else None
    return division.name if division else ""


def _screenings(session: Session, house_id: int) -> tuple[ScreeningInfo, ...]:
    rows = session.scalars(
        select(Screening).where(Screening.house_id == house_id).order_by(Screening.screened_on, Screening.id)
    )
    return tuple(
        ScreeningInfo(
            s.id, s.version, s.screened_on, s.screener, s.conclusion.value, tuple(s.hazards or ()), s.note or ""
        )
        for s in rows
    )


def _appraisals(session: Session, house_id: int) -> tuple[AppraisalInfo, ...]:
    query = select(Appraisal).where(Appraisal.house_id == house_id).order_by(Appraisal.appraised_on, Appraisal.id)
    return tuple(
        AppraisalInfo(
            a.id,
            a.version,
            a.appraised_on,
            a.grade.value,
            a.agency,
            a.report_no,
            a.handling.value if a.handling else None,
            a.note or "",
            a.standard.value if a.standard else None,
            a.disaster_measures or "",
        )
        for a in session.scalars(query)
    )


def _batches(session: Session, house_id: int) -> tuple[BatchInfo, ...]:
    query = (
        select(SourceBatch.name, BatchMember.verification, BatchMember.verified_on)
        .join(BatchMember, BatchMember.batch_id == SourceBatch.id)
        .where(BatchMember.house_id == house_id)
        .order_by(BatchMember.id)
    )
    return tuple(BatchInfo(name, v.value, on) for name, v, on in session.execute(query))


def _case(session: Session, c: RectificationCase, batch: str | None, today: dt.date) -> CaseInfo:
    query = select(CaseProgress).where(CaseProgress.case_id == c.id).order_by(CaseProgress.on, CaseProgress.id)
    progress = session.scalars(query)
    return CaseInfo(
        c.id,
        c.version,
        c.measure.value,
        batch,
        c.opened_on,
        c.deadline,
        c.status.value,
        is_overdue(c.status.value, c.deadline, today),
        c.completed_on,
        c.demolished_on,
        c.closed_on,
        c.close_evidence,
        close_out_evidence(session, c),
        c.responsible,
        c.note or "",
        tuple(ProgressInfo(p.id, p.on, p.text, p.percent, p.clerk_name) for p in progress),
        case_actions(c.status),
    )


def _cases(session: Session, house_id: int, today: dt.date) -> tuple[CaseInfo, ...]:
    query = (
        select(RectificationCase, SourceBatch.name)
        .outerjoin(SourceBatch, SourceBatch.id == RectificationCase.batch_id)
        .where(RectificationCase.house_id == house_id)
        .order_by(RectificationCase.opened_on, RectificationCase.id)
    )
    return tuple(_case(session, c, batch, today) for c, batch in session.execute(query))


def _plans(session: Session, house_id: int) -> tuple[PlanInfo, ...]:
    result = []
    for p in session.scalars(
        select(HousePlan).where(HousePlan.house_id == house_id).order_by(HousePlan.opened_on, HousePlan.id)
    ):
        query = (
            select(PlanMilestone).where(PlanMilestone.plan_id == p.id).order_by(PlanMilestone.due_on, PlanMilestone.id)
        )
        milestones = tuple(
            MilestoneInfo(m.id, m.version, m.title, m.due_on, m.status.value, m.done_on) for m in session.scalars(query)
        )
        result.append(
            PlanInfo(
                p.id,
                p.version,
                p.responsible_party,
                _name(session, p.street_id),
                p.method.value,
                p.funding,
                tuple(p.interim_controls or ()),
                p.opened_on,
                p.deadline,
                p.status.value,
                p.resolved_on,
                p.evidence,
                p.note or "",
                milestones,
                plan_actions(p.status),
            )
        )
    return tuple(result)


def _applications(session: Session, house_id: int) -> tuple[ApplicationInfo, ...]:
    query = (
        select(RenovationApplication, Person.name, Person.id_number)
        .join(Person, Person.id == RenovationApplication.applicant_id)
        .where(RenovationApplication.house_id == house_id)
        .order_by(RenovationApplication.applied_on, RenovationApplication.id)
    )
    return tuple(
        ApplicationInfo(
            a.id,
            a.version,
            name,
            mask_id_number(idn),
            a.year,
            a.category.value,
            a.measure.value,
            a.applied_on,
            a.status.value,
            a.subsidy_amount,
            a.amount_verified,
            a.eligibility_note,
            a.decided_on,
        )
        for a, name, idn in session.execute(query)
    )


# Same day: the lifecycle stage first (a screening before the appraisal it led to), then the order the rows were
# recorded in (their ids), so two entries of one day never swap places between two openings of the page.
TIMELINE_ORDER = {"排查": 0, "鉴定": 1, "核实": 2, "立案": 3, "方案": 3, "进展": 4, "完成": 5, "解危": 5, "销号": 6}


def timeline_key(event: TimelineEvent) -> tuple[dt.date, int, str, int]:
    """Date, lifecycle stage, kind, then recording order."""
    return (event.date, TIMELINE_ORDER.get(event.kind, 9), event.kind, event.record_id)


def _timeline(detail: dict) -> tuple[TimelineEvent, ...]:
    events: list[TimelineEvent] = []
    for s in detail["screenings"]:
        hazards = "、".join(s.hazards) or s.screener
        events.append(TimelineEvent(s.screened_on, "排查", f"排查：{s.conclusion}", hazards, s.id))
    for a in detail["appraisals"]:
        handling = f"，{a.handling}" if a.handling else ""
        text = f"{a.agency} {a.report_no}{handling}"
        events.append(TimelineEvent(a.appraised_on, "鉴定", f"鉴定为{a.grade}级", text, a.id))
    for i, b in enumerate(detail["batches"]):
        if b.verified_on:
            events.append(TimelineEvent(b.verified_on, "核实", f"{b.name}核实：{b.verification}", "", i))
    for c in detail["cases"]:
        events.append(TimelineEvent(c.opened_on, "立案", f"整治立案：{c.measure}", f"期限{c.deadline or '未定'}", c.id))
        events += [TimelineEvent(p.on, "进展", "整治进展", p.text, p.id) for p in c.progress]
        if c.completed_on:
            events.append(TimelineEvent(c.completed_on, "完成", "整治完成", c.measure, c.id))
        if c.closed_on:
            events.append(TimelineEvent(c.closed_on, "销号", "销号", c.close_evidence or "", c.id))
    for p in detail["plans"]:
        events.append(TimelineEvent(p.opened_on, "方案", f"一房一策：{p.method}", p.responsible_party, p.id))
        if p.resolved_on:
            events.append(TimelineEvent(p.resolved_on, "解危", "已解危", p.evidence or "", p.id))
    for a in detail["applications"]:
        events.append(TimelineEvent(a.applied_on, "申请", f"改造申请（{a.category}）", a.status, a.id))
    return tuple(sorted(events, key=timeline_key))


def house_detail(session: Session, house_id: int, today: dt.date | None = None) -> HouseDetail:
    """Everything about one house, read in one session; NotFoundError if it is gone."""
    house = get_or_raise(session, House, house_id, "房屋")
    owner = session.get(Person, house.owner_id) if house.owner_id else None
    parts = {
        "screenings": _screenings(session, house_id),
        "appraisals": _appraisals(session, house_id),
        "batches": _batches(session, house_id),
        "cases": _cases(session, house_id, today or dt.date.today()),
        "plans": _plans(session, house_id),
        "applications": _applications(session, house_id),
    }
    owners = [("house", house_id)] + [("house_appraisal", a.id) for a in parts["appraisals"]]
    owners += [("house_case", c.id) for c in parts["cases"]] + [("house_plan", p.id) for p in parts["plans"]]
    return HouseDetail(
        id=house.id,
        version=house.version,
        kind=house.kind.value,
        township_id=house.township_id,
        township=_name(session, house.township_id),
        village_id=house.village_id,
        village=_name(session, house.village_id),
        address=house.address,
        owner_id=house.owner_id,
        owner_name=owner.name if owner else house.owner_name,
        owner_id_number=(owner.id_number or "") if owner else "",
        owner_id_masked=mask_id_number(owner.id_number if owner else None),
        owner_phone=(owner.phone or "") if owner else "",
        owner_phone_masked=mask_phone(owner.phone if owner else None),
        structure=house.structure.value,
        floors=house.floors,
        build_year=house.build_year,
        area=house.area,
        use=house.use.value,
        self_built=house.self_built,
        longitude=house.longitude,
        latitude=house.latitude,
        building_name=house.building_name or "",
        building_no=house.building_no or "",
        unit_no=house.unit_no or "",
        block=house.block or "",
        note=house.note or "",
        latest_grade=house.latest_grade,
        case_status=house.case_status,
        attachments=tuple(list_attachments(session, owners)),
        timeline=_timeline(parts),
        actions=house_actions(house.kind.value, [c.status for c in parts["cases"]]),
        **parts,
    )
