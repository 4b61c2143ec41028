"""案卷: a case dossier (cover, record forms, tables, timeline, audit trail, photos) built from generic sections."""

from __future__ import annotations

import datetime as dt
import io
import logging
from dataclasses import dataclass, field

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Image, KeepTogether, PageBreak

from liandu_desk.reports.engine import Part
from liandu_desk.reports.fonts import KAI
from liandu_desk.reports.forms import grid_table, record_form
from liandu_desk.reports.official import blank, body, cn_date, heading1, title
from liandu_desk.reports.page import LINE_PITCH, TYPE_W
from liandu_desk.reports.text import GridText

log = logging.getLogger(__name__)
CN_NUMBERS = "一二三四五六七八九十"
PHOTO_MAX_H = 95 * mm


@dataclass(frozen=True)
class Section:
    """A dossier section: a label/value form (`form=True`, rows of 2) or a table with a header."""

    title: str
    header: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    shares: tuple[float, ...] = ()
    form: bool = False
    empty_text: str = "无记录。"


@dataclass(frozen=True)
class Photo:
    """An image attachment with its caption."""

    caption: str
    data: bytes


@dataclass(frozen=True)
class DossierFacts:
    """Everything in the dossier."""

    bureau: str
    title: str
    subject: str
    cover: tuple[tuple[str, str], ...]
    sections: tuple[Section, ...]
    photos: tuple[Photo, ...] = field(default_factory=tuple)
    generated_on: dt.date | None = None


def _section(index: int, section: Section) -> list[Flowable]:
    heading = heading1(f"{CN_NUMBERS[index % 10]}、{section.title}")
    if not section.rows:
        return [heading, body(section.empty_text)]
    if section.form:
        return [KeepTogether([heading, record_form(section.rows, TYPE_W)]), blank(0.4)]
    shares = section.shares or tuple(1 / len(section.header) for _ in section.header)
    widths = [TYPE_W * s / sum(shares) for s in shares]
    return [KeepTogether([heading, grid_table(section.header, section.rows, widths, size=10)]), blank(0.4)]


def _photo(photo: Photo) -> Flowable | None:
    try:
        image = Image(io.BytesIO(photo.data))
    except Exception:
        log.warning("skipped unreadable photo %s", photo.caption)
        return None
    scale = min(TYPE_W / image.imageWidth, PHOTO_MAX_H / image.imageHeight, 1.0)
    image.drawWidth, image.drawHeight = image.imageWidth * scale, image.imageHeight * scale
    caption = GridText(photo.caption, font=KAI, size=12, pitch=12, leading=LINE_PITCH * 0.8, indent=0, align="center")
    return KeepTogether([image, caption, blank(0.3)])


def dossier_flowables(facts: DossierFacts) -> list[Flowable]:
    """Cover with contents, then every section, then photos."""
    contents = [s.title for s in facts.sections] + (["照片"] if facts.photos else [])
    story: list[Flowable] = [
        blank(3),
        title(facts.title, space_before_lines=0),
        GridText(facts.subject, font=KAI, indent=0, align="center"),
        blank(1),
        record_form(facts.cover, TYPE_W),
        blank(1),
        body("目录：" + "；".join(f"{CN_NUMBERS[i % 10]}、{t}" for i, t in enumerate(contents)) + "。"),
        GridText(
            f"{facts.bureau}　{cn_date(facts.generated_on or dt.date.today())}制",
            indent=0,
            align="right",
            space_before=LINE_PITCH,
        ),
        PageBreak(),
    ]
    for index, section in enumerate(facts.sections):
        story.extend(_section(index, section))
    if facts.photos:
        story.append(heading1(f"{CN_NUMBERS[len(facts.sections) % 10]}、照片"))
        story.extend(f for f in (_photo(p) for p in facts.photos) if f is not None)
    return story


def dossier_parts(facts: DossierFacts) -> list[Part]:
    return [Part(dossier_flowables(facts), numbered=True, label=facts.title)]
