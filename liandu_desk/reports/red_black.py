"""红黑榜通报: the numbered publication of a period's red and black lists of communities (or companies)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from reportlab.platypus import Flowable

from liandu_desk.reports.engine import Part
from liandu_desk.reports.forms import grid_table
from liandu_desk.reports.official import (
    Masthead,
    NumberRule,
    SignatureBlock,
    addressee,
    blank,
    body,
    cn_date,
    heading1,
    title,
)
from liandu_desk.reports.page import TYPE_W

DRAFT_NUMBER = "（文号签发时生成）"


@dataclass(frozen=True)
class ListEntryFacts:
    """One entry: name and the reason it is listed."""

    name: str
    reason: str


@dataclass(frozen=True)
class ListPublicationFacts:
    """A period's publication: red and black entries."""

    bureau: str
    subject: str
    period_from: dt.date
    period_to: dt.date
    red: tuple[ListEntryFacts, ...]
    black: tuple[ListEntryFacts, ...]
    addressees: str = "各乡镇人民政府、街道办事处，各物业服务企业"
    number: str = ""
    issued_on: dt.date | None = None
    draft: bool = False

    @property
    def heading(self) -> str:
        return f"关于{self.period_from.year}年物管{self.subject}“红黑榜”的通报"


def _table(entries: tuple[ListEntryFacts, ...], label: str) -> list[Flowable]:
    if not entries:
        return [body(f"本期无{label}。")]
    rows = [(i, e.name, e.reason) for i, e in enumerate(entries, start=1)]
    return [grid_table(("序号", "名称", "列入理由"), rows, (TYPE_W * 0.1, TYPE_W * 0.32, TYPE_W * 0.58))]


def publication_flowables(facts: ListPublicationFacts) -> list[Flowable]:
    """Masthead, number, title, 主送, introduction, red list, black list, requirements, signature."""
    period = f"{cn_date(facts.period_from)}至{cn_date(facts.period_to)}"
    story: list[Flowable] = [
        Masthead(facts.bureau), blank(0.5), NumberRule(facts.number or DRAFT_NUMBER),
        title(facts.heading, space_before_lines=0.8), addressee(facts.addressees, space_before_lines=0.3),
        body(f"根据物管小区“红黑榜”机制，我局对{period}期间的检查评分结果进行了汇总评定，现将"
             f"红榜{facts.subject}{len(facts.red)}个、黑榜{facts.subject}{len(facts.black)}个通报如下："),
        heading1(f"一、红榜{facts.subject}（{len(facts.red)}个）"), *_table(facts.red, "红榜"), blank(0.3),
        heading1(f"二、黑榜{facts.subject}（{len(facts.black)}个）"), *_table(facts.black, "黑榜"), blank(0.3),
        heading1("三、有关要求"),
        body("请各属地乡镇（街道）督促黑榜小区的物业服务企业对照问题清单限期整改，我局将适时复查；"
             "红榜小区要总结经验、保持水平。评定结果纳入物业服务企业信用记录。"),
        SignatureBlock(facts.bureau, facts.issued_on, seal_outline=facts.draft),
    ]  # fmt: skip
    return story


def publication_parts(facts: ListPublicationFacts) -> list[Part]:
    return [
        Part(publication_flowables(facts), numbered=True, label=facts.heading, watermark="草稿" if facts.draft else "")
    ]
