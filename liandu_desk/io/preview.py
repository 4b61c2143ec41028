"""What the import wizard shows before importing: the header row found, how each column maps, sample rows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from liandu_desk.io.cells import text_of
from liandu_desk.io.headers import (
    HEADER_SCAN_ROWS,
    Column,
    HeaderError,
    HeaderMatch,
    data_rows,
    find_header,
    header_index,
    normalize_header,
)
from liandu_desk.io.house_layout import HOUSE_COLUMNS
from liandu_desk.io.reader import RawSheet, is_blank, read_sheet

SAMPLE_ROWS = 20


@dataclass
class ColumnPreview:
    """One column of the file: its header text and the template column it maps to ('' = ignored)."""

    index: int
    source: str
    target: str
    samples: list[str] = field(default_factory=list)


@dataclass
class FilePreview:
    """The file as the wizard shows it."""

    file_name: str
    header_row: int
    columns: list[ColumnPreview]
    missing: list[str]
    data_rows: int
    sample_rows: list[tuple[int, list[str]]]

    def mapping(self) -> dict[str, str]:
        """Source header → template header for every mapped column whose header differs from the template's."""
        result: dict[str, str] = {}
        for column in self.columns:
            if column.target and normalize_header(column.source) != normalize_header(column.target):
                result[column.source] = column.target
        return result


def _best_header_row(sheet: RawSheet, columns: tuple[Column, ...], mapping: Mapping[str, str] | None) -> int:
    index = header_index(columns, mapping)
    best, best_count = None, 0
    for row_index, cells in enumerate(sheet.rows[:HEADER_SCAN_ROWS]):
        count = len({index[t] for t in (normalize_header(c) for c in cells) if t in index})
        if count > best_count:
            best, best_count = row_index, count
    if best is not None:
        return best
    return next((i for i, cells in enumerate(sheet.rows) if not all(is_blank(c) for c in cells)), 0)


def preview_sheet(sheet: RawSheet, file_name: str, mapping: Mapping[str, str] | None = None) -> FilePreview:
    """Header row, column mapping and the first rows; the required headers still missing are listed."""
    columns = HOUSE_COLUMNS
    headers_by_key = {c.key: c.header for c in columns}
    try:
        match = find_header(sheet, columns, mapping)
        missing: list[str] = []
    except HeaderError as exc:
        row_index = _best_header_row(sheet, columns, mapping)
        index = header_index(columns, mapping)
        found: dict[str, int] = {}
        for position, cell in enumerate(sheet.rows[row_index] if sheet.rows else []):
            key = index.get(normalize_header(cell))
            if key and key not in found:
                found[key] = position
        match, missing = HeaderMatch(row_index, found), exc.missing
    header_cells = sheet.rows[match.row_index] if sheet.rows else []
    rows = data_rows(sheet, match) if sheet.rows else []
    by_index = {i: headers_by_key[k] for k, i in match.columns.items()}
    previews = [
        ColumnPreview(i, text_of(cell), by_index.get(i, ""), [text_of(r[i]) for _, r in rows[:5] if i < len(r)])
        for i, cell in enumerate(header_cells)
        if not is_blank(cell)
    ]
    samples = [(number, [text_of(c) for c in cells]) for number, cells in rows[:SAMPLE_ROWS]]
    return FilePreview(file_name, sheet.row_number(match.row_index), previews, missing, len(rows), samples)


def preview_file(path: str | Path, mapping: Mapping[str, str] | None = None) -> tuple[FilePreview, RawSheet]:
    """Read the file (hostile-file checks included) and preview it; raises UnreadableFileError."""
    sheet = read_sheet(path)
    return preview_sheet(sheet, Path(path).name, mapping), sheet


def template_headers() -> list[str]:
    """The template's column headers, for the mapping drop-downs."""
    return [c.header for c in HOUSE_COLUMNS]


def required_headers() -> list[str]:
    return [c.header for c in HOUSE_COLUMNS if c.required]
