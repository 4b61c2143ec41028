"""首页 records: work targets (工作目标) — what is counted, the figure to reach, start, deadline, division."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from liandu_desk.domain.base import AuditedMixin, Base

HOME_TABLE_LABELS = {"home_target": "工作目标"}


class WorkTarget(Base, AuditedMixin):
    """A target of the work plan; its progress is always computed from the records, never stored."""

    __tablename__ = "home_target"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(100))
    metric: Mapped[str] = mapped_column(String(40))
    figure: Mapped[int] = mapped_column(Integer)
    start_on: Mapped[dt.date] = mapped_column(Date)
    deadline: Mapped[dt.date] = mapped_column(Date)
    division_id: Mapped[int | None] = mapped_column(ForeignKey("division.id", ondelete="RESTRICT"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    note: Mapped[str | None] = mapped_column(Text)
