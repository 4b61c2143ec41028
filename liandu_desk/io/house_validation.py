"""Validation of screening rows against the default layout: each rejection names row, column and reason."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from liandu_desk.domain.errors import ValidationError
from liandu_desk.domain.fields import HOUSE_FIELDS
from liandu_desk.domain.validators import normalize_id_number, normalize_phone
from liandu_desk.io import cells as c
from liandu_desk.io.cells import CellError
from liandu_desk.io.house_layout import (
    CONCLUSIONS,
    HEADER_OF,
    STRUCTURES,
    USES,
    HouseRow,
    identity_key,
)
from liandu_desk.io.village_names import VillageMatcher

ID_NUMERIC_REASON = (
    "单元格是数字格式（如3.31102196505E+17），Excel 只保留15位有效数字，身份证号已丢失末几位；"
    "请把该列设为“文本”格式后重新录入"
)
MAX_FLOORS = 30  # the screening layout's own limit (rural houses); the house field allows more
MEMO_KEYS = frozenset(
    (
        "township",
        "village",
        "structure",
        "floors",
        "build_year",
        "area",
        "use",
        "screened_on",
        "conclusion",
        "grade",
        "appraised_on",
        "agency",
        "batch",
    )
)
MEMO_LIMIT = 20_000
_MISS = object()


class _Failed:
    """A cell that broke its column's rule (a parser's result that is the reason instead of the value)."""

    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason


def _parse_column(cells: Sequence[Any], parse: Callable[[Any], Any], memo: dict | None) -> tuple[list[Any], bool]:
    """Each cell's value or _Failed, and whether any cell failed; a column with few distinct values parses each
    value once (1, 1.0 and True are equal as keys, so the key carries the cell's type)."""
    failures: list[_Failed] = []

    def parse_cell(value: Any) -> Any:
        try:
            return parse(value)
        except CellError as exc:
            failures.append(_Failed(str(exc)))
            return failures[-1]

    if memo is None:
        return [parse_cell(value) for value in cells], bool(failures)
    results = []
    for key in zip(map(type, cells), cells, strict=True):
        found = memo.get(key, _MISS)
        if found is _MISS:
            found = parse_cell(key[1])
            if len(memo) < MEMO_LIMIT:
                memo[key] = found
        results.append(found)
    return results, bool(failures) or any(value.__class__ is _Failed for value in memo.values())


def _columns_of(rows: list[Sequence[Any]]) -> list[tuple[Any, ...]]:
    """The rows as columns (short rows padded with None)."""
    width = max((len(cells) for cells in rows), default=0)
    if any(len(cells) != width for cells in rows):
        rows = [list(cells) + [None] * (width - len(cells)) for cells in rows]
    return list(zip(*rows, strict=True))


@dataclass(frozen=True)
class Rejection:
    """One reason a row is rejected."""

    row: int
    column: str
    reason: str

    def line(self) -> str:
        return f"row {self.row}: {self.column}: {self.reason}"


@dataclass
class RowOutcome:
    """A parsed row or its rejections (never both)."""

    row: int
    parsed: HouseRow | None
    rejections: list[Rejection] = field(default_factory=list)
    identity: tuple[int, str, str] | None = None


def _id_number(value: Any, today: dt.date) -> str | None:
    if c.is_number(value):
        raise CellError(ID_NUMERIC_REASON)
    text = c.text_of(value)
    if not text:
        return None
    if c.looks_scientific(text):
        raise CellError(ID_NUMERIC_REASON)
    try:
        return normalize_id_number(text, HEADER_OF["id_number"], today=today)
    except ValidationError as exc:
        raise CellError(exc.reason) from None


def _phone(value: Any) -> str | None:
    text = c.text_of(value)
    if not text:
        return None
    try:
        return normalize_phone(text, HEADER_OF["phone"])
    except ValidationError as exc:
        raise CellError(exc.reason) from None


class HouseRowParser:
    """Parses one row; townships are the lookup of accepted township names (full and short forms); villages, when
    given, map each row's 村（社区） to the township's register (and, strict, reject what it does not name)."""

    def __init__(
        self, townships: Mapping[str, Any], today: dt.date | None = None, villages: VillageMatcher | None = None
    ) -> None:
        self.townships = townships
        self.villages = villages
        self.today = today or dt.date.today()
        self._bound_columns: Mapping[str, int] | None = None
        self._bound_plan: list = []

    def _township(self, value: Any) -> Any:
        text = c.fold(c.text_of(value)).replace(" ", "")
        if not text:
            raise CellError("不能为空")
        found = self.townships.get(text)
        if found is None:
            raise CellError(f"“{text}”不是莲都区的乡镇（街道）")
        return found

    def _date(self, value: Any) -> dt.date:
        return c.checked_date(value, self.today)

    def _required_date(self, value: Any) -> dt.date:
        if c.is_blank(value):
            raise CellError("不能为空")
        return self._date(value)

    def _fields(self) -> dict[str, Callable[[Any], Any]]:
        year = self.today.year
        return {
            "township": self._township,
            "village": lambda v: c.required_text(v, 40),
            "address": lambda v: c.required_text(v, 200),
            "owner_name": lambda v: c.required_text(v, 20, min_len=2),
            "id_number": lambda v: _id_number(v, self.today),
            "phone": _phone,
            "structure": lambda v: c.choice(v, STRUCTURES),
            "floors": lambda v: c.integer(v, "层", 1, MAX_FLOORS),
            "build_year": lambda v: None if c.is_blank(v) else c.integer(v, "年", _lowest("build_year"), year),
            "area": lambda v: None if c.is_blank(v) else _in_catalogue("area", c.positive_number(v)),
            "use": lambda v: None if c.is_blank(v) else c.choice(v, USES),
            "screened_on": self._required_date,
            "conclusion": lambda v: c.choice(v, CONCLUSIONS),
            "grade": lambda v: None if c.is_blank(v) else c.grade(v),
            "appraised_on": lambda v: None if c.is_blank(v) else self._date(v),
            "agency": lambda v: c.optional_text(v, 100),
            "batch": lambda v: c.optional_text(v, 60),
            "note": lambda v: c.optional_text(v, HOUSE_FIELDS["note"].max_length),
        }

    def parse(self, row: int, cells: Sequence[Any], columns: Mapping[str, int]) -> RowOutcome:
        """One row: every field parsed; cross-field rules (appraisal date) checked when both sides parsed."""
        return self.parse_rows([(row, cells)], columns)[0]

    def parse_rows(self, rows: Sequence[tuple[int, Sequence[Any]]], columns: Mapping[str, int]) -> list[RowOutcome]:
        """(row number, cells) → outcomes, in order. Works column by column (each parser runs over its column in
        one tight loop), then assembles the rows."""
        keys: list[str] = []
        columns_parsed: list[list[Any]] = []
        failed: set[int] = set()
        table = _columns_of([cells for _, cells in rows])
        blank = [None] * len(rows)
        for key, index, parse, memo in self._bound(columns):
            results, any_failed = _parse_column(table[index] if 0 <= index < len(table) else blank, parse, memo)
            if any_failed:
                failed.update(i for i, result in enumerate(results) if result.__class__ is _Failed)
            keys.append(key)
            columns_parsed.append(results)
        outcomes = []
        for i, ((number, _), results) in enumerate(zip(rows, zip(*columns_parsed, strict=True), strict=True)):
            values = dict(zip(keys, results, strict=True))
            if i in failed or self._village(number, values) or self._cross_checks(number, values):
                outcomes.append(self._rejected(number, keys, results))
                continue
            township = values.pop("township")
            parsed = HouseRow(row=number, township_id=township.id, township=township.name, **values)
            outcomes.append(RowOutcome(number, parsed, [], parsed.identity))
        return outcomes

    def _rejected(self, row: int, keys: list[str], results: tuple[Any, ...]) -> RowOutcome:
        """The rejections of a row: its failed cells, the village against the register, then the cross-field rules
        over the cells that parsed."""
        values: dict[str, Any] = {}
        rejections: list[Rejection] = []
        for key, result in zip(keys, results, strict=True):
            if result.__class__ is _Failed:
                rejections.append(Rejection(row, HEADER_OF[key], result.reason))
            else:
                values[key] = result
        rejections += self._village(row, values)
        rejections += self._cross_checks(row, values)
        identity = None
        if all(k in values for k in ("township", "village", "address")):
            identity = identity_key(values["township"].id, values["village"], values["address"])
        return RowOutcome(row, None, rejections, identity)

    def _bound(self, columns: Mapping[str, int]) -> list[tuple[str, int, Callable[[Any], Any], dict | None]]:
        """(key, cell index or -1, parser, memo) per field for one header layout; fields with few distinct values
        remember each value's outcome."""
        if self._bound_columns is not columns:
            self._bound_columns = columns
            self._bound_plan = [
                (k, columns.get(k, -1), f, {} if k in MEMO_KEYS else None) for k, f in self._fields().items()
            ]
        return self._bound_plan

    def _village(self, row: int, values: dict[str, Any]) -> list[Rejection]:
        """The row's village as the register names it (values["village"] is replaced), or the rejection."""
        if self.villages is None or "township" not in values or "village" not in values:
            return []
        township = values["township"]
        try:
            values["village"] = self.villages.resolve(township.id, township.name, values["village"])
        except CellError as exc:
            del values["village"]
            return [Rejection(row, HEADER_OF["village"], str(exc))]
        return []

    @staticmethod
    def _cross_checks(row: int, values: dict[str, Any]) -> list[Rejection]:
        column = HEADER_OF["appraised_on"]
        has_grade = "grade" in values and values["grade"] is not None
        if "grade" in values and "appraised_on" in values:
            if has_grade and values["appraised_on"] is None:
                return [Rejection(row, column, "填写了鉴定等级，必须填写鉴定日期")]
            if not has_grade and values["appraised_on"] is not None:
                return [Rejection(row, HEADER_OF["grade"], "填写了鉴定日期，但未填写鉴定等级")]
        screened, appraised = values.get("screened_on"), values.get("appraised_on")
        if isinstance(screened, dt.date) and isinstance(appraised, dt.date) and appraised < screened:
            return [Rejection(row, column, f"鉴定日期{appraised.isoformat()}早于排查日期{screened.isoformat()}")]
        return []


def check_duplicates(outcomes: list[RowOutcome], known_names: Mapping[str, str]) -> None:
    """File-level rules: a later row naming the same house, or an ID number under another name, is rejected."""
    houses: dict[tuple[int, str, str], int] = {}
    owners: dict[str, tuple[str, int]] = {}
    for outcome in outcomes:
        if outcome.identity is not None:
            first = houses.setdefault(outcome.identity, outcome.row)
            if first != outcome.row:
                reason = f"与第{first}行是同一房屋（乡镇、村、详细地址相同），重复行不导入"
                _reject(outcome, HEADER_OF["address"], reason)
                continue
        parsed = outcome.parsed
        if parsed is not None and parsed.id_number:
            _check_owner(outcome, parsed, owners, known_names)


def _check_owner(outcome: RowOutcome, parsed: HouseRow, owners: dict, known_names: Mapping[str, str]) -> None:
    known = known_names.get(parsed.id_number)
    if known is not None and known != parsed.owner_name:
        _reject(outcome, HEADER_OF["id_number"], f"该身份证号已登记为“{known}”，与户主姓名“{parsed.owner_name}”不符")
        return
    name, first = owners.setdefault(parsed.id_number, (parsed.owner_name, parsed.row))
    if name != parsed.owner_name:
        _reject(outcome, HEADER_OF["id_number"], f"与第{first}行的身份证号相同，但户主姓名不同（“{name}”）")


def _reject(outcome: RowOutcome, column: str, reason: str) -> None:
    outcome.rejections.append(Rejection(outcome.row, column, reason))
    outcome.parsed = None


def _lowest(key: str) -> int:
    """A whole-number house field's lowest value from the field catalogue (建造年份: 1900; its highest is the
    import's own "this year", which a test may set)."""
    return int(HOUSE_FIELDS[key].bounds()[0])


def _in_catalogue(key: str, value: float) -> float:
    """A parsed number checked against the house field's range, as a cell error."""
    try:
        return HOUSE_FIELDS[key].check(value)
    except ValidationError as exc:
        raise CellError(exc.reason) from None
