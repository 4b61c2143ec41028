"""Reads the first sheet of an .xlsx/.xls or a .csv into raw cells, keeping the spreadsheet's own row numbers."""

from __future__ import annotations

import csv
import io
import logging
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from liandu_desk.io.formulas import uncached_formulas
from liandu_desk.io.safety import DEFAULT_LIMITS, Limits, UnreadableFileError, check_file

log = logging.getLogger(__name__)


@dataclass
class RawSheet:
    """Raw cells row by row; rows[i] is spreadsheet row i + 1 (1-based, as Excel shows it)."""

    rows: list[list[Any]]
    kind: str
    encoding: str | None = None

    def row_number(self, index: int) -> int:
        return index + 1


def is_blank(value: Any) -> bool:
    """An empty cell: None, NaN or a string of spaces."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, str):
        return not value.strip()
    return False


def read_sheet(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> RawSheet:
    """The raw cells of a spreadsheet after the hostile-file checks; raises UnreadableFileError."""
    path = Path(path)
    kind = check_file(path, limits)
    if kind == "csv":
        return _read_csv(path, limits)
    return _read_excel(path, kind, limits)


def _read_excel(path: Path, kind: str, limits: Limits) -> RawSheet:
    import pandas as pd

    try:
        frame = pd.read_excel(
            path,
            sheet_name=0,
            header=None,
            dtype=object,
            engine="calamine",
            keep_default_na=False,
            na_filter=False,
            nrows=limits.max_rows + 1,
        )
    except Exception as exc:  # calamine raises its own error types for damaged files
        log.warning("cannot read %s: %s", path, exc)
        reason = f"无法读取“{path.name}”：文件已损坏或不是 Excel 工作簿（{type(exc).__name__}）"
        raise UnreadableFileError(reason) from exc
    _check_shape(len(frame), frame.shape[1] if len(frame.shape) > 1 else 0, limits)
    rows = frame.to_numpy(dtype=object).tolist()
    if kind == "xlsx":
        _fill_formulas(rows, uncached_formulas(path))
    return RawSheet(rows, kind)


def _fill_formulas(rows: list[list[Any]], formulas: dict[tuple[int, int], str]) -> None:
    """Put the formula text into empty cells whose formula had no cached value."""
    width = len(rows[0]) if rows else 0
    for (r, c), text in sorted(formulas.items()):
        while r >= len(rows):
            rows.append([""] * width)
        row = rows[r]
        if c >= len(row):
            row.extend([""] * (c + 1 - len(row)))
        if is_blank(row[c]):
            row[c] = text


def _check_shape(rows: int, cols: int, limits: Limits) -> None:
    if limits.too_big(rows, cols):
        raise UnreadableFileError(
            f"工作表超过 {limits.max_rows} 行、{limits.max_columns} 列或 {limits.max_cells} 个单元格的上限，已拒绝读取"
        )


def decode_csv(data: bytes) -> tuple[str, str]:
    """The text and the encoding of CSV bytes: UTF-8 with BOM, UTF-8, else GB18030."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        raise UnreadableFileError("无法识别 CSV 文件的编码（应为 UTF-8 或 GB18030）") from None


def _read_csv(path: Path, limits: Limits) -> RawSheet:
    import pandas as pd

    try:
        text, encoding = decode_csv(path.read_bytes())
    except UnicodeDecodeError as exc:
        raise UnreadableFileError("CSV 文件含有无法识别的字符") from exc
    width = 0
    for count, record in enumerate(csv.reader(io.StringIO(text))):
        width = max(width, len(record))
        if limits.too_big(count, width):
            _check_shape(count, width, limits)
    if width == 0:
        return RawSheet([], "csv", encoding)
    frame = pd.read_csv(
        io.StringIO(text),
        header=None,
        names=list(range(width)),
        dtype=str,
        keep_default_na=False,
        na_filter=False,
        skip_blank_lines=False,
        engine="python",
    )
    return RawSheet(frame.to_numpy(dtype=object).tolist(), "csv", encoding)
