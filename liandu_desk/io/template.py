"""Blank downloadable import templates (screening, appraisals, companies, communities) with drop-down lists."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from liandu_desk.io.headers import Column
from liandu_desk.io.house_layout import HOUSE_COLUMNS, TEMPLATE_TITLE
from liandu_desk.io.xlsx_out import WORKBOOK_OPTIONS, CellWriter, atomic_path, display_width

TEMPLATE_ROWS = 5000
TEXT_KEYS = ("id_number", "phone", "address", "village", "report_no")
DATE_KEYS = ("screened_on", "appraised_on")
NOTES = (
    "填写说明",
    "1. 表头行不可修改；标题行可删除。必填列：" + "、".join(c.header for c in HOUSE_COLUMNS if c.required) + "。",
    "2. 乡镇（街道）可写简称，如“紫金”“老竹镇”。",
    "3. 身份证号、联系电话列已设为文本格式，请勿改为数字格式（数字格式会丢失身份证号末几位）。",
    "4. 日期可写作 2021-03-05、2021/3/5、2021.3.5、2021年3月5日 或 20210305，不能晚于今天。",
    "5. 填写鉴定等级时必须填写鉴定日期，且鉴定日期不早于排查日期。",
    "6. 同一房屋（乡镇、村、详细地址相同）在一个文件中只能出现一次。",
)


def write_house_template(target: str | Path, townships: Sequence[str]) -> Path:
    """The blank screening template: title row, header row, drop-downs on the choice columns, a notes sheet."""
    return write_layout_template(target, HOUSE_COLUMNS, TEMPLATE_TITLE, townships, NOTES)


def write_layout_template(
    target: str | Path, columns: Sequence[Column], title_text: str, townships: Sequence[str], notes_text: Sequence[str]
) -> Path:
    """Write a blank template of a layout: title, headers, text/date column formats, drop-down lists, notes."""
    import xlsxwriter

    target = Path(target)
    with atomic_path(target) as temp:
        workbook = xlsxwriter.Workbook(str(temp), WORKBOOK_OPTIONS)
        sheet = workbook.add_worksheet("导入")
        cells = CellWriter(workbook)
        title = workbook.add_format({"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"})
        sheet.merge_range(0, 0, 0, len(columns) - 1, title_text, title)
        sheet.set_row(0, 28)
        headers = [c.header for c in columns]
        widths = [max(10, display_width(h) + 4) for h in headers]
        cells.header(sheet, 1, headers, widths)
        lists = workbook.add_worksheet("选项")
        choices = {"township": tuple(townships)} | {c.key: c.choices for c in columns if c.choices}
        for col, column in enumerate(columns):
            if column.required:
                sheet.write_comment(1, col, "必填")
            if column.key in TEXT_KEYS:
                sheet.set_column(col, col, widths[col], cells.text_format)
            if column.key in DATE_KEYS:
                sheet.set_column(col, col, widths[col], cells.date_format)
            if column.key in choices:
                _add_list(sheet, lists, col, column.header, choices[column.key], list(choices).index(column.key))
        lists.hide()
        notes = workbook.add_worksheet("填写说明")
        notes.set_column(0, 0, 100)
        for i, line in enumerate(notes_text):
            notes.write_string(i, 0, line)
        workbook.close()
    return target


def _add_list(sheet, lists, col: int, header: str, values: Sequence[str], list_col: int) -> None:
    """A drop-down on rows 3..TEMPLATE_ROWS+2 fed from a column of the hidden 选项 sheet."""
    from xlsxwriter.utility import xl_col_to_name

    lists.write_string(0, list_col, header)
    for i, value in enumerate(values, start=1):
        lists.write_string(i, list_col, value)
    letter = xl_col_to_name(list_col)
    sheet.data_validation(
        2,
        col,
        TEMPLATE_ROWS + 1,
        col,
        {
            "validate": "list",
            "source": f"='选项'!${letter}$2:${letter}${len(values) + 1}",
            "error_title": header,
            "error_message": f"请从下拉列表中选择{header}",
            "error_type": "warning",
        },
    )
