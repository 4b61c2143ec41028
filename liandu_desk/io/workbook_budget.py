"""What reading a workbook would cost, estimated by streaming its XML before any parser sees it.

A few megabytes of .xlsx can ask for gigabytes: one long shared string referenced by a hundred thousand cells, or a
sheet whose <dimension> claims ten rows while it holds a million. The parser would build every cell; here the
sheet is streamed once in bounded chunks, counting the cells that are really there and the text they would
decode to (shared strings by reference, inline strings by length), and the workbook is refused over budget.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass

CHUNK = 1024 * 1024
MAX_PENDING = 16 * CHUNK  # the most of an unfinished shared string kept while streaming
_SI_RE = re.compile(rb"<(?:\w+:)?si\b.*?</(?:\w+:)?si>", re.S)
_SI_END_RE = re.compile(rb"</(?:\w+:)?si>")
_TEXT_RE = re.compile(rb"<(?:\w+:)?t\b[^>]*>([^<]*)</(?:\w+:)?t>")
_CELL_RE = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(/?)>")
_ROW_RE = re.compile(rb"<(?:\w+:)?row\b")
_SHARED_VALUE_RE = re.compile(rb"<(?:\w+:)?c\b[^>]*\bt=\"s\"[^>]*>\s*<(?:\w+:)?v>(\d+)</(?:\w+:)?v>")
_TAIL = 4096  # bytes carried between chunks so an element cut in two is still seen whole


@dataclass(frozen=True)
class ReadCost:
    """Rows and cells really present in the sheet and the characters of text they decode to."""

    rows: int
    cells: int
    text_chars: int


def _shared_string_lengths(archive: zipfile.ZipFile) -> list[int]:
    """The length in characters of each shared string, streamed (the strings themselves are not kept; one longer
    than MAX_PENDING is counted by its bytes as it streams past)."""
    try:
        handle = archive.open("xl/sharedStrings.xml")
    except KeyError:
        return []
    lengths: list[int] = []
    rest, skipping = b"", False
    with handle:
        while chunk := handle.read(CHUNK):
            data = rest + chunk
            if skipping:  # inside an over-long string: count until its end tag
                close = _SI_END_RE.search(data)
                if close is None:
                    lengths[-1] += len(data)
                    rest = b""
                    continue
                lengths[-1] += close.start()
                data, skipping = data[close.end() :], False
            end = 0
            for match in _SI_RE.finditer(data):
                text = b"".join(_TEXT_RE.findall(match.group(0)))
                lengths.append(len(text.decode("utf-8", "replace")))
                end = match.end()
            rest = data[end:]
            if len(rest) > MAX_PENDING:
                lengths.append(len(rest))
                rest, skipping = b"", True
    return lengths


def read_cost(archive: zipfile.ZipFile, sheet: str) -> ReadCost:
    """Stream the sheet once: count its cells and add up the text they would decode to."""
    shared = _shared_string_lengths(archive)
    rows = cells = chars = 0
    rest = b""
    with archive.open(sheet) as handle:
        while chunk := handle.read(CHUNK):
            data = rest + chunk
            limit = max(len(data) - _TAIL, 0)
            end = data.rfind(b"</c>", 0, limit)  # never split a cell from its value: cut after a whole cell
            cut = end + 4 if end >= 0 else max(data.rfind(b"<", 0, limit), 0)
            body, rest = data[:cut], data[cut:]
            rows += len(_ROW_RE.findall(body))
            cells += len(_CELL_RE.findall(body))
            chars += sum(shared[int(i)] if int(i) < len(shared) else 0 for i in _SHARED_VALUE_RE.findall(body))
            chars += sum(len(t) for t in _TEXT_RE.findall(body))
    rows += len(_ROW_RE.findall(rest))
    cells += len(_CELL_RE.findall(rest))
    chars += sum(shared[int(i)] if int(i) < len(shared) else 0 for i in _SHARED_VALUE_RE.findall(rest))
    chars += sum(len(t) for t in _TEXT_RE.findall(rest))
    return ReadCost(rows, cells, chars)
