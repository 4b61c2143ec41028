"""Property tests for the arithmetic: vote tallies, cost shares, working days and star rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from liandu_desk.domain.elevators import VoteChoice
from liandu_desk.services.communities.ratings import PeriodScore, StarRuleRow, stars_for
from liandu_desk.services.documents.calendar import WorkCalendar
from liandu_desk.services.elevators.costs import FEN, largest_remainder
from liandu_desk.services.elevators.tally import AGREEMENT, PARTICIPATION, Ballot, compute_tally

votes = st.sampled_from(list(VoteChoice))
areas = st.decimals(min_value=Decimal("20"), max_value=Decimal("180"), places=2)


@st.composite
def unit_ballots(draw: st.DrawFn) -> list[Ballot]:
    count = draw(st.integers(min_value=1, max_value=18))
    return [Ballot(f"{i + 1:02d}01", draw(areas), f"业主{i}", draw(votes)) for i in range(count)]


@settings(max_examples=150, deadline=None)
@given(unit_ballots(), areas, st.data())
def test_one_more_agreeing_vote_never_turns_passed_into_failed(ballots: list[Ballot], area: Decimal, data) -> None:
    before = compute_tally(ballots)
    added = compute_tally([*ballots, Ballot("9901", area, "新业主", VoteChoice.AGREE)])
    assert not before.passed or added.passed
    changeable = [i for i, b in enumerate(ballots) if b.vote != VoteChoice.AGREE]
    if changeable:
        i = data.draw(st.sampled_from(changeable))
        turned = [*ballots[:i], Ballot(ballots[i].room, ballots[i].area, ballots[i].owner_key, VoteChoice.AGREE)]
        turned += ballots[i + 1 :]
        assert not before.passed or compute_tally(turned).passed


def _with_votes(ballots: list[Ballot], indexes: list[int], vote: VoteChoice) -> list[Ballot]:
    chosen = set(indexes)
    return [Ballot(b.room, b.area, b.owner_key, vote) if i in chosen else b for i, b in enumerate(ballots)]


@settings(max_examples=150, deadline=None)
@given(unit_ballots())
def test_reported_agreement_gap_in_owners_is_exact(ballots: list[Ballot]) -> None:
    tally = compute_tally(ballots)
    assume(tally.persons_voted > 0)
    gap = tally.agreement_gap.persons
    others = [i for i, b in enumerate(ballots) if b.vote in (VoteChoice.OPPOSE, VoteChoice.ABSTAIN)]
    assert gap <= len(others)
    enough = compute_tally(_with_votes(ballots, others[:gap], VoteChoice.AGREE))
    assert enough.agreement_persons >= AGREEMENT and enough.agreement_gap.persons == 0
    if gap:
        short = compute_tally(_with_votes(ballots, others[: gap - 1], VoteChoice.AGREE))
        assert short.agreement_persons < AGREEMENT and short.agreement_gap.persons == 1


@settings(max_examples=150, deadline=None)
@given(unit_ballots())
def test_reported_participation_gap_in_owners_is_exact(ballots: list[Ballot]) -> None:
    tally = compute_tally(ballots)
    gap = tally.participation_gap.persons
    silent = [i for i, b in enumerate(ballots) if b.vote == VoteChoice.NONE]
    assert gap <= len(silent)
    enough = compute_tally(_with_votes(ballots, silent[:gap], VoteChoice.ABSTAIN))
    assert enough.participation_persons >= PARTICIPATION and enough.participation_gap.persons == 0
    if gap:
        short = compute_tally(_with_votes(ballots, silent[: gap - 1], VoteChoice.ABSTAIN))
        assert short.participation_persons < PARTICIPATION


@settings(max_examples=150, deadline=None)
@given(unit_ballots())
def test_reported_participation_gap_in_area_is_exact(ballots: list[Ballot]) -> None:
    tally = compute_tally(ballots)
    assert tally.participation_gap.area == max(Fraction(0), PARTICIPATION * tally.area_total - tally.area_voted)
    assert (tally.participation_gap.area == 0) == (tally.participation_area >= PARTICIPATION)


weights = st.lists(st.integers(min_value=0, max_value=5000).map(lambda n: Decimal(n) / 10), min_size=1, max_size=12)
totals = st.integers(min_value=0, max_value=5_000_000).map(lambda fen: Decimal(fen) * FEN)


@settings(max_examples=200, deadline=None)
@given(totals, weights)
def test_cost_shares_sum_to_the_fen_and_stay_within_one_fen_of_proportional(total: Decimal, parts) -> None:
    assume(sum(parts) > 0)
    shares = largest_remainder(total, parts)
    assert sum(shares) == total
    weight_sum = sum(Fraction(w) for w in parts)
    for share, weight in zip(shares, parts, strict=True):
        assert share == share.quantize(FEN)
        exact = Fraction(total) * Fraction(weight) / weight_sum
        assert abs(Fraction(share) - exact) < Fraction(1, 100)
        if weight == 0:
            assert share == 0


@settings(max_examples=200, deadline=None)
@given(totals, weights, st.randoms(use_true_random=False))
def test_cost_shares_do_not_depend_on_input_order(total: Decimal, parts, rnd) -> None:
    assume(sum(parts) > 0)
    weight_sum = sum(Fraction(w) for w in parts)
    remainders = [(Fraction(w) * int(total / FEN) / weight_sum) % 1 for w in parts]
    assume(len(set(remainders)) == len(remainders))  # ties go to the earlier flat by rule
    order = list(range(len(parts)))
    rnd.shuffle(order)
    shares = largest_remainder(total, parts)
    shuffled = largest_remainder(total, [parts[i] for i in order])
    assert [shares[i] for i in order] == shuffled


days_2026 = st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2026, 12, 31))


@settings(max_examples=150, deadline=None)
@given(st.sets(days_2026, max_size=30), st.sets(days_2026, max_size=8), days_2026, st.integers(0, 120))
def test_adding_working_days_then_counting_back_gives_the_same_number(holidays, workdays, start, n) -> None:
    calendar = WorkCalendar(holidays - workdays, workdays, years={2026, 2027})  # both arrangements on file
    end = calendar.add_working_days(start, n)
    assert calendar.working_days_between(start, end) == n
    assert n == 0 or calendar.is_working_day(end)
    assert end == start if n == 0 else end > start


star_rules = st.lists(
    st.builds(
        StarRuleRow,
        stars=st.integers(1, 5),
        min_average=st.integers(60, 100).map(float),
        min_inspections=st.integers(0, 6),
        no_veto=st.booleans(),
        active=st.booleans(),
    ),
    max_size=5,
)
scores = st.builds(
    PeriodScore,
    community_id=st.just(1),
    average=st.integers(0, 100).map(float),
    inspections=st.integers(0, 8),
    vetoed=st.booleans(),
)


@settings(max_examples=300, deadline=None)
@given(star_rules, scores, st.integers(0, 40), st.integers(0, 4))
def test_stars_never_fall_when_the_score_gets_better(rules, score: PeriodScore, more_points, more_checks) -> None:
    stars, _ = stars_for(score, rules)
    better = PeriodScore(1, min(100.0, score.average + more_points), score.inspections + more_checks, score.vetoed)
    assert stars_for(better, rules)[0] >= stars
    cleared = PeriodScore(1, score.average, score.inspections, False)
    assert stars_for(cleared, rules)[0] >= stars
    for rule in rules:
        meets = score.average >= rule.min_average and score.inspections >= rule.min_inspections
        if rule.active and meets and not (rule.no_veto and score.vetoed):
            assert stars >= rule.stars
