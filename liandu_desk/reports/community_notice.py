"""小区整改通知书: the rectification order to a property company, listing an inspection's deductions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from reportlab.platypus import Flowable, KeepTogether

from liandu_desk.reports.engine import Part
from liandu_desk.reports.official import SignatureBlock, body, cn_date, letterhead
from liandu_desk.reports.receipt import ReceiptFacts, receipt_flowables
from liandu_desk.reports.wording import Wordings, pick

DOCUMENT_NAME = "小区整改通知书"
DRAFT_NUMBER = "（文号签发时生成）"


@dataclass(frozen=True)
class Deduction:
    """One finding of the inspection: category, item, points deducted, note; veto items are flagged."""

    category: str
    item: str
    points: float
    note: str = ""
    veto: bool = False


@dataclass(frozen=True)
class CommunityNoticeFacts:
    """Everything the community notice prints, frozen when it is issued."""

    bureau: str
    recipient: str
    community: str
    address: str
    inspected_on: dt.date
    inspectors: str
    total: float
    max_total: float
    vetoed: bool
    deductions: tuple[Deduction, ...]
    deadline: dt.date
    deadline_days: int
    legal_basis: str
    contact_phone: str
    number: str = ""
    issued_on: dt.date | None = None
    draft: bool = False
    extra_paragraphs: tuple[str, ...] = field(default_factory=tuple)
    reconsideration_body: str = ""  # named in the appeal-rights sentence (settings)
    litigation_court: str = ""


def _points(value: float) -> str:
    return f"{value:g}"


def values(facts: CommunityNoticeFacts) -> dict[str, str]:
    """The common placeholders of the 小区整改通知书 template."""
    return {
        "发文单位": facts.bureau,
        "受送达单位": facts.recipient,
        "小区名称": facts.community,
        "检查日期": cn_date(facts.inspected_on),
        "检查人员": facts.inspectors,
        "得分": _points(facts.total),
        "满分": _points(facts.max_total),
        "否决说明": "，其中存在一票否决项" if facts.vetoed else "",
        "问题数": str(len(facts.deductions)),
        "法律依据": facts.legal_basis,
        "期限天数": str(facts.deadline_days),
        "整改期限": cn_date(facts.deadline),
        "联系电话": facts.contact_phone,
        "复议机关": facts.reconsideration_body,
        "诉讼法院": facts.litigation_court,
    }


def _item(index: int, d: Deduction) -> dict[str, str]:
    return {
        "序号": str(index),
        "类别": d.category,
        "检查项目": d.item,
        "问题说明": f"（{d.note}）" if d.note else "",
        "扣分说明": "，一票否决" if d.veto else f"，扣{_points(d.points)}分",
        "扣分": _points(0 if d.veto else d.points),
    }


def notice_paragraphs(facts: CommunityNoticeFacts, texts: Wordings | None = None) -> list[str]:
    """Opening, one paragraph per finding, the order, the appeal rights and the contact."""
    w = pick(texts, "community_notice")
    given = values(facts)
    items = [w.fill("问题条目", {**given, **_item(i, d)}) for i, d in enumerate(facts.deductions, start=1)]
    return [
        w.fill("检查情况", given),
        *items,
        w.fill("整改要求", given),
        w.fill("救济权利", given),
        *facts.extra_paragraphs,
        w.fill("联系电话", given),
    ]


def notice_flowables(facts: CommunityNoticeFacts, texts: Wordings | None = None) -> list[Flowable]:
    """Masthead, number, title, 主送, findings, order, signature."""
    w = pick(texts, "community_notice")
    story: list[Flowable] = letterhead(
        facts.bureau, facts.number or DRAFT_NUMBER, w.fill("标题", values(facts)), facts.recipient
    )
    paragraphs = notice_paragraphs(facts, {"community_notice": w})
    story.extend(body(text) for text in paragraphs[:-1])
    signature = SignatureBlock(facts.bureau, facts.issued_on, seal_outline=facts.draft)
    story.append(KeepTogether([body(paragraphs[-1]), signature]))
    return story


def community_notice_parts(
    facts: CommunityNoticeFacts, *, with_receipt: bool = True, texts: Wordings | None = None
) -> list[Part]:
    """The notice, then its 送达回证."""
    watermark = "草稿" if facts.draft else ""
    label = f"{DOCUMENT_NAME} {facts.community}"
    parts = [Part(notice_flowables(facts, texts), numbered=True, label=label, watermark=watermark)]
    if with_receipt:
        receipt = ReceiptFacts(
            facts.bureau, DOCUMENT_NAME, facts.number or DRAFT_NUMBER, facts.recipient, facts.address or facts.community
        )
        parts.append(Part(receipt_flowables(receipt, texts), numbered=False, label="送达回证"))
    return parts
