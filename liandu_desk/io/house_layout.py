"""The default rural house screening layout (农村房屋排查导入表): columns, choices and the parsed row."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass

from liandu_desk.domain.houses import HouseUse, ScreeningConclusion, StructureType
from liandu_desk.io.headers import Column

STRUCTURES = tuple(s.value for s in StructureType)
USES = tuple(u.value for u in HouseUse)
CONCLUSIONS = tuple(c.value for c in ScreeningConclusion)
GRADES = ("A", "B", "C", "D")

HOUSE_COLUMNS: tuple[Column, ...] = (
    Column("township", "乡镇（街道）", True),
    Column("village", "村（社区）", True),
    Column("address", "详细地址", True),
    Column("owner_name", "户主姓名", True),
    Column("id_number", "身份证号"),
    Column("phone", "联系电话"),
    Column("structure", "结构类型", True, choices=STRUCTURES),
    Column("floors", "层数", True),
    Column("build_year", "建造年份"),
    Column("area", "建筑面积（㎡）"),
    Column("use", "用途", choices=USES),
    Column("screened_on", "排查日期", True),
    Column("conclusion", "排查结论", True, choices=CONCLUSIONS),
    Column("grade", "鉴定等级", choices=GRADES),
    Column("appraised_on", "鉴定日期"),
    Column("agency", "鉴定机构"),
    Column("batch", "来源批次"),
    Column("note", "备注"),
)
HEADER_OF = {c.key: c.header for c in HOUSE_COLUMNS}
TEMPLATE_TITLE = "莲都区农村房屋安全排查汇总表"


@dataclass(slots=True)
class HouseRow:
    """One valid row of the screening layout, parsed and normalised."""

    row: int
    township_id: int
    township: str
    village: str
    address: str
    owner_name: str
    id_number: str | None
    phone: str | None
    structure: str
    floors: int
    build_year: int | None
    area: float | None
    use: str | None
    screened_on: dt.date
    conclusion: str
    grade: str | None
    appraised_on: dt.date | None
    agency: str | None
    batch: str | None
    note: str | None

    identity: tuple[int, str, str] = (0, "", "")

    def __post_init__(self) -> None:
        self.identity = identity_key(self.township_id, self.village, self.address)


def identity_key(township_id: int, village: str, address: str) -> tuple[int, str, str]:
    """How a house is recognised: township, village and address compared without spaces and width differences."""
    return township_id, _squeeze(village), _squeeze(address)


def _squeeze(text: str) -> str:
    folded = text if text.isascii() and " " not in text else unicodedata.normalize("NFKC", text).replace(" ", "")
    return folded.strip()
