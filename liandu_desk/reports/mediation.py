"""加装电梯调解记录 (a record of one session) and 调解协议书 (the numbered agreement that ends a dispute)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from reportlab.platypus import Flowable, KeepTogether

from liandu_desk.reports.engine import Part
from liandu_desk.reports.forms import record_form, signature_row
from liandu_desk.reports.official import (
    Masthead,
    NumberRule,
    SignatureBlock,
    blank,
    body,
    cn_date,
    heading1,
    title,
)
from liandu_desk.reports.page import TYPE_W

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


def record_flowables(facts: MediationFacts) -> list[Flowable]:
    """The session record as a ruled form with signing spaces."""
    rows = [
        ("项目", facts.project),
        ("纠纷类型", facts.dispute_type),
        ("调解时间", cn_date(facts.held_on)),
        ("调解地点", facts.place),
        ("调解层级", facts.level),
        ("调解人", facts.mediator),
        ("当事人", "；".join(facts.parties) or "—"),
        ("参加人员", facts.attendees or "—"),
        ("争议事项", facts.description or "—"),
        ("调解经过", facts.summary or "—"),
        ("调解结果", facts.outcome or "—"),
        ("下一步", facts.next_step or "—"),
    ]
    return [
        title(RECORD_NAME, space_before_lines=0), blank(0.4), record_form(rows, TYPE_W), blank(0.6),
        KeepTogether([signature_row(["当事人", "调解人", "记录人"], TYPE_W)]),
    ]  # fmt: skip


def agreement_flowables(facts: MediationFacts) -> list[Flowable]:
    """The numbered agreement: parties, facts of the dispute, agreed terms, signatures and the bureau's seal."""
    terms = [t.strip() for t in facts.outcome.replace("；", "\n").split("\n") if t.strip()] or ["（无）"]
    story: list[Flowable] = [
        Masthead(facts.bureau), blank(0.5), NumberRule(facts.number or DRAFT_NUMBER),
        title(AGREEMENT_NAME, space_before_lines=0.8),
        body(f"当事人：{'；'.join(facts.parties) or '（见附件）'}。"),
        body(f"项目：{facts.project}。"),
        heading1("一、纠纷事实"),
        body(f"{facts.dispute_type}纠纷。{facts.description}"),
        heading1("二、调解情况"),
        body(f"{cn_date(facts.held_on)}，在{facts.place}由{facts.mediator}主持调解（{facts.level}）。{facts.summary}"),
        heading1("三、协议内容"),
    ]  # fmt: skip
    story.extend(body(f"{i}.{t}") for i, t in enumerate(terms, start=1))
    story += [
        body("本协议经各方当事人签名后生效，各方应自觉履行。本协议一式三份，当事人各执一份，调解组织留存一份。"),
        blank(0.5),
        KeepTogether([signature_row(["当事人", "当事人", "调解人"], TYPE_W),
                      SignatureBlock(facts.bureau, facts.issued_on, seal_outline=facts.draft)]),
    ]  # fmt: skip
    return story


def record_parts(facts: MediationFacts) -> list[Part]:
    return [Part(record_flowables(facts), numbered=True, label=RECORD_NAME)]


def agreement_parts(facts: MediationFacts) -> list[Part]:
    return [
        Part(agreement_flowables(facts), numbered=True, label=AGREEMENT_NAME, watermark="草稿" if facts.draft else "")
    ]
