"""Header rows: normalising header text, finding the header row under title rows, and mapping columns."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from liandu_desk.io.reader import RawSheet, is_blank

HEADER_SCAN_ROWS = 100
_BRACKETS_RE = re.compile(r"[()\[\]【】〔〕<>《》*:：]")
_SPACES_RE = re.compile(r"\s+")
SUMMARY_LABELS = ("合计", "总计")


@dataclass(frozen=True)
class Column:
    """One column of a layout: its key, the header the template shows, other accepted headers, required or not."""

    key: str
    header: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()


@dataclass
class HeaderMatch:
    """Where the header row is and which column index holds each key."""

    row_index: int
    columns: dict[str, int]
    unknown: list[str] = field(default_factory=list)


class HeaderError(ValueError):
    """No row carries the required headers."""

    def __init__(self, missing: Sequence[str]) -> None:
        super().__init__("找不到表头：缺少必填列" + "、".join(missing))
        self.missing = list(missing)


def normalize_header(value: Any) -> str:
    """Header text compared loosely: trimmed, spaces removed, full/half-width brackets equal, m²/㎡/平方米 equal."""
    if is_blank(value):
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    text = _SPACES_RE.sub("", text).replace("平方米", "m2").replace("m²", "m2").casefold()
    return _BRACKETS_RE.sub("", text)


def header_index(columns: Sequence[Column], mapping: Mapping[str, str] | None = None) -> dict[str, str]:
    """Normalised header text → column key, including aliases and a saved mapping (source header → template header)."""
    index: dict[str, str] = {}
    by_header = {normalize_header(c.header): c.key for c in columns}
    for column in columns:
        for text in (column.header, *column.aliases):
            index.setdefault(normalize_header(text), column.key)
    for source, target in (mapping or {}).items():
        key = by_header.get(normalize_header(target)) or index.get(normalize_header(target))
        if key:
            index[normalize_header(source)] = key
    return index


def _match_row(cells: Sequence[Any], index: Mapping[str, str]) -> tuple[dict[str, int], list[str]]:
    found: dict[str, int] = {}
    unknown: list[str] = []
    for position, cell in enumerate(cells):
        text = normalize_header(cell)
        if not text:
            continue
        key = index.get(text)
        if key is None or key in found:
            unknown.append(str(cell).strip())
        else:
            found[key] = position
    return found, unknown


def find_header(sheet: RawSheet, columns: Sequence[Column], mapping: Mapping[str, str] | None = None) -> HeaderMatch:
    """The first row holding every required header (title rows above it are skipped); HeaderError if none."""
    index = header_index(columns, mapping)
    required = [c for c in columns if c.required]
    best: list[str] = [c.header for c in required]
    for row_index, cells in enumerate(sheet.rows[:HEADER_SCAN_ROWS]):
        found, unknown = _match_row(cells, index)
        missing = [c.header for c in required if c.key not in found]
        if not missing:
            return HeaderMatch(row_index, found, unknown)
        if found and len(missing) < len(best):
            best = missing
    raise HeaderError(best)


def first_text(cells: Sequence[Any]) -> str:
    """The first non-empty cell of a row as normalised text."""
    for cell in cells:
        if not is_blank(cell):
            return _SPACES_RE.sub("", unicodedata.normalize("NFKC", str(cell)))
    return ""


def data_rows(sheet: RawSheet, header: HeaderMatch) -> list[tuple[int, list[Any]]]:
    """(Excel row number, cells) below the header: empty rows skipped (a row whose template columns are all empty,
    e.g. only a pre-filled 序号, counts as empty), a final 合计/总计 row dropped."""
    known = sorted(header.columns.values())
    rows = []
    for i, cells in enumerate(sheet.rows[header.row_index + 1 :], start=header.row_index + 1):
        width = len(cells)
        if not all(is_blank(cells[k]) for k in known if k < width):
            rows.append((sheet.row_number(i), cells))
        elif not all(is_blank(c) for c in cells) and first_text(cells).startswith(SUMMARY_LABELS):
            rows.append((sheet.row_number(i), cells))  # a 合计 row may fill only unknown columns
    if rows and first_text(rows[-1][1]).startswith(SUMMARY_LABELS):
        rows.pop()
    return rows
