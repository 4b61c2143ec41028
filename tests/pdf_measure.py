"""Reads a PDF back from its drawing commands: text runs (font, size, baseline) and stroked lines, in page points."""

from __future__ import annotations

import io
from dataclasses import dataclass

MM = 72 / 25.4


@dataclass(frozen=True)
class TextRun:
    """One text showing operation: its text, the face's base name (subset prefix removed), size and position."""

    text: str
    font: str
    size: float
    x: float
    y: float  # baseline, points from the bottom of the page


@dataclass(frozen=True)
class Line:
    """One stroked straight segment and its stroke colour (RGB)."""

    x1: float
    y1: float
    x2: float
    y2: float
    color: tuple[float, ...]


def _mul(a: list[float], b: list[float]) -> list[float]:
    """Matrix product a × b of PDF matrices [a b c d e f]."""
    return [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]


def _point(m: list[float], x: float, y: float) -> tuple[float, float]:
    return x * m[0] + y * m[2] + m[4], x * m[1] + y * m[3] + m[5]


def text_runs(data: bytes) -> list[list[TextRun]]:
    """Per page, every text run with its face, size and baseline position (via pypdf's text visitor)."""
    from pypdf import PdfReader

    pages = []
    for page in PdfReader(io.BytesIO(data)).pages:
        found: list[TextRun] = []

        def visit(text, cm, tm, font, size, found=found):
            if not text or not font:
                return
            name = str(font.get("/BaseFont", "")).lstrip("/")
            name = name.split("+", 1)[1] if "+" in name else name
            m = _mul([float(v) for v in tm], [float(v) for v in cm])
            x, y = m[4], m[5]
            found.append(TextRun(text, name, float(size) * m[3], x, y))

        page.extract_text(visitor_text=visit)
        pages.append(found)
    return pages


def stroked_lines(data: bytes) -> list[list[Line]]:
    """Per page, every straight segment stroked with `m … l … S`, in page coordinates, with its stroke colour."""
    from pypdf import PdfReader
    from pypdf.generic import ContentStream

    reader = PdfReader(io.BytesIO(data))
    pages = []
    for page in reader.pages:
        stream = ContentStream(page.get_contents(), reader)
        ctm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
        color: tuple[float, ...] = (0.0,)
        stack: list[tuple[list[float], tuple[float, ...]]] = []
        path: list[tuple[float, float]] = []
        lines: list[Line] = []
        for operands, op in stream.operations:
            if op == b"q":
                stack.append((ctm, color))
            elif op == b"Q":
                ctm, color = stack.pop()
            elif op == b"cm":
                ctm = _mul([float(v) for v in operands], ctm)
            elif op == b"RG":
                color = tuple(float(v) for v in operands)
            elif op == b"m":
                path = [_point(ctm, float(operands[0]), float(operands[1]))]
            elif op == b"l":
                path.append(_point(ctm, float(operands[0]), float(operands[1])))
            elif op in (b"S", b"s"):
                for (x1, y1), (x2, y2) in zip(path, path[1:], strict=False):
                    lines.append(Line(x1, y1, x2, y2, color))
                path = []
            elif op in (b"n", b"f", b"F", b"f*", b"B", b"b"):
                path = []
        pages.append(lines)
    return pages
