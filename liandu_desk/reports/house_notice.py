"""危房整改通知书: the rectification order to a house owner, with its 送达回证 page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from reportlab.platypus import Flowable, KeepTogether

from liandu_desk.reports.engine import Part
from liandu_desk.reports.official import (
    SignatureBlock,
    body,
    cn_date,
    letterhead,
)
from liandu_desk.reports.page import WARNING_RED
from liandu_desk.reports.receipt import ReceiptFacts, receipt_flowables
from liandu_desk.reports.text import GridText
from liandu_desk.reports.wording import Wording, Wordings, pick

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
    reconsideration_body: str = ""  # named in the appeal-rights sentence (settings)
    litigation_court: str = ""
    basis_unverified: tuple[str, ...] = ()  # cited bases not yet checked against their official text
    standard: str = ""  # the standard the appraisal was made under, as cited (《危险房屋鉴定标准》（JGJ 125-2016）)
    disaster_measures: str = ""  # the 防灾措施 conclusion of a rural appraisal
    e_service_consent: bool = False  # the owner's written consent to electronic service is on record


ORDER_SLOTS = {h: f"整改要求_{h}" for h in ("观察使用", "处理使用", "变更使用", "停止使用", "整体拆除")}
STRICT_ORDER = "整改要求_停止使用"  # an older notice without a handling keeps the strict wording


def _appraisal_phrase(facts: HouseNoticeFacts) -> str:
    """经…于…依据…鉴定（鉴定报告编号：…）, leaving out what the appraisal record lacks."""
    if not (facts.agency or facts.appraised_on):
        return "经鉴定"
    when = f"于{cn_date(facts.appraised_on)}" if facts.appraised_on else ""
    report = f"（鉴定报告编号：{facts.report_no}）" if facts.report_no else ""
    basis = f"依据{facts.standard}" if facts.standard else ""
    return f"经{facts.agency or '房屋安全鉴定机构'}{when}{basis}鉴定{report}"


def values(facts: HouseNoticeFacts) -> dict[str, str]:
    """The placeholders of the 危房整改通知书 template, from the frozen facts."""
    return {
        "发文单位": facts.bureau,
        "户主姓名": facts.recipient,
        "房屋地址": facts.address,
        "属地": facts.township or "属地乡镇（街道）",
        "危险等级": facts.grade,
        "等级含义": GRADE_MEANING.get(facts.grade, "危险房屋"),
        "处理意见": facts.handling,
        "鉴定说明": _appraisal_phrase(facts),
        "鉴定机构": facts.agency,
        "鉴定日期": cn_date(facts.appraised_on) if facts.appraised_on else "",
        "鉴定标准": facts.standard,
        "鉴定报告编号": facts.report_no,
        "安全隐患": f"{'、'.join(facts.hazards)}等安全隐患" if facts.hazards else "结构安全隐患",
        "防灾措施说明": f"防灾措施鉴定结论：{facts.disaster_measures}。" if facts.disaster_measures else "",
        "防灾措施结论": facts.disaster_measures,
        "法律依据": facts.legal_basis,
        "整治措施": facts.measure,
        "期限天数": str(facts.deadline_days),
        "整改期限": cn_date(facts.deadline),
        "报送天数": str(facts.reply_days),
        "联系电话": facts.contact_phone,
        "复议机关": facts.reconsideration_body,
        "诉讼法院": facts.litigation_court,
    }


def order_sentence(facts: HouseNoticeFacts, wording: Wording | None = None) -> str:
    """What the owner is ordered to do, worded from the appraisal's handling: evacuation only where the appraisal
    calls for it (停止使用, 整体拆除); an older notice without a handling keeps the strict wording."""
    w = wording or pick(None, "house_notice")
    return w.fill(ORDER_SLOTS.get(facts.handling, STRICT_ORDER), values(facts))


def notice_paragraphs(facts: HouseNoticeFacts, texts: Wordings | None = None) -> list[str]:
    """The body text, one string per paragraph, worded by the 危房整改通知书 template."""
    w = pick(texts, "house_notice")
    given = values(facts)
    return [
        w.fill("鉴定事实", given),
        w.fill("责令", {**given, "整改要求": order_sentence(facts, w)}),
        w.fill("报告与后果", given),
        *facts.extra_paragraphs,
        w.fill("救济权利", given),
    ]


def verification_warning(facts: HouseNoticeFacts) -> str:
    """The reviewer's warning a draft carries while a cited basis is unverified ('' when all are verified)."""
    if not facts.basis_unverified:
        return ""
    return f"【核对提示：以下依据尚未核实，签发前请法制审核】{'；'.join(facts.basis_unverified)}"


def notice_flowables(facts: HouseNoticeFacts, texts: Wordings | None = None) -> list[Flowable]:
    """The notice page(s): masthead, number and rule, title, 主送, body, signature with seal area."""
    w = pick(texts, "house_notice")
    story: list[Flowable] = letterhead(
        facts.bureau, facts.number or DRAFT_NUMBER, w.fill("标题", values(facts)), facts.recipient
    )
    warning = verification_warning(facts) if facts.draft else ""
    if warning:  # in red, so it cannot be mistaken for the notice's own text
        story.append(GridText(warning, color=WARNING_RED))
    paragraphs = notice_paragraphs(facts, {"house_notice": w})
    story.extend(body(text) for text in paragraphs[:-1])
    signature = SignatureBlock(facts.bureau, facts.issued_on, seal_outline=facts.draft)
    story.append(KeepTogether([body(paragraphs[-1]), signature]))
    return story


def receipt_facts(facts: HouseNoticeFacts) -> ReceiptFacts:
    """The 送达回证 for this notice."""
    return ReceiptFacts(
        facts.bureau,
        DOCUMENT_NAME,
        facts.number or DRAFT_NUMBER,
        facts.recipient,
        facts.address,
        electronic=facts.e_service_consent,
    )


def house_notice_parts(
    facts: HouseNoticeFacts, *, with_receipt: bool = True, texts: Wordings | None = None
) -> list[Part]:
    """The notice, then (optionally) its 送达回证 page without a page number; worded by `texts` (template key →
    wording), else by the shipped defaults."""
    watermark = "草稿" if facts.draft else ""
    label = f"{DOCUMENT_NAME} {facts.recipient}"
    parts = [Part(notice_flowables(facts, texts), numbered=True, label=label, watermark=watermark)]
    if with_receipt:
        parts.append(Part(receipt_flowables(receipt_facts(facts), texts), numbered=False, label="送达回证"))
    return parts
