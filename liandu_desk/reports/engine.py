"""Renders parts (one notice, one receipt page, one report) into a single PDF with per-part page numbers."""

from __future__ import annotations

import io
import logging
import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageBreak, PageTemplate

from liandu_desk.domain.errors import LianduError
from liandu_desk.reports.fonts import BODY, SONG, register_fonts
from liandu_desk.reports.page import (
    BOTTOM_MARGIN,
    LEFT_MARGIN,
    PAGE_H,
    PAGE_W,
    TYPE_H,
    TYPE_W,
    draw_watermark,
)
from liandu_desk.reports.text import draw_page_number

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]


class RenderCancelled(LianduError):
    """The clerk cancelled a batch while it was rendering (nothing is written, no number is taken)."""

    def __init__(self) -> None:
        super().__init__("已取消，未生成文件，也未分配文号。")


@dataclass
class Part:
    """One document inside a PDF: its flowables and whether its pages carry '— n —' numbers."""

    flowables: list[Flowable]
    numbered: bool = True
    label: str = ""
    watermark: str = ""


@dataclass
class _PartState:
    first_page: int = 1
    numbered: bool = True
    watermark: str = ""


@dataclass
class RenderOptions:
    """Metadata and batch hooks."""

    title: str = ""
    author: str = ""
    subject: str = ""
    progress: Progress | None = None
    cancelled: Callable[[], bool] | None = None
    extra: dict = field(default_factory=dict)


class PartStart(Flowable):
    """Zero-size marker at the top of a part: restarts page numbering, reports progress, checks for cancel."""

    def __init__(self, index: int, total: int, part: Part, options: RenderOptions) -> None:
        super().__init__()
        self.index, self.total, self.part, self.options = index, total, part, options

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        doc = self.canv._doctemplate
        doc.part_state = _PartState(self.canv.getPageNumber(), self.part.numbered, self.part.watermark)
        if self.options.cancelled is not None and self.options.cancelled():
            raise RenderCancelled()
        if self.options.progress is not None:
            self.options.progress(self.index, self.total, self.part.label)


class _Doc(BaseDocTemplate):
    def __init__(self, buffer: io.BytesIO, options: RenderOptions) -> None:
        super().__init__(
            buffer,
            pagesize=(PAGE_W, PAGE_H),
            leftMargin=LEFT_MARGIN,
            rightMargin=PAGE_W - LEFT_MARGIN - TYPE_W,
            topMargin=PAGE_H - BOTTOM_MARGIN - TYPE_H,
            bottomMargin=BOTTOM_MARGIN,
            title=options.title,
            author=options.author,
            subject=options.subject,
            creator="Liandu Desk",
            pageCompression=1,
            initialFontName=BODY,
            lang="zh-CN",
        )
        self.part_state = _PartState()
        frame = Frame(LEFT_MARGIN, BOTTOM_MARGIN, TYPE_W, TYPE_H, 0, 0, 0, 0, id="type-area")
        self.addPageTemplates([PageTemplate("gb9704", [frame], onPageEnd=self._page_end)])

    def _page_end(self, canvas, doc) -> None:
        state = self.part_state
        if state.watermark:
            draw_watermark(canvas, state.watermark, BODY)
        if state.numbered:
            draw_page_number(canvas, canvas.getPageNumber() - state.first_page + 1, SONG)


def render_parts(parts: Sequence[Part] | Iterable[Part], options: RenderOptions | None = None) -> bytes:
    """All parts into one PDF, each starting on a new page; returns the PDF bytes."""
    register_fonts()
    options = options or RenderOptions()
    parts = list(parts)
    story: list[Flowable] = []
    for index, part in enumerate(parts):
        if index:
            story.append(PageBreak())
        story.append(PartStart(index, len(parts), part, options))
        story.extend(part.flowables)
    buffer = io.BytesIO()
    doc = _Doc(buffer, options)
    doc.build(story)
    options.extra["pages"] = doc.page
    if options.progress is not None:
        options.progress(len(parts), len(parts), "")
    return buffer.getvalue()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: str | os.PathLike, data: bytes) -> Path:
    """Write bytes to a temporary file next to the target, flush it to disk, then rename it into place."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        os.chmod(tmp_name, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    log.info("wrote %s (%d bytes)", target, len(data))
    return target
