"""Builders for the import tests: valid ID numbers, screening rows and workbooks in the default layout."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import xlsxwriter

from liandu_desk.domain.validators import id_check_char
from liandu_desk.io.house_layout import HOUSE_COLUMNS, TEMPLATE_TITLE

HEADERS = [c.header for c in HOUSE_COLUMNS]
D = dt.date
NAMES = "一二三四五六七八九十"


def valid_id(seq: int, birth: str = "19650512") -> str:
    """A GB 11643-valid resident ID with Liandu's area code."""
    first = f"331102{birth}{seq % 1000:03d}"
    return first + id_check_char(first)


def good_row(i: int, **over: Any) -> dict[str, Any]:
    """A valid screening row for house number i (unique address), as {header: value}."""
    row = {
        "乡镇（街道）": "碧湖镇",
        "村（社区）": "梅田村",
        "详细地址": f"梅田村{i}号",
        "户主姓名": f"王{NAMES[i % 10]}明",
        "身份证号": valid_id(i),
        "联系电话": f"1381234{i % 10000:04d}",
        "结构类型": "砖混",
        "层数": 2,
        "建造年份": 1985,
        "建筑面积（㎡）": 120.5,
        "用途": "自住",
        "排查日期": dt.datetime(2021, 3, 5),
        "排查结论": "无隐患",
        "鉴定等级": None,
        "鉴定日期": None,
        "鉴定机构": None,
        "来源批次": None,
        "备注": None,
    }
    row.update(over)
    return row


def write_xlsx(
    path: Path,
    rows: Sequence[dict[str, Any] | None],
    headers: Sequence[str] = HEADERS,
    title: bool = True,
    total: bool = False,
    text_formats: bool = False,
) -> Path:
    """A workbook: optional merged title + blank row, the header row, the rows (None = blank row), a 合计 row."""
    workbook = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_numbers": False})
    sheet = workbook.add_worksheet()
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    top = 0
    if title:
        sheet.merge_range(0, 0, 0, 8, TEMPLATE_TITLE)
        sheet.write_string(2, 0, "单位：户")
        top = 3
    sheet.write_row(top, 0, list(headers))
    for offset, row in enumerate(rows, start=1):
        if row is None:
            continue
        for col, header in enumerate(headers):
            _write(sheet, top + offset, col, row.get(header), date_format)
    if total:
        sheet.write_string(top + len(rows) + 1, 0, "合计")
        sheet.write_number(top + len(rows) + 1, 3, len(rows))
    workbook.close()
    return path


def _write(sheet: Any, row: int, col: int, value: Any, date_format: Any) -> None:
    if value is None:
        return
    if isinstance(value, dt.datetime | dt.date):
        value = value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time())
        sheet.write_datetime(row, col, value, date_format)
    elif isinstance(value, int | float):
        sheet.write_number(row, col, value)
    else:
        sheet.write_string(row, col, str(value))


def first_data_row(title: bool = True) -> int:
    """The Excel row number of the first data row that write_xlsx writes."""
    return 5 if title else 2


def write_csv(path: Path, rows: Sequence[dict[str, Any]], encoding: str, title: str | None = None) -> Path:
    """A CSV in the default layout in the given encoding (utf-8, utf-8-sig, gb18030)."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if title:
        writer.writerow([title])
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow(["" if row.get(h) is None else _csv_text(row.get(h)) for h in HEADERS])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def _csv_text(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value)
