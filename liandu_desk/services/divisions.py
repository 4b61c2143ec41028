"""Administrative divisions: the 15 townships/subdistricts, villages beneath them, and name resolution."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from liandu_desk.domain.errors import ValidationError
from liandu_desk.domain.registry import TOWNSHIP_LEVELS, CheckStatus, Division, DivisionLevel

_SUFFIXES = ("畲族镇", "畲族乡", "街道", "镇", "乡")


@dataclass(frozen=True)
class DivisionInfo:
    """A division as lists and combo boxes show it."""

    id: int
    name: str
    level: str
    parent_id: int | None


def _valid_on(day: dt.date):
    return (
        or_(Division.valid_from.is_(None), Division.valid_from <= day),
        or_(Division.valid_to.is_(None), Division.valid_to >= day),
    )


def list_townships(session: Session, on: dt.date | None = None) -> list[DivisionInfo]:
    """The townships/subdistricts valid on a day (today by default), in official order."""
    day = on or dt.date.today()
    query = (
        select(Division)
        .where(Division.parent_id.is_(None), Division.level.in_(TOWNSHIP_LEVELS), *_valid_on(day))
        .order_by(Division.sort_order, Division.id)
    )
    return [DivisionInfo(d.id, d.name, d.level.value, None) for d in session.scalars(query)]


def list_children(session: Session, parent_id: int, on: dt.date | None = None) -> list[DivisionInfo]:
    """Villages and communities beneath a township valid on a day, by name."""
    day = on or dt.date.today()
    query = select(Division).where(Division.parent_id == parent_id, *_valid_on(day)).order_by(Division.sort_order)
    return [DivisionInfo(d.id, d.name, d.level.value, d.parent_id) for d in session.scalars(query)]


def retired_children(session: Session, parent_id: int, on: dt.date | None = None) -> list[DivisionInfo]:
    """Villages and communities of a township retired before a day, named "…（已撤销）", so that a house still on
    one keeps it in a form and can be found by it."""
    day = on or dt.date.today()
    query = (
        select(Division)
        .where(Division.parent_id == parent_id, Division.valid_to.is_not(None), Division.valid_to < day)
        .order_by(Division.sort_order, Division.id)
    )
    return [DivisionInfo(d.id, f"{d.name}（已撤销）", d.level.value, d.parent_id) for d in session.scalars(query)]


def short_forms(name: str) -> set[str]:
    """Accepted short forms of a township name: 老竹畲族镇 → 老竹镇, 老竹; 紫金街道 → 紫金."""
    forms = {name}
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            stem = name[: -len(suffix)]
            forms.add(stem)
            if suffix.startswith("畲族"):
                forms.add(stem + suffix[-1])
            break
    return forms


def township_lookup(session: Session, on: dt.date | None = None) -> dict[str, DivisionInfo]:
    """Map every accepted form of each township name to it; ambiguous short forms are left out."""
    seen: dict[str, list[DivisionInfo]] = {}
    for township in list_townships(session, on):
        for form in short_forms(township.name):
            seen.setdefault(form, []).append(township)
    lookup = {form: found[0] for form, found in seen.items() if len(found) == 1}
    lookup.update({t.name: t for t in list_townships(session, on)})
    return lookup


def resolve_township(session: Session, text: str, field: str = "乡镇（街道）") -> DivisionInfo:
    """Find a township by its full name or an unambiguous short form, or raise ValidationError."""
    name = (text or "").strip().replace(" ", "")
    found = township_lookup(session).get(name)
    if found is None:
        raise ValidationError(field, f"“{name}”不是莲都区的乡镇（街道）")
    return found


def ensure_child(session: Session, parent_id: int, name: str, level: DivisionLevel) -> int:
    """The id of a village/community under a township, created if it is not on file yet."""
    name = name.strip()
    found = session.scalar(select(Division.id).where(Division.parent_id == parent_id, Division.name == name))
    if found is not None:
        return found
    division = Division(parent_id=parent_id, name=name, level=level, sort_order=0, check_status=CheckStatus.UNVERIFIED)
    session.add(division)
    session.flush()
    return division.id
