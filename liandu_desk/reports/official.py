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
    EM_BOTTOM,
    LINE_PITCH,
    MASTHEAD_GAP,
    RED,
    RULE_GAP,
    SEAL_RED,
    TITLE_SIZE,
    TYPE_W,
)
from liandu_desk.reports.text import GridText, draw_text, text_width

SEAL_DIAMETER = 42 * mm


def cn_date(day: dt.date) -> str:
    """Arabic-numeral date as GB/T 9704 asks: 2024年3月5日 (no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"


class Masthead(Flowable):
    """The red 发文机关标志 in the 小标宋 face, centred, its top edge `gap` (35 mm) below the top of the type area
    when it opens the page; the flowable ends at the characters' bottom edge."""

    def __init__(self, text: str, max_size: float = 36.0, gap: float = MASTHEAD_GAP) -> None:
        super().__init__()
        self.text = text
        self.size = min(max_size, TYPE_W / max(len(text), 1) * 0.92)
        self.gap = gap

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._width = avail_width
        return avail_width, self.gap + self.size

    def draw(self) -> None:
        self.canv.setFillColor(RED)
        draw_text(self.canv, self._width / 2, self.size * EM_BOTTOM, self.text, TITLE, self.size, anchor="centre")


class NumberRule(Flowable):
    """发文字号 centred in 3号 仿宋 on one grid line, with the red rule as wide as the type area 4 mm below the
    number's bottom edge; the flowable ends at the rule."""

    def __init__(self, number: str) -> None:
        super().__init__()
        self.number = number

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._width = avail_width
        return avail_width, (LINE_PITCH + BODY_SIZE) / 2 + RULE_GAP

    def draw(self) -> None:
        canvas = self.canv
        canvas.setFillColor(black)
        baseline = RULE_GAP + BODY_SIZE * EM_BOTTOM
        draw_text(canvas, self._width / 2, baseline, self.number, BODY, BODY_SIZE, anchor="centre")
        canvas.setStrokeColor(RED)
        canvas.setLineWidth(1.2)
        canvas.line(0, 0, self._width, 0)


def letterhead(bureau: str, number: str, title_text: str, addressee_name: str = "") -> list[Flowable]:
    """The top of a 红头 document as GB/T 9704 places it: masthead 35 mm below the type area's top, two blank lines,
    the 发文字号, the red rule 4 mm below it, two blank lines, the title, one blank line, the 主送 (if any)."""
    story: list[Flowable] = [Masthead(bureau), blank(2), NumberRule(number), title(title_text, space_before_lines=2)]
    if addressee_name:
        story.append(addressee(addressee_name, space_before_lines=1))
    return story


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
        right = self._width - 4 * BODY_PITCH
        date_w = text_width(self.date_text, BODY, BODY_SIZE)
        centre = right - date_w / 2
        date_y = (LINE_PITCH - BODY_SIZE) / 2 + 2 + LINE_PITCH * 0.2
        draw_text(canvas, right, date_y, self.date_text, BODY, BODY_SIZE, anchor="right")
        draw_text(canvas, centre, date_y + LINE_PITCH, self.bureau, BODY, BODY_SIZE, anchor="centre")
        if self.seal_outline:
            canvas.saveState()
            canvas.setStrokeColor(SEAL_RED)
            canvas.setDash(4, 3)
            canvas.circle(centre, date_y + LINE_PITCH * 1.35, SEAL_DIAMETER / 2, stroke=1, fill=0)
            canvas.setFillColor(SEAL_RED)
            draw_text(canvas, centre, date_y + LINE_PITCH * 2.6, "（盖章处）", BODY, 10, anchor="centre")
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
