"""The weekly 督办 sheet: overdue and due-soon items grouped by township, as a PDF through the report engine."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from reportlab.lib.colors import HexColor, black
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Table, TableStyle

from liandu_desk.reports.engine import Part, RenderOptions, render_parts
from liandu_desk.reports.fonts import BODY, HEADING, register_fonts
from liandu_desk.reports.official import blank, body, cn_date, heading2, title
from liandu_desk.reports.page import TYPE_W
from liandu_desk.services.home.due import DueItem, by_township

HEADER = ("序号", "模块", "事项", "经办人", "期限", "情况")
WIDTHS = (9 * mm, 19 * mm, TYPE_W - 91 * mm, 20 * mm, 22 * mm, 21 * mm)
HEADER_FILL = HexColor("#f2e6e6")


def _cell_style(font: str = BODY) -> ParagraphStyle:
    return ParagraphStyle("cell", fontName=font, fontSize=9, leading=11.5, wordWrap="CJK")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _table(items: Sequence[DueItem]) -> Table:
    style, head = _cell_style(), _cell_style(HEADING)
    rows = [[Paragraph(h, head) for h in HEADER]]
    for number, item in enumerate(items, start=1):
        when = item.when_text()
        colour = "#b00020" if item.days_over > 0 else "#8a5a00"
        rows.append([
            Paragraph(str(number), style), Paragraph(item.module, style), Paragraph(_escape(item.title), style),
            Paragraph(_escape(item.clerk), style), Paragraph(item.deadline.isoformat(), style),
            Paragraph(f'<font color="{colour}">{when}</font>', style),
        ])  # fmt: skip
    table = Table(rows, colWidths=WIDTHS, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
                ("GRID", (0, 0), (-1, -1), 0.5, black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )  # fmt: skip
    )
    return table


def sheet_flowables(items: Sequence[DueItem], as_of: dt.date, bureau: str) -> list[Flowable]:
    """Title, a summary line, then one table per township."""
    register_fonts()
    late = sum(1 for i in items if i.days_over > 0)
    counts = f"共有待督办事项{len(items)}项，其中超期{late}项、临期{len(items) - late}项"
    story: list[Flowable] = [
        title("督办事项清单"),
        body(f"{bureau}：截至{cn_date(as_of)}，{counts}，按乡镇（街道）分列如下，请各责任单位抓紧办理。"),
    ]
    for index, (township, group) in enumerate(by_township(items).items(), start=1):
        # A heading needs room for itself and a few rows below it; the table then splits across pages.
        story += [CondPageBreak(120), blank(0.3), heading2(f"（{index}）{township}（{len(group)}项）"), _table(group)]
    return story


def render_sheet(items: Sequence[DueItem], as_of: dt.date, bureau: str) -> bytes:
    """The 督办 sheet as PDF bytes."""
    options = RenderOptions(title=f"督办事项清单（{as_of.isoformat()}）", author=bureau, subject="督办")
    return render_parts([Part(sheet_flowables(items, as_of, bureau), label="督办事项清单")], options)
