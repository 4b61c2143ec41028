"""红黑榜通报: the numbered publication of a period's red and black lists of communities (or companies)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from reportlab.platypus import Flowable

from liandu_desk.reports.engine import Part
from liandu_desk.reports.forms import grid_table
from liandu_desk.reports.official import (
    SignatureBlock,
    blank,
    body,
    cn_date,
    heading1,
    letterhead,
)
from liandu_desk.reports.page import TYPE_W
from liandu_desk.reports.wording import Wording, Wordings, pick

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


def values(facts: ListPublicationFacts) -> dict[str, str]:
    """The placeholders of the 红黑榜通报 template."""
    return {
        "发文单位": facts.bureau,
        "年度": str(facts.period_from.year),
        "对象": facts.subject,
        "期间": f"{cn_date(facts.period_from)}至{cn_date(facts.period_to)}",
        "红榜数": str(len(facts.red)),
        "黑榜数": str(len(facts.black)),
    }


def heading(facts: ListPublicationFacts, texts: Wordings | None = None) -> str:
    """The publication's title as the template words it."""
    return pick(texts, "list_publication").fill("标题", values(facts))


def _table(entries: tuple[ListEntryFacts, ...], label: str, w: Wording) -> list[Flowable]:
    if not entries:
        return [body(w.fill("无条目", {"榜单": label}))]
    rows = [(i, e.name, e.reason) for i, e in enumerate(entries, start=1)]
    return [grid_table(w.items("表头"), rows, (TYPE_W * 0.1, TYPE_W * 0.32, TYPE_W * 0.58))]


def publication_flowables(facts: ListPublicationFacts, texts: Wordings | None = None) -> list[Flowable]:
    """Masthead, number, title, 主送, introduction, red list, black list, requirements, signature."""
    w = pick(texts, "list_publication")
    given = values(facts)
    story: list[Flowable] = [
        *letterhead(facts.bureau, facts.number or DRAFT_NUMBER, w.fill("标题", given), w.fill("主送", given)),
        body(w.fill("导语", given)),
        heading1(w.fill("标题_红榜", given)),
        *_table(facts.red, "红榜", w),
        blank(0.3),
        heading1(w.fill("标题_黑榜", given)),
        *_table(facts.black, "黑榜", w),
        blank(0.3),
        heading1(w.fill("标题_要求", given)),
        body(w.fill("有关要求", given)),
        SignatureBlock(facts.bureau, facts.issued_on, seal_outline=facts.draft),
    ]
    return story


def publication_parts(facts: ListPublicationFacts, texts: Wordings | None = None) -> list[Part]:
    watermark = "草稿" if facts.draft else ""
    label = heading(facts, texts)
    return [Part(publication_flowables(facts, texts), numbered=True, label=label, watermark=watermark)]
