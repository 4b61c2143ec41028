"""Saved column mappings for spreadsheet imports: a clerk's name for 'this source header is that template header'."""

from __future__ import annotations

from sqlalchemy import JSON, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from liandu_desk.domain.base import AuditedMixin, Base


class ImportMapping(Base, AuditedMixin):
    """A named mapping from a layout's headers to the default template's headers, per import target."""

    __tablename__ = "import_mapping"
    __table_args__ = (UniqueConstraint("target", "name", name="target_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    target: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(60))
    columns: Mapped[dict] = mapped_column(JSON, default=dict)
