"""The weekly 督办 sheet: overdue and due-soon items grouped by township, as a PDF through the report engine."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from reportlab.lib.colors import HexColor, black
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Table, TableStyle

from liandu_desk.reports.due_facts import DueItem, by_township
from liandu_desk.reports.engine import Part, RenderOptions, render_parts
from liandu_desk.reports.fonts import BODY, HEADING, register_fonts
from liandu_desk.reports.official import blank, body, cn_date, heading2, title
from liandu_desk.reports.page import TYPE_W
from liandu_desk.reports.text import markup
from liandu_desk.reports.wording import Wordings, pick

WIDTHS = (9 * mm, 19 * mm, TYPE_W - 91 * mm, 20 * mm, 22 * mm, 21 * mm)
HEADER_FILL = HexColor("#f2e6e6")


def _cell_style(font: str = BODY) -> ParagraphStyle:
    return ParagraphStyle("cell", fontName=font, fontSize=9, leading=11.5, wordWrap="CJK")


def _escape(text: str) -> str:
    return markup(text, BODY)


def _table(items: Sequence[DueItem], header: Sequence[str]) -> Table:
    style, head = _cell_style(), _cell_style(HEADING)
    rows = [[Paragraph(_escape(h), head) for h in header]]
    for number, item in enumerate(items, start=1):
        when = item.when_text()
        colour = "#b00020" if item.days_over > 0 else "#8a5a00"
        rows.append(
            [
                Paragraph(str(number), style),
                Paragraph(item.module, style),
                Paragraph(_escape(item.title), style),
                Paragraph(_escape(item.clerk), style),
                Paragraph(item.deadline.isoformat(), style),
                Paragraph(f'<font color="{colour}">{when}</font>', style),
            ]
        )
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
        )
    )
    return table


def values(items: Sequence[DueItem], as_of: dt.date, bureau: str) -> dict[str, str]:
    """The common placeholders of the 督办单 template."""
    late = sum(1 for i in items if i.days_over > 0)
    return {
        "发文单位": bureau,
        "截至日期": cn_date(as_of),
        "事项数": str(len(items)),
        "超期数": str(late),
        "临期数": str(len(items) - late),
    }


def sheet_flowables(
    items: Sequence[DueItem], as_of: dt.date, bureau: str, texts: Wordings | None = None
) -> list[Flowable]:
    """Title, a summary line, then one table per township."""
    register_fonts()
    w = pick(texts, "duban")
    given = values(items, as_of, bureau)
    header = w.items("表头")
    story: list[Flowable] = [title(w.fill("标题", given)), body(w.fill("导语", given))]
    for index, (township, group) in enumerate(by_township(items).items(), start=1):
        group_title = w.fill("分组标题", {**given, "序号": index, "乡镇": township, "本组事项数": len(group)})
        # A heading needs room for itself and a few rows below it; the table then splits across pages.
        story += [CondPageBreak(120), blank(0.3), heading2(group_title), _table(group, header)]
    return story


def render_sheet(items: Sequence[DueItem], as_of: dt.date, bureau: str, texts: Wordings | None = None) -> bytes:
    """The 督办 sheet as PDF bytes."""
    options = RenderOptions(title=f"督办事项清单（{as_of.isoformat()}）", author=bureau, subject="督办")
    return render_parts([Part(sheet_flowables(items, as_of, bureau, texts), label="督办事项清单")], options)
