"""Households of a unit and their votes: edits, the vote history and the project's tally and cost shares."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from liandu_desk.domain.elevators import (
    ElevatorDisputeParty,
    ElevatorHousehold,
    ElevatorProject,
    ElevatorVoteEvent,
    VoteChoice,
)
from liandu_desk.domain.errors import ConflictError, NotFoundError, RuleError, ValidationError
from liandu_desk.services.elevators.config import ElevatorConfig, load_config
from liandu_desk.services.elevators.costs import Share, ShareInput, share_costs
from liandu_desk.services.elevators.tally import Ballot, Declared, Tally, compute_tally


@dataclass(frozen=True)
class HouseholdRow:
    """A household as the grid shows it."""

    id: int
    room: str
    floor: int
    area: Decimal
    owner_name: str
    person_id: int | None
    shaft_occupied: bool
    vote: str
    voted_on: dt.date | None
    phone: str | None
    version: int


@dataclass(frozen=True)
class VoteEventRow:
    """One entry of the vote history."""

    id: int
    household_id: int
    room: str
    owner_name: str
    old_vote: str | None
    new_vote: str
    voted_on: dt.date | None
    reason: str | None
    mediation_id: int | None
    clerk_name: str
    at: dt.datetime


def owner_key(person_id: int | None, owner_name: str) -> str:
    """Who the owner is for the one-owner-one-person rule: the registry person if linked, else the name."""
    return f"p:{person_id}" if person_id is not None else f"n:{owner_name.strip()}"


def _row(h: ElevatorHousehold) -> HouseholdRow:
    return HouseholdRow(
        h.id,
        h.room,
        h.floor,
        Decimal(h.area),
        h.owner_name,
        h.person_id,
        h.shaft_occupied,
        h.vote.value,
        h.voted_on,
        h.phone,
        h.version,
    )


def list_households(session: Session, project_id: int) -> list[HouseholdRow]:
    """The unit's flats by floor and room."""
    query = (
        select(ElevatorHousehold)
        .where(ElevatorHousehold.project_id == project_id)
        .order_by(ElevatorHousehold.floor, ElevatorHousehold.sort_key, ElevatorHousehold.room)
    )
    return [_row(h) for h in session.scalars(query)]


def parse_area(value: object) -> Decimal:
    """An exclusive area in ㎡: positive, at most two decimals."""
    try:
        area = Decimal(str(value).strip().replace("㎡", ""))
    except (InvalidOperation, ValueError):
        raise ValidationError("专有面积", f"“{value}”不是数字") from None
    if not area.is_finite() or area <= 0 or area > 2000:
        raise ValidationError("专有面积", "应大于0且不超过2000㎡")
    if area != area.quantize(Decimal("0.01")):
        raise ValidationError("专有面积", "最多保留两位小数")
    return area.quantize(Decimal("0.01"))


def _project(session: Session, project_id: int) -> ElevatorProject:
    project = session.get(ElevatorProject, project_id)
    if project is None:
        raise NotFoundError("该加装电梯项目不存在")
    return project


def add_household(
    session: Session,
    project_id: int,
    room: str,
    floor: int,
    area: object,
    owner_name: str,
    shaft_occupied: bool = False,
    person_id: int | None = None,
    phone: str | None = None,
) -> int:
    """Add a flat to the unit (not voted yet)."""
    project = _project(session, project_id)
    room = room.strip()
    if not room:
        raise ValidationError("房号", "不能为空")
    if not 1 <= int(floor) <= project.floors:
        raise ValidationError("楼层", f"应在1至{project.floors}之间")
    if not owner_name.strip():
        raise ValidationError("业主", "不能为空")
    clash = session.scalar(
        select(ElevatorHousehold.id).where(ElevatorHousehold.project_id == project_id, ElevatorHousehold.room == room)
    )
    if clash is not None:
        raise ValidationError("房号", f"{room}已登记")
    household = ElevatorHousehold(
        project_id=project_id,
        room=room,
        floor=int(floor),
        sort_key=0,
        area=parse_area(area),
        owner_name=owner_name.strip(),
        shaft_occupied=shaft_occupied,
        person_id=person_id,
        phone=phone,
        vote=VoteChoice.NONE,
    )
    session.add(household)
    session.flush()
    return household.id


def _household(session: Session, household_id: int, version: int | None) -> ElevatorHousehold:
    household = session.get(ElevatorHousehold, household_id)
    if household is None:
        raise NotFoundError("该住户记录不存在")
    if version is not None and household.version != version:
        raise ConflictError()
    return household


def update_household(session: Session, household_id: int, version: int | None = None, **fields: object) -> HouseholdRow:
    """Change room, floor, area, owner_name, phone or shaft_occupied of a flat; returns the saved row."""
    household = _household(session, household_id, version)
    if "area" in fields:
        household.area = parse_area(fields.pop("area"))
    if "floor" in fields:
        floor = int(fields.pop("floor"))  # type: ignore[arg-type]
        if not 1 <= floor <= household.project.floors:
            raise ValidationError("楼层", f"应在1至{household.project.floors}之间")
        household.floor = floor
    if "owner_name" in fields:
        name = str(fields.pop("owner_name") or "").strip()
        if not name:
            raise ValidationError("业主", "不能为空")
        household.owner_name = name
    for key in ("room", "phone", "shaft_occupied", "person_id"):
        if key in fields:
            setattr(household, key, fields.pop(key))
    if fields:
        raise ValueError(f"unknown household fields {sorted(fields)}")
    session.flush()
    return _row(household)


def delete_household(session: Session, household_id: int, version: int | None = None) -> None:
    """Remove a flat entered by mistake. A flat that has voted or is party to a dispute is part of the record
    (the tally history and mediation files refer to it) and cannot be removed; correct its details instead."""
    household = _household(session, household_id, version)
    voted = session.scalar(select(ElevatorVoteEvent.id).where(ElevatorVoteEvent.household_id == household.id).limit(1))
    if voted is not None or household.vote != VoteChoice.NONE:
        raise RuleError(f"{household.room}已有表决记录，不能删除；如房号、业主录错，请直接修改")
    parties = select(ElevatorDisputeParty.id).where(ElevatorDisputeParty.household_id == household.id)
    party = session.scalar(parties.limit(1))
    if party is not None:
        raise RuleError(f"{household.room}是矛盾纠纷的当事方，不能删除")
    session.delete(household)
    session.flush()


def set_vote(
    session: Session,
    household_id: int,
    vote: VoteChoice | str,
    on: dt.date | None = None,
    reason: str | None = None,
    mediation_id: int | None = None,
    version: int | None = None,
) -> HouseholdRow:
    """Record a household's vote (or its change) and append it to the vote history."""
    household = _household(session, household_id, version)
    new = VoteChoice(vote)
    if new == household.vote and mediation_id is None:
        return _row(household)
    clerk = session.info.get("clerk")
    session.add(
        ElevatorVoteEvent(
            household_id=household.id,
            project_id=household.project_id,
            old_vote=household.vote,
            new_vote=new,
            voted_on=on,
            reason=reason,
            mediation_id=mediation_id,
            clerk_name=getattr(clerk, "name", "") or "系统",
        )
    )
    household.vote = new
    household.voted_on = None if new == VoteChoice.NONE else (on or household.voted_on or dt.date.today())
    session.flush()
    return _row(household)


def vote_history(session: Session, project_id: int, household_id: int | None = None) -> list[VoteEventRow]:
    """Every vote cast or changed in the project (or for one flat), oldest first."""
    query = (
        select(ElevatorVoteEvent, ElevatorHousehold.room, ElevatorHousehold.owner_name)
        .join(ElevatorHousehold, ElevatorHousehold.id == ElevatorVoteEvent.household_id)
        .where(ElevatorVoteEvent.project_id == project_id)
        .order_by(ElevatorVoteEvent.id)
    )
    if household_id is not None:
        query = query.where(ElevatorVoteEvent.household_id == household_id)
    return [
        VoteEventRow(
            e.id,
            e.household_id,
            room,
            name,
            e.old_vote.value if e.old_vote else None,
            e.new_vote.value,
            e.voted_on,
            e.reason,
            e.mediation_id,
            e.clerk_name,
            e.created_at,
        )
        for e, room, name in session.execute(query)
    ]


def ballots_of(rows: list[HouseholdRow]) -> list[Ballot]:
    """The tally's view of the grid rows (also used by the GUI to recompute the tally on every edit)."""
    return [
        Ballot(r.room, r.area, owner_key(r.person_id, r.owner_name), VoteChoice(r.vote), r.shaft_occupied, r.owner_name)
        for r in rows
    ]


def declared_of(project: ElevatorProject) -> Declared:
    """The unit as the project declares it: its number of flats and total exclusive area (the tally's denominator)."""
    area = Decimal(project.declared_area) if project.declared_area is not None else None
    return Declared(project.planned_households or 0, area)


def project_tally(session: Session, project_id: int, config: ElevatorConfig | None = None) -> Tally:
    """The Civil Code tally of the project's current votes over the whole declared unit."""
    config = config or load_config(session)
    rows = list_households(session, project_id)
    declared = declared_of(_project(session, project_id))
    return compute_tally(ballots_of(rows), config.one_owner_one_person, declared)


def project_shares(
    session: Session, project_id: int, total: Decimal | None = None, config: ElevatorConfig | None = None
) -> list[Share]:
    """Each flat's share of the project's budget (or of `total`)."""
    config = config or load_config(session)
    project = _project(session, project_id)
    amount = total if total is not None else project.budget
    if amount is None:
        return []
    flats = [ShareInput(r.room, r.floor, r.area, r.owner_name) for r in list_households(session, project_id)]
    return share_costs(Decimal(amount), flats, config) if flats else []
