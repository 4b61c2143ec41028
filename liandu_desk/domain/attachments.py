"""Attachments of any record (photos, documents): metadata rows plus content-addressed storage.

Storage (see services/attachments.py): for a SQLite file database the bytes live in a folder beside it,
``<db stem>-files/<first 2 hex of sha256>/<sha256>``, named by content only, so no clerk-supplied name ever
reaches the file system. For server or in-memory databases the bytes go to the ``attachment_blob`` table.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from liandu_desk.domain.base import AuditedMixin, Base

ATTACHMENT_ROLES = ("照片", "整改前", "整改后", "鉴定报告", "文件")


class Attachment(Base, AuditedMixin):
    """One attached file, owned by a row of any table (owner_table, owner_id)."""

    __tablename__ = "attachment"
    __table_args__ = (
        Index("ix_attachment_owner", "owner_table", "owner_id"),
        Index("ix_attachment_sha256", "sha256"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_table: Mapped[str] = mapped_column(String(60))
    owner_id: Mapped[int] = mapped_column(Integer)
    role: Mapped[str] = mapped_column(String(20), default="文件")
    original_name: Mapped[str] = mapped_column(String(120))
    mime: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    storage: Mapped[str] = mapped_column(String(10), default="file")
    taken_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    caption: Mapped[str] = mapped_column(String(200), default="")


class AttachmentBlob(Base):
    """Attachment bytes kept in the database (server or in-memory databases), keyed by sha256."""

    __tablename__ = "attachment_blob"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
