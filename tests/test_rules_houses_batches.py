"""核查批次 rules beyond tests/test_rules_houses_applications.py: the dates and labels of a batch and of a
verification, a house in two batches, an undated verification, and the order of batches issued on one day."""

from __future__ import annotations

import datetime as dt

import pytest
from houses_factories import make_house

from liandu_desk.domain.errors import ValidationError
from liandu_desk.domain.house_cases import BatchMember, SourceBatch, Verification
from liandu_desk.services.houses import batches

D = dt.date
TOMORROW = dt.date.today() + dt.timedelta(days=1)


def test_a_batch_without_source_or_date_keeps_them_empty_and_a_future_date_is_refused(db) -> None:
    with db.session_scope() as s:
        row = s.get(SourceBatch, batches.create_batch(s, "2021省委巡视").id)
        assert (row.source, row.issued_on) == ("", None)
    with pytest.raises(ValidationError) as refused, db.session_scope() as s:
        batches.create_batch(s, "2022专项", issued_on=TOMORROW)
    assert str(refused.value) == "交办日期：不能晚于今天"


def test_a_verification_needs_a_day_not_in_the_future_and_keeps_no_empty_note(db) -> None:
    with db.session_scope() as s:
        house = make_house(s)
        batch = batches.create_batch(s, "2021省委巡视").id
        batches.add_members(s, batch, [house])
    for day, message in ((None, "核实日期：不能为空"), (TOMORROW, "核实日期：不能晚于今天")):
        with pytest.raises(ValidationError) as refused, db.session_scope() as s:
            batches.verify_member(s, batch, house, "确认", day)
        assert str(refused.value) == message
    with db.session_scope() as s:
        member = s.get(BatchMember, batches.verify_member(s, batch, house, "确认", D(2021, 2, 1)).id)
        assert (member.verification, member.verified_on, member.note) == (Verification.CONFIRMED, D(2021, 2, 1), None)


def test_verifying_a_house_in_one_batch_leaves_its_other_batch_alone(db) -> None:
    with db.session_scope() as s:
        house = make_house(s)
        first = batches.create_batch(s, "2020专项", issued_on=D(2020, 1, 5)).id
        second = batches.create_batch(s, "2021省委巡视", issued_on=D(2021, 1, 5)).id
        batches.add_members(s, first, [house])
        batches.add_members(s, second, [house])
        batches.verify_member(s, second, house, "重复", D(2021, 2, 1))
        figures = batches.all_batch_figures(s)
        members = {m.batch_id: m.verification for m in s.query(BatchMember)}
    assert members == {first: Verification.PENDING, second: Verification.DUPLICATE}
    assert (figures["2020专项"].verified_out, figures["2021省委巡视"].verified_out) == (0, 1)


def test_a_verification_recorded_without_a_day_counts_on_any_day(db) -> None:
    with db.session_scope() as s:
        houses = [make_house(s, address=f"梅田村{i}号") for i in range(2)]
        batch = batches.create_batch(s, "2021省委巡视").id
        batches.add_members(s, batch, houses)
        member = s.query(BatchMember).filter_by(house_id=houses[0]).one()
        member.verification = Verification.NOT_DANGEROUS  # an older record: the outcome without its day
        s.flush()
        figures = batches.batch_figures(s, "2021省委巡视", D(2021, 1, 1))
    assert (figures.flagged, figures.verified_out, figures.rate_denominator) == (2, 1, 1)


def test_batches_issued_on_the_same_day_are_listed_in_the_order_they_were_entered(db) -> None:
    with db.session_scope() as s:
        house = make_house(s)
        names = ["乙批", "甲批", "丙批"]
        for name in names:
            batches.add_members(s, batches.create_batch(s, name, issued_on=D(2021, 1, 5)).id, [house])
        listed = list(batches.all_batch_figures(s))
    assert listed == names
