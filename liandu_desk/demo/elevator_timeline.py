"""Stage timelines and votes for the elevator demo: realistic dates around fixed anchors, votes that pass or fail."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from liandu_desk.domain.elevators import STAGE_INDEX, STAGES, ElevatorStage, VoteChoice
from liandu_desk.services.elevators.config import ElevatorConfig
from liandu_desk.services.elevators.tally import Ballot, compute_tally

Stage = tuple[ElevatorStage, dt.date, dt.date | None]


def duration(stage: ElevatorStage, rng: random.Random, config: ElevatorConfig) -> int:
    """A plausible number of days for a stage: 50%–140% of the configured expectation."""
    return max(3, round(config.expected_days(stage) * rng.uniform(0.5, 1.4)))


def backward(index: int, start: dt.date, rng: random.Random, config: ElevatorConfig) -> list[Stage]:
    """The completed stages before stage `index`, which started on `start`, oldest first."""
    records: list[Stage] = []
    end = start
    for i in range(index - 1, -1, -1):
        begin = end - dt.timedelta(days=duration(STAGES[i], rng, config))
        records.append((STAGES[i], begin, end))
        end = begin
    return records[::-1]


def forward(
    index: int, start: dt.date, cap: int, limit: dt.date, rng: random.Random, config: ElevatorConfig
) -> list[Stage]:
    """Stages from `index` on, completing each while the date stays within `limit`, never beyond stage `cap`."""
    records: list[Stage] = []
    day = start
    for i in range(index, cap + 1):
        end = day + dt.timedelta(days=duration(STAGES[i], rng, config))
        last_possible = i == cap and STAGES[i] != ElevatorStage.SUBSIDY
        if end > limit or last_possible:
            records.append((STAGES[i], day, None))
            return records
        records.append((STAGES[i], day, end))
        day = end
        if i == cap:
            return records
    return records


def accepted_timeline(
    accepted_on: dt.date, cap: int, limit: dt.date, rng: random.Random, config: ElevatorConfig
) -> list[Stage]:
    """A project whose completion acceptance (竣工验收) finished on `accepted_on`, then moved on towards `cap`."""
    acceptance = STAGE_INDEX[ElevatorStage.ACCEPTANCE]
    began = accepted_on - dt.timedelta(days=duration(ElevatorStage.ACCEPTANCE, rng, config))
    records = backward(acceptance, began, rng, config)
    records.append((ElevatorStage.ACCEPTANCE, began, accepted_on))
    return records + forward(acceptance + 1, accepted_on, cap, limit, rng, config)


def current_timeline(index: int, started: dt.date, rng: random.Random, config: ElevatorConfig) -> list[Stage]:
    """A project now in stage `index`, which started on `started`."""
    return [*backward(index, started, rng, config), (STAGES[index], started, None)]


@dataclass
class Flat:
    """A generated household."""

    room: str
    floor: int
    area: Decimal
    owner: str
    shaft: bool = False
    vote: VoteChoice = VoteChoice.NONE


def _passes(flats: list[Flat]) -> bool:
    ballots = [Ballot(f.room, f.area, f.owner, f.vote, f.shaft, f.owner) for f in flats]
    return compute_tally(ballots).passed


def passing_votes(flats: list[Flat], rng: random.Random) -> None:
    """Everyone votes; a few (never the shaft owner) oppose, abstain or stay away, as long as the vote still passes."""
    for _attempt in range(30):
        for flat in flats:
            flat.vote = VoteChoice.AGREE
        others = [f for f in flats if not f.shaft]
        for flat in rng.sample(others, k=min(len(others), rng.randint(0, 3))):
            flat.vote = rng.choice((VoteChoice.OPPOSE, VoteChoice.ABSTAIN, VoteChoice.NONE))
        if _passes(flats):
            return
    for flat in flats:
        flat.vote = VoteChoice.AGREE


def failing_votes(flats: list[Flat], rng: random.Random) -> None:
    """A vote that falls short: too few take part, too few agree, or the shaft owner refuses."""
    for _attempt in range(30):
        for flat in flats:
            flat.vote = rng.choices(
                (VoteChoice.AGREE, VoteChoice.OPPOSE, VoteChoice.ABSTAIN, VoteChoice.NONE), (55, 20, 5, 20)
            )[0]
        if not _passes(flats):
            return
    flats[0].vote = flats[1].vote = flats[2].vote = VoteChoice.OPPOSE


def boundary_votes(flats: list[Flat], passing: bool) -> None:
    """For 12 flats of equal area: 8 vote (exactly 2/3); 6 of 8 agree (exactly 3/4, passes) or 6 of 9 (fails)."""
    for flat in flats:
        flat.vote = VoteChoice.NONE
    voters = 8 if passing else 9
    for i, flat in enumerate(flats[-voters:]):
        flat.vote = VoteChoice.AGREE if i < 6 else VoteChoice.OPPOSE
