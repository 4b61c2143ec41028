"""What the house page shows, read in one job: the detail, its audit trail, image thumbnails; and its header."""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass

from liandu_desk.domain.errors import LianduError
from liandu_desk.services import attachments as attachment_service
from liandu_desk.services import audit as audit_service
from liandu_desk.services.houses import detail as detail_service

log = logging.getLogger(__name__)
GRADE_STYLE = {"A": "#1e8449", "B": "#2471a3", "C": "#d35400", "D": "#c0392b"}


@dataclass(frozen=True)
class HousePageData:
    """What the page shows, read in one background job."""

    detail: detail_service.HouseDetail
    audit: list[audit_service.AuditRow]
    thumbnails: dict[int, bytes]


def audit_owners(detail: detail_service.HouseDetail) -> list[tuple[str, int]]:
    """The house and every record of it whose audit entries the page lists."""
    owners = [("house", detail.id)]
    owners += [("house_screening", s.id) for s in detail.screenings]
    owners += [("house_appraisal", a.id) for a in detail.appraisals]
    for case in detail.cases:
        owners.append(("house_case", case.id))
        owners += [("house_case_progress", p.id) for p in case.progress]
    for plan in detail.plans:
        owners.append(("house_plan", plan.id))
        owners += [("house_plan_milestone", m.id) for m in plan.milestones]
    owners += [("house_application", a.id) for a in detail.applications]
    owners += [("attachment", a.id) for a in detail.attachments]
    return owners


def load_page(session, house_id: int) -> HousePageData:
    """Detail, audit trail and image thumbnails of one house."""
    detail = detail_service.house_detail(session, house_id)
    audit = [row for table, row_id in audit_owners(detail) for row in audit_service.history(session, table, row_id)]
    thumbnails = {}
    for info in detail.attachments:
        if info.mime.startswith("image/"):
            try:
                png = attachment_service.thumbnail(session, info.id, 128)
            except LianduError as exc:
                log.warning("no thumbnail for attachment %s: %s", info.id, exc)
                continue
            if png:
                thumbnails[info.id] = png
    return HousePageData(detail, audit, thumbnails)


def header_html(d: detail_service.HouseDetail) -> str:
    """Two lines: owner and location; the house facts and its current state."""
    e = html.escape
    place = f"{d.township}{d.village} {d.address}"
    building = "".join(
        f"　{label}：{e(v)}"
        for label, v in (("楼栋", d.building_name), ("幢", d.building_no), ("单元", d.unit_no), ("街区/项目", d.block))
        if v
    )
    facts = [
        d.kind + "房屋",
        d.structure,
        f"{d.floors}层" if d.floors else "层数未填",
        f"{d.build_year}年建" if d.build_year else "建造年份未填",
        f"{d.area:g} m²" if d.area else "面积未填",
        d.use,
        "自建" if d.self_built else "非自建",
    ]
    if d.longitude is not None:
        facts.append(f"坐标 {d.longitude:.5f}, {d.latitude:.5f}")
    grade = d.latest_grade
    badge = f"<span style='color:{GRADE_STYLE[grade]}; font-weight:bold'>{grade}级</span>" if grade else "未鉴定"
    return (
        f"<div style='font-size:16px; font-weight:bold'>{e(d.owner_name)}　{e(place)}</div>"
        f"<div>户主身份证号：{e(d.owner_id_masked) or '未登记'}　联系电话：{e(d.owner_phone_masked) or '未登记'}"
        f"{building}</div>"
        f"<div>{e('，'.join(facts))}</div>"
        f"<div>最近鉴定：{badge}　整治状态：{e(d.case_status or '未立案')}　编号：{d.id}</div>"
    )
