"""Bureau-wide settings stored in the database so every clerk of a shared database sees the same."""

from __future__ import annotations

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from liandu_desk.domain.base import AuditedMixin, Base


class AppSetting(Base, AuditedMixin):
    """One setting: a key and a JSON value."""

    __tablename__ = "app_setting"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[object] = mapped_column(JSON)
