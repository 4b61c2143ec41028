"""加装电梯调解记录 (a record of one session) and 调解协议书 (the numbered agreement that ends a dispute)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from reportlab.platypus import Flowable, KeepTogether

from liandu_desk.reports.engine import Part
from liandu_desk.reports.forms import record_form, signature_row
from liandu_desk.reports.official import (
    SignatureBlock,
    blank,
    body,
    cn_date,
    heading1,
    letterhead,
    title,
)
from liandu_desk.reports.page import TYPE_W
from liandu_desk.reports.wording import Wordings, pick

RECORD_NAME = "加装电梯调解记录"
AGREEMENT_NAME = "加装电梯调解协议书"
DRAFT_NUMBER = "（文号签发时生成）"


@dataclass(frozen=True)
class MediationFacts:
    """One mediation session of an elevator dispute, and what was agreed."""

    bureau: str
    project: str
    dispute_type: str
    description: str
    parties: tuple[str, ...]
    held_on: dt.date
    place: str
    mediator: str
    level: str
    attendees: str
    summary: str
    outcome: str
    next_step: str = ""
    number: str = ""
    issued_on: dt.date | None = None
    draft: bool = False


def values(facts: MediationFacts) -> dict[str, str]:
    """The placeholders of the 调解记录 and 调解协议书 templates."""
    return {
        "发文单位": facts.bureau,
        "当事人": "；".join(facts.parties) or "（见附件）",
        "项目名称": facts.project,
        "纠纷类型": facts.dispute_type,
        "争议事项": facts.description,
        "调解日期": cn_date(facts.held_on),
        "调解地点": facts.place,
        "调解人": facts.mediator,
        "调解层级": facts.level,
        "调解经过": facts.summary,
    }


def record_flowables(facts: MediationFacts, texts: Wordings | None = None) -> list[Flowable]:
    """The session record as a ruled form with signing spaces."""
    w = pick(texts, "mediation_record")
    given = values(facts)
    entries = [
        facts.project,
        facts.dispute_type,
        cn_date(facts.held_on),
        facts.place,
        facts.level,
        facts.mediator,
        "；".join(facts.parties) or "—",
        facts.attendees or "—",
        facts.description or "—",
        facts.summary or "—",
        facts.outcome or "—",
        facts.next_step or "—",
    ]
    rows = list(zip(w.items("栏目"), entries, strict=False))
    return [
        title(w.fill("标题", given), space_before_lines=0),
        blank(0.4),
        record_form(rows, TYPE_W),
        blank(0.6),
        KeepTogether([signature_row(w.items("签名栏"), TYPE_W)]),
    ]


def agreement_terms(facts: MediationFacts) -> list[str]:
    """The agreed terms, one per '；' or line of the outcome."""
    return [t.strip() for t in facts.outcome.replace("；", "\n").split("\n") if t.strip()] or ["（无）"]


def agreement_paragraphs(facts: MediationFacts, texts: Wordings | None = None) -> list[str]:
    """The agreement's text, one string per paragraph or heading (kept with the issued document)."""
    w = pick(texts, "mediation_agreement")
    given = values(facts)
    terms = [w.fill("协议条款", {**given, "序号": i, "条款": t}) for i, t in enumerate(agreement_terms(facts), 1)]
    return [
        w.fill("当事人", given),
        w.fill("项目", given),
        w.fill("标题_纠纷事实", given),
        w.fill("纠纷事实", given),
        w.fill("标题_调解情况", given),
        w.fill("调解情况", given),
        w.fill("标题_协议内容", given),
        *terms,
        w.fill("生效条款", given),
    ]


def agreement_flowables(facts: MediationFacts, texts: Wordings | None = None) -> list[Flowable]:
    """The numbered agreement: parties, facts of the dispute, agreed terms, signatures and the bureau's seal."""
    w = pick(texts, "mediation_agreement")
    text = agreement_paragraphs(facts, {"mediation_agreement": w})
    headings = {2, 4, 6}
    story: list[Flowable] = letterhead(facts.bureau, facts.number or DRAFT_NUMBER, w.fill("标题", values(facts)))
    story += [heading1(t) if i in headings else body(t) for i, t in enumerate(text)]
    story += [
        blank(0.5),
        KeepTogether(
            [
                signature_row(w.items("签名栏"), TYPE_W),
                SignatureBlock(facts.bureau, facts.issued_on, seal_outline=facts.draft),
            ]
        ),
    ]
    return story


def record_parts(facts: MediationFacts, texts: Wordings | None = None) -> list[Part]:
    return [Part(record_flowables(facts, texts), numbered=True, label=RECORD_NAME)]


def agreement_parts(facts: MediationFacts, texts: Wordings | None = None) -> list[Part]:
    watermark = "草稿" if facts.draft else ""
    return [Part(agreement_flowables(facts, texts), numbered=True, label=AGREEMENT_NAME, watermark=watermark)]
