"""Star-rated communities: communities, property companies, grid staff, scoring templates, inspections, issues."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Boolean, Date, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from liandu_desk.domain.base import AuditedMixin, Base, TimestampMixin, str_enum


class CommunityType(enum.StrEnum):
    """The three 擂台赛 community types of the 2021 plan."""

    SMART = "智慧管理型"
    INTEGRATED = "融合管理型"
    BASIC = "基础提升型"


class IssueStatus(enum.StrEnum):
    """Life of a problem found in an inspection."""

    OPEN = "待整改"
    REPORTED = "待复查"
    CLOSED = "已销号"


class PropertyCompany(Base, AuditedMixin):
    """A property-service company (物业服务企业) identified by its unified social credit code."""

    __tablename__ = "cm_company"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    uscc: Mapped[str] = mapped_column(String(18), unique=True)
    contact_name: Mapped[str | None] = mapped_column(String(40))
    contact_phone: Mapped[str | None] = mapped_column(String(20))
    address: Mapped[str | None] = mapped_column(String(200))


class GridStaff(Base, AuditedMixin):
    """A grid staff member (网格员) of the bureau who inspects the communities assigned to them."""

    __tablename__ = "cm_grid_staff"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    phone: Mapped[str | None] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Community(Base, AuditedMixin):
    """A residential community (小区) under property management."""

    __tablename__ = "cm_community"
    __table_args__ = (Index("ix_cm_community_name", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    division_id: Mapped[int | None] = mapped_column(ForeignKey("division.id", ondelete="RESTRICT"), index=True)
    address: Mapped[str | None] = mapped_column(String(200))
    households: Mapped[int] = mapped_column(Integer, default=0)
    buildings: Mapped[int] = mapped_column(Integer, default=0)
    closed_managed: Mapped[bool] = mapped_column(Boolean, default=True)
    type: Mapped[CommunityType] = mapped_column(str_enum(CommunityType), default=CommunityType.BASIC)
    company_id: Mapped[int | None] = mapped_column(ForeignKey("cm_company.id", ondelete="RESTRICT"), index=True)
    grid_staff_id: Mapped[int | None] = mapped_column(ForeignKey("cm_grid_staff.id", ondelete="SET NULL"), index=True)

    company: Mapped[PropertyCompany | None] = relationship()
    grid_staff: Mapped[GridStaff | None] = relationship()


class ScoreTemplate(Base, TimestampMixin):
    """One version of a scoring template; frozen as soon as an inspection uses it."""

    __tablename__ = "cm_template"
    __table_args__ = (UniqueConstraint("name", "version", name="name_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    version: Mapped[int] = mapped_column(Integer, default=1)
    current: Mapped[bool] = mapped_column(Boolean, default=True)
    pass_mark: Mapped[float] = mapped_column(Float, default=60.0)
    based_on_id: Mapped[int | None] = mapped_column(ForeignKey("cm_template.id", ondelete="SET NULL"))
    note: Mapped[str | None] = mapped_column(Text)

    categories: Mapped[list[ScoreCategory]] = relationship(
        back_populates="template", order_by="ScoreCategory.seq", cascade="all, delete-orphan"
    )


class ScoreCategory(Base):
    """A category (area) of a template version, e.g. 环境卫生."""

    __tablename__ = "cm_category"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("cm_template.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(40))

    template: Mapped[ScoreTemplate] = relationship(back_populates="categories")
    items: Mapped[list[ScoreItem]] = relationship(
        back_populates="category", order_by="ScoreItem.seq", cascade="all, delete-orphan"
    )


class ScoreItem(Base):
    """One item: maximum points and a deduction rule, or a veto item (一票否决) worth no points."""

    __tablename__ = "cm_item"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("cm_category.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(String(200))
    max_points: Mapped[float] = mapped_column(Float, default=0.0)
    deduction_rule: Mapped[str | None] = mapped_column(String(200))
    deduct_per: Mapped[float | None] = mapped_column(Float)
    veto: Mapped[bool] = mapped_column(Boolean, default=False)

    category: Mapped[ScoreCategory] = relationship(back_populates="items")


class Inspection(Base, AuditedMixin):
    """One inspection of a community against one template version; total and veto computed from the scores."""

    __tablename__ = "cm_inspection"
    __table_args__ = (Index("ix_cm_inspection_community_date", "community_id", "inspected_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("cm_community.id", ondelete="CASCADE"))
    template_id: Mapped[int] = mapped_column(ForeignKey("cm_template.id", ondelete="RESTRICT"), index=True)
    inspected_on: Mapped[dt.date] = mapped_column(Date, index=True)
    inspectors: Mapped[str] = mapped_column(String(200), default="")
    total: Mapped[float] = mapped_column(Float, default=0.0)
    vetoed: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(Text)
    # Who recorded it (the author who may correct it); a correction is a new row, the old one kept and superseded.
    recorded_by_id: Mapped[int | None] = mapped_column(Integer)
    recorded_by: Mapped[str] = mapped_column(String(40), default="", server_default="")
    revision: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    corrected_from_id: Mapped[int | None] = mapped_column(Integer)
    superseded_by_id: Mapped[int | None] = mapped_column(Integer, index=True)
    correction_reason: Mapped[str | None] = mapped_column(Text)

    scores: Mapped[list[InspectionScore]] = relationship(back_populates="inspection", cascade="all, delete-orphan")


class InspectionScore(Base):
    """The deduction (or veto) recorded for one item in one inspection; score = max_points − deduction."""

    __tablename__ = "cm_score"
    __table_args__ = (UniqueConstraint("inspection_id", "item_id", name="inspection_item"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("cm_inspection.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("cm_item.id", ondelete="RESTRICT"), index=True)
    deduction: Mapped[float] = mapped_column(Float, default=0.0)
    veto_triggered: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(String(400))

    inspection: Mapped[Inspection] = relationship(back_populates="scores")


class Issue(Base, AuditedMixin):
    """A problem raised from a deduction: who must fix it by when, the evidence, and its re-inspections."""

    __tablename__ = "cm_issue"
    __table_args__ = (
        Index("ix_cm_issue_status_deadline", "status", "deadline"),
        Index("ix_cm_issue_rectified_on", "rectified_on"),
        Index("ix_cm_issue_found_on", "found_on"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("cm_community.id", ondelete="CASCADE"), index=True)
    inspection_id: Mapped[int | None] = mapped_column(ForeignKey("cm_inspection.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("cm_item.id", ondelete="RESTRICT"))
    description: Mapped[str] = mapped_column(String(400))
    responsible: Mapped[str] = mapped_column(String(80), default="")
    found_on: Mapped[dt.date] = mapped_column(Date)
    deadline: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[IssueStatus] = mapped_column(str_enum(IssueStatus), default=IssueStatus.OPEN)
    evidence: Mapped[str | None] = mapped_column(Text)
    reported_on: Mapped[dt.date | None] = mapped_column(Date)
    rectified_on: Mapped[dt.date | None] = mapped_column(Date)
    reopen_count: Mapped[int] = mapped_column(Integer, default=0)


class IssueReinspection(Base, TimestampMixin):
    """One re-inspection of an issue: passed closes it, failed reopens it."""

    __tablename__ = "cm_reinspection"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    issue_id: Mapped[int] = mapped_column(ForeignKey("cm_issue.id", ondelete="CASCADE"), index=True)
    inspected_on: Mapped[dt.date] = mapped_column(Date)
    inspector: Mapped[str] = mapped_column(String(40), default="")
    passed: Mapped[bool] = mapped_column(Boolean)
    evidence: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(String(400))
