"""The live preview of a template being edited: its PDF page made from sample facts (the bureau's own settings,
legal bases and appeal bodies where a document uses them), with every problem the text has."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from liandu_desk.domain.houses import HouseKind
from liandu_desk.reports.wording import TEMPLATE_KEYS, Wording, check_slots, template_spec
from liandu_desk.services.documents.legal_basis import URBAN_LEVELS, appeal_bodies, basis_for_house
from liandu_desk.services.settings import get_setting

D = dt.date
SAMPLE_DAY = D(2021, 9, 17)


@dataclass(frozen=True)
class TemplatePreview:
    """The rendered sample page and what the editor should show beside it."""

    pdf: bytes
    problems: tuple[str, ...]  # the text cannot be saved while any is listed
    notes: tuple[str, ...]  # e.g. the sample cites a legal basis that is still unverified


@dataclass(frozen=True)
class _Context:
    bureau: str
    contact: str
    bodies: tuple[str, str]
    urban_basis: str
    unverified: tuple[str, ...]


def _context(session: Session) -> _Context:
    basis = basis_for_house(session, HouseKind.URBAN.value, URBAN_LEVELS[0])
    return _Context(
        str(get_setting(session, "bureau.name")),
        str(get_setting(session, "bureau.contact")),
        appeal_bodies(session),
        basis.citation,
        basis.unverified,
    )


def _house_notice(c: _Context, w: Wording) -> list:
    from liandu_desk.reports.house_notice import HouseNoticeFacts, house_notice_parts

    facts = HouseNoticeFacts(
        bureau=c.bureau,
        recipient="周立",
        address="白云街道南明社区测试路1号",
        grade="D",
        appraised_on=D(2021, 9, 1),
        agency="丽水市房屋安全鉴定所",
        report_no="鉴2021-0901",
        hazards=("墙体裂缝", "地基沉降"),
        measure="拆除重建",
        deadline=D(2021, 11, 4),
        deadline_days=30,
        legal_basis=c.urban_basis,
        contact_phone=c.contact,
        township="白云街道",
        handling="停止使用",
        draft=True,
        reconsideration_body=c.bodies[0],
        litigation_court=c.bodies[1],
        basis_unverified=c.unverified,
        standard="《危险房屋鉴定标准》（JGJ 125-2016）",
    )
    return house_notice_parts(facts, with_receipt=False, texts={"house_notice": w})


def _community_notice(c: _Context, w: Wording) -> list:
    from liandu_desk.reports.community_notice import CommunityNoticeFacts, Deduction, community_notice_parts

    findings = (
        Deduction("环境卫生", "楼道堆放杂物", 2.0, "3号楼二单元"),
        Deduction("消防安全", "消防通道被占用", 0.0, "", veto=True),
    )
    facts = CommunityNoticeFacts(
        bureau=c.bureau,
        recipient="丽水市示例物业服务有限公司",
        community="示例花园",
        address="丽水市莲都区示例路8号",
        inspected_on=D(2021, 9, 10),
        inspectors="王建国、李明",
        total=86.5,
        max_total=100.0,
        vetoed=True,
        deductions=findings,
        deadline=D(2021, 9, 29),
        deadline_days=10,
        legal_basis="《物业管理条例》",
        contact_phone=c.contact,
        draft=True,
        reconsideration_body=c.bodies[0],
        litigation_court=c.bodies[1],
    )
    return community_notice_parts(facts, with_receipt=False, texts={"community_notice": w})


def _mediation(c: _Context) -> Any:
    from liandu_desk.reports.mediation import MediationFacts

    return MediationFacts(
        bureau=c.bureau,
        project="示例小区3幢2单元加装电梯",
        dispute_type="费用分摊",
        description="一楼住户对分摊有异议",
        parties=("101室 张某", "601室 李某"),
        held_on=D(2021, 9, 8),
        place="南明社区会议室",
        mediator="王调解",
        level="社区",
        attendees="社区工作人员、楼道长",
        summary="双方陈述意见，调解人释明政策。",
        outcome="一楼住户不分摊费用；二楼以上按楼层系数分摊",
        next_step="签订协议",
        draft=True,
    )


def _mediation_record(c: _Context, w: Wording) -> list:
    from liandu_desk.reports.mediation import record_parts

    return record_parts(_mediation(c), {"mediation_record": w})


def _mediation_agreement(c: _Context, w: Wording) -> list:
    from liandu_desk.reports.mediation import agreement_parts

    return agreement_parts(_mediation(c), {"mediation_agreement": w})


def _list_publication(c: _Context, w: Wording) -> list:
    from liandu_desk.reports.red_black import ListEntryFacts, ListPublicationFacts, publication_parts

    facts = ListPublicationFacts(
        c.bureau,
        "小区",
        D(2021, 1, 1),
        D(2021, 6, 30),
        (ListEntryFacts("示例花园", "检查平均分95分，无一票否决项"), ListEntryFacts("南明小区", "检查平均分93分")),
        (ListEntryFacts("北门小区", "两次检查存在一票否决项"),),
        draft=True,
    )
    return publication_parts(facts, {"list_publication": w})


def _receipt(c: _Context, w: Wording) -> list:
    from liandu_desk.reports.engine import Part
    from liandu_desk.reports.receipt import ReceiptFacts, receipt_flowables

    facts = ReceiptFacts(
        c.bureau, "危房整改通知书", "莲建危改〔2021〕1号", "周立", "白云街道南明社区测试路1号", electronic=True
    )
    return [Part(receipt_flowables(facts, {"receipt": w}), numbered=False, label="送达回证")]


def _duban(c: _Context, w: Wording) -> list:
    from liandu_desk.reports.duban import sheet_flowables
    from liandu_desk.reports.engine import Part
    from liandu_desk.services.home.due import DueItem

    items = [
        DueItem(
            "危房",
            "整改期限",
            "周立 测试路1号 D级整治",
            "白云街道",
            1,
            "测试员",
            "周立",
            D(2021, 9, 10),
            7,
            "house",
            1,
            "house_case",
            1,
        ),
        DueItem(
            "星级小区",
            "问题整改",
            "示例花园 消防通道被占用",
            "紫金街道",
            2,
            "测试员",
            "示例物业",
            D(2021, 9, 20),
            -3,
            "community",
            2,
            "cm_issue",
            2,
        ),
    ]
    return [Part(sheet_flowables(items, SAMPLE_DAY, c.bureau, {"duban": w}), label="督办事项清单")]


def _summary(c: _Context, w: Wording) -> list:
    from liandu_desk.reports.summary import summary_parts
    from liandu_desk.reports.summary_facts import SummaryFacts

    batch = {
        "flagged": 120,
        "verified_out": 8,
        "rectified": 111,
        "remaining": 1,
        "rate": 111 / 112,
        "rate_denominator": 112,
    }
    figures = {
        "communities": {
            "grid_staff": 64,
            "closed_managed": 152,
            "issues_found": 830,
            "issues_rectified": 812,
            "red_list": 12,
            "black_list": 5,
            "stars": {"5": 3, "4": 9, "3": 21},
        },
        "houses": {
            "rural_screened": 2300,
            "rural_appraised": 260,
            "rural_dangerous": 140,
            "grades": {"A": 40, "B": 80, "C": 100, "D": 40},
            "batches": {"2021年第一批": batch},
            "urban_d_resolved": 6,
            "urban_c_plans": 14,
        },
        "elevators": {"mediations": 23, "accepted": 11, "by_stage": {"意向": 5, "施工": 7, "竣工验收": 11}},
    }
    facts = SummaryFacts(c.bureau, D(2021, 1, 1), D(2021, 6, 30), D(2021, 7, 10), figures)
    return summary_parts(facts, {"summary": w})


SAMPLES: dict[str, Callable[[_Context, Wording], list]] = {
    "house_notice": _house_notice,
    "community_notice": _community_notice,
    "mediation_record": _mediation_record,
    "mediation_agreement": _mediation_agreement,
    "list_publication": _list_publication,
    "receipt": _receipt,
    "duban": _duban,
    "summary": _summary,
}
assert set(SAMPLES) == set(TEMPLATE_KEYS)


def preview_template(session: Session, key: str, slots: Mapping[str, str]) -> TemplatePreview:
    """The sample document worded by these (unsaved) sections: the PDF, the text's problems, and notes."""
    from liandu_desk.reports.engine import RenderOptions, render_parts

    spec = template_spec(key)
    problems = check_slots(spec, slots)
    context = _context(session)
    wording = Wording(spec, {**spec.defaults(), **slots})
    data = render_parts(SAMPLES[key](context, wording), RenderOptions(title=f"{spec.name}（模板预览）"))
    problems += [p for p in wording.problems if p not in problems]
    notes = ()
    if key == "house_notice" and context.unverified:
        notes = tuple(f"示例所引法律依据尚未核实：{basis}（预览和草稿上均有核对提示）" for basis in context.unverified)
    return TemplatePreview(data, tuple(problems), notes)
