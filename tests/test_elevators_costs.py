"""Cost sharing: floor coefficients, fen rounding, shares summing exactly to the total."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from liandu_desk.domain.errors import RuleError
from liandu_desk.services.elevators.config import default_config
from liandu_desk.services.elevators.costs import ShareInput, largest_remainder, share_costs


def test_hand_computed_shares() -> None:
    flats = [ShareInput("101", 1, Decimal("100")), ShareInput("201", 2, Decimal("100"))]
    flats += [ShareInput(f"{f}01", f, Decimal("100")) for f in (3, 4, 5, 6)]
    shares = share_costs(Decimal("100000.00"), flats, default_config())
    amounts = [s.amount for s in shares]
    # weights 0, 0, 70, 80, 90, 100 of 340: exact 20588.235…, 23529.411…, 26470.588…, 29411.764…;
    # floored fen leave 2 fen that go to the largest remainders (floor 5: .823, floor 3: .529).
    assert amounts == [
        Decimal("0.00"),
        Decimal("0.00"),
        Decimal("20588.24"),
        Decimal("23529.41"),
        Decimal("26470.59"),
        Decimal("29411.76"),
    ]
    assert sum(amounts) == Decimal("100000.00")
    assert [s.coefficient for s in shares] == [
        Decimal(0),
        Decimal(0),
        Decimal("0.7"),
        Decimal("0.8"),
        Decimal("0.9"),
        Decimal("1.0"),
    ]


def test_floor_above_table_uses_top_coefficient() -> None:
    assert default_config().coefficient(9) == Decimal("1.1")


def test_nobody_to_share_with() -> None:
    with pytest.raises(RuleError):
        share_costs(Decimal("1000"), [ShareInput("101", 1, Decimal("80"))], default_config())


def test_awkward_total_thirds() -> None:
    assert largest_remainder(Decimal("0.10"), [1, 1, 1]) == [Decimal("0.04"), Decimal("0.03"), Decimal("0.03")]


flat = st.tuples(st.integers(1, 11), st.integers(2000, 30000))


@settings(max_examples=300, deadline=None)
@given(total_fen=st.integers(0, 10**10), flats=st.lists(flat, min_size=1, max_size=30))
def test_shares_always_sum_exactly_to_the_total(total_fen: int, flats: list[tuple[int, int]]) -> None:
    inputs = [ShareInput(str(i), floor, Decimal(area) / 100) for i, (floor, area) in enumerate(flats)]
    inputs.append(ShareInput("top", 6, Decimal("77.77")))
    total = Decimal(total_fen) / 100
    shares = share_costs(total, inputs, default_config())
    assert sum(s.amount for s in shares) == total
    weight_sum = sum(s.weight for s in shares)
    for share in shares:
        assert share.amount >= 0 and share.amount == share.amount.quantize(Decimal("0.01"))
        exact = total * share.weight / weight_sum
        assert abs(share.amount - exact) < Decimal("0.01")
        if share.floor <= 2:
            assert share.amount == 0
