"""Integrity checks: the database file (SQLite integrity_check) and the audit trail's hash chain."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from liandu_desk.domain.audit import GENESIS_HASH, AuditEntry, entry_digest

_FIELDS = ("at", "clerk_id", "clerk_name", "action", "table_name", "row_id", "old_values", "new_values")


@dataclass(frozen=True)
class ChainReport:
    """The result of walking the audit chain."""

    checked: int
    broken_id: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_id is None


def verify_audit_chain(session: Session, batch: int = 5000) -> ChainReport:
    """Walk every audit entry in id order; name the first whose link or content does not match."""
    prev = GENESIS_HASH
    checked = 0
    query = select(AuditEntry).order_by(AuditEntry.id).execution_options(yield_per=batch)
    for entry in session.scalars(query):
        checked += 1
        if entry.prev_hash != prev:
            return ChainReport(
                checked, entry.id, f"第{checked}条（id={entry.id}）与前一条记录的链接不符：其前的记录被删除、插入或改动"
            )
        if entry_digest(prev, {name: getattr(entry, name) for name in _FIELDS}) != entry.hash:
            return ChainReport(checked, entry.id, f"第{checked}条（id={entry.id}）的内容与其哈希不符：该记录被篡改")
        prev = entry.hash
        session.expunge(entry)
    return ChainReport(checked)


def database_integrity(session: Session) -> list[str]:
    """SQLite's PRAGMA integrity_check lines ('ok' when sound); other backends check their own storage."""
    if session.get_bind().dialect.name != "sqlite":
        return ["ok"]
    return [row[0] for row in session.execute(text("PRAGMA integrity_check"))]
