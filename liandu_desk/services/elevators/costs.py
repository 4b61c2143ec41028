"""Cost sharing by floor coefficient and area, rounded to the fen with the shares summing exactly to the total.

share_i = coef(floor_i) × area_i × P with P = total / Σ(coef × area) (domain §3.4). The exact shares are floored
to the fen and the missing fen go one each to the largest remainders (ties: lower list position first).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from liandu_desk.domain.errors import RuleError, ValidationError
from liandu_desk.services.elevators.config import ElevatorConfig

FEN = Decimal("0.01")


@dataclass(frozen=True)
class ShareInput:
    """A flat to share the cost among."""

    room: str
    floor: int
    area: Decimal
    owner_name: str = ""


@dataclass(frozen=True)
class Share:
    """One flat's share of the cost."""

    room: str
    floor: int
    area: Decimal
    owner_name: str
    coefficient: Decimal
    weight: Decimal
    amount: Decimal


def largest_remainder(total: Decimal, weights: Sequence[Fraction | Decimal]) -> list[Decimal]:
    """Split total (in yuan, whole fen) in proportion to weights; the parts are whole fen and sum to total."""
    total_fen = Decimal(total) / FEN
    if total_fen != total_fen.to_integral_value():
        raise ValidationError("总费用", "应精确到分")
    if total < 0:
        raise ValidationError("总费用", "不能为负数")
    exact = [Fraction(w) for w in weights]
    weight_sum = sum(exact, Fraction(0))
    if weight_sum <= 0:
        raise RuleError("没有需要分摊费用的住户（所有楼层系数均为0）")
    fen = int(total_fen)
    quotas = [w * fen / weight_sum for w in exact]
    floors = [q.numerator // q.denominator for q in quotas]
    missing = fen - sum(floors)
    order = sorted(range(len(quotas)), key=lambda i: (-(quotas[i] - floors[i]), i))
    for i in order[:missing]:
        floors[i] += 1
    return [Decimal(f) * FEN for f in floors]


def share_costs(total: Decimal, flats: Sequence[ShareInput], config: ElevatorConfig) -> list[Share]:
    """Each flat's share of total by floor coefficient × area, summing exactly to total."""
    coefficients = [config.coefficient(f.floor) for f in flats]
    weights = [c * Decimal(str(f.area)) for c, f in zip(coefficients, flats, strict=True)]
    amounts = largest_remainder(Decimal(str(total)), weights)
    return [
        Share(f.room, f.floor, Decimal(str(f.area)), f.owner_name, c, w, a)
        for f, c, w, a in zip(flats, coefficients, weights, amounts, strict=True)
    ]
