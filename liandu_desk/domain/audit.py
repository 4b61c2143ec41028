"""The audit trail: one append-only, hash-chained row per insert, update or delete of case data."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from typing import Any

from sqlalchemy import JSON, DateTime, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from liandu_desk.domain.base import Base, utcnow

GENESIS_HASH = "0" * 64


class AuditEntry(Base):
    """Who changed which row of which table when, with the old and new values; chained by hash."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_record", "table_name", "row_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    clerk_id: Mapped[int | None] = mapped_column(Integer)
    clerk_name: Mapped[str] = mapped_column(String(40), default="")
    action: Mapped[str] = mapped_column(String(10))
    table_name: Mapped[str] = mapped_column(String(60))
    row_id: Mapped[str] = mapped_column(String(40))
    old_values: Mapped[dict | None] = mapped_column(JSON)
    new_values: Mapped[dict | None] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64), default=GENESIS_HASH)
    hash: Mapped[str] = mapped_column(String(64), default=GENESIS_HASH)


def canonical_time(value: dt.datetime) -> str:
    """UTC, without offset, to the microsecond: the same text whatever the database hands back."""
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value.isoformat(timespec="microseconds")


def entry_digest(prev_hash: str, fields: dict[str, Any], secret: bytes | None = None) -> str:
    """SHA-256 over the previous hash and the entry's canonical JSON (keys sorted); with the installation's
    secret an HMAC-SHA256 of the same bytes, which cannot be recomputed by someone holding only the database."""
    payload = {
        "at": canonical_time(fields["at"]),
        "clerk_id": fields.get("clerk_id"),
        "clerk_name": fields.get("clerk_name") or "",
        "action": fields["action"],
        "table_name": fields["table_name"],
        "row_id": fields["row_id"],
        "old_values": fields.get("old_values"),
        "new_values": fields.get("new_values"),
    }
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    data = (prev_hash + text).encode("utf-8")
    return hmac.new(secret, data, hashlib.sha256).hexdigest() if secret else hashlib.sha256(data).hexdigest()


class AuditAnchor(Base):
    """On a server database: the audit chain's head after each transaction that added entries (append-only)."""

    __tablename__ = "audit_anchor"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    head_id: Mapped[int] = mapped_column(Integer)
    head_hash: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
