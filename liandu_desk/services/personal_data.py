"""Personal data (PIPL): ID numbers and phones are shown masked unless the clerk may see them; a reveal is audited."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from liandu_desk.domain.base import utcnow
from liandu_desk.domain.errors import NotFoundError, PermissionDenied
from liandu_desk.domain.permissions import Permission, allowed, requires
from liandu_desk.domain.registry import Person
from liandu_desk.domain.validators import mask_id_number, mask_phone
from liandu_desk.storage.audit_listener import write_entries


@dataclass(frozen=True)
class PersonContact:
    """A person's identifiers as they may be shown to the current clerk."""

    person_id: int
    name: str
    id_number: str
    phone: str
    masked: bool


def may_see_full(session: Session) -> bool:
    """Whether the session's clerk holds the permission to see full numbers."""
    return allowed(getattr(session.info.get("clerk"), "role", None), Permission.VIEW_PERSONAL_DATA)


def masked_contact(session: Session, person_id: int) -> PersonContact:
    """Always masked: for lists, exports and documents to third parties."""
    person = session.get(Person, person_id)
    if person is None:
        raise NotFoundError("找不到该人员")
    return PersonContact(person.id, person.name, mask_id_number(person.id_number), mask_phone(person.phone), True)


def _view_entry(session: Session, person_id: int, purpose: str) -> dict:
    clerk = session.info.get("clerk")
    return {
        "at": utcnow(),
        "clerk_id": getattr(clerk, "id", None),
        "clerk_name": getattr(clerk, "name", "") or "系统",
        "action": "view",
        "table_name": "person",
        "row_id": str(person_id),
        "old_values": None,
        "new_values": {"viewed": ["id_number", "phone"], "purpose": purpose},
    }


def record_view(session: Session, person_id: int, purpose: str) -> None:
    """Append a 'view' entry to the audit trail: who saw this person's full ID number and phone, and why."""
    write_entries(session.connection(), [_view_entry(session, person_id, purpose)], session.info)


@requires(Permission.VIEW_PERSONAL_DATA)
def reveal_contact(session: Session, person_id: int, purpose: str = "") -> PersonContact:
    """The full numbers, for a clerk allowed to see them; writes a 'view' entry to the audit trail.

    On a server the numbers come from `liandu_reveal_contact`, which checks the login's group and inserts the
    entry (chained here) in the same statement: no reveal without its entry, and none for a 科员's login.
    """
    person = session.get(Person, person_id)
    if person is None:
        raise NotFoundError("找不到该人员")
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        record_view(session, person.id, purpose)
        return PersonContact(person.id, person.name, person.id_number or "", person.phone or "", False)
    revealed: list[tuple[str | None, str | None]] = []

    def insert_with_reveal(conn: Connection, entries: list[dict]) -> None:
        (entry,) = entries
        statement = text(
            "SELECT id_number, phone FROM liandu_reveal_contact(:person, :at, :clerk_id, :clerk_name, "
            "CAST(:values AS json), :prev_hash, :hash)"
        )
        values = {
            "person": person.id,
            "at": entry["at"],
            "clerk_id": entry["clerk_id"],
            "clerk_name": entry["clerk_name"],
            "values": json.dumps(entry["new_values"], ensure_ascii=False),
            "prev_hash": entry["prev_hash"],
            "hash": entry["hash"],
        }
        try:
            revealed.extend(conn.execute(statement, values).all())
        except DBAPIError as exc:
            if getattr(exc.orig, "sqlstate", "") == "42501":
                raise PermissionDenied("数据库拒绝：本登录无权查看完整身份证号和电话。") from exc
            raise

    write_entries(connection, [_view_entry(session, person.id, purpose)], session.info, insert_with_reveal)
    id_number, phone = revealed[0] if revealed else (None, None)
    return PersonContact(person.id, person.name, id_number or "", phone or "", False)


def person_ids_by_number(session: Session, numbers: Iterable[str]) -> dict[str, int]:
    """ID number → person id for the numbers given. On a server through `liandu_person_ids`, which a 科员's login
    may call although it cannot read the column: it tells only which of the numbers the clerk typed are on record."""
    wanted = sorted({n for n in numbers if n})
    if not wanted:
        return {}
    if session.get_bind().dialect.name == "postgresql":
        query = text("SELECT id_number, id FROM liandu_person_ids(CAST(:numbers AS text[]))")
        return {number: pid for number, pid in session.execute(query, {"numbers": wanted})}
    found: dict[str, int] = {}
    for start in range(0, len(wanted), 500):
        part = wanted[start : start + 500]
        found.update(session.execute(select(Person.id_number, Person.id).where(Person.id_number.in_(part))).all())
    return found
