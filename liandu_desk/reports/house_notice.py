"""危房整改通知书: the rectification order to a house owner, with its 送达回证 page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from reportlab.platypus import Flowable, KeepTogether

from liandu_desk.reports.engine import Part
from liandu_desk.reports.official import (
    Masthead,
    NumberRule,
    SignatureBlock,
    addressee,
    blank,
    body,
    cn_date,
    title,
)
from liandu_desk.reports.receipt import ReceiptFacts, receipt_flowables

DOCUMENT_NAME = "危房整改通知书"
GRADE_MEANING = {"C": "局部危房", "D": "整幢危房"}
DRAFT_NUMBER = "（文号签发时生成）"


@dataclass(frozen=True)
class HouseNoticeFacts:
    """Everything the notice prints, frozen when it is issued."""

    bureau: str
    recipient: str
    address: str
    grade: str
    appraised_on: dt.date | None
    agency: str
    report_no: str
    hazards: tuple[str, ...]
    measure: str
    deadline: dt.date
    deadline_days: int
    legal_basis: str
    contact_phone: str
    township: str = ""
    handling: str = ""
    number: str = ""
    issued_on: dt.date | None = None
    reply_days: int = 30
    draft: bool = False
    extra_paragraphs: tuple[str, ...] = field(default_factory=tuple)
    appeal: str = ""  # the right to reconsideration and litigation, bodies named
    basis_unverified: tuple[str, ...] = ()  # cited bases not yet checked against their official text
    standard: str = ""  # the standard the appraisal was made under, as cited (《危险房屋鉴定标准》（JGJ 125-2016）)
    disaster_measures: str = ""  # the 防灾措施 conclusion of a rural appraisal
    e_service_consent: bool = False  # the owner's written consent to electronic service is on record


def order_sentence(facts: HouseNoticeFacts) -> str:
    """What the owner is ordered to do, worded from the appraisal's handling: evacuation only where the appraisal
    calls for it (停止使用, 整体拆除); an older notice without a handling keeps the strict wording."""
    within = f"自本通知书签发之日起{facts.deadline_days}个工作日内，即于{cn_date(facts.deadline)}前"
    if facts.handling == "观察使用":
        return (
            f"{within}按鉴定意见采取适当安全技术措施（{facts.measure}），并在整改期间定期检查房屋状况；"
            "发现险情加剧的，应立即报告属地乡镇（街道）和我局。"
        )
    if facts.handling == "处理使用":
        return (
            f"{within}采取适当技术措施解除危险（{facts.measure}）；整改期间应在危险部位设置警示标志，不得使用危险部位。"
        )
    if facts.handling == "变更使用":
        return f"{within}改变房屋用途至能够安全使用的状态（{facts.measure}）；改变用途前不得按原用途使用。"
    if facts.handling == "整体拆除":
        return f"立即停止使用该房屋、撤离全部人员并设置警示标志，{within}将房屋整体拆除（整治方式：{facts.measure}）。"
    return f"立即停止使用该房屋、撤离全部人员并设置警示标志，{within}按“{facts.measure}”完成解危。"


def notice_paragraphs(facts: HouseNoticeFacts) -> list[str]:
    """The body text, one string per paragraph."""
    meaning = GRADE_MEANING.get(facts.grade, "危险房屋")
    appraisal = "经鉴定"
    if facts.agency or facts.appraised_on:
        when = f"于{cn_date(facts.appraised_on)}" if facts.appraised_on else ""
        report = f"（鉴定报告编号：{facts.report_no}）" if facts.report_no else ""
        basis = f"依据{facts.standard}" if facts.standard else ""
        appraisal = f"经{facts.agency or '房屋安全鉴定机构'}{when}{basis}鉴定{report}"
    hazards = f"{'、'.join(facts.hazards)}等安全隐患" if facts.hazards else "结构安全隐患"
    handling = f"，鉴定处理意见为“{facts.handling}”" if facts.handling else ""
    order = order_sentence(facts)
    paragraphs = [
        f"{appraisal}，你位于{facts.address}的房屋危险性等级为{facts.grade}级（{meaning}）{handling}，"
        f"存在{hazards}，危及使用安全。"
        + (f"防灾措施鉴定结论：{facts.disaster_measures}。" if facts.disaster_measures else ""),
        f"根据{facts.legal_basis}，现责令你{order}",
        f"整改完成后请报告{facts.township or '属地乡镇（街道）'}和我局，并于{facts.reply_days}日内报送解危证明"
        f"或复查鉴定报告。逾期不整改的，我局将依法处理，后果由你承担。联系电话：{facts.contact_phone}。",
        *facts.extra_paragraphs,
        *([facts.appeal] if facts.appeal else []),
    ]
    return paragraphs


def verification_warning(facts: HouseNoticeFacts) -> str:
    """The reviewer's warning a draft carries while a cited basis is unverified ('' when all are verified)."""
    if not facts.basis_unverified:
        return ""
    return f"【核对提示：以下依据尚未核实，签发前请法制审核】{'；'.join(facts.basis_unverified)}"


def notice_flowables(facts: HouseNoticeFacts) -> list[Flowable]:
    """The notice page(s): masthead, number and rule, title, 主送, body, signature with seal area."""
    story: list[Flowable] = [
        Masthead(facts.bureau),
        blank(0.5),
        NumberRule(facts.number or DRAFT_NUMBER),
        title(DOCUMENT_NAME, space_before_lines=0.8),
        addressee(facts.recipient, space_before_lines=0.3),
    ]
    warning = verification_warning(facts) if facts.draft else ""
    if warning:
        story.append(body(warning))
    paragraphs = notice_paragraphs(facts)
    story.extend(body(text) for text in paragraphs[:-1])
    signature = SignatureBlock(facts.bureau, facts.issued_on, seal_outline=facts.draft)
    story.append(KeepTogether([body(paragraphs[-1]), signature]))
    return story


def receipt_facts(facts: HouseNoticeFacts) -> ReceiptFacts:
    """The 送达回证 for this notice."""
    return ReceiptFacts(
        facts.bureau, DOCUMENT_NAME, facts.number or DRAFT_NUMBER, facts.recipient, facts.address,
        electronic=facts.e_service_consent,
    )  # fmt: skip


def house_notice_parts(facts: HouseNoticeFacts, *, with_receipt: bool = True) -> list[Part]:
    """The notice, then (optionally) its 送达回证 page without a page number."""
    watermark = "草稿" if facts.draft else ""
    parts = [
        Part(notice_flowables(facts), numbered=True, label=f"{DOCUMENT_NAME} {facts.recipient}", watermark=watermark)
    ]
    if with_receipt:
        parts.append(Part(receipt_flowables(receipt_facts(facts)), numbered=False, label="送达回证"))
    return parts
