"""The shared registry at a glance, for the home tab."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from liandu_desk.domain.audit import AuditEntry
from liandu_desk.domain.registry import Clerk, Division, Person
from liandu_desk.services.settings import get_setting


@dataclass(frozen=True)
class RegistrySummary:
    """Counts of the shared registry."""

    bureau_name: str
    townships: int
    villages: int
    people: int
    clerks: int
    audit_entries: int

    @property
    def has_demo_registry(self) -> bool:
        return self.villages > 0


def _count(session: Session, column, *where) -> int:
    return session.scalar(select(func.count(column)).where(*where)) or 0


def registry_summary(session: Session) -> RegistrySummary:
    """One query per figure, all aggregates."""
    return RegistrySummary(
        bureau_name=str(get_setting(session, "bureau.name")),
        townships=_count(session, Division.id, Division.parent_id.is_(None)),
        villages=_count(session, Division.id, Division.parent_id.is_not(None)),
        people=_count(session, Person.id),
        clerks=_count(session, Clerk.id),
        audit_entries=_count(session, AuditEntry.id),
    )
