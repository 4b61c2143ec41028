"""Writes an audit row for every insert, update and delete of audited models, in the same transaction."""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import json
import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import event, func, insert, inspect, select, text
from sqlalchemy.orm import Session, sessionmaker

from liandu_desk.domain.audit import GENESIS_HASH, AuditAnchor, AuditEntry, entry_digest
from liandu_desk.domain.base import utcnow
from liandu_desk.storage.audit_key import AuditKey, append_anchor, create_key, key_path, load_key

log = logging.getLogger(__name__)
_SKIPPED = {"created_at", "updated_at"}


def install(maker: sessionmaker) -> None:
    """Attach the write guard and the audit hook to sessions made by this sessionmaker."""
    event.listen(maker, "before_flush", _guard_writes)
    event.listen(maker, "after_flush", _after_flush)
    event.listen(maker, "after_commit", _after_commit)
    event.listen(maker, "after_soft_rollback", lambda session, _previous: _after_rollback(session))


HEAD_KEY = "audit_head"  # session.info: the newest audit entry written in this transaction, anchored on commit
SYSTEM_KEY = "system"  # session.info flag for the few writes made before anyone is logged in (first admin, login)


def _guard_writes(session: Session, _context: Any, _instances: Any) -> None:
    """Deny by default: changing case data needs a clerk whose role may enter cases."""
    from liandu_desk.domain.permissions import Permission, check

    changed = [*session.new, *session.dirty, *session.deleted]
    if session.info.get(SYSTEM_KEY) or not any(getattr(o, "__audited__", False) for o in changed):
        return
    check(session, Permission.EDIT_CASES)


def _json_value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return f"<{len(bytes(value))} bytes>"
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    return str(value)


def _row_id(obj: Any) -> str:
    # The identity key is only set after the flush completes, so read the primary key columns directly.
    key = inspect(obj).mapper.primary_key_from_instance(obj)
    return ",".join("" if part is None else str(part) for part in key)


def _column_attrs(obj: Any) -> list[str]:
    return [attr.key for attr in inspect(obj).mapper.column_attrs if attr.key not in _SKIPPED]


def _snapshot(obj: Any) -> dict[str, Any]:
    return {key: _json_value(getattr(obj, key)) for key in _column_attrs(obj)}


def insert_entry(session: Session, obj: Any) -> dict[str, Any]:
    """The audit entry of a row inserted outside the ORM's flush (by a server function), as a flush would write it."""
    clerk = session.info.get("clerk")
    return {
        "at": utcnow(),
        "clerk_id": getattr(clerk, "id", None),
        "clerk_name": getattr(clerk, "name", "") or "系统",
        "action": "insert",
        "table_name": obj.__table__.name,
        "row_id": _row_id(obj),
        "old_values": None,
        "new_values": _snapshot(obj),
    }


def _changes(obj: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    state = inspect(obj)
    old: dict[str, Any] = {}
    new: dict[str, Any] = {}
    for key in _column_attrs(obj):
        history = state.attrs[key].history
        if history.has_changes():
            old[key] = _json_value(history.deleted[0]) if history.deleted else None
            new[key] = _json_value(history.added[0]) if history.added else None
    return old, new


def _entries(session: Session) -> list[dict[str, Any]]:
    rows: list[tuple[str, Any, dict | None, dict | None]] = []
    rows += [("insert", o, None, _snapshot(o)) for o in session.new if getattr(o, "__audited__", False)]
    for obj in session.dirty:
        if getattr(obj, "__audited__", False) and session.is_modified(obj, include_collections=False):
            old, new = _changes(obj)
            if set(new) - {"version"}:
                rows.append(("update", obj, old, new))
    rows += [("delete", o, _snapshot(o), None) for o in session.deleted if getattr(o, "__audited__", False)]
    clerk = session.info.get("clerk")
    now = utcnow()
    return [
        {
            "at": now,
            "clerk_id": getattr(clerk, "id", None),
            "clerk_name": getattr(clerk, "name", "") or "系统",
            "action": action,
            "table_name": obj.__table__.name,
            "row_id": _row_id(obj),
            "old_values": old,
            "new_values": new,
        }
        for action, obj, old, new in rows
    ]


def last_hash(connection: Any) -> str:
    """The newest entry's hash; on PostgreSQL taken under a transaction-scoped lock so the chain cannot fork.

    On SQLite the transaction already holds the write lock (it has just flushed), which serialises writers.
    """
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(hashtext('liandu_desk.audit_log'))"))
    found = connection.execute(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)).scalar()
    return found or GENESIS_HASH


def chain(entries: list[dict[str, Any]], prev_hash: str, secret: bytes | None = None) -> list[dict[str, Any]]:
    """Give each entry its prev_hash and hash (keyed with the installation's secret when there is one), in order."""
    for entry in entries:
        entry["prev_hash"] = prev_hash
        entry["hash"] = prev_hash = entry_digest(prev_hash, entry, secret)
    return entries


def _key_for(connection: Any, prev_hash: str) -> AuditKey | None:
    """The installation's key; created at the current head on the first write when the database has none."""
    url = connection.engine.url
    key = load_key(url)
    if key is None and key_path(url) is not None:
        length = connection.execute(select(func.count()).select_from(AuditEntry)).scalar() or 0
        found = connection.execute(text("SELECT value FROM app_setting WHERE key = 'installation.id'")).scalar()
        installation = json.loads(found) if isinstance(found, str) and found.startswith('"') else found or ""
        key = create_key(url, length, prev_hash, str(installation))
    return key


def write_entries(
    connection: Any,
    entries: list[dict[str, Any]],
    info: dict | None = None,
    inserter: Callable[[Any, list[dict[str, Any]]], None] | None = None,
) -> None:
    """Append audit entries (dicts of AuditEntry columns) to the chain on this connection's transaction; with a
    session's info, remember the new head so it is anchored once the transaction commits. An `inserter` writes the
    chained entries itself (a server function that must insert its entry in the same statement)."""
    if not entries:
        return
    if connection.dialect.name == "postgresql":  # on a server the actor is whoever the database session belongs to
        from liandu_desk.storage.server_logins import stamp_actor

        stamp_actor(connection, entries)
    prev = last_hash(connection)
    key = _key_for(connection, prev)
    chained = chain(entries, prev, key.secret if key else None)
    if inserter is None:
        connection.execute(insert(AuditEntry), chained)
    else:
        inserter(connection, chained)
    head_id = connection.execute(select(func.max(AuditEntry.id))).scalar()
    if connection.dialect.name != "sqlite":  # a server keeps its anchors in the append-only audit_anchor table
        connection.execute(insert(AuditAnchor).values(head_id=head_id, head_hash=entries[-1]["hash"], at=utcnow()))
    elif info is not None:
        info[HEAD_KEY] = (head_id, entries[-1]["hash"])


def _after_commit(session: Session) -> None:
    if session.in_nested_transaction():  # a SAVEPOINT released: nothing is committed until the outer transaction is
        return
    head = session.info.pop(HEAD_KEY, None)
    if head is not None:
        try:
            append_anchor(session.get_bind().url, *head)
        except OSError:
            log.exception("audit anchor could not be written (the commit stands; check will report the gap)")


def _after_rollback(session: Session) -> None:
    session.info.pop(HEAD_KEY, None)


def _after_flush(session: Session, _context: Any) -> None:
    entries = _entries(session)
    if entries:
        write_entries(session.connection(), entries, session.info)
        log.debug("audit: %d rows", len(entries))
