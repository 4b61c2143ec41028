"""危房整改通知书 facts from the houses records: one house (from its detail) or many at once (bulk queries)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, aliased

from liandu_desk.domain.documents import DocStatus, DocType, Document
from liandu_desk.domain.errors import RuleError
from liandu_desk.domain.house_cases import DONE_CASE_STATUSES, OPEN_CASE_STATUSES, RectificationCase
from liandu_desk.domain.houses import STANDARD_TITLES, Appraisal, House, HouseKind, Screening
from liandu_desk.domain.registry import Division, Person
from liandu_desk.reports.house_notice import DOCUMENT_NAME, HouseNoticeFacts
from liandu_desk.services.documents.calendar import WorkCalendar
from liandu_desk.services.documents.legal_basis import (
    URBAN_LEVELS,
    BasisChoice,
    appeal_bodies,
    basis_for_house,
    handling_of,
    house_case,
)
from liandu_desk.services.documents.lifecycle import create_draft
from liandu_desk.services.documents.views import DocumentView, view_of
from liandu_desk.services.settings import get_setting

DEFAULT_MEASURE = {"C": "维修加固", "D": "拆除"}
DONE_STATUSES = [s.value for s in DONE_CASE_STATUSES]
IN_FORCE = (DocStatus.ISSUED, DocStatus.SERVED, DocStatus.DUE)
CHUNK = 500


@dataclass(frozen=True)
class NoticeSettings:
    """The configurable parts of every house notice, read once per batch."""

    bureau: str
    contact: str
    deadline_days: int
    reply_days: int
    appeal: tuple[str, str]
    bases: dict[str, BasisChoice]

    @classmethod
    def load(cls, session: Session) -> NoticeSettings:
        bases = {
            case: basis_for_house(session, kind, level)
            for case, kind, level in (("urban", HouseKind.URBAN.value, URBAN_LEVELS[0]), ("rural", None, None))
        }
        return cls(
            str(get_setting(session, "bureau.name")),
            str(get_setting(session, "bureau.contact")),
            int(get_setting(session, "deadline.house_rectify")),
            int(get_setting(session, "deadline.notice_reply")),
            appeal_bodies(session),
            bases,
        )


@dataclass(frozen=True)
class _HouseRecord:
    id: int
    owner: str
    township: str
    village: str
    address: str
    appraisal: Appraisal | None
    hazards: tuple[str, ...]
    measure: str | None
    case: str = "rural"
    e_service_consent: bool = False


def _value(item: object) -> str | None:
    return None if item is None else str(getattr(item, "value", item))


def full_address(township: str, village: str, address: str) -> str:
    """乡镇 + 村 + 门牌, without repeating names the address already starts with."""
    text = address or ""
    prefix = ""
    for name in (township, village):
        if name and name not in text:
            prefix += name
    return prefix + text


def _facts(record: _HouseRecord, cfg: NoticeSettings, calendar: WorkCalendar, today: dt.date) -> HouseNoticeFacts:
    appraisal = record.appraisal
    if appraisal is None or appraisal.grade.value not in DEFAULT_MEASURE:
        grade = f"最近鉴定为{appraisal.grade.value}级" if appraisal else "尚未鉴定"
        raise RuleError(f"房屋（编号{record.id}）{grade}，只能对C级、D级危房发整改通知书")
    grade = appraisal.grade.value
    handling = handling_of(grade, appraisal.handling.value if appraisal.handling else None)
    measure = record.measure or DEFAULT_MEASURE[grade]
    deadline = calendar.add_working_days(today, cfg.deadline_days)
    basis = cfg.bases[record.case]
    return HouseNoticeFacts(
        bureau=cfg.bureau,
        recipient=record.owner or "房屋所有权人",
        township=record.township,
        address=full_address(record.township, record.village, record.address),
        grade=grade,
        appraised_on=appraisal.appraised_on,
        agency=appraisal.agency,
        report_no=appraisal.report_no,
        hazards=record.hazards,
        measure=measure,
        handling=handling,
        deadline=deadline,
        deadline_days=cfg.deadline_days,
        legal_basis=basis.citation,
        contact_phone=cfg.contact,
        reply_days=cfg.reply_days,
        reconsideration_body=cfg.appeal[0],
        litigation_court=cfg.appeal[1],
        basis_unverified=basis.unverified,
        standard=STANDARD_TITLES[appraisal.standard] if appraisal.standard else "",
        disaster_measures=appraisal.disaster_measures or "",
        e_service_consent=record.e_service_consent,
    )


def _records(session: Session, ids: Sequence[int]) -> list[_HouseRecord]:
    town, village = aliased(Division), aliased(Division)
    rows = session.execute(
        select(
            House.id,
            House.owner_name,
            Person.name,
            town.name,
            village.name,
            House.address,
            House.kind,
            town.level,
            Person.e_service_address,
            Person.e_service_consent_on,
        )
        .outerjoin(Person, Person.id == House.owner_id)
        .join(town, town.id == House.township_id)
        .outerjoin(village, village.id == House.village_id)
        .where(House.id.in_(ids))
    ).all()
    appraisals: dict[int, Appraisal] = {}
    for a in session.scalars(
        select(Appraisal).where(Appraisal.house_id.in_(ids)).order_by(Appraisal.appraised_on, Appraisal.id)
    ):
        appraisals[a.house_id] = a
    hazards: dict[int, tuple[str, ...]] = {}
    query = select(Screening.house_id, Screening.hazards).where(Screening.house_id.in_(ids))
    for house_id, values in session.execute(query.order_by(Screening.screened_on, Screening.id)):
        hazards[house_id] = tuple(values or ())
    measures: dict[int, str] = {}
    query = select(RectificationCase.house_id, RectificationCase.measure).where(
        RectificationCase.house_id.in_(ids), RectificationCase.status.in_(OPEN_CASE_STATUSES)
    )
    for house_id, measure in session.execute(query.order_by(RectificationCase.opened_on, RectificationCase.id)):
        measures[house_id] = measure.value
    by_id = {
        r[0]: _HouseRecord(
            r[0],
            r[2] or r[1],
            r[3] or "",
            r[4] or "",
            r[5],
            appraisals.get(r[0]),
            tuple(h for h in hazards.get(r[0], ()) if h != "其他"),
            measures.get(r[0]),
            house_case(_value(r[6]), _value(r[7])),
            bool(r[8] and r[9]),
        )
        for r in rows
    }
    return [by_id[i] for i in ids if i in by_id]


def house_notice_facts(
    session: Session, house_ids: Iterable[int], today: dt.date | None = None
) -> list[HouseNoticeFacts]:
    """Facts of a notice per house, in the given order, with four queries per 500 houses."""
    cfg = NoticeSettings.load(session)
    calendar = WorkCalendar.load(session)
    today = today or dt.date.today()
    ids = list(house_ids)
    facts: list[HouseNoticeFacts] = []
    for start in range(0, len(ids), CHUNK):
        facts.extend(_facts(r, cfg, calendar, today) for r in _records(session, ids[start : start + CHUNK]))
    return facts


def notice_house_ids(session: Session, grades: Sequence[str], township_id: int | None = None) -> list[int]:
    """Houses whose latest grade is one of `grades` (in the given township), not yet rectified and without a
    notice in force (issued, served or due), by township and address."""
    in_force = select(Document.subject_id).where(
        Document.doc_type == DocType.HOUSE_NOTICE,
        Document.subject_table == "house",
        Document.status.in_(IN_FORCE),
    )
    query = select(House.id).where(
        House.latest_grade.in_(list(grades)),
        or_(House.case_status.is_(None), House.case_status.not_in(DONE_STATUSES)),
        House.id.not_in(in_force),
    )
    if township_id is not None:
        query = query.where(House.township_id == township_id)
    return list(session.scalars(query.order_by(House.township_id, House.village_id, House.address, House.id)))


def notice_in_force(session: Session, house_id: int) -> DocumentView | None:
    """The house's notice that is issued, served or due, if any."""
    row = session.scalar(
        select(Document)
        .where(
            Document.doc_type == DocType.HOUSE_NOTICE,
            Document.subject_table == "house",
            Document.subject_id == house_id,
            Document.status.in_(IN_FORCE),
        )
        .order_by(Document.id.desc())
    )
    return view_of(row) if row is not None else None


def draft_house_notice(
    session: Session, house_id: int, clerk_name: str = "", today: dt.date | None = None
) -> DocumentView:
    """A draft notice for one house (an existing open draft is refreshed instead of duplicated); refused while
    another notice to the house is in force (issued, served or due)."""
    (facts,) = house_notice_facts(session, [house_id], today)
    in_force = notice_in_force(session, house_id)
    if in_force is not None:
        raise RuleError(
            f"该房屋已有在办的整改通知书（{in_force.number}，{in_force.status}），如需重新下发请先作废原通知书"
        )
    existing = session.scalar(
        select(Document).where(
            Document.doc_type == DocType.HOUSE_NOTICE,
            Document.subject_table == "house",
            Document.subject_id == house_id,
            Document.status == DocStatus.DRAFT,
        )
    )
    if existing is not None:
        from liandu_desk.services.documents.lifecycle import update_draft

        return update_draft(session, existing.id, facts, facts.recipient)
    return create_draft(
        session,
        DocType.HOUSE_NOTICE,
        facts,
        title=f"{DOCUMENT_NAME}（{facts.recipient}）",
        recipient=facts.recipient,
        subject_table="house",
        subject_id=house_id,
        clerk_name=clerk_name,
    )
