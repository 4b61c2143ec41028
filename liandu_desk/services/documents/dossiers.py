"""案卷 of one house: every record from the houses services, its documents, timeline, audit trail and photos."""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy.orm import Session

from liandu_desk.domain.errors import NotFoundError
from liandu_desk.reports.dossier import DossierFacts, Photo, Section
from liandu_desk.services.attachments import read_attachment
from liandu_desk.services.audit import AuditRow, history
from liandu_desk.services.documents.house_notices import full_address
from liandu_desk.services.documents.views import search_documents
from liandu_desk.services.houses.detail import HouseDetail, house_detail
from liandu_desk.services.settings import get_setting

log = logging.getLogger(__name__)
MAX_PHOTOS = 24


def _d(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def _basic(h: HouseDetail) -> Section:
    building = "".join(
        x for x in (h.building_name, h.building_no and f"{h.building_no}幢", h.unit_no and f"{h.unit_no}单元") if x
    )
    rows = (
        ("类型", h.kind),
        ("乡镇（街道）", h.township),
        ("村（社区）", h.village or "—"),
        ("地址", h.address),
        ("楼栋", building or "—"),
        ("户主/产权人", h.owner_name),
        ("身份证号", h.owner_id_masked or "—"),
        ("联系电话", h.owner_phone_masked or "—"),
        ("结构", h.structure),
        ("层数/建造年份/面积", f"{h.floors or '—'}层 / {h.build_year or '—'}年 / {h.area or '—'}㎡"),
        ("用途", h.use),
        ("最新鉴定等级", h.latest_grade or "未鉴定"),
        ("整治状态", h.case_status or "—"),
    )
    return Section("基本情况", rows=rows, form=True)


def _records(h: HouseDetail) -> list[Section]:
    screenings = tuple((_d(s.screened_on), s.screener, s.conclusion, "、".join(s.hazards)) for s in h.screenings)
    appraisals = tuple(
        (_d(a.appraised_on), f"{a.grade}级", a.agency, a.report_no, a.handling or "") for a in h.appraisals
    )
    cases = tuple(
        (
            _d(c.opened_on),
            c.measure,
            _d(c.deadline),
            c.status,
            _d(c.completed_on),
            _d(c.closed_on),
            c.close_evidence or "",
        )
        for c in h.cases
    )
    progress = tuple(
        (_d(p.on), f"{p.percent}%" if p.percent is not None else "", p.text, p.clerk_name)
        for c in h.cases
        for p in c.progress
    )
    plans = tuple(
        (_d(p.opened_on), p.method, p.responsible_party, _d(p.deadline), p.status, _d(p.resolved_on)) for p in h.plans
    )
    return [
        Section("排查记录", ("排查日期", "排查人", "结论", "隐患"), screenings, (1.2, 1, 1.6, 2.6)),
        Section(
            "鉴定记录", ("鉴定日期", "等级", "鉴定机构", "报告编号", "处理类别"), appraisals, (1.2, 0.7, 2.2, 1.4, 1)
        ),
        Section(
            "整治案件",
            ("立案", "措施", "期限", "状态", "完成", "销号", "销号依据"),
            cases,
            (1.1, 1, 1.1, 0.8, 1.1, 1.1, 1.8),
        ),
        Section("整治进展", ("日期", "比例", "进展情况", "记录人"), progress, (1.1, 0.6, 4, 0.9)),
        Section("一房一策", ("制定", "方式", "责任主体", "期限", "状态", "解危"), plans, (1.1, 1, 2, 1.1, 0.9, 1.1)),
    ]


def _documents(session: Session, house_id: int) -> Section:
    rows = tuple(
        (
            d.doc_type,
            d.number or "（未编号）",
            d.status,
            _d(d.issued_on),
            _d(d.deadline),
            _d(d.served_on),
            d.served_method or "",
        )
        for d in reversed(search_documents(session, subject=("house", house_id)))
    )
    return Section(
        "文书", ("文书", "文号", "状态", "签发", "期限", "送达", "送达方式"), rows, (1.6, 1.8, 0.8, 1.1, 1.1, 1.1, 1)
    )


def _audit(session: Session, h: HouseDetail) -> Section:
    owners = [("house", h.id)] + [("house_screening", s.id) for s in h.screenings]
    owners += [("house_appraisal", a.id) for a in h.appraisals] + [("house_case", c.id) for c in h.cases]
    owners += [("house_plan", p.id) for p in h.plans]
    entries: list[AuditRow] = [e for table, row_id in owners for e in history(session, table, row_id)]
    entries.sort(key=lambda e: e.id)
    rows = tuple(
        (e.at.strftime("%Y-%m-%d %H:%M"), e.clerk_name, f"{e.action_label}{e.table_label}", e.summary()[:300])
        for e in entries
    )
    return Section("修改记录", ("时间", "操作人", "操作", "内容"), rows, (1.3, 0.9, 1.2, 3.6))


def _photos(session: Session, h: HouseDetail) -> tuple[Photo, ...]:
    photos: list[Photo] = []
    for a in [a for a in h.attachments if a.is_image][:MAX_PHOTOS]:
        try:
            data = read_attachment(session, a.id)
        except NotFoundError as exc:
            log.warning("photo %s missing from dossier: %s", a.id, exc.message)
            continue
        taken = f"（{a.taken_at:%Y-%m-%d}）" if a.taken_at else ""
        photos.append(Photo(f"{a.caption or a.original_name}{taken}", data))
    return tuple(photos)


def house_dossier(session: Session, house_id: int, today: dt.date | None = None) -> DossierFacts:
    """The dossier of one house."""
    h = house_detail(session, house_id, today)
    timeline = tuple((_d(e.date), e.kind, e.title, e.detail) for e in h.timeline)
    sections = [
        _basic(h),
        *_records(h),
        _documents(session, house_id),
        Section("时间线", ("日期", "类别", "事项", "说明"), timeline, (1.1, 0.7, 2.2, 3)),
        _audit(session, h),
    ]
    cover = (
        ("案卷对象", full_address(h.township, h.village, h.address)),
        ("户主/产权人", h.owner_name),
        ("鉴定等级", h.latest_grade or "未鉴定"),
        ("整治状态", h.case_status or "—"),
        ("房屋编号", str(h.id)),
    )
    return DossierFacts(
        bureau=str(get_setting(session, "bureau.name")),
        title="危险房屋整治案卷",
        subject=f"{h.owner_name}户",
        cover=cover,
        sections=tuple(sections),
        photos=_photos(session, h),
        generated_on=today or dt.date.today(),
    )


def house_dossier_pdf(session: Session, house_id: int, today: dt.date | None = None) -> bytes:
    """The dossier rendered (generated on demand, not numbered)."""
    from liandu_desk.reports.dossier import dossier_parts
    from liandu_desk.reports.engine import RenderOptions, render_parts

    facts = house_dossier(session, house_id, today)
    return render_parts(dossier_parts(facts), RenderOptions(title=f"{facts.title}（{facts.subject}）"))
