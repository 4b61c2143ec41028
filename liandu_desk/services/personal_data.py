"""Personal data (PIPL): ID numbers and phones are shown masked unless the clerk may see them; a reveal is audited."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from liandu_desk.domain.base import utcnow
from liandu_desk.domain.errors import NotFoundError
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


def record_view(session: Session, person_id: int, purpose: str) -> None:
    """Append a 'view' entry to the audit trail: who saw this person's full ID number and phone, and why."""
    clerk = session.info.get("clerk")
    entry = {
        "at": utcnow(),
        "clerk_id": getattr(clerk, "id", None),
        "clerk_name": getattr(clerk, "name", "") or "系统",
        "action": "view",
        "table_name": "person",
        "row_id": str(person_id),
        "old_values": None,
        "new_values": {"viewed": ["id_number", "phone"], "purpose": purpose},
    }
    write_entries(session.connection(), [entry], session.info)


@requires(Permission.VIEW_PERSONAL_DATA)
def reveal_contact(session: Session, person_id: int, purpose: str = "") -> PersonContact:
    """The full numbers, for a clerk allowed to see them; writes a 'view' entry to the audit trail."""
    person = session.get(Person, person_id)
    if person is None:
        raise NotFoundError("找不到该人员")
    record_view(session, person.id, purpose)
    return PersonContact(person.id, person.name, person.id_number or "", person.phone or "", False)
