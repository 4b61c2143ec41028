"""GB/T 9704-2012 page geometry (A4, type area 156×225 mm, 22 lines × 28 characters) and page furniture."""

from __future__ import annotations

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

PAGE_W, PAGE_H = A4
TOP_MARGIN = 37 * mm
LEFT_MARGIN = 28 * mm
TYPE_W = 156 * mm
TYPE_H = 225 * mm
BOTTOM_MARGIN = PAGE_H - TOP_MARGIN - TYPE_H  # ≈35 mm
RIGHT_MARGIN = PAGE_W - LEFT_MARGIN - TYPE_W  # ≈26 mm

LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
LINE_PITCH = TYPE_H / LINES_PER_PAGE  # ≈28.9 pt
BODY_SIZE = 16.0  # 三号
BODY_PITCH = TYPE_W / CHARS_PER_LINE  # ≈15.8 pt: 28 characters fill the line exactly
TITLE_SIZE = 22.0  # 二号
SMALL_SIZE = 14.0  # 四号: 抄送, 印发, page numbers
PAGE_NUMBER_GAP = 7 * mm  # from the bottom of the type area down to the page number's dashes (一字线)

# Vertical positions follow GB/T 9704-2012 §7.2 on the line grid: a text line is a box LINE_PITCH high with the
# characters' ideographic em box (EM_BOTTOM below to EM_TOP above the baseline, in em) centred in it; "n blank
# lines" are n empty boxes.
EM_TOP = 0.88
EM_BOTTOM = 0.12
MASTHEAD_GAP = 35 * mm  # top of the type area → top edge of the 发文机关标志
RULE_GAP = 4 * mm  # bottom edge of the 发文字号 → the red rule

RED = Color(0.87, 0.09, 0.10)
SEAL_RED = Color(0.87, 0.09, 0.10, alpha=0.55)
WARNING_RED = Color(0.75, 0.0, 0.0)  # reviewer's warnings in a draft or document (#c00000), never the text itself


def page_number_baseline(font: str) -> float:
    """Baseline of '— n —' such that the top of its dashes lies PAGE_NUMBER_GAP below the type area."""
    from liandu_desk.reports.fonts import glyph_extent

    dash_top = glyph_extent(font, "—")[1]
    return BOTTOM_MARGIN - PAGE_NUMBER_GAP - dash_top * SMALL_SIZE


def draw_watermark(canvas, text: str, font: str) -> None:
    """A large light diagonal mark across the page (e.g. 草稿 on a draft), under which the text stays legible."""
    canvas.saveState()
    canvas.setFillColor(Color(0.6, 0.6, 0.6, alpha=0.18))
    canvas.setFont(font, 110)
    canvas.translate(PAGE_W / 2, PAGE_H / 2)
    canvas.rotate(35)
    canvas.drawCentredString(0, -40, text)
    canvas.restoreState()
