"""Elevator retrofit (既有住宅加装电梯) models: projects, stages, households, votes, disputes, mediation, subsidy."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from liandu_desk.domain.base import AuditedMixin, Base, TimestampMixin, str_enum


class ElevatorStage(enum.StrEnum):
    """The stages of a retrofit in order (domain §3.3; Liandu adds 档案移交 before the subsidy)."""

    SURVEY = "意愿征询"
    VOTE = "表决与协议"
    DESIGN = "方案设计"
    PUBLICITY = "公示"
    JOINT_REVIEW = "联合审查"
    PERMIT = "施工图审查/施工许可"
    CONSTRUCTION = "施工"
    ACCEPTANCE = "竣工验收"
    REGISTRATION = "使用登记"
    ARCHIVE = "档案移交"
    SUBSIDY = "补助申领"


STAGES: tuple[ElevatorStage, ...] = tuple(ElevatorStage)
STAGE_INDEX: dict[ElevatorStage, int] = {stage: i for i, stage in enumerate(STAGES)}


class VoteChoice(enum.StrEnum):
    """A household's vote on the retrofit; abstaining counts as taking part."""

    AGREE = "同意"
    OPPOSE = "反对"
    ABSTAIN = "弃权"
    NONE = "未表决"


class DisputeType(enum.StrEnum):
    """Kinds of dispute (domain §3.5, plus 方案变更 from the 2021 work summary)."""

    LIGHT = "采光/日照"
    VENTILATION = "通风"
    NOISE = "噪音"
    PASSAGE = "通行/消防通道"
    LEAKAGE = "雨水倒灌/渗漏"
    STRUCTURE = "结构安全"
    DEPRECIATION = "房屋贬值"
    COST_SHARING = "费用分摊"
    COMPENSATION = "补偿金额"
    OBSTRUCTION = "施工阻挠"
    NEIGHBOUR = "非本单元邻居"
    PROCEDURE = "程序瑕疵"
    SCHEME_CHANGE = "方案变更"
    OTHER = "其他"


class DisputeStatus(enum.StrEnum):
    """Where a dispute stands."""

    OPEN = "待调解"
    MEDIATING = "调解中"
    RESOLVED = "已化解"
    WITHDRAWN = "已撤回"
    UNRESOLVED = "未化解"


class EscalationLevel(enum.StrEnum):
    """Who handles the dispute, in escalation order (社区 → 街道 → 人民调解 → 诉讼)."""

    COMMUNITY = "社区"
    SUBDISTRICT = "街道"
    PEOPLES_MEDIATION = "人民调解"
    LITIGATION = "诉讼"


ESCALATION_ORDER: tuple[EscalationLevel, ...] = tuple(EscalationLevel)


class ElevatorProject(Base, AuditedMixin):
    """One retrofit in one building unit (小区 + 幢 + 单元)."""

    __tablename__ = "elevator_project"
    __table_args__ = (
        UniqueConstraint("estate", "building", "unit", name="estate_building_unit"),
        Index("ix_elevator_project_stage", "current_stage"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int | None] = mapped_column(ForeignKey("division.id", ondelete="RESTRICT"), index=True)
    estate: Mapped[str] = mapped_column(String(60))
    building: Mapped[str] = mapped_column(String(10))
    unit: Mapped[str] = mapped_column(String(10))
    floors: Mapped[int] = mapped_column(Integer)
    planned_households: Mapped[int] = mapped_column(Integer, default=0)  # declared flats of the unit (0: unknown)
    declared_area: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))  # the unit's total exclusive area
    implementing_body: Mapped[str | None] = mapped_column(String(100))
    designer: Mapped[str | None] = mapped_column(String(100))
    installer: Mapped[str | None] = mapped_column(String(100))
    budget: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    current_stage: Mapped[ElevatorStage] = mapped_column(str_enum(ElevatorStage), default=ElevatorStage.SURVEY)
    stage_started_on: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)

    stages: Mapped[list[ElevatorStageRecord]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="ElevatorStageRecord.seq"
    )
    households: Mapped[list[ElevatorHousehold]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="ElevatorHousehold.sort_key"
    )

    @property
    def title(self) -> str:
        return f"{self.estate}{self.building}幢{self.unit}单元"


class ElevatorStageRecord(Base, AuditedMixin):
    """A stage a project entered: when it started and finished, and the documents filed for it."""

    __tablename__ = "elevator_stage"
    __table_args__ = (
        UniqueConstraint("project_id", "stage", name="project_stage"),
        Index("ix_elevator_stage_done", "stage", "completed_on"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("elevator_project.id", ondelete="CASCADE"), index=True)
    stage: Mapped[ElevatorStage] = mapped_column(str_enum(ElevatorStage))
    seq: Mapped[int] = mapped_column(Integer)
    started_on: Mapped[dt.date] = mapped_column(Date)
    completed_on: Mapped[dt.date | None] = mapped_column(Date)
    documents: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    override_reason: Mapped[str | None] = mapped_column(Text)  # entered past an open dispute: the reviewer's reason
    override_by: Mapped[str | None] = mapped_column(String(40))

    project: Mapped[ElevatorProject] = relationship(back_populates="stages")


class ElevatorHousehold(Base, AuditedMixin):
    """One flat (专有部分) of the unit: room, floor, exclusive area, owner and current vote."""

    __tablename__ = "elevator_household"
    __table_args__ = (UniqueConstraint("project_id", "room", name="project_room"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("elevator_project.id", ondelete="CASCADE"), index=True)
    room: Mapped[str] = mapped_column(String(10))
    floor: Mapped[int] = mapped_column(Integer)
    sort_key: Mapped[int] = mapped_column(Integer, default=0)
    area: Mapped[Decimal] = mapped_column(Numeric(9, 2))
    owner_name: Mapped[str] = mapped_column(String(40))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), index=True)
    shaft_occupied: Mapped[bool] = mapped_column(Boolean, default=False)
    vote: Mapped[VoteChoice] = mapped_column(str_enum(VoteChoice), default=VoteChoice.NONE)
    voted_on: Mapped[dt.date | None] = mapped_column(Date)
    phone: Mapped[str | None] = mapped_column(String(20))

    project: Mapped[ElevatorProject] = relationship(back_populates="households")


class ElevatorVoteEvent(Base, TimestampMixin):
    """Append-only history of every vote a household cast or changed (e.g. after a mediation session)."""

    __tablename__ = "elevator_vote_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("elevator_household.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("elevator_project.id", ondelete="CASCADE"), index=True)
    old_vote: Mapped[VoteChoice | None] = mapped_column(str_enum(VoteChoice))
    new_vote: Mapped[VoteChoice] = mapped_column(str_enum(VoteChoice))
    voted_on: Mapped[dt.date | None] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(String(200))
    mediation_id: Mapped[int | None] = mapped_column(ForeignKey("elevator_mediation.id", ondelete="SET NULL"))
    clerk_name: Mapped[str] = mapped_column(String(40), default="")


class ElevatorDispute(Base, AuditedMixin):
    """A dispute within a project: type, parties, status and escalation level."""

    __tablename__ = "elevator_dispute"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("elevator_project.id", ondelete="CASCADE"), index=True)
    type: Mapped[DisputeType] = mapped_column(str_enum(DisputeType))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[DisputeStatus] = mapped_column(str_enum(DisputeStatus), default=DisputeStatus.OPEN)
    level: Mapped[EscalationLevel] = mapped_column(str_enum(EscalationLevel), default=EscalationLevel.COMMUNITY)
    opened_on: Mapped[dt.date] = mapped_column(Date)
    resolved_on: Mapped[dt.date | None] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(Text)

    parties: Mapped[list[ElevatorDisputeParty]] = relationship(cascade="all, delete-orphan")
    sessions: Mapped[list[ElevatorMediation]] = relationship(
        cascade="all, delete-orphan", order_by="[ElevatorMediation.held_on, ElevatorMediation.id]"
    )


class ElevatorDisputeParty(Base, AuditedMixin):
    """A household taking part in a dispute, with its side (e.g. 反对方, 申请方)."""

    __tablename__ = "elevator_dispute_party"
    __table_args__ = (UniqueConstraint("dispute_id", "household_id", name="dispute_household"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dispute_id: Mapped[int] = mapped_column(ForeignKey("elevator_dispute.id", ondelete="CASCADE"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("elevator_household.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20), default="当事方")


class ElevatorMediation(Base, AuditedMixin):
    """One mediation session of a dispute."""

    __tablename__ = "elevator_mediation"
    __table_args__ = (Index("ix_elevator_mediation_held", "held_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dispute_id: Mapped[int] = mapped_column(ForeignKey("elevator_dispute.id", ondelete="CASCADE"), index=True)
    held_on: Mapped[dt.date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(100), default="")
    mediator: Mapped[str] = mapped_column(String(60), default="")
    level: Mapped[EscalationLevel] = mapped_column(str_enum(EscalationLevel), default=EscalationLevel.COMMUNITY)
    attendees: Mapped[str] = mapped_column(Text, default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(Text, default="")
    next_step: Mapped[str | None] = mapped_column(Text)


class ElevatorSubsidy(Base, AuditedMixin):
    """The retrofit subsidy claimed for a project once its files are handed over (档案移交)."""

    __tablename__ = "elevator_subsidy"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("elevator_project.id", ondelete="CASCADE"), unique=True)
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    claimed_on: Mapped[dt.date] = mapped_column(Date)
    paid_on: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)


ELEVATOR_TABLE_LABELS: dict[str, str] = {
    "elevator_project": "加装电梯项目",
    "elevator_stage": "加装电梯阶段",
    "elevator_household": "加装电梯住户",
    "elevator_dispute": "加装电梯纠纷",
    "elevator_dispute_party": "纠纷当事方",
    "elevator_mediation": "调解记录",
    "elevator_subsidy": "加装电梯补助",
}
