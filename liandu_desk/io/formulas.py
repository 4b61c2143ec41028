"""Formula cells that carry no computed value (files written by scripts, never opened in Excel) read as their text.

calamine returns a formula cell's cached value; when there is none the cell would read as empty. Such a cell is
read as its formula text (“=1+2”), so that it is kept, shown and exported as text rather than silently lost.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import unescape

from liandu_desk.io.safety import first_sheet_name

MAX_SCAN_BYTES = 200 * 1024 * 1024
_CHUNK = 4 * 1024 * 1024
_FORMULA_HINT = re.compile(rb"<(?:\w+:)?f[ >]")
_FORMULA_TAIL = re.compile(rb"f[ >]")  # rare in sheet XML and found fast; the hint is checked only where it occurs
_HINT_REACH = 64  # bytes before a candidate "f" that may hold "<" and a namespace prefix
_CELL_RE = re.compile(
    rb'<(?:\w+:)?c\s[^>]*?r="([A-Z]+)(\d+)"[^>]*>\s*<(?:\w+:)?f(?:\s[^>]*)?>([^<]*)</(?:\w+:)?f>'
    rb"\s*(?:<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>|<(?:\w+:)?v\s*/>)?\s*</(?:\w+:)?c>"
)
_ENTITIES = {"&quot;": '"', "&apos;": "'"}


def _column_index(letters: bytes) -> int:
    number = 0
    for ch in letters.decode("ascii"):
        number = number * 26 + ord(ch) - 64
    return number - 1


def uncached_formulas(path: Path) -> dict[tuple[int, int], str]:
    """(row index, column index) → '=formula' for formula cells of the first sheet that have no cached value."""
    try:
        with zipfile.ZipFile(path) as archive:
            sheet = first_sheet_name(archive)
            if sheet is None or archive.getinfo(sheet).file_size > MAX_SCAN_BYTES:
                return {}
            if not _has_formulas(archive, sheet):
                return {}
            data = archive.read(sheet)
    except (zipfile.BadZipFile, KeyError):
        return {}
    found: dict[tuple[int, int], str] = {}
    for match in _CELL_RE.finditer(data):
        letters, row, formula, value = match.groups()
        if formula and not value:
            text = unescape(formula.decode("utf-8"), _ENTITIES)
            found[(int(row) - 1, _column_index(letters))] = "=" + text
    return found


def _has_formulas(archive: zipfile.ZipFile, sheet: str) -> bool:
    tail = b""
    with archive.open(sheet) as handle:
        while chunk := handle.read(_CHUNK):
            if _has_formula_tag(tail + chunk):
                return True
            tail = chunk[-_HINT_REACH:]
    return False


def _has_formula_tag(data: bytes) -> bool:
    """Whether the XML holds an <f> element (any namespace prefix); the same answer as _FORMULA_HINT.search, found
    by looking for the rare "f>"/"f " first instead of trying the pattern at every "<"."""
    for candidate in _FORMULA_TAIL.finditer(data):
        end = candidate.end()
        if _FORMULA_HINT.search(data, max(0, end - _HINT_REACH), end):
            return True
    return False
