"""The rejected-rows workbook: the rejected rows as they were, plus an 错误原因 column, ready to fix and re-import."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from liandu_desk.io.house_validation import Rejection
from liandu_desk.io.reader import is_blank
from liandu_desk.io.xlsx_out import WORKBOOK_OPTIONS, CellWriter, atomic_path, display_width

REASON_HEADER = "错误原因"


def write_rejection_report(
    target: str | Path,
    header_cells: Sequence[Any],
    raw_rows: dict[int, list[Any]],
    rejections: Sequence[Rejection],
    text_columns: Sequence[int] = (),
) -> Path:
    """Write the rejected rows under the original header with 原行号 and 错误原因 columns; returns the path."""
    import xlsxwriter

    reasons: dict[int, list[str]] = {}
    for rejection in rejections:
        reasons.setdefault(rejection.row, []).append(f"{rejection.column}：{rejection.reason}")
    headers = ["" if is_blank(h) else str(h).strip() for h in header_cells]
    while headers and not headers[-1]:
        headers.pop()
    target = Path(target)
    with atomic_path(target) as temp:
        workbook = xlsxwriter.Workbook(str(temp), {**WORKBOOK_OPTIONS, "constant_memory": True})
        sheet = workbook.add_worksheet("被拒绝的行")
        cells = CellWriter(workbook)
        widths = [max(8, min(30, display_width(h) + 2)) for h in headers] + [10, 60]
        cells.header(sheet, 0, [*headers, "原行号", REASON_HEADER], widths)
        for col in text_columns:
            sheet.set_column(col, col, widths[col], cells.text_format)
        for out_row, number in enumerate(sorted(raw_rows), start=1):
            row = raw_rows[number]
            for col in range(len(headers)):
                cells.write(sheet, out_row, col, row[col] if col < len(row) else None)
            sheet.write_number(out_row, len(headers), number)
            cells.write_text(sheet, out_row, len(headers) + 1, "；".join(reasons.get(number, [])))
        workbook.close()
    return target
