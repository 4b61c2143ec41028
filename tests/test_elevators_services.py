"""Elevator services: stages and overdue, votes with history, mediation, subsidy rule, cost shares."""

import datetime as dt
from decimal import Decimal

import pytest

from liandu_desk.domain.elevators import DisputeStatus, DisputeType, ElevatorStage, EscalationLevel, VoteChoice
from liandu_desk.domain.errors import ConflictError, RuleError, ValidationError
from liandu_desk.services.audit import history
from liandu_desk.services.elevators import disputes, households, projects, subsidy
from liandu_desk.services.elevators.config import default_config
from liandu_desk.services.elevators.pages import load_project_page
from liandu_desk.services.settings import get_setting, save_settings
from tests.elevators_factories import D0, add_unit, make_project


def _advance_to(session, project_id: int, stage: ElevatorStage, start: dt.date = D0) -> dt.date:
    day = start
    while projects.get_project(session, project_id).current_stage != stage:
        day += dt.timedelta(days=10)
        projects.advance_stage(session, project_id, day, documents="材料")
    return day


def _vote_all(session, ids: list[int], vote: VoteChoice = VoteChoice.AGREE) -> None:
    for household_id in ids:
        households.set_vote(session, household_id, vote, D0)


def test_stage_overdue_and_stalled(db) -> None:
    config = default_config()
    with db.session_scope() as s:
        pid = make_project(s, started_on=dt.date(2021, 1, 1))
    with db.session_scope() as s:
        on_time = projects.list_projects(s, today=dt.date(2021, 3, 2), config=config)[0]  # 60 days = expected
        late = projects.list_projects(s, today=dt.date(2021, 3, 3), config=config)[0]
        stalled = projects.list_projects(s, today=dt.date(2021, 5, 1), config=config)[0]
        only_overdue = projects.list_projects(s, projects.ProjectFilter(only_overdue=True), dt.date(2021, 2, 1), config)
    assert on_time.id == pid and on_time.days_in_stage == 60 and on_time.expected_days == 60 and not on_time.overdue
    assert late.overdue and not late.stalled and late.flags == "超期"
    assert stalled.stalled and stalled.flags == "停滞"
    assert only_overdue == []


def test_stage_days_are_configurable(db) -> None:
    with db.session_scope() as s:
        make_project(s, started_on=dt.date(2021, 1, 1))
        days = dict(get_setting(s, "elevator.stage_days"))
        days["意愿征询"] = 10
        save_settings(s, {"elevator.stage_days": days})
    with db.session_scope() as s:
        row = projects.list_projects(s, today=dt.date(2021, 1, 20))[0]
    assert row.expected_days == 10 and row.overdue


def test_leaving_vote_stage_needs_a_passing_tally(db) -> None:
    with db.session_scope() as s:
        pid = make_project(s)
        ids = add_unit(s, pid)
        projects.advance_stage(s, pid, dt.date(2021, 2, 1))
        _vote_all(s, ids[:8])  # 8 of 12 take part (2/3) and all agree
        for household_id in ids[8:11]:
            households.set_vote(s, household_id, VoteChoice.OPPOSE, D0)  # 11 voted, 8 yes: 8/11 < 3/4
        with pytest.raises(RuleError, match="同意还差1户"):
            projects.advance_stage(s, pid, dt.date(2021, 3, 1))
        households.set_vote(s, ids[10], VoteChoice.AGREE, D0)  # 9/11 ≥ 3/4
        assert projects.advance_stage(s, pid, dt.date(2021, 3, 1)) == ElevatorStage.DESIGN


def test_vote_changed_after_mediation_recomputes_and_keeps_history(db) -> None:
    with db.session_scope() as s:
        pid = make_project(s)
        ids = add_unit(s, pid)
        _vote_all(s, ids[:8])
        for household_id in ids[8:11]:
            households.set_vote(s, household_id, VoteChoice.OPPOSE, D0)
        before = households.project_tally(s, pid)
        dispute_id = disputes.create_dispute(
            s, pid, DisputeType.SCHEME_CHANGE, "方案变更后低层业主反对", dt.date(2021, 3, 1), ids[8:11]
        )
        session_id = disputes.add_session(
            s,
            dispute_id,
            disputes.MediationInput(dt.date(2021, 3, 10), "社区议事厅", "社区调解员", "业主11户", "说明方案", "同意"),
        )
        row, after = disputes.change_vote_after_mediation(s, session_id, ids[8], VoteChoice.AGREE)
        dispute_rows = disputes.list_disputes(s, pid)
        events = households.vote_history(s, pid, ids[8])
        audit = history(s, "elevator_household", ids[8])
    assert not before.passed and before.gap_words() == "同意还差1户、22.5㎡"  # 11×90=990 voted: need 9 and 742.5−720
    assert after.passed and row.vote == "同意"
    assert [(e.old_vote, e.new_vote) for e in events] == [("未表决", "反对"), ("反对", "同意")]
    assert events[-1].mediation_id == session_id and events[-1].voted_on == dt.date(2021, 3, 10)
    assert dispute_rows[0].status == DisputeStatus.MEDIATING.value and len(dispute_rows[0].sessions) == 1
    assert len(dispute_rows[0].parties) == 3
    assert [a.action for a in audit][-1] == "update"


def test_escalation_path_and_closing(db) -> None:
    with db.session_scope() as s:
        pid = make_project(s)
        did = disputes.create_dispute(s, pid, DisputeType.LIGHT, "二楼采光", dt.date(2021, 3, 1))
        levels = [disputes.escalate(s, did) for _ in range(3)]
        with pytest.raises(RuleError):
            disputes.escalate(s, did)
        disputes.close_dispute(s, did, DisputeStatus.RESOLVED, dt.date(2021, 6, 1), "法院调解结案")
        row = disputes.list_disputes(s, pid)[0]
    assert levels == [EscalationLevel.SUBDISTRICT, EscalationLevel.PEOPLES_MEDIATION, EscalationLevel.LITIGATION]
    assert row.status == "已化解" and row.resolved_on == dt.date(2021, 6, 1)


def test_subsidy_refused_before_archive_handover(db) -> None:
    with db.session_scope() as s:
        pid = make_project(s)
        ids = add_unit(s, pid)
        _vote_all(s, ids)
        day = _advance_to(s, pid, ElevatorStage.ARCHIVE)
        with pytest.raises(RuleError, match="尚未完成档案移交"):
            subsidy.claim_subsidy(s, pid, day)
        projects.advance_stage(s, pid, day + dt.timedelta(days=5))
        claimed = subsidy.claim_subsidy(s, pid, day + dt.timedelta(days=6))
        with pytest.raises(ConflictError):
            subsidy.claim_subsidy(s, pid, day + dt.timedelta(days=7))
        subsidy.mark_paid(s, pid, day + dt.timedelta(days=30))
        row = projects.list_projects(s, today=day + dt.timedelta(days=400))[0]
    assert claimed.amount == Decimal("130000")
    assert row.stage == "补助申领" and row.finished and not row.overdue


def test_project_shares_sum_to_budget(db) -> None:
    with db.session_scope() as s:
        pid = make_project(s, budget="487654.33")
        add_unit(s, pid, area="88.31")
        shares = households.project_shares(s, pid)
    assert sum(x.amount for x in shares) == Decimal("487654.33")
    assert all(x.amount == 0 for x in shares if x.floor <= 2)


def test_household_validation_and_conflict(db) -> None:
    with db.session_scope() as s:
        pid = make_project(s)
        hid = households.add_household(s, pid, "301", 3, "90.5", "张三")
        with pytest.raises(ValidationError, match="专有面积"):
            households.update_household(s, hid, area="abc")
        with pytest.raises(ValidationError, match="楼层"):
            households.add_household(s, pid, "901", 9, "90", "李四")
        row = households.update_household(s, hid, area="91.25")
        with pytest.raises(ConflictError):
            households.update_household(s, hid, version=row.version - 1, area="92")
    assert row.area == Decimal("91.25")


def test_duplicate_project_refused(db) -> None:
    with db.session_scope() as s:
        make_project(s)
        with pytest.raises(ConflictError):
            make_project(s)


def test_stage_record_correction(db) -> None:
    with db.session_scope() as s:
        pid = make_project(s)
        projects.advance_stage(s, pid, dt.date(2021, 2, 1), "意愿征询表")
        page = load_project_page(s, pid, dt.date(2021, 2, 10))
        first, second = page.timeline[0], page.timeline[1]
        projects.update_stage_record(s, first.record_id, dt.date(2021, 1, 5), dt.date(2021, 1, 30), "意愿征询表（补）")
        with pytest.raises(RuleError):
            projects.update_stage_record(s, first.record_id, dt.date(2021, 1, 5), None, None)
        with pytest.raises(RuleError):
            projects.update_stage_record(s, second.record_id, dt.date(2021, 2, 1), dt.date(2021, 2, 5), None)
        with pytest.raises(ValidationError):
            projects.update_stage_record(s, first.record_id, dt.date(2021, 1, 5), dt.date(2021, 1, 1), None)
        after = load_project_page(s, pid, dt.date(2021, 2, 10)).timeline[0]
    assert (first.state, second.state, page.timeline[2].state) == ("已完成", "进行中", "未开始")
    assert first.documents == "意愿征询表" and after.documents == "意愿征询表（补）" and after.days == 25


def test_list_filters(db) -> None:
    with db.session_scope() as s:
        a = make_project(s, estate="囿山小区", building="10")
        b = make_project(s, estate="囿山小区", building="2")
        c = make_project(s, estate="白云山庄")
        projects.advance_stage(s, c, dt.date(2021, 2, 1))
        disputes.create_dispute(s, a, DisputeType.NOISE, "噪音", dt.date(2021, 3, 1))
        titles = [r.title for r in projects.list_projects(s)]
        by_text = [r.id for r in projects.list_projects(s, projects.ProjectFilter(text="囿山"))]
        by_stage = [r.id for r in projects.list_projects(s, projects.ProjectFilter(stage="表决与协议"))]
        with_disputes = projects.list_projects(s, projects.ProjectFilter(only_disputes=True))
    assert titles == ["囿山小区2幢2单元", "囿山小区10幢2单元", "白云山庄1幢2单元"]  # 2幢 before 10幢
    assert sorted(by_text) == sorted([a, b]) and by_stage == [c]
    assert [(r.id, r.open_disputes, r.flags.endswith("纠纷1")) for r in with_disputes] == [(a, 1, True)]


def test_stats_by_stage_is_taken_as_of_the_period_end(db) -> None:
    from liandu_desk.services.elevators.stats import section
    from liandu_desk.services.periods import Period

    with db.session_scope() as s:
        pid = make_project(s, started_on=dt.date(2021, 1, 4))
        ids = add_unit(s, pid)
        _vote_all(s, ids)
        day = _advance_to(s, pid, ElevatorStage.REGISTRATION, dt.date(2021, 1, 4))  # acceptance done 10 days before
        h1 = section(s, Period(dt.date(2021, 1, 1), dt.date(2021, 6, 30)))
        march = section(s, Period(dt.date(2021, 1, 1), dt.date(2021, 1, 20)))
        later = section(s, Period(day, day))
    assert h1["accepted"] == 1 and h1["by_stage"]["使用登记"] == 1 and sum(h1["by_stage"].values()) == 1
    assert march["accepted"] == 0 and march["by_stage"]["表决与协议"] == 1
    assert later["accepted"] == 1 and later["mediations"] == 0


def test_cli_show_prints_exact_tally(db_path, capsys) -> None:
    from liandu_desk.cli import main
    from liandu_desk.storage import ClerkRef, Database

    db = Database(f"sqlite:///{db_path}", clerk=ClerkRef(1, "科员", "k", "科员"))
    with db.session_scope() as s:
        pid = make_project(s)
        for hid in add_unit(s, pid)[:9]:
            households.set_vote(s, hid, VoteChoice.AGREE, D0)
    db.dispose()
    assert main(["elevators", "show", "望湖公寓1幢2单元", "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert "参与 人数 9/12 = 3/4，面积 810.00㎡/1080.00㎡ = 3/4" in out and "表决：通过" in out
    assert main(["elevators", "show", "不存在1幢1单元", "--db", str(db_path)]) == 1


def test_clerk_may_record_but_only_reviewer_closes_disputes_and_pays(db) -> None:
    from liandu_desk.domain.errors import PermissionDenied
    from liandu_desk.storage import ClerkRef, Database

    clerk_db = Database(db.url.render_as_string(hide_password=False), clerk=ClerkRef(1, "科员甲", "k", "科员"))
    with clerk_db.session_scope() as s:
        pid = make_project(s)
        did = disputes.create_dispute(s, pid, DisputeType.NOISE, "噪音", dt.date(2021, 3, 1))
    with pytest.raises(PermissionDenied), clerk_db.session_scope() as s:
        disputes.close_dispute(s, did, DisputeStatus.RESOLVED, dt.date(2021, 4, 1), "化解")
    with pytest.raises(PermissionDenied), clerk_db.session_scope() as s:
        subsidy.mark_paid(s, pid, dt.date(2021, 4, 1))
    clerk_db.dispose()


def test_same_day_mediation_sessions_keep_the_order_they_were_recorded_in(db) -> None:
    """Issue 19: sessions entered out of date order; those of one day stay in the order they were entered."""
    with db.session_scope() as s:
        pid = make_project(s)
        ids = add_unit(s, pid)
        dispute_id = disputes.create_dispute(s, pid, DisputeType.SCHEME_CHANGE, "低层业主反对", D0, ids[:2])
        for day, summary in (
            (12, "上午：听取低层意见"),
            (5, "首次约谈"),
            (12, "下午：调整补偿方案"),
            (12, "晚上：签字"),
        ):
            disputes.add_session(
                s, dispute_id, disputes.MediationInput(dt.date(2021, 3, day), "社区议事厅", "社区调解员", "", summary)
            )
    with db.session_scope() as s:
        sessions = disputes.list_disputes(s, pid)[0].sessions
    assert [m.summary for m in sessions] == ["首次约谈", "上午：听取低层意见", "下午：调整补偿方案", "晚上：签字"]
