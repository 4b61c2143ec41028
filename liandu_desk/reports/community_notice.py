"""小区整改通知书: the rectification order to a property company, listing an inspection's deductions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from reportlab.platypus import Flowable, KeepTogether

from liandu_desk.reports.engine import Part
from liandu_desk.reports.official import Masthead, NumberRule, SignatureBlock, addressee, blank, body, cn_date, title
from liandu_desk.reports.receipt import ReceiptFacts, receipt_flowables

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
    appeal: str = ""  # the right to reconsideration and litigation, bodies named


def _points(value: float) -> str:
    return f"{value:g}"


def notice_paragraphs(facts: CommunityNoticeFacts) -> list[str]:
    """Opening, one paragraph per finding, the order, the consequence and the contact."""
    veto = "，其中存在一票否决项" if facts.vetoed else ""
    paragraphs = [
        f"我局于{cn_date(facts.inspected_on)}对你单位提供物业服务的{facts.community}进行了检查（检查人员："
        f"{facts.inspectors}），得分{_points(facts.total)}分（满分{_points(facts.max_total)}分）{veto}。"
        f"检查发现以下{len(facts.deductions)}个问题："
    ]
    for index, d in enumerate(facts.deductions, start=1):
        detail = f"（{d.note}）" if d.note else ""
        mark = "，一票否决" if d.veto else f"，扣{_points(d.points)}分"
        paragraphs.append(f"{index}.【{d.category}】{d.item}{detail}{mark}。")
    paragraphs += [
        f"根据{facts.legal_basis}，请你单位自本通知书签发之日起{facts.deadline_days}个工作日内，即于"
        f"{cn_date(facts.deadline)}前完成上述问题整改，并将整改情况书面报送我局。逾期未整改的，我局将予以通报，"
        "并记入物业服务企业信用记录和“红黑榜”评定。",
        *([facts.appeal] if facts.appeal else []),
        *facts.extra_paragraphs,
        f"联系电话：{facts.contact_phone}。",
    ]
    return paragraphs


def notice_flowables(facts: CommunityNoticeFacts) -> list[Flowable]:
    """Masthead, number, title, 主送, findings, order, signature."""
    story: list[Flowable] = [
        Masthead(facts.bureau), blank(0.5), NumberRule(facts.number or DRAFT_NUMBER),
        title(DOCUMENT_NAME, space_before_lines=0.8), addressee(facts.recipient, space_before_lines=0.3),
    ]  # fmt: skip
    paragraphs = notice_paragraphs(facts)
    story.extend(body(text) for text in paragraphs[:-1])
    signature = SignatureBlock(facts.bureau, facts.issued_on, seal_outline=facts.draft)
    story.append(KeepTogether([body(paragraphs[-1]), signature]))
    return story


def community_notice_parts(facts: CommunityNoticeFacts, *, with_receipt: bool = True) -> list[Part]:
    """The notice, then its 送达回证."""
    watermark = "草稿" if facts.draft else ""
    parts = [
        Part(notice_flowables(facts), numbered=True, label=f"{DOCUMENT_NAME} {facts.community}", watermark=watermark)
    ]
    if with_receipt:
        receipt = ReceiptFacts(facts.bureau, DOCUMENT_NAME, facts.number or DRAFT_NUMBER, facts.recipient,
                               facts.address or facts.community)  # fmt: skip
        parts.append(Part(receipt_flowables(receipt), numbered=False, label="送达回证"))
    return parts
