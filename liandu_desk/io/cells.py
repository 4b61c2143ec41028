"""Cell parsers shared by the import layouts: text, integers with units, numbers, dates and grades."""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from typing import Any

from liandu_desk.io.reader import is_blank

_DATE_SEP_RE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_DATE_CN_RE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日?")
_DATE_COMPACT_RE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_INT_RE = re.compile(r"[+]?\d+(?:\.0+)?")
_SCIENTIFIC_RE = re.compile(r"\d(?:\.\d+)?[eE][+]?\d+")
_SPACES_RE = re.compile(r"\s+")


class CellError(ValueError):
    """A cell breaks its column's rule; the message is the Chinese reason."""


def is_number(value: Any) -> bool:
    """A numeric cell (bool cells are not numbers)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def fold(text: str) -> str:
    """Full-width letters, digits and brackets folded to half-width; surrounding spaces removed."""
    return unicodedata.normalize("NFKC", text).strip()


def text_of(value: Any) -> str:
    """A cell as trimmed text: integral numbers without '.0', dates as ISO; blank cells as ''."""
    if value.__class__ is str:  # most cells
        return value.strip()
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    return str(value).strip()


def looks_scientific(text: str) -> bool:
    """Text such as 3.31102196505E+17: a number Excel has already rounded."""
    return ("e" in text or "E" in text) and _SCIENTIFIC_RE.fullmatch(text.strip()) is not None


def _single_spaced(text: str) -> str:
    """Runs of white space (tabs, line breaks, ideographic spaces) as one space."""
    if text.isprintable() and "  " not in text and "\u3000" not in text:
        return text  # nothing to collapse (the regex costs more than this check)
    return _SPACES_RE.sub(" ", text)


def required_text(value: Any, max_len: int, min_len: int = 1) -> str:
    """Non-empty trimmed text within the length limits."""
    text = _single_spaced(text_of(value))
    if not text:
        raise CellError("不能为空")
    if len(text) < min_len:
        raise CellError(f"至少{min_len}个字（实际{len(text)}个）")
    if len(text) > max_len:
        raise CellError(f"不能超过{max_len}个字（实际{len(text)}个）")
    return text


def optional_text(value: Any, max_len: int) -> str | None:
    """Trimmed text or None, within the length limit."""
    text = _single_spaced(text_of(value))
    if len(text) > max_len:
        raise CellError(f"不能超过{max_len}个字（实际{len(text)}个）")
    return text or None


def integer(value: Any, unit: str, low: int, high: int) -> int:
    """An integer cell, also as text with its unit (3层, 1985年), within [low, high]."""
    if is_number(value):
        if isinstance(value, float) and (math.isnan(value) or not value.is_integer()):
            raise CellError(f"应为{low}至{high}的整数（实际{value}）")
        number = int(value)
    else:
        text = fold(text_of(value)).replace(" ", "")
        if not text:
            raise CellError("不能为空")
        if unit and text.endswith(unit):
            text = text[: -len(unit)]
        if not _INT_RE.fullmatch(text):
            raise CellError(f"“{text_of(value)}”不是整数")
        number = int(float(text))
    if not low <= number <= high:
        raise CellError(f"应在{low}至{high}之间（实际{number}）")
    return number


_AREA_UNITS = ("平方米", "m²", "m2", "㎡")


def positive_number(value: Any) -> float:
    """A number greater than zero (text may carry the unit mark)."""
    if is_number(value):
        try:
            number = float(value)
        except OverflowError:
            raise CellError("数值过大") from None
    else:
        text = fold(text_of(value)).replace(" ", "").replace(",", "")
        for unit in _AREA_UNITS:
            text = text.removesuffix(fold(unit))
        try:
            number = float(text)
        except ValueError:
            raise CellError(f"“{text_of(value)}”不是数字") from None
    if math.isnan(number) or math.isinf(number):
        raise CellError("不是有效数字")
    if number <= 0:
        raise CellError(f"应大于0（实际{text_of(value)}）")
    return number


def _date_from_parts(year: str, month: str, day: str, shown: str) -> dt.date:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        raise CellError(f"“{shown}”不是有效日期") from None


def parse_date(value: Any) -> dt.date:
    """A date from an Excel date cell, 2021-03-05, 2021/3/5, 2021.3.5, 2021年3月5日 or 20210305."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if is_number(value):
        if isinstance(value, float) and not value.is_integer():
            raise CellError(f"“{value}”不是日期")
        text = str(int(value))
        found = _DATE_COMPACT_RE.fullmatch(text)
        if not found:
            raise CellError(f"“{text}”不是日期（应为日期格式，如2021-03-05）")
        return _date_from_parts(*found.groups(), text)
    shown = text_of(value)
    text = fold(shown)
    if not text:
        raise CellError("不能为空")
    found = _DATE_SEP_RE.fullmatch(text)
    if found:
        return _date_from_parts(*found.groups(), shown)
    text = text.replace(" ", "")
    for pattern in (_DATE_SEP_RE, _DATE_CN_RE, _DATE_COMPACT_RE):
        found = pattern.fullmatch(text)
        if found:
            return _date_from_parts(*found.groups(), shown)
    raise CellError(f"“{shown}”不是可识别的日期（可写作2021-03-05、2021/3/5、2021.3.5、2021年3月5日或20210305）")


def checked_date(value: Any, today: dt.date) -> dt.date:
    """A parsed date no earlier than 1900 and not in the future."""
    day = parse_date(value)
    if day.year < 1900:
        raise CellError(f"“{day.isoformat()}”早于1900年")
    if day > today:
        raise CellError(f"“{day.isoformat()}”晚于今天，不能是将来的日期")
    return day


def grade(value: Any) -> str:
    """A, B, C or D; also A级 and full-width letters (upper case, as the layout lists them)."""
    text = fold(text_of(value)).replace(" ", "").removesuffix("级")
    if text not in ("A", "B", "C", "D"):
        raise CellError(f"“{text_of(value)}”不是鉴定等级（应为A、B、C或D）")
    return text


def choice(value: Any, choices: tuple[str, ...], aliases: dict[str, str] | None = None) -> str:
    """One of the listed values (spaces ignored)."""
    text = text_of(value).replace(" ", "").replace("\u3000", "")
    if not text:
        raise CellError("不能为空")
    if text in choices:
        return text
    if aliases and text in aliases:
        return aliases[text]
    raise CellError(f"“{text}”不是可选值（可选：{'、'.join(choices)}）")
