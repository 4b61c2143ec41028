"""Writing .xlsx safely: a temp file renamed into place, text that is never taken for a formula, real dates."""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@")
WORKBOOK_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}


@contextlib.contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """A temporary path next to the target; renamed onto it only if the block succeeds."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=target.suffix, dir=target.parent)
    os.close(handle)
    temp = Path(name)
    try:
        yield temp
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)


class CellWriter:
    """Writes Python values into an xlsxwriter sheet with the right cell type and formats."""

    def __init__(self, workbook: Any) -> None:
        self.date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
        self.datetime_format = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        self.text_format = workbook.add_format({"num_format": "@"})
        self.quoted_format = workbook.add_format({"num_format": "@", "quote_prefix": True})
        self.header_format = workbook.add_format(
            {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "vcenter"}
        )

    def write(self, sheet: Any, row: int, col: int, value: Any) -> None:
        """One cell: numbers as numbers, dates as date cells, everything else as literal text."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return
        if isinstance(value, bool):
            sheet.write_string(row, col, "是" if value else "否")
        elif isinstance(value, int | float):
            if math.isinf(value):
                sheet.write_string(row, col, str(value))
            else:
                sheet.write_number(row, col, value)
        elif isinstance(value, dt.datetime):
            fmt = self.date_format if value.time() == dt.time() else self.datetime_format
            sheet.write_datetime(row, col, value.replace(tzinfo=None), fmt)
        elif isinstance(value, dt.date):
            sheet.write_datetime(row, col, dt.datetime.combine(value, dt.time()), self.date_format)
        else:
            self.write_text(sheet, row, col, str(value))

    def write_text(self, sheet: Any, row: int, col: int, text: str) -> None:
        """Literal text; a leading = + - @ is kept as text (quote prefix), never turned into a formula."""
        fmt = self.quoted_format if text.startswith(FORMULA_PREFIXES) else None
        sheet.write_string(row, col, text, fmt)

    def header(self, sheet: Any, row: int, headers: list[str], widths: list[int] | None = None) -> None:
        """A bold header row with column widths and the panes frozen below it."""
        for col, text in enumerate(headers):
            sheet.write_string(row, col, str(text), self.header_format)
            width = widths[col] if widths else max(8, min(40, display_width(str(text)) + 2))
            sheet.set_column(col, col, width)
        sheet.freeze_panes(row + 1, 0)


def display_width(text: str) -> int:
    """Approximate column width of text: CJK characters count double."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
