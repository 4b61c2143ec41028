"""Vote cases computed by hand against the Civil Code tally (domain §3.1), including the exact boundaries."""

from decimal import Decimal
from fractions import Fraction

from liandu_desk.domain.elevators import VoteChoice
from liandu_desk.services.elevators.tally import Ballot, compute_tally

Y, N, A, U = VoteChoice.AGREE, VoteChoice.OPPOSE, VoteChoice.ABSTAIN, VoteChoice.NONE


def b(room: str, area: str, vote: VoteChoice, owner: str | None = None, shaft: bool = False) -> Ballot:
    return Ballot(room, Decimal(area), owner or f"n:{room}", vote, shaft, owner or room)


def exact_boundaries() -> list[Ballot]:
    # total 480 ㎡, 6 owners; voters 100+100+80+40 = 320 ㎡ = 2/3, 4 of 6 = 2/3;
    # agree 100+100+40 = 240 ㎡ = 3/4 of 320, 3 of 4 = 3/4.
    return [
        b("101", "100", Y),
        b("201", "100", Y),
        b("301", "80", N),
        b("401", "40", Y),
        b("501", "80", U),
        b("601", "80", U),
    ]


def test_exactly_two_thirds_participation_and_three_quarters_agreement_passes() -> None:
    tally = compute_tally(exact_boundaries())
    assert tally.participation_area == Fraction(2, 3)
    assert tally.participation_persons == Fraction(2, 3)
    assert tally.agreement_area == Fraction(3, 4)
    assert tally.agreement_persons == Fraction(3, 4)
    assert tally.participation_ok and tally.agreement_ok and tally.shaft_ok and tally.passed
    assert (tally.persons_total, tally.persons_voted, tally.persons_yes) == (6, 4, 3)
    assert tally.area_total == 480 and tally.area_voted == 320 and tally.area_yes == 240
    assert tally.gap_words() == "已通过"


def test_one_hundredth_of_a_square_metre_below_fails_both_thresholds() -> None:
    ballots = exact_boundaries()
    ballots[3] = b("401", "39.99", Y)  # voted 319.99 of 480: just under 2/3
    ballots[5] = b("601", "80.01", U)
    tally = compute_tally(ballots)
    assert tally.area_total == 480
    assert tally.participation_area == Fraction(31999, 48000) < Fraction(2, 3)
    assert tally.agreement_area == Fraction(23999, 31999) < Fraction(3, 4)
    assert not tally.participation_ok and not tally.agreement_ok and not tally.passed
    assert tally.participation_gap.persons == 0 and tally.participation_gap.area == Fraction(1, 100)
    assert tally.agreement_gap.area == Fraction(1, 400)  # 3/4 × 319.99 − 239.99 = 0.0025, shown rounded up
    assert tally.gap_words() == "参与表决还差0.01㎡；同意还差0.01㎡"


def test_one_person_below_three_quarters_fails_even_with_area() -> None:
    tally = compute_tally([b("101", "200", Y), b("201", "100", Y), b("301", "10", N)])
    assert tally.agreement_area == Fraction(300, 310)
    assert tally.agreement_persons == Fraction(2, 3)
    assert not tally.passed
    assert tally.agreement_gap.persons == 1 and tally.agreement_gap.area == 0
    assert tally.gap_words() == "同意还差1户"


def test_gap_in_households_and_area() -> None:
    tally = compute_tally([b("501", "150", Y), b("502", "137.7", Y), b("601", "60", N), b("602", "52.3", A)])
    assert tally.area_voted == 400 and tally.area_yes == Fraction("287.7")
    assert tally.participation_ok and not tally.passed
    assert tally.gap_words() == "同意还差1户、12.3㎡"


def test_one_owner_with_two_flats_counts_as_one_person() -> None:
    ballots = [b("501", "80", Y, "王"), b("502", "80", Y, "王"), b("401", "80", Y, "张"), b("601", "80", N, "李")]
    one_person = compute_tally(ballots, one_owner_one_person=True)
    assert (one_person.persons_total, one_person.persons_voted, one_person.persons_yes) == (3, 3, 2)
    assert one_person.agreement_persons == Fraction(2, 3) and one_person.agreement_area == Fraction(3, 4)
    assert not one_person.passed
    per_flat = compute_tally(ballots, one_owner_one_person=False)
    assert (per_flat.persons_total, per_flat.persons_yes) == (4, 3)
    assert per_flat.passed


def test_owner_with_two_flats_voting_differently_is_not_counted_as_agreeing() -> None:
    tally = compute_tally([b("501", "80", Y, "王"), b("502", "80", N, "王"), b("401", "80", Y, "张")])
    assert (tally.persons_total, tally.persons_voted, tally.persons_yes) == (2, 2, 1)
    assert tally.mixed_owners == ("王",)


def test_shaft_occupied_owner_refusing_blocks_an_otherwise_passing_vote() -> None:
    ballots = [b("101", "90", N, "赵", shaft=True), b("201", "90", Y), b("301", "90", Y), b("401", "90", Y)]
    tally = compute_tally(ballots)
    assert tally.participation_ok and tally.agreement_ok
    assert not tally.shaft_ok and not tally.passed
    assert tally.shaft_refusals == ("101 赵",)
    assert "101 赵" in tally.gap_words()
    ballots[0] = b("101", "90", Y, "赵", shaft=True)
    assert compute_tally(ballots).passed


def test_abstaining_takes_part_but_does_not_agree() -> None:
    tally = compute_tally([b("1", "50", Y), b("2", "50", Y), b("3", "50", Y), b("4", "50", A)])
    assert tally.participation_persons == 1 and tally.agreement_persons == Fraction(3, 4) and tally.passed


def test_nobody_voted() -> None:
    tally = compute_tally([b("1", "50", U), b("2", "50", U), b("3", "50", U)])
    assert not tally.passed
    assert tally.participation_gap.persons == 2 and tally.participation_gap.area == 100
    assert tally.gap_words() == "参与表决还差2户、100㎡；尚无业主表决"


def test_no_households_yet() -> None:
    tally = compute_tally([])
    assert not tally.passed and tally.gap_words() == "尚未登记住户"
