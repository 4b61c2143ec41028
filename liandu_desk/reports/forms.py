"""Ruled forms and lists with wrapping cells: label/value records, numbered item lists, signature rows."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from reportlab.lib.colors import HexColor, black
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from liandu_desk.reports.fonts import BODY, HEADING, register_fonts
from liandu_desk.reports.text import markup

LABEL_FILL = HexColor("#f4f0f0")


@lru_cache(maxsize=8)
def cell_style(font: str = BODY, size: float = 12.0) -> ParagraphStyle:
    """A wrapping CJK cell style (fonts registered first: paragraphs resolve their font family at once)."""
    register_fonts()
    return ParagraphStyle(f"cell-{font}-{size}", fontName=font, fontSize=size, leading=size * 1.45, wordWrap="CJK")


def cell(text: object, font: str = BODY, size: float = 12.0) -> Paragraph:
    """A wrapping cell; newlines become line breaks, markup characters are escaped."""
    safe = markup(str(text if text is not None else ""), font)
    return Paragraph(safe.replace("\n", "<br/>"), cell_style(font, size))


def record_form(rows: Sequence[tuple[str, object]], width: float, label_share: float = 0.24, size: float = 12) -> Table:
    """Label | value rows, ruled; long values wrap."""
    data = [[cell(label, HEADING, size), cell(value, BODY, size)] for label, value in rows]
    table = Table(data, colWidths=[width * label_share, width * (1 - label_share)])
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), BODY, size),
                ("GRID", (0, 0), (-1, -1), 0.6, black),
                ("BACKGROUND", (0, 0), (0, -1), LABEL_FILL),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return table


def grid_table(
    header: Sequence[str], rows: Sequence[Sequence[object]], widths: Sequence[float], size: float = 11
) -> Table:
    """A ruled table with a header row and wrapping cells; repeats the header on each page."""
    data = [[cell(h, HEADING, size) for h in header]] + [[cell(v, BODY, size) for v in row] for row in rows]
    table = Table(data, colWidths=list(widths), repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), BODY, size),
                ("GRID", (0, 0), (-1, -1), 0.5, black),
                ("BACKGROUND", (0, 0), (-1, 0), LABEL_FILL),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table


def signature_row(labels: Sequence[str], width: float, size: float = 12) -> Flowable:
    """Signing spaces: 'label：________' side by side, with a date line under each."""
    date_line = "\n\u3000\u3000年\u3000\u3000月\u3000\u3000日"
    data = [
        [cell(f"{label}（签名）：", HEADING, size) for label in labels],
        [cell(date_line, BODY, size) for _ in labels],
    ]
    table = Table(data, colWidths=[width / len(labels)] * len(labels), rowHeights=[48, 30])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONT", (0, 0), (-1, -1), BODY, size)]))
    return table
