"""Grid text for Chinese official documents: fixed character pitch, 避头尾 line breaking, page splitting."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from reportlab.lib.colors import Color, black
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from liandu_desk.reports.fonts import BODY, font_for, on_reload, runs
from liandu_desk.reports.page import (
    BODY_PITCH,
    BODY_SIZE,
    EM_BOTTOM,
    LEFT_MARGIN,
    LINE_PITCH,
    SMALL_SIZE,
    TYPE_W,
    page_number_baseline,
)

NO_LINE_START = set("，。、；：？！）》」』〕】”’·…—%,.;:?!)]}>")
NO_LINE_END = set("（《「『〔【“‘([{<")


@lru_cache(maxsize=65536)
def _natural_width(char: str, font: str, size: float) -> float:
    """The advance of one character in the face it is drawn with (the font, or the fallback that has it)."""
    return stringWidth(char, font_for(char, font) or font, size)


on_reload(_natural_width.cache_clear)


def text_width(text: str, font: str, size: float, char_space: float = 0.0) -> float:
    """Width of a string drawn glyph by glyph in its faces, with `char_space` after every character."""
    return sum(stringWidth(segment, face, size) for face, segment in runs(text, font)) + char_space * len(text)


def markup(text: str, font: str) -> str:
    """Paragraph markup for plain text: escaped, each run the font lacks wrapped in <font face=…> (glyph fallback)."""
    out = []
    for face, segment in runs(text, font):
        safe = segment.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        out.append(safe if face == font else f'<font face="{face}">{safe}</font>')
    return "".join(out)


def draw_text(
    canvas, x: float, y: float, text: str, font: str, size: float, *, char_space: float = 0.0, anchor: str = "left"
) -> None:
    """Draw a string at baseline y, switching face for each character the font lacks; anchor left/centre/right."""
    if anchor != "left":
        width = text_width(text, font, size, char_space)
        x -= width / 2 if anchor == "centre" else width
    obj = canvas.beginText(x, y)
    obj.setCharSpace(char_space)
    for face, segment in runs(text, font):
        obj.setFont(face, size)
        obj.textOut(segment)
    canvas.drawText(obj)


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def _tokens(text: str) -> list[str]:
    """Characters, with runs of Latin letters/digits kept together so numbers never break across lines."""
    tokens: list[str] = []
    run = ""
    for char in text:
        if char.isascii() and (char.isalnum() or char in ".-/:"):
            run += char
            continue
        if run:
            tokens.append(run)
            run = ""
        tokens.append(char)
    if run:
        tokens.append(run)
    return tokens


class GridText(Flowable):
    """One paragraph on the character grid: every wide character advances `pitch`, lines advance `leading`."""

    def __init__(
        self,
        text: str,
        *,
        font: str = BODY,
        size: float = BODY_SIZE,
        pitch: float = BODY_PITCH,
        leading: float = LINE_PITCH,
        indent: int = 2,
        align: str = "justify",
        color: Color = black,
        space_before: float = 0.0,
        lines: list[str] | None = None,
        first_part: bool = True,
    ) -> None:
        super().__init__()
        self.text = text
        self.font, self.size, self.pitch, self.leading = font, size, pitch, leading
        self.indent = indent
        self.align = align
        self.color = color
        self.space_before = space_before if first_part else 0.0
        self._lines = lines
        self._fixed = lines is not None
        self._first_part = first_part
        self._justify_last = False
        self._width = 0.0

    # -- layout ------------------------------------------------------------------------------------------
    def _advance(self, token: str) -> float:
        extra = self.pitch - self.size
        return sum(_natural_width(c, self.font, self.size) + extra for c in token)

    def _break(self, width: float) -> list[str]:
        lines: list[str] = []
        current: list[str] = []
        used = self.indent * self.pitch if self._first_part else 0.0
        for token in _tokens(self.text):
            if token == "\n":
                lines.append("".join(current))
                current, used = [], 0.0
                continue
            advance = self._advance(token)
            if current and used + advance > width + 0.01:
                current, carried = self._kinsoku(current, token)
                lines.append("".join(current))
                current = carried
                used = sum(self._advance(t) for t in current)
            current.append(token)
            used += advance
        lines.append("".join(current))
        return lines

    @staticmethod
    def _kinsoku(current: list[str], token: str) -> tuple[list[str], list[str]]:
        """Move the last token down so no line starts with closing punctuation or ends with an opening one."""
        carried: list[str] = []
        if token[0] in NO_LINE_START and len(current) > 1:
            carried.insert(0, current.pop())
        while len(current) > 1 and current[-1] and current[-1][-1] in NO_LINE_END:
            carried.insert(0, current.pop())
        return current, carried

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        if not self._fixed and (self._lines is None or self._width != avail_width):
            self._lines = self._break(avail_width)
        self._width = avail_width
        return avail_width, self.space_before + len(self._lines) * self.leading

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        self.wrap(avail_width, avail_height)
        fit = int((avail_height - self.space_before + 0.01) // self.leading)
        if fit <= 0 or fit >= len(self._lines):
            return []
        head = self._part(self._lines[:fit], self._first_part, justify_last=True)
        tail = self._part(self._lines[fit:], False, justify_last=self._justify_last)
        return [head, tail]

    def _part(self, lines: list[str], first: bool, justify_last: bool) -> GridText:
        part = GridText(
            self.text,
            font=self.font,
            size=self.size,
            pitch=self.pitch,
            leading=self.leading,
            indent=self.indent,
            align=self.align,
            color=self.color,
            space_before=self.space_before,
            lines=lines,
            first_part=first,
        )
        part._width = self._width
        part._justify_last = justify_last
        return part

    # -- drawing -----------------------------------------------------------------------------------------
    def draw(self) -> None:
        canvas = self.canv
        canvas.setFillColor(self.color)
        base_space = self.pitch - self.size
        last_index = len(self._lines) - 1
        justify_last = self._justify_last
        for index, line in enumerate(self._lines):
            if not line:
                continue
            x = self.indent * self.pitch if index == 0 and self._first_part else 0.0
            natural = sum(_natural_width(c, self.font, self.size) for c in line) + base_space * len(line)
            space = base_space
            room = self._width - x - natural
            if self.align == "center":
                x += room / 2
            elif self.align == "right":
                x += room
            elif self.align == "justify" and (index < last_index or justify_last) and len(line) > 1 and room > 0:
                space += room / (len(line) - 1)
            y = (len(self._lines) - index - 1) * self.leading + (self.leading - self.size) / 2 + self.size * EM_BOTTOM
            draw_text(canvas, x, y, line, self.font, self.size, char_space=space)


def draw_page_number(canvas, number: int, font: str) -> None:
    """'— n —' in 四号 宋体, dashes 7 mm below the type area: odd pages right, even pages left, one character in."""
    text = f"— {number} —"
    canvas.saveState()
    baseline = page_number_baseline(font)
    if number % 2:
        draw_text(canvas, LEFT_MARGIN + TYPE_W - SMALL_SIZE, baseline, text, font, SMALL_SIZE, anchor="right")
    else:
        draw_text(canvas, LEFT_MARGIN + SMALL_SIZE, baseline, text, font, SMALL_SIZE)
    canvas.restoreState()
