"""Checks that refuse hostile files (zip bombs, enormous sheets, disguised files) before they are parsed."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from liandu_desk.domain.errors import LianduError
from liandu_desk.io.workbook_budget import read_cost

XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_DIMENSION_RE = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]+)?(\d+)?(?::([A-Z]+)(\d+))?"')
_ROW_RE = re.compile(rb'<(?:\w+:)?row\b[^>]*\br="(\d+)"')


@dataclass(frozen=True)
class Limits:
    """How big a spreadsheet may be before it is refused unread."""

    max_file_bytes: int = 200 * 1024 * 1024
    max_uncompressed_bytes: int = 1024 * 1024 * 1024
    max_member_ratio: int = 200
    max_rows: int = 300_000
    max_columns: int = 200
    max_cells: int = 6_000_000
    max_text_chars: int = 60_000_000  # text the cells decode to (a 300,000-row sheet of real data is far below)

    def too_big(self, rows: int, cols: int) -> bool:
        return rows > self.max_rows or cols > self.max_columns or rows * cols > self.max_cells


DEFAULT_LIMITS = Limits()


class UnreadableFileError(LianduError):
    """The file cannot be read as a table (wrong type, damaged, hostile or too large)."""


def check_file(path: Path, limits: Limits = DEFAULT_LIMITS) -> str:
    """The file's real kind ('xlsx', 'xls' or 'csv') after the size, type and zip checks; raises otherwise."""
    if not path.is_file():
        raise UnreadableFileError(f"找不到文件：{path.name}")
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        limit = limits.max_file_bytes // 1024 // 1024
        raise UnreadableFileError(f"文件过大（{size // 1024 // 1024} MB），超过 {limit} MB 上限")
    kind = path.suffix.lower().lstrip(".")
    with path.open("rb") as handle:
        head = handle.read(8)
    if kind in ("xlsx", "xlsm"):
        if not head.startswith(XLSX_MAGIC):
            raise UnreadableFileError(f"“{path.name}”不是真正的 Excel 工作簿（.xlsx），文件内容与扩展名不符")
        check_xlsx(path, limits)
        return "xlsx"
    if kind == "xls":
        if not head.startswith(XLS_MAGIC):
            raise UnreadableFileError(f"“{path.name}”不是真正的 Excel 97-2003 工作簿（.xls），文件内容与扩展名不符")
        return "xls"
    if kind == "csv":
        if head.startswith((XLSX_MAGIC, XLS_MAGIC)) or b"\x00" in head:
            raise UnreadableFileError(f"“{path.name}”不是文本格式的 CSV 文件，文件内容与扩展名不符")
        return "csv"
    raise UnreadableFileError(f"不支持的文件类型“{path.suffix or '无扩展名'}”，请使用 .xlsx、.xls 或 .csv")


def check_xlsx(path: Path, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse a zip bomb (uncompressed size or ratio) and a first sheet larger than the row/column limits."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            _check_zip_sizes(infos, limits)
            sheet = first_sheet_name(archive)
            if sheet is not None:
                _check_dimension(archive, sheet, limits)
                _check_read_cost(archive, sheet, limits)
    except zipfile.BadZipFile:
        raise UnreadableFileError(f"“{path.name}”已损坏，无法作为 Excel 工作簿打开") from None


def _check_zip_sizes(infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    total = sum(i.file_size for i in infos)
    if total > limits.max_uncompressed_bytes:
        raise UnreadableFileError(
            f"工作簿解压后达 {total // 1024 // 1024} MB，超过 {limits.max_uncompressed_bytes // 1024 // 1024} MB 上限，"
            "疑似压缩炸弹，已拒绝读取"
        )
    for info in infos:
        if info.file_size > 1024 * 1024 and info.file_size > limits.max_member_ratio * max(info.compress_size, 1):
            raise UnreadableFileError(
                f"工作簿中的“{info.filename}”压缩比异常（{info.file_size // max(info.compress_size, 1)} 倍），"
                "疑似压缩炸弹，已拒绝读取"
            )


def first_sheet_name(archive: zipfile.ZipFile) -> str | None:
    """The zip member holding the workbook's first worksheet."""
    names = set(archive.namelist())
    try:
        workbook = archive.read("xl/workbook.xml")
        rels = archive.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return next((n for n in sorted(names) if n.startswith("xl/worksheets/sheet")), None)
    sheet = re.search(rb'<(?:\w+:)?sheet\b[^>]*?r:id="([^"]+)"', workbook)
    if sheet is None:
        return None
    target = re.search(rb'Id="' + re.escape(sheet.group(1)) + rb'"[^>]*?Target="([^"]+)"', rels) or re.search(
        rb'Target="([^"]+)"[^>]*?Id="' + re.escape(sheet.group(1)) + rb'"', rels
    )
    if target is None:
        return None
    name = target.group(1).decode("utf-8").lstrip("/")
    name = name if name.startswith("xl/") else f"xl/{name}"
    return name if name in names else None


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters.decode("ascii"):
        number = number * 26 + ord(ch) - 64
    return number


def _check_dimension(archive: zipfile.ZipFile, sheet: str, limits: Limits) -> None:
    """Read only the sheet's head: the <dimension> element, or failing that the row numbers seen (bounded)."""
    with archive.open(sheet) as handle:
        head = handle.read(64 * 1024)
    found = _DIMENSION_RE.search(head)
    rows = cols = 0
    if found and found.group(4):
        rows, cols = int(found.group(4)), _column_number(found.group(3))
    elif found and found.group(2):
        rows, cols = int(found.group(2)), _column_number(found.group(1) or b"A")
    if limits.too_big(rows, cols):
        raise UnreadableFileError(
            f"工作表过大（{rows} 行 × {cols} 列），超过 {limits.max_rows} 行、{limits.max_columns} 列"
            f"或 {limits.max_cells} 个单元格的上限，已拒绝读取"
        )
    if found is None:
        _check_row_numbers(archive, sheet, limits)


def _check_read_cost(archive: zipfile.ZipFile, sheet: str, limits: Limits) -> None:
    """Refuse before parsing when the cells really present (whatever <dimension> claims) or the text they decode to
    exceed the limits: a parser would build every one of them in memory."""
    cost = read_cost(archive, sheet)
    if cost.rows > limits.max_rows or cost.cells > limits.max_cells:
        raise UnreadableFileError(
            f"工作表实际有 {cost.rows} 行、{cost.cells} 个单元格（与其声明的尺寸不符或超过 {limits.max_rows} 行、"
            f"{limits.max_cells} 个单元格的上限），已拒绝读取"
        )
    if cost.text_chars > limits.max_text_chars:
        raise UnreadableFileError(
            f"工作簿的单元格文字解码后约 {cost.text_chars // 1_000_000} 百万字（例如大量单元格引用超长文字），"
            f"超过 {limits.max_text_chars // 1_000_000} 百万字的上限，读取会耗尽内存，已拒绝读取"
        )


def _check_row_numbers(archive: zipfile.ZipFile, sheet: str, limits: Limits) -> None:
    """Without a dimension element: stream the sheet XML and stop at the first row number over the limit."""
    tail = b""
    with archive.open(sheet) as handle:
        while chunk := handle.read(1024 * 1024):
            data = tail + chunk
            for match in _ROW_RE.finditer(data):
                if int(match.group(1)) > limits.max_rows:
                    raise UnreadableFileError(f"工作表超过 {limits.max_rows} 行的上限，已拒绝读取")
            tail = data[-200:]
