"""加装电梯 rules at their boundaries: the Art. 278 tally (2/3 take part, 3/4 agree) and the cost shares to the fen."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from liandu_desk.domain.elevators import VoteChoice
from liandu_desk.domain.errors import RuleError, ValidationError
from liandu_desk.services.elevators.config import ElevatorConfig, default_config
from liandu_desk.services.elevators.costs import Share, ShareInput, largest_remainder, share_costs
from liandu_desk.services.elevators.tally import Ballot, Gap, compute_tally, percent

Y, N, A, U = VoteChoice.AGREE, VoteChoice.OPPOSE, VoteChoice.ABSTAIN, VoteChoice.NONE


def flat(room: str, vote: VoteChoice, area: str = "100", owner: str | None = None, shaft: bool = False, name=None):
    return Ballot(room, Decimal(area), owner or f"k:{room}", vote, shaft, room if name is None else name)


def _flats(votes: str) -> list[Ballot]:
    """One 100 ㎡ flat per owner; Y agree, N oppose, A abstain, U not voted."""
    return [flat(f"{i + 1}01", {"Y": Y, "N": N, "A": A, "U": U}[v]) for i, v in enumerate(votes)]


# --- participation: 2/3 of owners and of area, exactly ------------------------------------------------------------


@pytest.mark.parametrize(
    ("votes", "ok", "gap"),
    [
        ("YYYYYYUUU", True, 0),  # 6 of 9 owners, 600 of 900 ㎡: exactly 2/3
        ("YYYYYUUUU", False, 1),  # 5 of 9
        ("YYAYYYUUU", True, 0),  # abstaining is taking part
        ("YYYYYYYUU", True, 0),
        ("YYUUUUU", False, 3),  # 2 of 7: ceil(14/3) = 5 needed
    ],
)
def test_participation_needs_two_thirds_of_the_owners(votes: str, ok: bool, gap: int) -> None:
    tally = compute_tally(_flats(votes))
    assert tally.participation_ok is ok
    assert tally.participation_gap.persons == gap
    assert tally.participation_persons == Fraction(votes.count("Y") + votes.count("A"), len(votes))


def test_two_thirds_of_owners_without_two_thirds_of_area_is_not_enough() -> None:
    # 4 of 6 owners take part but hold 399.99 of 600 ㎡; one hundredth more makes exactly 2/3
    ballots = [
        flat("101", Y, "99.99"),
        flat("201", Y),
        flat("301", Y),
        flat("401", Y),
        flat("501", U, "100.01"),
        flat("601", U),
    ]
    tally = compute_tally(ballots)
    assert tally.participation_persons == Fraction(2, 3) and tally.participation_area < Fraction(2, 3)
    assert not tally.participation_ok and tally.agreement_ok and not tally.passed
    assert tally.participation_gap == Gap(0, Fraction(1, 100))
    assert tally.gap_words() == "参与表决还差0.01㎡"
    ballots[0], ballots[4] = flat("101", Y, "100"), flat("501", U, "100")
    assert compute_tally(ballots).passed


# --- agreement: 3/4 of the participants, exactly ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("votes", "ok", "gap"),
    [
        ("YYYN", True, 0),  # 3 of 4
        ("YYYA", True, 0),
        ("YYNN", False, 1),
        ("YYYYYYNN", True, 0),  # 6 of 8
        ("YYYYYNNN", False, 1),  # 5 of 8
        ("YYYNNU", False, 0),  # 3 of 5 voters: ceil(15/4) = 4 needed (and participation 5 of 6 is fine)
    ],
)
def test_agreement_needs_three_quarters_of_the_participants(votes: str, ok: bool, gap: int) -> None:
    tally = compute_tally(_flats(votes))
    voters = len(votes) - votes.count("U")
    assert tally.agreement_persons == Fraction(votes.count("Y"), voters)
    assert tally.agreement_ok is ok and tally.passed is ok
    assert tally.agreement_gap.persons == (1 if votes == "YYYNNU" else gap)


def test_the_gaps_in_area_are_exact_and_shown_rounded_up() -> None:
    tally = compute_tally([flat("101", Y, "80"), flat("201", N, "40.5"), flat("301", U, "30"), flat("401", U, "30")])
    assert tally.area_total == Fraction("180.5") and tally.area_voted == Fraction("120.5")
    assert tally.participation_gap == Gap(1, Fraction(0))  # 120.5 ㎡ is more than 2/3 of 180.5 ㎡
    assert tally.agreement_gap == Gap(1, Fraction(3, 4) * Fraction("120.5") - 80)
    assert tally.gap_words() == "参与表决还差1户；同意还差1户、10.38㎡"
    assert (tally.status_text(), percent(tally.participation_area), percent(tally.agreement_area)) == (
        "未通过",
        "66.8%",
        "66.4%",
    )


# --- the headcount: one owner one person ---------------------------------------------------------------------------


def test_an_owner_of_several_flats_is_one_person_and_agrees_only_if_every_voted_flat_agrees() -> None:
    ballots = [
        flat("101", Y, owner="王", name="王五"),
        flat("102", U, owner="王", name="王五"),
        flat("201", Y, owner="张", name=""),
        flat("202", N, owner="张", name=""),
        flat("301", U, owner="李", name="李四"),
    ]
    tally = compute_tally(ballots)
    assert (tally.persons_total, tally.persons_voted, tally.persons_yes) == (3, 2, 1)
    assert tally.mixed_owners == ("张",)
    assert tally.one_owner_one_person
    assert (tally.area_total, tally.area_voted, tally.area_yes) == (500, 300, 200)
    per_flat = compute_tally(ballots, one_owner_one_person=False)
    assert (per_flat.persons_total, per_flat.persons_voted, per_flat.persons_yes) == (5, 3, 2)
    assert per_flat.mixed_owners == () and not per_flat.one_owner_one_person


def test_an_owner_voting_both_ways_is_named_as_on_the_first_flat() -> None:
    ballots = [flat("101", Y, owner="赵", name="赵六"), flat("102", N, owner="赵", name=""), flat("201", Y)]
    assert compute_tally(ballots).mixed_owners == ("赵六",)


def test_every_flat_of_one_owner_agreeing_counts_once_as_agreeing() -> None:
    ballots = [flat("101", Y, owner="王"), flat("102", Y, owner="王"), flat("201", Y), flat("301", N)]
    tally = compute_tally(ballots)
    assert (tally.persons_total, tally.persons_voted, tally.persons_yes) == (3, 3, 2)
    assert tally.mixed_owners == ()


# --- the shaft rule ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("vote", [N, A, U])
def test_an_owner_whose_flat_the_shaft_occupies_must_agree(vote: VoteChoice) -> None:
    ballots = _flats("YYYYYYY") + [flat("801", vote, shaft=True, name="赵六"), flat("901", vote, shaft=True, name="")]
    tally = compute_tally(ballots)
    assert tally.participation_ok and tally.agreement_ok and not tally.shaft_ok and not tally.passed
    assert tally.shaft_refusals == ("801 赵六", "901")
    assert tally.gap_words() == "井道占用专有部分的业主（801 赵六、901）尚未同意"
    agreed = compute_tally(_flats("YYYYYYY") + [flat("801", Y, shaft=True), flat("901", Y, shaft=True)])
    assert agreed.shaft_ok and agreed.passed and agreed.shaft_refusals == ()
    assert (agreed.gap_words(), agreed.status_text()) == ("已通过", "通过")


# --- nothing to count ----------------------------------------------------------------------------------------------


def test_no_votes_or_no_flats_never_pass() -> None:
    empty = compute_tally([])
    assert (empty.participation_ok, empty.agreement_ok, empty.passed) == (False, False, False)
    assert (empty.participation_area, empty.participation_persons, empty.agreement_area) == (0, 0, 0)
    assert empty.participation_gap == Gap(0, Fraction(0)) and empty.agreement_gap == Gap(0, Fraction(0))
    assert empty.gap_words() == "尚未登记住户"
    silent = compute_tally(_flats("UUU"))
    assert (silent.agreement_area, silent.agreement_persons, silent.agreement_ok) == (0, 0, False)
    assert silent.gap_words() == "参与表决还差2户、200㎡；尚无业主表决"
    zero_area = compute_tally([flat("101", Y, "0"), flat("201", Y, "0"), flat("301", Y, "0")])
    assert zero_area.participation_area == 0 and not zero_area.passed


def test_a_gap_is_met_only_when_nothing_is_missing() -> None:
    assert Gap(0, Fraction(0)).met
    assert not Gap(1, Fraction(0)).met
    assert not Gap(0, Fraction(1, 400)).met


@pytest.mark.parametrize(
    ("gap", "words"),
    [
        (Gap(0, Fraction(0)), ""),
        (Gap(2, Fraction(0)), "2户"),
        (Gap(0, Fraction(1, 400)), "0.01㎡"),
        (Gap(1, Fraction(123, 10)), "1户、12.3㎡"),
        (Gap(0, Fraction(100)), "100㎡"),
        (Gap(0, Fraction(12001, 1000)), "12.01㎡"),
        (Gap(3, Fraction(2, 3)), "3户、0.67㎡"),
    ],
)
def test_gap_words_round_the_area_up_to_the_hundredth(gap: Gap, words: str) -> None:
    assert gap.words() == words


def test_area_text_of_a_zero_gap() -> None:
    assert Gap(0, Fraction(0)).area_text() == "0"
    assert Gap(0, Fraction(10)).area_text() == "10"


@pytest.mark.parametrize(
    ("value", "text"), [(Fraction(2, 3), "66.7%"), (Fraction(1, 8), "12.5%"), (Fraction(1), "100.0%")]
)
def test_percent_is_for_display_with_one_decimal(value: Fraction, text: str) -> None:
    assert percent(value) == text


# --- cost shares ---------------------------------------------------------------------------------------------------


def _fen(*values: str) -> list[Decimal]:
    return [Decimal(v) for v in values]


@pytest.mark.parametrize(
    ("total", "weights", "parts"),
    [
        ("100.00", [1, 1, 1], _fen("33.34", "33.33", "33.33")),  # a tie: the lower position takes the fen
        ("0.02", [1, 1, 1], _fen("0.01", "0.01", "0.00")),
        ("0.01", [1, 2], _fen("0.00", "0.01")),  # remainders 1/3 and 2/3: the larger takes it
        ("0.01", [2, 1], _fen("0.01", "0.00")),
        ("0.03", [0, 1, 0, 2], _fen("0.00", "0.01", "0.00", "0.02")),
        ("0", [1, 3], _fen("0.00", "0.00")),
        ("10.05", [Decimal("0.7") * 90, Decimal("1.1") * 90], _fen("3.91", "6.14")),
        ("1", [1], _fen("1.00")),
    ],
)
def test_largest_remainder_in_whole_fen(total: str, weights, parts: list[Decimal]) -> None:
    result = largest_remainder(Decimal(total), weights)
    assert result == parts
    assert sum(result) == Decimal(total)


@pytest.mark.parametrize(
    ("total", "message"),
    [("100.001", "总费用：应精确到分"), ("-0.01", "总费用：不能为负数"), ("-5", "总费用：不能为负数")],
)
def test_a_total_in_part_fen_or_below_zero_is_refused(total: str, message: str) -> None:
    with pytest.raises(ValidationError) as refused:
        largest_remainder(Decimal(total), [1, 1])
    assert str(refused.value) == message


def test_nobody_to_share_with_is_refused() -> None:
    for weights in ([0, 0], []):
        with pytest.raises(RuleError) as refused:
            largest_remainder(Decimal("100.00"), weights)
        assert str(refused.value) == "没有需要分摊费用的住户（所有楼层系数均为0）"


def test_shares_by_floor_coefficient_and_area() -> None:
    config = ElevatorConfig({}, {3: Decimal("0.5"), 5: Decimal("1.5")}, Decimal(0))
    flats = [
        ShareInput("201", 2, Decimal("80"), "甲"),
        ShareInput("301", 3, Decimal("100"), "乙"),
        ShareInput("401", 4, 100.5),
        ShareInput("601", 6, Decimal("90")),
    ]
    shares = share_costs(Decimal("1000.00"), flats, config)
    assert shares == [
        Share("201", 2, Decimal("80"), "甲", Decimal(0), Decimal(0), Decimal("0.00")),
        Share("301", 3, Decimal("100"), "乙", Decimal("0.5"), Decimal("50.0"), Decimal("212.54")),
        Share("401", 4, Decimal("100.5"), "", Decimal("0.5"), Decimal("50.25"), Decimal("213.60")),
        Share("601", 6, Decimal("90"), "", Decimal("1.5"), Decimal("135.0"), Decimal("573.86")),
    ]
    assert default_config().coefficient(3) == Decimal("0.7") and default_config().coefficient(0) == Decimal(0)


def test_a_single_agreeing_owner_is_enough_when_alone() -> None:
    alone = compute_tally([flat("101", Y, owner="王"), flat("102", Y, owner="王")])
    assert (alone.persons_total, alone.persons_voted, alone.persons_yes) == (1, 1, 1)
    assert alone.agreement_ok and alone.passed
    one_voter = compute_tally([flat("101", Y), flat("201", U, "10")])  # 100 of 110 ㎡, but 1 of 2 owners
    assert one_voter.agreement_ok and not one_voter.participation_ok
