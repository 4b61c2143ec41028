"""Building blocks of an official document: red masthead, 发文字号 with red rule, title, 主送, headings, signature."""

from __future__ import annotations

import datetime as dt

from reportlab.lib.colors import black
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from liandu_desk.reports.fonts import BODY, HEADING, KAI, TITLE
from liandu_desk.reports.page import (
    BODY_PITCH,
    BODY_SIZE,
    LINE_PITCH,
    RED,
    SEAL_RED,
    TITLE_SIZE,
    TYPE_W,
)
from liandu_desk.reports.text import GridText

SEAL_DIAMETER = 42 * mm


def cn_date(day: dt.date) -> str:
    """Arabic-numeral date as GB/T 9704 asks: 2024年3月5日 (no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"


class Masthead(Flowable):
    """The red 发文机关标志: the bureau's name centred in a large Song face."""

    def __init__(self, text: str, max_size: float = 36.0) -> None:
        super().__init__()
        self.text = text
        self.size = min(max_size, TYPE_W / max(len(text), 1) * 0.92)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._width = avail_width
        return avail_width, self.size * 1.15

    def draw(self) -> None:
        self.canv.setFillColor(RED)
        self.canv.setFont(TITLE, self.size)
        self.canv.drawCentredString(self._width / 2, self.size * 0.15, self.text)


class NumberRule(Flowable):
    """发文字号 centred in 3号 with the red separator line 4 mm below it across the type area."""

    def __init__(self, number: str) -> None:
        super().__init__()
        self.number = number

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._width = avail_width
        return avail_width, LINE_PITCH + 4 * mm

    def draw(self) -> None:
        canvas = self.canv
        canvas.setFillColor(black)
        canvas.setFont(BODY, BODY_SIZE)
        canvas.drawCentredString(self._width / 2, 4 * mm + (LINE_PITCH - BODY_SIZE) / 2 + 2, self.number)
        canvas.setStrokeColor(RED)
        canvas.setLineWidth(1.2)
        canvas.line(0, 0.6, self._width, 0.6)


class SignatureBlock(Flowable):
    """发文机关署名 centred over the 成文日期 (right, four characters in), with the seal area pressing on both."""

    def __init__(self, bureau: str, day: dt.date | None, *, seal_outline: bool = False) -> None:
        super().__init__()
        self.bureau = bureau
        self.date_text = cn_date(day) if day else "    年  月  日"
        self.seal_outline = seal_outline

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._width = avail_width
        return avail_width, LINE_PITCH * 3.2

    def draw(self) -> None:
        canvas = self.canv
        canvas.setFillColor(black)
        canvas.setFont(BODY, BODY_SIZE)
        right = self._width - 4 * BODY_PITCH
        date_w = canvas.stringWidth(self.date_text, BODY, BODY_SIZE)
        centre = right - date_w / 2
        date_y = (LINE_PITCH - BODY_SIZE) / 2 + 2 + LINE_PITCH * 0.2
        canvas.drawRightString(right, date_y, self.date_text)
        canvas.drawCentredString(centre, date_y + LINE_PITCH, self.bureau)
        if self.seal_outline:
            canvas.saveState()
            canvas.setStrokeColor(SEAL_RED)
            canvas.setDash(4, 3)
            canvas.circle(centre, date_y + LINE_PITCH * 1.35, SEAL_DIAMETER / 2, stroke=1, fill=0)
            canvas.setFillColor(SEAL_RED)
            canvas.setFont(BODY, 10)
            canvas.drawCentredString(centre, date_y + LINE_PITCH * 2.6, "（盖章处）")
            canvas.restoreState()


def title(text: str, space_before_lines: float = 2) -> GridText:
    """2号 title in the Song face, centred."""
    return GridText(
        text,
        font=TITLE,
        size=TITLE_SIZE,
        pitch=TITLE_SIZE,
        leading=LINE_PITCH * 1.25,
        indent=0,
        align="center",
        space_before=LINE_PITCH * space_before_lines,
    )


def addressee(name: str, space_before_lines: float = 1) -> GridText:
    """主送: flush left, ending with a full-width colon, one blank line under the title."""
    return GridText(f"{name}：", indent=0, align="left", space_before=LINE_PITCH * space_before_lines)


def body(text: str) -> GridText:
    """A body paragraph: 3号, two-character first-line indent, justified on the grid."""
    return GridText(text)


def heading1(text: str) -> GridText:
    """一、 heading in 黑体."""
    return GridText(text, font=HEADING)


def heading2(text: str) -> GridText:
    """（一） heading in 楷体."""
    return GridText(text, font=KAI)


def blank(lines: float = 1) -> Spacer:
    """Blank grid lines."""
    return Spacer(1, LINE_PITCH * lines)
