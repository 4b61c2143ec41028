"""The weekly 督办 sheet as an Excel workbook (xlsxwriter): one sheet, grouped by township, text kept as text."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

from liandu_desk.reports.due_facts import DueItem, by_township

HEADER = ("乡镇（街道）", "序号", "模块", "类别", "事项", "责任人/单位", "经办人", "期限", "情况", "超期天数")
WIDTHS = (14, 6, 10, 10, 60, 18, 10, 12, 14, 9)


def _text(sheet, row: int, col: int, value: str, fmt=None) -> None:
    """Always a text cell: a value starting with = + - @ is never read as a formula."""
    sheet.write_string(row, col, value or "", fmt)


def sheet_bytes(items: Sequence[DueItem], as_of: dt.date, bureau: str) -> bytes:
    """The workbook's bytes."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    sheet = book.add_worksheet("督办事项")
    bold = book.add_format({"bold": True, "bg_color": "#F2E6E6", "border": 1})
    group_fmt = book.add_format({"bold": True, "bg_color": "#EEEEEE"})
    date_fmt = book.add_format({"num_format": "yyyy-mm-dd"})
    late_fmt = book.add_format({"font_color": "#B00020"})
    _text(sheet, 0, 0, f"{bureau} 督办事项清单（截至{as_of.isoformat()}，共{len(items)}项）", group_fmt)
    for col, (name, width) in enumerate(zip(HEADER, WIDTHS, strict=True)):
        sheet.set_column(col, col, width)
        _text(sheet, 2, col, name, bold)
    sheet.freeze_panes(3, 0)
    row = 3
    for township, group in by_township(items).items():
        _text(sheet, row, 0, f"{township}（{len(group)}项）", group_fmt)
        row += 1
        for number, item in enumerate(group, start=1):
            values = (township, None, item.module, item.category, item.title, item.responsible, item.clerk)
            for col, value in enumerate(values):
                if value is not None:
                    _text(sheet, row, col, value)
            sheet.write_number(row, 1, number)
            sheet.write_datetime(row, 7, dt.datetime.combine(item.deadline, dt.time()), date_fmt)
            _text(sheet, row, 8, item.when_text(), late_fmt if item.days_over > 0 else None)
            sheet.write_number(row, 9, max(item.days_over, 0))
            row += 1
    sheet.autofilter(2, 0, max(row - 1, 2), len(HEADER) - 1)
    book.close()
    return buffer.getvalue()
