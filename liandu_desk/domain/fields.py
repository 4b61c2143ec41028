"""The field catalogue: each edited field's key, Chinese label, type, range, mask and help, read by the models'
services, the validators, the forms, the import layout, the exports, the audit trail and the conflict dialog."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from liandu_desk.domain.errors import ValidationError
from liandu_desk.domain.houses import HouseKind, HouseUse, StructureType


class Kind(enum.StrEnum):
    """How a field is entered and stored."""

    TEXT = "text"
    INT = "int"
    DECIMAL = "decimal"
    BOOL = "bool"
    CHOICE = "choice"


def this_year() -> int:
    """The latest year a past event (a house being built) can have."""
    return dt.date.today().year


@dataclass(frozen=True)
class Field:
    """One field. `plain` fields are stored on the record as entered and handled generically by the services
    and the form; the others (divisions, owner, coordinates) have their own rules but take label and limits here.
    `low`/`high` may be callables (this year). `shown_when` names the record kind the field applies to ('' all)."""

    key: str
    label: str
    kind: Kind
    required: bool = False
    low: float | Callable[[], float] | None = None
    low_open: bool = False  # the value must be greater than `low`, not equal
    high: float | Callable[[], float] | None = None
    max_length: int | None = None
    choices: tuple[str, ...] = ()
    mask: str = ""  # 'id_number' or 'phone': shown masked to clerks without the permission
    help: str = ""
    unit: str = ""
    decimals: int = 0
    plain: bool = True
    shown_when: str = ""
    export_header: str = ""  # the house export's column header; '' leaves the field out of the export
    placeholder: str = ""

    def bounds(self) -> tuple[float | None, float | None]:
        """The range with callables evaluated (today's year)."""
        low = self.low() if callable(self.low) else self.low
        high = self.high() if callable(self.high) else self.high
        return low, high

    def range_text(self) -> str:
        low, high = self.bounds()
        if low is not None and self.low_open:
            return f"应大于{_number(low)}" + (f"，不超过{_number(high)}{self.unit}" if high is not None else "")
        if low is not None and high is not None:
            return f"应在{_number(low)}至{_number(high)}{self.unit}之间"
        if low is not None:
            return f"应不小于{_number(low)}{self.unit}"
        return f"应不大于{_number(high)}{self.unit}"

    def check(self, value: Any) -> Any:
        """The cleaned value, or ValidationError naming the field in Chinese; blank optional values become None."""
        if value is None or (isinstance(value, str) and not value.strip()):
            if self.required:
                raise ValidationError(self.label, "不能为空")
            return False if self.kind is Kind.BOOL else None
        if self.kind is Kind.BOOL:
            return bool(value)
        if self.kind is Kind.TEXT:
            return self._text(str(value).strip())
        if self.kind is Kind.CHOICE:
            text = str(getattr(value, "value", value)).strip()
            if text not in self.choices:
                raise ValidationError(self.label, f"应为{'、'.join(self.choices)}之一")
            return text
        return self._number(value)

    def _text(self, text: str) -> str:
        if self.max_length is not None and len(text) > self.max_length:
            raise ValidationError(self.label, f"不能超过{self.max_length}个字")
        return text

    def _number(self, value: Any) -> float | int:
        try:
            number = int(value) if self.kind is Kind.INT else float(value)
        except (TypeError, ValueError):
            raise ValidationError(self.label, "应为整数" if self.kind is Kind.INT else "应为数字") from None
        if self.kind is Kind.INT and isinstance(value, float) and not value.is_integer():
            raise ValidationError(self.label, "应为整数")
        low, high = self.bounds()
        too_low = low is not None and (number <= low if self.low_open else number < low)
        if too_low or (high is not None and number > high):
            raise ValidationError(self.label, self.range_text())
        return number


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


class Catalogue:
    """The fields of one record type, in the order forms show them."""

    def __init__(self, table: str, fields: tuple[Field, ...]) -> None:
        self.table = table
        self.fields = fields
        self._by_key = {f.key: f for f in fields}

    def __getitem__(self, key: str) -> Field:
        return self._by_key[key]

    def __iter__(self) -> Iterator[Field]:
        return iter(self.fields)

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    def plain(self) -> tuple[Field, ...]:
        """The fields stored as entered (services and forms handle them without naming them)."""
        return tuple(f for f in self.fields if f.plain)

    def labels(self) -> dict[str, str]:
        """key → Chinese label."""
        return {f.key: f.label for f in self.fields}


HOUSE_FIELDS = Catalogue(
    "house",
    (
        Field("kind", "房屋类别", Kind.CHOICE, True, choices=tuple(k.value for k in HouseKind), plain=False),
        Field("township_id", "乡镇（街道）", Kind.INT, True, plain=False),
        Field("village_id", "村（社区）", Kind.INT, plain=False),
        Field(
            "address",
            "地址（门牌）",
            Kind.TEXT,
            True,
            max_length=200,
            plain=False,
            placeholder="如 碧湖镇下赵村12号",
        ),
        Field("owner_name", "户主姓名", Kind.TEXT, True, max_length=20, plain=False),
        Field(
            "owner_id_number",
            "户主身份证号",
            Kind.TEXT,
            max_length=20,
            mask="id_number",
            plain=False,
            placeholder="18位，末位可为X",
            help="居民身份证号码，按GB 11643校验",
        ),
        Field(
            "owner_phone",
            "联系电话",
            Kind.TEXT,
            max_length=20,
            mask="phone",
            plain=False,
            placeholder="手机或0578-2123456",
        ),
        Field(
            "structure",
            "结构类型",
            Kind.CHOICE,
            True,
            choices=tuple(s.value for s in StructureType),
            export_header="结构类型",
        ),
        Field("floors", "层数", Kind.INT, low=1, high=100, unit="层", help="地上层数", export_header="层数"),
        Field(
            "build_year",
            "建造年份",
            Kind.INT,
            low=1900,
            high=this_year,
            unit="年",
            help="房屋建成的年份",
            export_header="建造年份",
        ),
        Field(
            "area",
            "建筑面积",
            Kind.DECIMAL,
            low=0,
            low_open=True,
            high=100000,
            unit="㎡",
            decimals=1,
            export_header="建筑面积（㎡）",
        ),
        Field(
            "use",
            "用途",
            Kind.CHOICE,
            True,
            choices=tuple(u.value for u in HouseUse),
            help="经营性房屋为重点排查对象",
            export_header="用途",
        ),
        Field("self_built", "自建", Kind.BOOL, help="自建房（非开发建设）"),
        Field(
            "coordinates",
            "经纬度",
            Kind.TEXT,
            max_length=60,
            plain=False,
            placeholder="经度, 纬度（十进制度，可不填）",
        ),
        Field("building_name", "楼栋名称", Kind.TEXT, max_length=100, shown_when=HouseKind.URBAN.value),
        Field("building_no", "幢", Kind.TEXT, max_length=20, shown_when=HouseKind.URBAN.value),
        Field("unit_no", "单元", Kind.TEXT, max_length=20, shown_when=HouseKind.URBAN.value),
        Field("block", "历史街区/项目", Kind.TEXT, max_length=60, shown_when=HouseKind.URBAN.value),
        Field("note", "备注", Kind.TEXT, max_length=2000),
    ),
)
CATALOGUES: dict[str, Catalogue] = {HOUSE_FIELDS.table: HOUSE_FIELDS}


def catalogued_label(table: str, key: str) -> str | None:
    """The catalogue's label of a table's column, None when the table or column has no entry."""
    catalogue = CATALOGUES.get(table)
    return catalogue[key].label if catalogue is not None and key in catalogue else None
