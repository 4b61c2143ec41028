"""危房 records: houses, screening records (一房一表) and appraisals with their grade history.

The house row carries a few denormalised summary columns (latest grade, current case status and deadline,
owner name, search text) so the 500,000-row list can filter and sort on indexes; services keep them in step
with Core UPDATEs that neither bump the version nor write audit rows.
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from liandu_desk.domain.base import AuditedMixin, Base, str_enum

HOUSE_TABLE_LABELS = {
    "house": "房屋",
    "house_screening": "排查记录",
    "house_appraisal": "鉴定记录",
    "house_batch": "核查批次",
    "house_batch_member": "批次核实",
    "house_case": "整治案件",
    "house_case_progress": "整治进展",
    "house_plan": "一房一策",
    "house_plan_milestone": "方案节点",
    "house_subsidy_rate": "补助标准",
    "house_application": "改造申请",
    "attachment": "附件",
}


class HouseKind(enum.StrEnum):
    """Rural house (农村) or urban building (城镇)."""

    RURAL = "农村"
    URBAN = "城镇"


class StructureType(enum.StrEnum):
    """结构类型 (domain §1.4; wording [U], align with the platform export)."""

    BRICK_CONCRETE = "砖混"
    BRICK_WOOD = "砖木"
    EARTH_WOOD = "土木"
    STONE = "石结构"
    WOOD = "木结构"
    REINFORCED_CONCRETE = "钢筋混凝土"
    STEEL = "钢结构"
    MIXED = "混杂结构"
    OTHER = "其他"


class HouseUse(enum.StrEnum):
    """用途; 经营 marks a priority house."""

    OWN = "自住"
    BUSINESS = "经营"
    RENTED = "出租"
    IDLE = "闲置"
    OTHER = "其他"


class ScreeningConclusion(enum.StrEnum):
    """排查结论: three risk tiers plus no hazard (domain §1.4)."""

    COLLAPSE_RISK = "有结构倒塌风险"
    NO_COLLAPSE_RISK = "暂无结构倒塌风险"
    GENERAL_HAZARD = "一般安全隐患"
    NONE = "无隐患"


HAZARDS: tuple[str, ...] = ("地基沉降", "墙体裂缝", "构件变形", "屋面渗漏/腐朽", "预制板", "擅自加层改扩建", "其他")


class Grade(enum.StrEnum):
    """JGJ 125-2016 §6.1.4 grades; C and D are 危房."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"


DANGEROUS_GRADES = (Grade.C, Grade.D)


class Handling(enum.StrEnum):
    """Handling type of a dangerous house (城市危险房屋管理规定 Art. 10, plus local 变更使用)."""

    OBSERVE = "观察使用"
    TREAT = "处理使用"
    STOP = "停止使用"
    DEMOLISH = "整体拆除"
    CHANGE_USE = "变更使用"


class AppraisalStandard(enum.StrEnum):
    """The standard an appraisal was made under (cited by the notice with the report number)."""

    JGJ125 = "JGJ 125-2016"  # 危险房屋鉴定标准
    RURAL_GUIDE = "农村住房安全性鉴定技术导则"
    GB50292 = "GB 50292-2015"  # 民用建筑可靠性鉴定标准


STANDARD_TITLES = {
    AppraisalStandard.JGJ125: "《危险房屋鉴定标准》（JGJ 125-2016）",
    AppraisalStandard.RURAL_GUIDE: "《农村住房安全性鉴定技术导则》",
    AppraisalStandard.GB50292: "《民用建筑可靠性鉴定标准》（GB 50292-2015）",
}


class House(Base, AuditedMixin):
    """A rural house or an urban building, with its owner and the list's summary columns."""

    __tablename__ = "house"
    __table_args__ = (
        Index("ix_house_township_village", "township_id", "village_id"),
        Index("ix_house_village_id", "village_id"),
        Index("ix_house_kind", "kind"),
        Index("ix_house_grade_township", "latest_grade", "township_id"),
        Index("ix_house_status_township", "case_status", "township_id"),
        Index("ix_house_case_deadline", "case_deadline"),
        Index("ix_house_owner_name", "owner_name"),
        Index("ix_house_owner_id", "owner_id"),
        Index("ix_house_address", "address"),
        # Narrow copy for 1-2 character LIKE searches: scanning it reads far fewer pages than the table.
        Index("ix_house_search_text", "search_text"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[HouseKind] = mapped_column(str_enum(HouseKind))
    township_id: Mapped[int] = mapped_column(ForeignKey("division.id", ondelete="RESTRICT"))
    village_id: Mapped[int | None] = mapped_column(ForeignKey("division.id", ondelete="RESTRICT"))
    address: Mapped[str] = mapped_column(String(200))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="RESTRICT"))
    structure: Mapped[StructureType] = mapped_column(str_enum(StructureType), default=StructureType.BRICK_CONCRETE)
    floors: Mapped[int | None] = mapped_column(Integer)
    build_year: Mapped[int | None] = mapped_column(Integer)
    area: Mapped[float | None] = mapped_column(Float)
    use: Mapped[HouseUse] = mapped_column(str_enum(HouseUse), default=HouseUse.OWN)
    self_built: Mapped[bool] = mapped_column(Boolean, default=True)
    longitude: Mapped[float | None] = mapped_column(Float)
    latitude: Mapped[float | None] = mapped_column(Float)
    building_name: Mapped[str | None] = mapped_column(String(100))
    building_no: Mapped[str | None] = mapped_column(String(20))
    unit_no: Mapped[str | None] = mapped_column(String(20))
    block: Mapped[str | None] = mapped_column(String(60))
    note: Mapped[str | None] = mapped_column(Text)
    # Summary columns, kept by services.houses.summary (not edited by clerks).
    owner_name: Mapped[str] = mapped_column(String(40), default="")
    search_text: Mapped[str] = mapped_column(String(400), default="")
    latest_grade: Mapped[str | None] = mapped_column(String(1))
    case_status: Mapped[str | None] = mapped_column(String(10))
    case_deadline: Mapped[dt.date | None] = mapped_column(Date)


class Screening(Base, AuditedMixin):
    """One screening record (排查录入) of a house."""

    __tablename__ = "house_screening"
    __table_args__ = (
        Index("ix_house_screening_house_id", "house_id"),
        Index("ix_house_screening_screened_on", "screened_on"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    house_id: Mapped[int] = mapped_column(ForeignKey("house.id", ondelete="CASCADE"))
    screened_on: Mapped[dt.date] = mapped_column(Date)
    screener: Mapped[str] = mapped_column(String(40), default="")
    conclusion: Mapped[ScreeningConclusion] = mapped_column(str_enum(ScreeningConclusion))
    hazards: Mapped[list] = mapped_column(JSON, default=list)
    note: Mapped[str | None] = mapped_column(Text)


class Appraisal(Base, AuditedMixin):
    """One appraisal (鉴定). Re-appraisals add rows; the grade history is never overwritten."""

    __tablename__ = "house_appraisal"
    __table_args__ = (
        Index("ix_house_appraisal_house_on", "house_id", "appraised_on"),
        Index("ix_house_appraisal_on_house_grade", "appraised_on", "house_id", "grade"),  # covers the figures
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    house_id: Mapped[int] = mapped_column(ForeignKey("house.id", ondelete="CASCADE"))
    appraised_on: Mapped[dt.date] = mapped_column(Date)
    grade: Mapped[Grade] = mapped_column(str_enum(Grade, length=1))
    agency: Mapped[str] = mapped_column(String(100), default="")
    report_no: Mapped[str] = mapped_column(String(60), default="")
    handling: Mapped[Handling | None] = mapped_column(str_enum(Handling))
    note: Mapped[str | None] = mapped_column(Text)
    standard: Mapped[AppraisalStandard | None] = mapped_column(str_enum(AppraisalStandard, length=30))
    disaster_measures: Mapped[str | None] = mapped_column(String(200))  # 防灾措施 conclusion (rural houses)
