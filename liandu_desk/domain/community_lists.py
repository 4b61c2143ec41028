"""Star-rated communities: star rules and ratings, red/black list rules and publications, company evaluations."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Boolean, Date, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from liandu_desk.domain.base import AuditedMixin, Base, TimestampMixin, str_enum


class ListSubject(enum.StrEnum):
    """What a list ranks."""

    COMMUNITY = "小区"
    COMPANY = "物业企业"


class ListKind(enum.StrEnum):
    """红榜 or 黑榜."""

    RED = "红榜"
    BLACK = "黑榜"


class RuleKind(enum.StrEnum):
    """How a declared list rule picks its entries (parameters in threshold/rounds)."""

    AVERAGE_AT_LEAST = "期内平均分达到"
    VETO = "触发一票否决项"
    FAILING_ROUNDS = "连续不合格轮次"
    SCORE_AT_LEAST = "综合评价达到"
    SCORE_BELOW = "综合评价低于"


class PublicationStatus(enum.StrEnum):
    """A list publication is drafted from the rules, then published (and frozen)."""

    DRAFT = "草稿"
    PUBLISHED = "已发布"


class EvaluationParty(enum.StrEnum):
    """The parties of the property-company comprehensive evaluation."""

    OWNERS_COMMITTEE = "业委会"
    RESIDENTS_COMMITTEE = "居委会"
    ASSOCIATION = "物业协会"
    BUREAU = "主管部门"


class StarRule(Base, AuditedMixin):
    """Thresholds for one star level: period average, number of inspections, no veto (bureau data, not law)."""

    __tablename__ = "cm_star_rule"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    stars: Mapped[int] = mapped_column(Integer, unique=True)
    min_average: Mapped[float] = mapped_column(Float)
    min_inspections: Mapped[int] = mapped_column(Integer, default=1)
    no_veto: Mapped[bool] = mapped_column(Boolean, default=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class StarRating(Base, TimestampMixin):
    """The star level a community earned for one period (0 = no star), with the figures behind it."""

    __tablename__ = "cm_star_rating"
    __table_args__ = (
        UniqueConstraint("community_id", "period_start", "period_end", name="community_period"),
        Index("ix_cm_star_rating_community_end", "community_id", "period_end"),  # latest rating per community
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("cm_community.id", ondelete="CASCADE"))
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    stars: Mapped[int] = mapped_column(Integer, default=0)
    average: Mapped[float | None] = mapped_column(Float)
    inspections: Mapped[int] = mapped_column(Integer, default=0)
    vetoed: Mapped[bool] = mapped_column(Boolean, default=False)
    basis: Mapped[str | None] = mapped_column(String(200))


class ListRule(Base, AuditedMixin):
    """A declared red/black list rule, e.g. red at a period average ≥ 90, black on a veto or 3 failing rounds."""

    __tablename__ = "cm_list_rule"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject: Mapped[ListSubject] = mapped_column(str_enum(ListSubject))
    list_kind: Mapped[ListKind] = mapped_column(str_enum(ListKind))
    kind: Mapped[RuleKind] = mapped_column(str_enum(RuleKind))
    threshold: Mapped[float | None] = mapped_column(Float)
    rounds: Mapped[int | None] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)


class ListPublication(Base, AuditedMixin):
    """The red and black lists of one subject for one period: a draft generated from the rules, then published."""

    __tablename__ = "cm_list_publication"
    __table_args__ = (UniqueConstraint("subject", "period_start", "period_end", name="subject_period"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject: Mapped[ListSubject] = mapped_column(str_enum(ListSubject))
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date, index=True)
    status: Mapped[PublicationStatus] = mapped_column(str_enum(PublicationStatus), default=PublicationStatus.DRAFT)
    generated_on: Mapped[dt.date | None] = mapped_column(Date)
    published_on: Mapped[dt.date | None] = mapped_column(Date)
    published_by: Mapped[str | None] = mapped_column(String(40))

    entries: Mapped[list[ListEntry]] = relationship(back_populates="publication", cascade="all, delete-orphan")


class ListEntry(Base, AuditedMixin):
    """One community or company on a list, with the reason and evidence; manual changes carry their reason."""

    __tablename__ = "cm_list_entry"
    # a subject appears once per list of a period (live entries; a removed one keeps its place in the record)
    __table_args__ = tuple(
        Index(
            f"uq_cm_list_entry_{column.removesuffix('_id')}",
            "publication_id",
            "list_kind",
            column,
            unique=True,
            sqlite_where=text("NOT removed"),
            postgresql_where=text("NOT removed"),
        )
        for column in ("community_id", "company_id")
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    publication_id: Mapped[int] = mapped_column(ForeignKey("cm_list_publication.id", ondelete="CASCADE"), index=True)
    list_kind: Mapped[ListKind] = mapped_column(str_enum(ListKind))
    community_id: Mapped[int | None] = mapped_column(ForeignKey("cm_community.id", ondelete="CASCADE"), index=True)
    company_id: Mapped[int | None] = mapped_column(ForeignKey("cm_company.id", ondelete="CASCADE"), index=True)
    rule_id: Mapped[int | None] = mapped_column(ForeignKey("cm_list_rule.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(400))
    evidence: Mapped[str | None] = mapped_column(Text)
    manual: Mapped[bool] = mapped_column(Boolean, default=False)
    manual_reason: Mapped[str | None] = mapped_column(String(400))
    removed: Mapped[bool] = mapped_column(Boolean, default=False)
    removed_reason: Mapped[str | None] = mapped_column(String(400))

    publication: Mapped[ListPublication] = relationship(back_populates="entries")


class EvaluationWeight(Base, AuditedMixin):
    """The weight of one party in the company comprehensive evaluation (configurable)."""

    __tablename__ = "cm_eval_weight"

    party: Mapped[EvaluationParty] = mapped_column(str_enum(EvaluationParty), primary_key=True)
    weight: Mapped[float] = mapped_column(Float)


class CompanyEvaluation(Base, AuditedMixin):
    """The score (0–100) one party gave a property company for one period."""

    __tablename__ = "cm_company_eval"
    __table_args__ = (
        UniqueConstraint("company_id", "period_start", "period_end", "party", name="company_period_party"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("cm_company.id", ondelete="CASCADE"), index=True)
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    party: Mapped[EvaluationParty] = mapped_column(str_enum(EvaluationParty))
    score: Mapped[float] = mapped_column(Float)
    note: Mapped[str | None] = mapped_column(Text)


COMMUNITY_TABLE_LABELS: dict[str, str] = {
    "cm_company": "物业企业",
    "cm_grid_staff": "网格员",
    "cm_community": "小区",
    "cm_inspection": "小区检查",
    "cm_issue": "小区问题",
    "cm_star_rule": "星级标准",
    "cm_list_rule": "红黑榜规则",
    "cm_list_publication": "红黑榜",
    "cm_list_entry": "红黑榜条目",
    "cm_eval_weight": "企业评价权重",
    "cm_company_eval": "企业评价",
}
