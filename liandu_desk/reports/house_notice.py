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


def notice_paragraphs(facts: HouseNoticeFacts) -> list[str]:
    """The body text, one string per paragraph."""
    meaning = GRADE_MEANING.get(facts.grade, "危险房屋")
    appraisal = "经鉴定"
    if facts.agency or facts.appraised_on:
        when = f"于{cn_date(facts.appraised_on)}" if facts.appraised_on else ""
        report = f"（鉴定报告编号：{facts.report_no}）" if facts.report_no else ""
        appraisal = f"经{facts.agency or '房屋安全鉴定机构'}{when}鉴定{report}"
    hazards = f"{'、'.join(facts.hazards)}等安全隐患" if facts.hazards else "结构安全隐患"
    paragraphs = [
        f"{appraisal}，你位于{facts.address}的房屋危险性等级为{facts.grade}级（{meaning}），"
        f"存在{hazards}，危及使用安全。",
        f"根据{facts.legal_basis}，现责令你自本通知书签发之日起{facts.deadline_days}个工作日内，"
        f"即于{cn_date(facts.deadline)}前按“{facts.measure}”完成整改；整改完成前应立即设置警示标志、"
        "停止使用并撤离人员。",
        f"整改完成后请报告{facts.township or '属地乡镇（街道）'}和我局，并于{facts.reply_days}日内报送解危证明"
        f"或复查鉴定报告。逾期不整改的，我局将依法处理，后果由你承担。联系电话：{facts.contact_phone}。",
        *facts.extra_paragraphs,
    ]
    return paragraphs


def notice_flowables(facts: HouseNoticeFacts) -> list[Flowable]:
    """The notice page(s): masthead, number and rule, title, 主送, body, signature with seal area."""
    story: list[Flowable] = [
        Masthead(facts.bureau),
        blank(0.5),
        NumberRule(facts.number or DRAFT_NUMBER),
        title(DOCUMENT_NAME, space_before_lines=0.8),
        addressee(facts.recipient, space_before_lines=0.3),
    ]
    paragraphs = notice_paragraphs(facts)
    story.extend(body(text) for text in paragraphs[:-1])
    signature = SignatureBlock(facts.bureau, facts.issued_on, seal_outline=facts.draft)
    story.append(KeepTogether([body(paragraphs[-1]), signature]))
    return story


def receipt_facts(facts: HouseNoticeFacts) -> ReceiptFacts:
    """The 送达回证 for this notice."""
    return ReceiptFacts(facts.bureau, DOCUMENT_NAME, facts.number or DRAFT_NUMBER, facts.recipient, facts.address)


def house_notice_parts(facts: HouseNoticeFacts, *, with_receipt: bool = True) -> list[Part]:
    """The notice, then (optionally) its 送达回证 page without a page number."""
    watermark = "草稿" if facts.draft else ""
    parts = [
        Part(notice_flowables(facts), numbered=True, label=f"{DOCUMENT_NAME} {facts.recipient}", watermark=watermark)
    ]
    if with_receipt:
        parts.append(Part(receipt_flowables(receipt_facts(facts)), numbered=False, label="送达回证"))
    return parts
