"""The Civil Code Art. 278 tally for a retrofit vote, in exact fractions (domain §3.1).

Participation: at least 2/3 of the total exclusive area and 2/3 of the owners take part (abstaining is taking
part). Passing: at least 3/4 of the participating area and of the participating owners agree. Thresholds are
compared as fractions, never rounded. If the shaft occupies an owner's exclusive part, that owner must agree.

The denominator is the whole unit, not the flats registered so far. When the project declares more households
than are registered, each missing flat counts as one owner who has not voted. Their area is the unit's declared
total exclusive area less the registered areas; without a declared total (or with one no larger than the registered
areas) the area share cannot be established and the vote cannot pass until every household is registered. This
handling of unknown areas is a rule of this program, not of the Civil Code (未核实 against Lishui practice).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal
from fractions import Fraction

from liandu_desk.domain.elevators import VoteChoice

PARTICIPATION = Fraction(2, 3)
AGREEMENT = Fraction(3, 4)


@dataclass(frozen=True)
class Ballot:
    """One flat as the tally sees it: area, owner (for the one-owner-one-person rule), vote, shaft flag."""

    room: str
    area: Decimal
    owner_key: str
    vote: VoteChoice
    shaft_occupied: bool = False
    owner_name: str = ""


@dataclass(frozen=True)
class Declared:
    """What the project declares about the whole unit: its number of flats (0: not declared) and total area."""

    households: int = 0
    area: Decimal | None = None


@dataclass(frozen=True)
class Gap:
    """How many more owners and how much more area are needed for one threshold (zero if already met)."""

    persons: int
    area: Fraction

    @property
    def met(self) -> bool:
        return self.persons == 0 and self.area == 0

    def area_text(self) -> str:
        """The area rounded up to 0.01 ㎡ (never understating the need), trailing zeros dropped."""
        value = (Decimal(self.area.numerator) / Decimal(self.area.denominator)).quantize(
            Decimal("0.01"), rounding=ROUND_CEILING
        )
        text = f"{value:f}".rstrip("0").rstrip(".")
        return text or "0"

    def words(self) -> str:
        parts = []
        if self.persons:
            parts.append(f"{self.persons}户")
        if self.area:
            parts.append(f"{self.area_text()}㎡")
        return "、".join(parts)


@dataclass(frozen=True)
class Tally:
    """The exact figures of a vote and whether it passes, with the gap to passing."""

    persons_total: int
    persons_voted: int
    persons_yes: int
    area_total: Fraction
    area_voted: Fraction
    area_yes: Fraction
    participation_area: Fraction
    participation_persons: Fraction
    agreement_area: Fraction
    agreement_persons: Fraction
    participation_ok: bool
    agreement_ok: bool
    shaft_ok: bool
    passed: bool
    participation_gap: Gap
    agreement_gap: Gap
    shaft_refusals: tuple[str, ...] = ()
    mixed_owners: tuple[str, ...] = ()
    one_owner_one_person: bool = True
    notes: tuple[str, ...] = field(default=())
    households_declared: int = 0
    households_registered: int = 0
    unregistered: int = 0
    area_known: bool = True
    warnings: tuple[str, ...] = ()

    def gap_words(self) -> str:
        """The gap to passing in words, e.g. “同意还差1户、12.3㎡”; “已通过” when nothing is missing."""
        if self.passed:
            return "已通过"
        if not self.persons_total:
            return "尚未登记住户"
        parts = []
        if not self.area_known:
            parts.append(f"专有面积总数无法核算：{self.unregistered}户未登记，须填写单元专有面积总和或登记全部住户")
        if not self.participation_ok and self.area_known:
            parts.append(f"参与表决还差{self.participation_gap.words()}")
        elif self.participation_gap.persons:  # the area gap is unknown: only the owners' gap is certain
            parts.append(f"参与表决还差{self.participation_gap.persons}户")
        if not self.agreement_ok:
            parts.append(f"同意还差{self.agreement_gap.words()}" if self.persons_voted else "尚无业主表决")
        if not self.shaft_ok:
            parts.append(f"井道占用专有部分的业主（{'、'.join(self.shaft_refusals)}）尚未同意")
        return "；".join(parts) if parts else "未通过"

    def status_text(self) -> str:
        return "通过" if self.passed else "未通过"


def _fraction(value: Decimal | int | str) -> Fraction:
    return Fraction(Decimal(str(value)))


def _ratio(part: Fraction | int, whole: Fraction | int) -> Fraction:
    return Fraction(part) / Fraction(whole) if whole else Fraction(0)


@dataclass(frozen=True)
class _Persons:
    total: int
    voted: int
    yes: int
    mixed: tuple[str, ...]


def _count_persons(ballots: Sequence[Ballot], one_owner_one_person: bool) -> _Persons:
    """Headcount: one per flat, or one per owner; an owner with several flats agrees only if every voted flat does."""
    if not one_owner_one_person:
        voted = [b for b in ballots if b.vote != VoteChoice.NONE]
        return _Persons(len(ballots), len(voted), sum(b.vote == VoteChoice.AGREE for b in ballots), ())
    owners: dict[str, list[Ballot]] = {}
    for ballot in ballots:
        owners.setdefault(ballot.owner_key, []).append(ballot)
    voted = yes = 0
    mixed = []
    for flats in owners.values():
        votes = {b.vote for b in flats if b.vote != VoteChoice.NONE}
        if votes:
            voted += 1
            yes += votes == {VoteChoice.AGREE}
            if len(votes) > 1:
                mixed.append(flats[0].owner_name or flats[0].owner_key)
    return _Persons(len(owners), voted, yes, tuple(mixed))


def _persons_gap(have: int, of: int, threshold: Fraction) -> int:
    """The smallest k with (have + k) / of ≥ threshold."""
    return max(0, math.ceil(threshold * of) - have) if of else 0


def _unit_warnings(declared: Declared, registered: int, registered_area: Fraction, area_known: bool) -> list[str]:
    """What the clerk must know about the denominator: undeclared, unregistered or inconsistent figures."""
    warnings = []
    if declared.households <= 0:
        if registered:
            warnings.append(f"项目未填写单元总户数，暂按已登记的{registered}户计算；请在“项目信息”中填写户数")
        return warnings
    missing = declared.households - registered
    if missing > 0:
        warnings.append(f"申报{declared.households}户，已登记{registered}户，尚有{missing}户未登记，按未表决计入分母")
        if not area_known:
            if declared.area is None:
                warnings.append("未填写单元专有面积总和，面积比例无法核算，全部住户登记前表决不能通过")
            else:
                warnings.append(
                    f"申报的单元专有面积总和{declared.area}㎡不大于已登记住户面积之和{_m2(registered_area)}㎡，"
                    "请核对；全部住户登记前表决不能通过"
                )
    elif missing < 0:
        warnings.append(f"已登记{registered}户，多于申报的{declared.households}户，请核对项目信息中的户数")
    elif declared.area is not None and _fraction(declared.area) != registered_area:
        warnings.append(
            f"已登记住户面积之和{_m2(registered_area)}㎡与申报的单元专有面积总和{declared.area}㎡不一致，"
            "以已登记住户面积为准"
        )
    return warnings


def _m2(value: Fraction) -> str:
    text = f"{Decimal(value.numerator) / Decimal(value.denominator):.2f}"
    return text.rstrip("0").rstrip(".")


def compute_tally(
    ballots: Iterable[Ballot], one_owner_one_person: bool = True, declared: Declared | None = None
) -> Tally:
    """Tally the ballots of one unit; the agreement gap assumes the current participants (changing their vote).

    `declared` widens the denominator to the whole unit: missing flats count as owners who have not voted."""
    ballots = list(ballots)
    declared = declared or Declared()
    persons = _count_persons(ballots, one_owner_one_person)
    registered_area = sum((_fraction(b.area) for b in ballots), Fraction(0))
    unregistered = max(0, declared.households - len(ballots))
    area_total, area_known = registered_area, True
    if unregistered:
        persons = _Persons(persons.total + unregistered, persons.voted, persons.yes, persons.mixed)
        if declared.area is not None and _fraction(declared.area) > registered_area:
            area_total = _fraction(declared.area)
        else:
            area_known = False
    warnings = _unit_warnings(declared, len(ballots), registered_area, area_known)
    area_voted = sum((_fraction(b.area) for b in ballots if b.vote != VoteChoice.NONE), Fraction(0))
    area_yes = sum((_fraction(b.area) for b in ballots if b.vote == VoteChoice.AGREE), Fraction(0))
    part_area, part_persons = _ratio(area_voted, area_total), _ratio(persons.voted, persons.total)
    agree_area, agree_persons = _ratio(area_yes, area_voted), _ratio(persons.yes, persons.voted)
    participation_ok = bool(ballots) and area_known and part_area >= PARTICIPATION and part_persons >= PARTICIPATION
    agreement_ok = persons.voted > 0 and agree_area >= AGREEMENT and agree_persons >= AGREEMENT
    refusals = tuple(
        f"{b.room} {b.owner_name}".strip() for b in ballots if b.shaft_occupied and b.vote != VoteChoice.AGREE
    )
    participation_gap = Gap(
        _persons_gap(persons.voted, persons.total, PARTICIPATION),
        max(Fraction(0), PARTICIPATION * area_total - area_voted),
    )
    agreement_gap = Gap(
        _persons_gap(persons.yes, persons.voted, AGREEMENT), max(Fraction(0), AGREEMENT * area_voted - area_yes)
    )
    return Tally(
        persons.total,
        persons.voted,
        persons.yes,
        area_total,
        area_voted,
        area_yes,
        part_area,
        part_persons,
        agree_area,
        agree_persons,
        participation_ok,
        agreement_ok,
        not refusals,
        participation_ok and agreement_ok and not refusals,
        participation_gap,
        agreement_gap,
        refusals,
        persons.mixed,
        one_owner_one_person,
        (),
        declared.households,
        len(ballots),
        unregistered,
        area_known,
        tuple(warnings),
    )


def percent(value: Fraction) -> str:
    """A fraction as a percentage for display only (one decimal)."""
    return f"{float(value) * 100:.1f}%"
