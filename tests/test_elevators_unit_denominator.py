"""The tally's denominator is the whole declared unit, and open disputes hold the stages after 表决与协议."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from liandu_desk.domain.audit import AuditEntry
from liandu_desk.domain.elevators import DisputeType, ElevatorProject, ElevatorStage, ElevatorStageRecord, VoteChoice
from liandu_desk.domain.errors import PermissionDenied, RuleError, ValidationError
from liandu_desk.services.elevators import disputes, households, projects
from liandu_desk.services.elevators.tally import Ballot, Declared, compute_tally
from liandu_desk.storage import ClerkRef, Database
from tests.elevators_factories import D0, add_unit, make_project

Y, N, U = VoteChoice.AGREE, VoteChoice.OPPOSE, VoteChoice.NONE


def six_agreeing() -> list[Ballot]:
    return [Ballot(f"{f}01", Decimal("90"), f"n:{f}", Y, False, f"业主{f}") for f in range(1, 7)]


def test_twelve_declared_six_registered_all_agreeing_does_not_pass() -> None:
    tally = compute_tally(six_agreeing(), declared=Declared(12, Decimal("1080")))
    assert (tally.persons_total, tally.persons_voted, tally.persons_yes) == (12, 6, 6)
    assert tally.area_total == 1080 and tally.area_voted == 540
    assert tally.participation_persons == Fraction(1, 2) and tally.participation_area == Fraction(1, 2)
    assert tally.agreement_ok and not tally.participation_ok and not tally.passed
    assert tally.status_text() == "未通过"
    assert tally.unregistered == 6
    assert tally.warnings[0] == "申报12户，已登记6户，尚有6户未登记，按未表决计入分母"
    assert tally.gap_words() == "参与表决还差2户、180㎡"
    assert compute_tally(six_agreeing()).passed  # the old count of the registered flats only


def test_without_a_declared_area_the_area_cannot_pass_until_every_flat_is_registered() -> None:
    ballots = [Ballot(f"{f}0{d}", Decimal("90"), f"n:{f}{d}", Y) for f in range(1, 6) for d in (1, 2)]  # 10 of 12
    tally = compute_tally(ballots, declared=Declared(12))
    assert tally.participation_persons == Fraction(10, 12) and not tally.area_known and not tally.passed
    assert "未填写单元专有面积总和" in tally.warnings[1]
    assert tally.gap_words() == "专有面积总数无法核算：2户未登记，须填写单元专有面积总和或登记全部住户"
    with_area = compute_tally(ballots, declared=Declared(12, Decimal("1080")))
    assert with_area.participation_area == Fraction(900, 1080) and with_area.passed  # 10/12 took part, all agree
    too_small = compute_tally(ballots, declared=Declared(12, Decimal("900")))
    assert not too_small.area_known and not too_small.passed
    assert "不大于已登记住户面积之和900㎡" in too_small.warnings[1]


def test_fully_registered_unit_is_the_plain_tally_and_oddities_are_warned() -> None:
    ballots = six_agreeing()
    plain = compute_tally(ballots)
    assert compute_tally(ballots, declared=Declared(6)).passed == plain.passed
    assert compute_tally(ballots, declared=Declared(6)).warnings == ()
    assert plain.warnings == ("项目未填写单元总户数，暂按已登记的6户计算；请在“项目信息”中填写户数",)
    assert "多于申报的4户" in compute_tally(ballots, declared=Declared(4)).warnings[0]
    mismatch = compute_tally(ballots, declared=Declared(6, Decimal("600")))
    assert mismatch.area_total == 540 and "以已登记住户面积为准" in mismatch.warnings[0]


ballot_lists = st.lists(
    st.builds(
        Ballot,
        st.just("x"),
        st.decimals(min_value=Decimal("20"), max_value=Decimal("200"), places=2),
        st.sampled_from(["n:a", "n:b", "n:c", "n:d", "n:e"]),
        st.sampled_from(list(VoteChoice)),
    ),
    min_size=1,
    max_size=12,
)


@given(ballot_lists, st.integers(min_value=0, max_value=6), st.decimals(min_value=0, max_value=900, places=2))
def test_unregistered_flats_never_turn_a_failing_vote_into_a_passing_one(ballots, missing, extra) -> None:
    registered = sum(b.area for b in ballots)
    declared = Declared(len(ballots) + missing, registered + extra if extra else None)
    wide, plain = compute_tally(ballots, declared=declared), compute_tally(ballots)
    assert not wide.passed or plain.passed
    assert wide.persons_total - plain.persons_total == missing
    if missing:
        assert wide.area_known == bool(extra)
        assert not wide.area_known or wide.area_total == registered + extra


def _voted_project(db: Database) -> tuple[int, list[int]]:
    with db.session_scope() as s:
        pid = make_project(s)
        ids = add_unit(s, pid)
        for hid in ids:
            households.set_vote(s, hid, Y, D0)
        projects.advance_stage(s, pid, dt.date(2021, 2, 1))  # → 表决与协议
    return pid, ids


def test_project_tally_uses_the_declared_unit(db) -> None:
    with db.session_scope() as s:
        pid = make_project(s)
        for hid in add_unit(s, pid, floors=3):  # 6 flats of 90 ㎡, all agree
            households.set_vote(s, hid, Y, D0)
        project = s.get(ElevatorProject, pid)
        project.planned_households, project.declared_area = 12, Decimal("1080.00")
        projects.advance_stage(s, pid, dt.date(2021, 2, 1))
    with db.session_scope() as s:
        tally = households.project_tally(s, pid)
        assert tally.persons_total == 12 and not tally.passed
        with pytest.raises(RuleError, match="参与表决还差2户、180㎡"):
            projects.advance_stage(s, pid, dt.date(2021, 3, 1))


def as_role(db: Database, role: str) -> Database:
    return Database(db.url.render_as_string(hide_password=False), clerk=ClerkRef(None, f"{role}甲", "x", role))


def test_open_dispute_holds_the_stage_until_a_reviewer_overrides_with_a_reason(db) -> None:
    pid, ids = _voted_project(db)
    with db.session_scope() as s:
        disputes.create_dispute(s, pid, DisputeType.LIGHT, "二楼采光", dt.date(2021, 2, 10), ids[2:3])
    gate = "尚有1件纠纷未化解（采光/日照（待调解，2021-02-10登记））"
    with pytest.raises(RuleError, match=gate) as refused, db.session_scope() as s:
        projects.advance_stage(s, pid, dt.date(2021, 3, 1))
    assert "不能进入“方案设计”" in refused.value.message
    clerk = as_role(db, "科员")
    with pytest.raises(PermissionDenied, match="不是审核人员"), clerk.session_scope() as s:
        projects.advance_stage(s, pid, dt.date(2021, 3, 1), override_reason="业主已书面承诺不再阻挠")
    clerk.dispose()
    reviewer = as_role(db, "审核")
    with pytest.raises(ValidationError, match="推进理由"), reviewer.session_scope() as s:
        projects.advance_stage(s, pid, dt.date(2021, 3, 1), override_reason=" 同意 ")
    with reviewer.session_scope() as s:
        assert projects.advance_stage(s, pid, dt.date(2021, 3, 1), override_reason="采光分析已论证，不影响设计") == (
            ElevatorStage.DESIGN
        )
    reviewer.dispose()
    with db.session_scope() as s:
        record = s.scalar(select(ElevatorStageRecord).where(ElevatorStageRecord.stage == ElevatorStage.DESIGN))
        assert record.override_by == "审核甲"
        assert record.override_reason.startswith("采光分析已论证，不影响设计（未结纠纷：采光/日照")
        entry = s.scalar(
            select(AuditEntry).where(AuditEntry.table_name == "elevator_stage", AuditEntry.row_id == str(record.id))
        )
        assert entry.clerk_name == "审核甲" and "采光分析已论证" in entry.new_values["override_reason"]


def test_closed_disputes_do_not_hold_the_stage(db) -> None:
    pid, ids = _voted_project(db)
    with db.session_scope() as s:
        did = disputes.create_dispute(s, pid, DisputeType.NOISE, "噪音", dt.date(2021, 2, 10), ids[:1])
        disputes.close_dispute(s, did, "已化解", dt.date(2021, 2, 20), "调解成功")
    with db.session_scope() as s:
        assert projects.advance_stage(s, pid, dt.date(2021, 3, 1)) == ElevatorStage.DESIGN


def test_cli_show_counts_the_declared_unit_and_prints_the_warning(db_path, capsys) -> None:
    from liandu_desk.cli import main

    db = Database(f"sqlite:///{db_path}", clerk=ClerkRef(1, "科员", "k", "科员"))
    with db.session_scope() as s:
        pid = make_project(s)
        for hid in add_unit(s, pid, floors=3):
            households.set_vote(s, hid, Y, D0)
        project = s.get(ElevatorProject, pid)
        project.planned_households, project.declared_area = 12, Decimal("1080")
    db.dispose()
    assert main(["elevators", "show", "望湖公寓1幢2单元", "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert "表决：未通过　参与表决还差2户、180㎡" in out
    assert "参与 人数 6/12 = 1/2，面积 540.00㎡/1080.00㎡ = 1/2" in out
    assert "注意：申报12户，已登记6户，尚有6户未登记，按未表决计入分母" in out


def test_the_project_list_shows_registered_of_declared_households(db) -> None:
    from liandu_desk.ui.elevators.projects_model import households_text

    with db.session_scope() as s:
        pid = make_project(s)
        add_unit(s, pid, floors=3)  # 6 flats registered
        s.get(ElevatorProject, pid).planned_households = 12
        other = make_project(s, building="2")
        add_unit(s, other, floors=3)  # nothing declared: the registered count alone
    with db.session_scope() as s:
        rows = {r.id: r for r in projects.list_projects(s)}
    assert (rows[pid].households, rows[pid].declared_households) == (6, 12)
    assert households_text(rows[pid]) == "6/12" and households_text(rows[other]) == "6"
