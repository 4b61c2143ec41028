"""危房 follow-up records: source batches, rectification cases, 一房一策 plans and renovation subsidies."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from liandu_desk.domain.base import AuditedMixin, Base, str_enum


class Verification(enum.StrEnum):
    """核实 outcome of a house flagged by a source batch."""

    PENDING = "待核实"
    CONFIRMED = "确认"
    NOT_DANGEROUS = "非危房"
    DUPLICATE = "重复"


VERIFIED_OUT = (Verification.NOT_DANGEROUS, Verification.DUPLICATE)


class Measure(enum.StrEnum):
    """整治措施 (domain §1.5; 回购 is [U])."""

    REPAIR = "维修加固"
    DEMOLISH = "拆除"
    DEMOLISH_REBUILD = "拆除重建"
    REBUILD = "翻建"
    CLOSE = "封闭停用"
    WARN = "警示"
    EVACUATE = "人员撤离"
    BUY_BACK = "回购"
    EXPROPRIATE = "征收"


DEMOLITION_MEASURES = (Measure.DEMOLISH, Measure.DEMOLISH_REBUILD, Measure.REBUILD)


class CaseStatus(enum.StrEnum):
    """Rectification case status; overdue is derived from the deadline, not stored."""

    PENDING = "待整改"
    IN_PROGRESS = "整改中"
    COMPLETED = "已完成"
    CLOSED = "已销号"


OPEN_CASE_STATUSES = (CaseStatus.PENDING, CaseStatus.IN_PROGRESS)
OPEN_WHERE = "status IN ('待整改', '整改中')"
DONE_CASE_STATUSES = (CaseStatus.COMPLETED, CaseStatus.CLOSED)


class PlanStatus(enum.StrEnum):
    """一房一策 plan status (domain §2)."""

    NOT_STARTED = "未启动"
    IN_PROGRESS = "实施中"
    RESOLVED = "已解危"
    CLOSED = "已销号"


OPEN_PLAN_STATUSES = (PlanStatus.NOT_STARTED, PlanStatus.IN_PROGRESS)


class MilestoneStatus(enum.StrEnum):
    """Status of one milestone of a plan."""

    TODO = "未开始"
    DOING = "进行中"
    DONE = "已完成"


class HouseholdCategory(enum.StrEnum):
    """Rural renovation subsidy categories (domain §1.6)."""

    RELAPSE_RISK = "易返贫致贫户"
    DIBAO = "低保户"
    TEKUN = "分散供养特困人员"
    SUDDEN_HARDSHIP = "突发严重困难户"
    DIBAO_EDGE = "低保边缘家庭"
    OTHER_POOR = "其他脱贫户"
    DISABLED = "贫困残疾人家庭"


class ApplicationStatus(enum.StrEnum):
    """Approval status of a renovation subsidy application."""

    SUBMITTED = "待审核"
    APPROVED = "已批准"
    REJECTED = "已驳回"
    PAID = "已拨付"


class SourceBatch(Base, AuditedMixin):
    """A list of houses handed down for verification and rectification, e.g. 2021省委巡视."""

    __tablename__ = "house_batch"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    source: Mapped[str] = mapped_column(String(60), default="")
    issued_on: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)


class BatchMember(Base, AuditedMixin):
    """A house flagged by a batch, with its verification (核实) outcome."""

    __tablename__ = "house_batch_member"
    __table_args__ = (
        UniqueConstraint("batch_id", "house_id", name="batch_house"),
        Index("ix_house_batch_member_house_id", "house_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("house_batch.id", ondelete="CASCADE"))
    house_id: Mapped[int] = mapped_column(ForeignKey("house.id", ondelete="CASCADE"))
    verification: Mapped[Verification] = mapped_column(str_enum(Verification), default=Verification.PENDING)
    verified_on: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)


class RectificationCase(Base, AuditedMixin):
    """A rectification case (整治) of a C/D house: measure, deadline, progress, completion, close-out."""

    __tablename__ = "house_case"
    __table_args__ = (
        Index("ix_house_case_house_id", "house_id"),
        Index("ix_house_case_batch_id", "batch_id"),
        Index("ix_house_case_status_deadline", "status", "deadline"),
        Index("ix_house_case_completed_on", "completed_on"),
        # one open case per house, held by the database itself (any backend)
        Index(
            "uq_house_case_open",
            "house_id",
            unique=True,
            sqlite_where=text(OPEN_WHERE),
            postgresql_where=text(OPEN_WHERE),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    house_id: Mapped[int] = mapped_column(ForeignKey("house.id", ondelete="CASCADE"))
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("house_batch.id", ondelete="SET NULL"))
    appraisal_id: Mapped[int | None] = mapped_column(ForeignKey("house_appraisal.id", ondelete="SET NULL"))
    measure: Mapped[Measure] = mapped_column(str_enum(Measure))
    opened_on: Mapped[dt.date] = mapped_column(Date)
    deadline: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[CaseStatus] = mapped_column(str_enum(CaseStatus), default=CaseStatus.PENDING)
    completed_on: Mapped[dt.date | None] = mapped_column(Date)
    demolished_on: Mapped[dt.date | None] = mapped_column(Date)
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    close_evidence: Mapped[str | None] = mapped_column(String(200))
    responsible: Mapped[str] = mapped_column(String(60), default="")
    note: Mapped[str | None] = mapped_column(Text)


class CaseProgress(Base, AuditedMixin):
    """One progress entry of a rectification case."""

    __tablename__ = "house_case_progress"
    __table_args__ = (Index("ix_house_case_progress_case_id", "case_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("house_case.id", ondelete="CASCADE"))
    on: Mapped[dt.date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    percent: Mapped[int | None] = mapped_column(Integer)
    clerk_name: Mapped[str] = mapped_column(String(40), default="")


class HousePlan(Base, AuditedMixin):
    """一房一策: the resolution plan of one urban building."""

    __tablename__ = "house_plan"
    __table_args__ = (Index("ix_house_plan_house_id", "house_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    house_id: Mapped[int] = mapped_column(ForeignKey("house.id", ondelete="CASCADE"))
    responsible_party: Mapped[str] = mapped_column(String(100))
    street_id: Mapped[int | None] = mapped_column(ForeignKey("division.id", ondelete="RESTRICT"))
    method: Mapped[Measure] = mapped_column(str_enum(Measure))
    funding: Mapped[str] = mapped_column(String(100), default="")
    interim_controls: Mapped[list] = mapped_column(JSON, default=list)
    opened_on: Mapped[dt.date] = mapped_column(Date)
    deadline: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[PlanStatus] = mapped_column(str_enum(PlanStatus), default=PlanStatus.NOT_STARTED)
    resolved_on: Mapped[dt.date | None] = mapped_column(Date)
    evidence: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)


class PlanMilestone(Base, AuditedMixin):
    """One milestone of a 一房一策 plan."""

    __tablename__ = "house_plan_milestone"
    __table_args__ = (Index("ix_house_plan_milestone_plan_id", "plan_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("house_plan.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(100))
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[MilestoneStatus] = mapped_column(str_enum(MilestoneStatus), default=MilestoneStatus.TODO)
    done_on: Mapped[dt.date | None] = mapped_column(Date)


class SubsidyRate(Base, AuditedMixin):
    """One row of the configurable subsidy table; amounts are [U] (not verified) unless marked otherwise."""

    __tablename__ = "house_subsidy_rate"
    __table_args__ = (UniqueConstraint("year", "category", "measure", name="year_category_measure"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    category: Mapped[HouseholdCategory] = mapped_column(str_enum(HouseholdCategory))
    measure: Mapped[Measure] = mapped_column(str_enum(Measure))
    amount: Mapped[int] = mapped_column(Integer)
    verified: Mapped[bool] = mapped_column(default=False)
    source: Mapped[str] = mapped_column(String(200), default="")


class RenovationApplication(Base, AuditedMixin):
    """A poor family's application for a rural renovation subsidy (困难家庭危房改造申报)."""

    __tablename__ = "house_application"
    __table_args__ = (
        Index("ix_house_application_house_id", "house_id"),
        Index("ix_house_application_year", "year"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="RESTRICT"))
    house_id: Mapped[int | None] = mapped_column(ForeignKey("house.id", ondelete="SET NULL"))
    township_id: Mapped[int] = mapped_column(ForeignKey("division.id", ondelete="RESTRICT"))
    village_id: Mapped[int | None] = mapped_column(ForeignKey("division.id", ondelete="RESTRICT"))
    year: Mapped[int] = mapped_column(Integer)
    category: Mapped[HouseholdCategory] = mapped_column(str_enum(HouseholdCategory))
    measure: Mapped[Measure] = mapped_column(str_enum(Measure))
    applied_on: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[ApplicationStatus] = mapped_column(str_enum(ApplicationStatus), default=ApplicationStatus.SUBMITTED)
    subsidy_amount: Mapped[int | None] = mapped_column(Integer)
    amount_verified: Mapped[bool] = mapped_column(default=False)
    eligibility_note: Mapped[str] = mapped_column(String(200), default="")
    decided_on: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)


class HouseAction(enum.StrEnum):
    """What a clerk can do to a house, a case or a plan; the services compute which apply (widgets enable
    their buttons from that, never from status strings)."""

    OPEN_CASE = "立案"
    ADD_PROGRESS = "添加进展"
    COMPLETE = "整治完成"
    CLOSE = "销号"
    EDIT_CASE = "修改案件"
    ADD_PLAN = "一房一策"
    ADD_MILESTONE = "添加节点"
    CLOSE_PLAN = "方案销号"
    APPLY = "改造申请"


def case_actions(status: CaseStatus | str) -> frozenset[HouseAction]:
    """An open case takes progress, completion and edits; a completed one is closed out (销号); a closed one nothing."""
    status = CaseStatus(status)
    if status in OPEN_CASE_STATUSES:
        return frozenset({HouseAction.ADD_PROGRESS, HouseAction.COMPLETE, HouseAction.EDIT_CASE})
    if status is CaseStatus.COMPLETED:
        return frozenset({HouseAction.CLOSE, HouseAction.EDIT_CASE})
    return frozenset()


def plan_actions(status: PlanStatus | str) -> frozenset[HouseAction]:
    """A plan takes milestones until it is closed out; a resolved (已解危) plan can be closed out."""
    status = PlanStatus(status)
    actions = set() if status is PlanStatus.CLOSED else {HouseAction.ADD_MILESTONE}
    if status is PlanStatus.RESOLVED:
        actions.add(HouseAction.CLOSE_PLAN)
    return frozenset(actions)


def house_actions(kind: str, case_statuses: Iterable[CaseStatus | str]) -> frozenset[HouseAction]:
    """A case is opened only when none is open; 一房一策 plans are for urban buildings, renovation applications for
    rural houses (domain §2)."""
    actions = set()
    if not any(CaseStatus(s) in OPEN_CASE_STATUSES for s in case_statuses):
        actions.add(HouseAction.OPEN_CASE)
    actions.add(HouseAction.ADD_PLAN if kind == "城镇" else HouseAction.APPLY)
    return frozenset(actions)
