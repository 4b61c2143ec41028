"""Demo plan: which communities score what, so the declared rules reproduce the 2021 H1 figures exactly."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass

from liandu_desk.services.communities.inspections import ScoreInput
from liandu_desk.services.communities.templates import ItemView

# Inspection rounds: two in 2020 H2 (previous leaderboard period, failing-round history) and two in 2021 H1.
ROUNDS = (dt.date(2020, 9, 14), dt.date(2020, 11, 16), dt.date(2021, 3, 15), dt.date(2021, 5, 17))

# Groups at scale 1 (seed: 5★ 2, 4★ 3, red list 9, black list 7 of which 4 by veto and 3 by failing rounds).
GROUPS = (
    ("five", 2, (95.5, 99.0)),  # 5★ (≥95) → red
    ("four", 3, (92.0, 94.5)),  # 4★ (≥92) → red
    ("red3", 4, (90.0, 91.5)),  # 3★, red (≥90)
    ("three", 22, (85.0, 89.5)),  # 3★, not red
    ("veto", 4, (70.0, 88.0)),  # a veto item in one 2021 H1 round → black
    ("failing", 3, (45.0, 59.5)),  # < 60 in the last three rounds → black
)
REST_RANGE = (76.0, 84.5)


@dataclass(frozen=True)
class CommunityPlan:
    """Target totals of one community for each round, and which round (if any) triggers a veto."""

    group: str
    totals: tuple[float, ...]
    veto_round: int | None


def _half(value: float) -> float:
    return round(value * 2) / 2


def _pick(rng: random.Random, low: float, high: float) -> float:
    return _half(rng.uniform(low, high))


def plan_group(rng: random.Random, group: str, band: tuple[float, float]) -> CommunityPlan:
    """Both 2021 rounds inside the band (so the period average is too); 2020 rounds looser."""
    low, high = band
    h1 = (_pick(rng, low, high), _pick(rng, low, high))
    if group == "failing":
        return CommunityPlan(group, (_pick(rng, 62, 70), _pick(rng, low, high), *h1), None)
    h2 = (_pick(rng, max(low - 8, 62), min(high + 3, 99)), _pick(rng, max(low - 8, 62), min(high + 3, 99)))
    return CommunityPlan(group, (*h2, *h1), rng.choice((2, 3)) if group == "veto" else None)


def plan_communities(rng: random.Random, count: int, scaled) -> list[CommunityPlan]:
    """One plan per closed community: the seed groups first (scaled), the rest between 76 and 84.5."""
    plans: list[CommunityPlan] = []
    for group, size, band in GROUPS:
        plans += [plan_group(rng, group, band) for _ in range(min(scaled(size), count - len(plans)))]
    while len(plans) < count:
        plans.append(plan_group(rng, "rest", REST_RANGE))
    return plans


def sheet(rng: random.Random, items: Sequence[ItemView], total: float, veto: bool) -> list[ScoreInput]:
    """Deductions in half points over a few random items that bring the sheet to exactly `total`."""
    scored = [i for i in items if not i.veto]
    remaining = round(sum(i.max_points for i in scored) - total, 2)
    chosen = sorted(scored, key=lambda i: -(i.max_points + rng.uniform(0, 2.5)))  # bigger items first: few issues
    count = min(len(chosen), rng.randint(1, 3)) if remaining > 0 else 0
    while sum(i.max_points for i in chosen[:count]) < remaining:
        count += 1
    picked = chosen[:count]
    amounts = {i.id: 0.5 for i in picked}
    left = remaining - 0.5 * len(picked)
    while left > 1e-9:
        open_items = [i for i in picked if amounts[i.id] + 0.5 <= i.max_points]
        item = rng.choice(open_items)
        amounts[item.id] += 0.5
        left -= 0.5
    inputs = [ScoreInput(i.id, deduction=amounts[i.id], note=_note(i, amounts[i.id])) for i in picked]
    if veto:
        veto_item = rng.choice([i for i in items if i.veto])
        inputs.append(ScoreInput(veto_item.id, veto=True, note="现场发现消防通道被车辆和杂物堵塞"))
    return inputs


def _note(item: ItemView, amount: float) -> str:
    if item.deduct_per:
        return f"现场发现{max(int(amount / item.deduct_per), 1)}处不符合"
    return "现场检查不符合"
