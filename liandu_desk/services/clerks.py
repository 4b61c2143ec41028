"""Clerks: the current user of this workstation and the clerk registry."""

from __future__ import annotations

import getpass
import logging
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from liandu_desk.domain.registry import Clerk, ClerkRole

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ClerkInfo:
    """A clerk as the GUI shows it."""

    id: int
    login: str
    name: str
    role: str


def _info(clerk: Clerk) -> ClerkInfo:
    return ClerkInfo(clerk.id, clerk.login, clerk.name, clerk.role.value)


def os_login() -> str:
    """The operating-system account name, used until the trust issue adds a login dialog."""
    try:
        return getpass.getuser() or "clerk"
    except (KeyError, OSError):
        return "clerk"


def ensure_workstation_clerk(session: Session, login: str | None = None) -> ClerkInfo:
    """Find or create the clerk for this OS account; the very first clerk of a database is its administrator."""
    login = login or os_login()
    clerk = session.scalar(select(Clerk).where(Clerk.login == login))
    if clerk is None:
        first = session.scalar(select(Clerk.id).limit(1)) is None
        clerk = Clerk(login=login, name=login, role=ClerkRole.ADMIN if first else ClerkRole.CLERK, active=True)
        session.add(clerk)
        session.flush()
        log.info("created clerk %s (%s)", login, clerk.role.value)
    return _info(clerk)


def find_clerk(session: Session, login: str) -> ClerkInfo:
    """The clerk with this login, or a stand-in for a read-only session that may not create one."""
    clerk = session.scalar(select(Clerk).where(Clerk.login == login))
    return _info(clerk) if clerk is not None else ClerkInfo(0, login, login, ClerkRole.CLERK.value)


def list_clerks(session: Session) -> list[ClerkInfo]:
    """All clerks, active first, by name."""
    rows = session.scalars(select(Clerk).order_by(Clerk.active.desc(), Clerk.name))
    return [_info(c) for c in rows]
