"""Ruled figure tables in the bundled fonts: a header row, right-aligned numbers, an optional total row."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.colors import HexColor, black
from reportlab.platypus import Table, TableStyle

from liandu_desk.reports.fonts import BODY, HEADING

HEADER_FILL = HexColor("#f2e6e6")


def figure_table(
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    width: float,
    *,
    total: Sequence[object] | None = None,
    first_col: float = 0.28,
    size: float = 11,
) -> Table:
    """A table spanning `width`: first column for names, the rest equal for numbers."""
    data = [list(header), *[list(r) for r in rows]]
    if total is not None:
        data.append(list(total))
    rest = (width * (1 - first_col)) / max(len(header) - 1, 1)
    table = Table(data, colWidths=[width * first_col] + [rest] * (len(header) - 1), repeatRows=1)
    style = [
        ("FONT", (0, 0), (-1, 0), HEADING, size),
        ("FONT", (0, 1), (-1, -1), BODY, size),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
        ("ALIGN", (0, 0), (-1, 0), "CENTER"),
        ("GRID", (0, 0), (-1, -1), 0.5, black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    if total is not None:
        style.append(("FONT", (0, -1), (-1, -1), HEADING, size))
    table.setStyle(TableStyle(style))
    return table
