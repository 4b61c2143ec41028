"""Shared registry: administrative divisions, people (owners and contacts) and clerks."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from liandu_desk.domain.base import AuditedMixin, Base, str_enum


class DivisionLevel(enum.StrEnum):
    """Level of an administrative division below the district."""

    SUBDISTRICT = "街道"
    TOWN = "镇"
    TOWNSHIP = "乡"
    ETHNIC_TOWNSHIP = "民族乡"
    VILLAGE = "村"
    COMMUNITY = "社区"


TOWNSHIP_LEVELS = (DivisionLevel.SUBDISTRICT, DivisionLevel.TOWN, DivisionLevel.TOWNSHIP, DivisionLevel.ETHNIC_TOWNSHIP)
CHILD_LEVELS = (DivisionLevel.VILLAGE, DivisionLevel.COMMUNITY)


class CheckStatus(enum.StrEnum):
    """Whether a division's name (and code) was checked against an official source."""

    VERIFIED = "已核实"
    UNVERIFIED = "未核实"


class Division(Base, AuditedMixin):
    """A township/subdistrict of Liandu or a village/community beneath one, valid over a date range.

    Renaming keeps the row (and the houses on it); the old name stays in the audit trail. Retiring sets valid_to.
    """

    __tablename__ = "division"
    __table_args__ = (UniqueConstraint("parent_id", "name", "valid_from", name="parent_name_from"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("division.id", ondelete="RESTRICT"), index=True)
    name: Mapped[str] = mapped_column(String(40))
    level: Mapped[DivisionLevel] = mapped_column(str_enum(DivisionLevel))
    code: Mapped[str | None] = mapped_column(String(12))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    valid_from: Mapped[dt.date | None] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)
    official_name: Mapped[str | None] = mapped_column(String(60))  # as the NBS table writes it (××村委会)
    check_status: Mapped[CheckStatus] = mapped_column(
        str_enum(CheckStatus, 10), default=CheckStatus.UNVERIFIED, server_default=CheckStatus.UNVERIFIED.value
    )
    source: Mapped[str | None] = mapped_column(String(120))  # where the name and code were checked

    parent: Mapped[Division | None] = relationship(remote_side=[id])

    def is_valid_on(self, day: dt.date) -> bool:
        """Whether the division existed on the given day."""
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


class Person(Base, AuditedMixin):
    """An owner, household head or contact: name, resident ID number and phone."""

    __tablename__ = "person"
    __table_args__ = (Index("ix_person_name", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    id_number: Mapped[str | None] = mapped_column(String(18), unique=True)
    phone: Mapped[str | None] = mapped_column(String(20))
    address: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    # written consent to electronic service (民事诉讼法 art. 90 model): where to, and the day it was given
    e_service_address: Mapped[str | None] = mapped_column(String(100))
    e_service_consent_on: Mapped[dt.date | None] = mapped_column(Date)


class ClerkRole(enum.StrEnum):
    """What a clerk may do (enforced in services by the trust issue)."""

    CLERK = "科员"
    REVIEWER = "审核"
    ADMIN = "管理员"


class Clerk(Base, AuditedMixin):
    """A user of Liandu Desk."""

    __tablename__ = "clerk"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    login: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(40))
    role: Mapped[ClerkRole] = mapped_column(str_enum(ClerkRole), default=ClerkRole.CLERK)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    password_hash: Mapped[str | None] = mapped_column(String(200))
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # in a row, since a success
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))  # after repeated failures
    # set, reset or changed (on a server the password is the login's, so this is what the audit trail shows)
    password_changed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
