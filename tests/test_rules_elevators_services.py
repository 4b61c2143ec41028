"""加装电梯 project rules: stages in order (the vote must pass), disputes and their escalation, the subsidy."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from elevators_factories import D0, add_unit, make_project
from sqlalchemy import func, select

from liandu_desk.domain.elevators import ElevatorProject, ElevatorStageRecord, ElevatorSubsidy
from liandu_desk.domain.errors import ConflictError, NotFoundError, PermissionDenied, RuleError, ValidationError
from liandu_desk.services.elevators import disputes, projects, subsidy
from liandu_desk.services.elevators.config import default_config
from liandu_desk.services.elevators.households import set_vote, vote_history
from liandu_desk.services.elevators.projects import ProjectFilter, ProjectInput, StageTiming, stage_timing
from liandu_desk.storage import ClerkRef, Database

D = dt.date


def _stage(db, project_id: int) -> tuple[str, dt.date]:
    with db.session_scope() as s:
        p = s.get(ElevatorProject, project_id)
        return p.current_stage.value, p.stage_started_on


def _records(db, project_id: int) -> list[tuple]:
    with db.session_scope() as s:
        rows = s.scalars(
            select(ElevatorStageRecord)
            .where(ElevatorStageRecord.project_id == project_id)
            .order_by(ElevatorStageRecord.seq)
        )
        return [(r.stage.value, r.seq, r.started_on, r.completed_on, r.documents) for r in rows]


# --- stage timing -------------------------------------------------------------------------------------------------


def test_overdue_after_the_expected_days_and_stalled_from_twice_that() -> None:
    assert (StageTiming(60, 60).overdue, StageTiming(61, 60).overdue) == (False, True)
    assert (StageTiming(119, 60).stalled, StageTiming(120, 60).stalled) == (False, True)
    assert (StageTiming(50, 60).days_over, StageTiming(75, 60).days_over) == (0, 15)
    config = default_config()
    assert stage_timing("意愿征询", None, None, config, D(2021, 5, 1)) == StageTiming(0, 60)
    assert stage_timing("表决与协议", D(2021, 1, 1), None, config, D(2021, 3, 2)) == StageTiming(60, 90)
    assert stage_timing("表决与协议", D(2021, 1, 1), D(2021, 1, 11), config, D(2021, 3, 2)) == StageTiming(10, 90)
    assert stage_timing("公示", D(2021, 3, 1), None, config, D(2021, 2, 1)) == StageTiming(0, 20)


# --- projects -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (ProjectInput("望", "1", "2", 6), "小区名称：应为2至60个字"),
        (ProjectInput("望" * 61, "1", "2", 6), "小区名称：应为2至60个字"),
        (ProjectInput("望湖公寓", " ", "2", 6), "幢/单元：不能为空"),
        (ProjectInput("望湖公寓", "1", " ", 6), "幢/单元：不能为空"),
        (ProjectInput("望湖公寓", "1", "2", 1), "层数：应在2至40之间"),
        (ProjectInput("望湖公寓", "1", "2", 41), "层数：应在2至40之间"),
        (ProjectInput("望湖公寓", "1", "2", 6, budget=Decimal("-0.01")), "预算：不能为负数"),
    ],
)
def test_an_invalid_project_is_refused_and_nothing_saved(db, data: ProjectInput, message: str) -> None:
    with pytest.raises(ValidationError) as refused, db.session_scope() as s:
        projects.create_project(s, data)
    assert str(refused.value) == message
    with db.session_scope() as s:
        assert s.scalar(select(func.count()).select_from(ElevatorProject)) == 0


def test_a_project_starts_in_the_survey_stage_and_a_unit_has_one_project(db) -> None:
    with db.session_scope() as s:
        low = projects.create_project(s, ProjectInput(" 望湖 ", " 1 ", " 2 ", 2, budget=Decimal(0), started_on=D0))
        high = projects.create_project(s, ProjectInput("望" * 60, "10", "1", 40, planned_households=24))
        p = s.get(ElevatorProject, low)
        assert (p.title, p.floors, p.current_stage.value, p.stage_started_on) == ("望湖1幢2单元", 2, "意愿征询", D0)
        assert s.get(ElevatorProject, high).stage_started_on == dt.date.today()
    assert _records(db, low) == [("意愿征询", 0, D0, None, None)]
    with pytest.raises(ConflictError) as refused, db.session_scope() as s:
        projects.create_project(s, ProjectInput("望湖", "1", "2", 6))
    assert str(refused.value) == "望湖1幢2单元已有加装电梯项目"
    with pytest.raises(ConflictError, match="^望湖1幢2单元已有加装电梯项目$"), db.session_scope() as s:
        projects.update_project(s, high, ProjectInput("望湖", "1", "2", 6))
    with pytest.raises(ConflictError), db.session_scope() as s:
        projects.update_project(s, low, ProjectInput("望湖", "1", "2", 6), version=9)
    with db.session_scope() as s:
        projects.update_project(s, low, ProjectInput("望湖", "1", "2", 7, note="加层"), version=1)
        assert (s.get(ElevatorProject, low).floors, s.get(ElevatorProject, low).note) == (7, "加层")
        assert projects.find_project(s, "望湖1幢2单元") == low
        assert projects.find_project(s, f" {high} ") == high
    with pytest.raises(NotFoundError) as refused, db.session_scope() as s:
        projects.find_project(s, "望湖9幢9单元")
    assert str(refused.value) == "没有名为“望湖9幢9单元”的加装电梯项目"
    with pytest.raises(NotFoundError, match="^该加装电梯项目不存在（可能已被删除）$"), db.session_scope() as s:
        projects.get_project(s, high + 5)


def _passed_vote(s, project_id: int) -> None:
    for household_id in add_unit(s, project_id):
        set_vote(s, household_id, "同意", D(2021, 2, 1))


def test_stages_advance_in_order_and_leaving_the_vote_needs_a_passing_tally(db) -> None:
    with db.session_scope() as s:
        project = make_project(s)
        households = add_unit(s, project)
    with pytest.raises(ValidationError) as refused, db.session_scope() as s:
        projects.advance_stage(s, project, D0 - dt.timedelta(days=1))
    assert str(refused.value) == f"完成日期：不能早于本阶段开始日期{D0}"
    with db.session_scope() as s:
        assert projects.advance_stage(s, project, D0, "征询表") == "表决与协议"
    with pytest.raises(RuleError) as refused, db.session_scope() as s:
        projects.advance_stage(s, project, D(2021, 3, 1))
    assert str(refused.value) == "业主表决尚未通过，不能进入方案设计：参与表决还差8户、720㎡；尚无业主表决"
    assert _stage(db, project) == ("表决与协议", D0)
    with db.session_scope() as s:
        for household_id in households[:9]:
            set_vote(s, household_id, "同意", D(2021, 2, 1))
        assert projects.advance_stage(s, project, D(2021, 3, 1), "表决结果") == "方案设计"
    assert _records(db, project) == [
        ("意愿征询", 0, D0, D0, "征询表"),
        ("表决与协议", 1, D0, D(2021, 3, 1), "表决结果"),
        ("方案设计", 2, D(2021, 3, 1), None, None),
    ]
    with db.session_scope() as s:
        for day in range(2, 10):
            projects.advance_stage(s, project, D(2021, 3, day))
    assert _stage(db, project) == ("补助申领", D(2021, 3, 9))
    with pytest.raises(RuleError) as refused, db.session_scope() as s:
        projects.advance_stage(s, project, D(2021, 3, 20))
    assert str(refused.value) == "项目已处于最后阶段（补助申领），补助请在“补助”中登记"


def test_stage_records_are_corrected_but_not_reopened(db) -> None:
    with db.session_scope() as s:
        project = make_project(s)
        projects.advance_stage(s, project, D(2021, 2, 1))
        first, current = (r.id for r in s.scalars(select(ElevatorStageRecord).order_by(ElevatorStageRecord.seq)))
    with pytest.raises(ValidationError, match="^完成日期：不能早于开始日期$"), db.session_scope() as s:
        projects.update_stage_record(s, first, D(2021, 1, 10), D(2021, 1, 9), None)
    with pytest.raises(RuleError, match="^已完成的阶段不能改回进行中$"), db.session_scope() as s:
        projects.update_stage_record(s, first, D0, None, None)
    with pytest.raises(RuleError) as refused, db.session_scope() as s:
        projects.update_stage_record(s, current, D(2021, 2, 1), D(2021, 2, 5), None)
    assert str(refused.value) == "当前阶段请用“完成本阶段”办理，以便进入下一阶段"
    with pytest.raises(NotFoundError, match="^该阶段记录不存在$"), db.session_scope() as s:
        projects.update_stage_record(s, current + 9, D0, None, None)
    with db.session_scope() as s:
        projects.update_stage_record(s, first, D(2021, 1, 5), D(2021, 1, 30), "征询表", "更正")
        projects.update_stage_record(s, current, D(2021, 1, 30), None, "表决材料")
    assert _records(db, project) == [
        ("意愿征询", 0, D(2021, 1, 5), D(2021, 1, 30), "征询表"),
        ("表决与协议", 1, D(2021, 1, 30), None, "表决材料"),
    ]
    assert _stage(db, project) == ("表决与协议", D(2021, 1, 30))


def test_the_project_list_flags_overdue_stalled_and_disputes(db) -> None:
    with db.session_scope() as s:
        a = make_project(s, "望湖公寓", "10", "1", started_on=D(2021, 1, 1))
        b = make_project(s, "望湖公寓", "2", "1", started_on=D(2021, 1, 1))
        c = make_project(s, "白云小区", "1", "1", started_on=D(2021, 2, 1))
        disputes.create_dispute(s, c, "噪音", "施工噪音", D(2021, 2, 5))
        closed = disputes.create_dispute(s, c, "通风", "通风", D(2021, 2, 5))
        disputes.close_dispute(s, closed, "已撤回", D(2021, 2, 6), "撤回")
        config = default_config()
        rows = projects.list_projects(s, today=D(2021, 3, 2), config=config)  # a, b: 60 days; c: 29 days
        later = projects.list_projects(s, today=D(2021, 3, 3), config=config)
        stalled = projects.list_projects(s, ProjectFilter(only_overdue=True), D(2021, 4, 2), config)
        stalled_later = projects.list_projects(s, ProjectFilter(only_overdue=True), D(2021, 5, 1), config)
        with_disputes = projects.list_projects(s, ProjectFilter(only_disputes=True), D(2021, 3, 2), config)
        by_text = projects.list_projects(s, ProjectFilter(text=" 白云 "), D(2021, 3, 2), config)
    assert [(r.title, r.days_in_stage, r.overdue, r.stalled, r.open_disputes, r.flags) for r in rows] == [
        ("望湖公寓2幢1单元", 60, False, False, 0, ""),  # 2幢 before 10幢
        ("望湖公寓10幢1单元", 60, False, False, 0, ""),
        ("白云小区1幢1单元", 29, False, False, 1, "纠纷1"),
    ]
    assert [(r.title, r.overdue, r.flags) for r in later] == [
        ("望湖公寓2幢1单元", True, "超期"),
        ("望湖公寓10幢1单元", True, "超期"),
        ("白云小区1幢1单元", False, "纠纷1"),
    ]
    assert [(r.title, r.days_in_stage, r.stalled, r.flags) for r in stalled] == [
        ("望湖公寓2幢1单元", 91, False, "超期"),
        ("望湖公寓10幢1单元", 91, False, "超期"),
    ]
    assert [(r.id, r.stalled, r.flags) for r in stalled_later] == [
        (b, True, "停滞"),
        (a, True, "停滞"),
        (c, False, "超期 纠纷1"),
    ]
    assert [r.id for r in with_disputes] == [c] and [r.id for r in by_text] == [c]


# --- disputes -----------------------------------------------------------------------------------------------------


def _dispute(db, dispute_id: int) -> tuple:
    with db.session_scope() as s:
        d = next(
            d for p in s.scalars(select(ElevatorProject.id)) for d in disputes.list_disputes(s, p) if d.id == dispute_id
        )
        return d.status, d.level, d.resolved_on, d.outcome


def test_a_dispute_names_households_of_its_own_unit_and_needs_a_description(db) -> None:
    with db.session_scope() as s:
        project = make_project(s)
        other = make_project(s, building="3")
        mine = add_unit(s, project, floors=2)
        theirs = add_unit(s, other, floors=2)
    with pytest.raises(ValidationError, match="^纠纷描述：不能为空$"), db.session_scope() as s:
        disputes.create_dispute(s, project, "噪音", "  ", D(2021, 2, 1))
    with pytest.raises(ValidationError, match="^当事方：只能选择本单元的住户$"), db.session_scope() as s:
        disputes.create_dispute(s, project, "噪音", "施工噪音", D(2021, 2, 1), [mine[0], theirs[0]])
    with pytest.raises(ValidationError, match="^当事方：只能选择本单元的住户$"), db.session_scope() as s:
        disputes.create_dispute(s, project, "噪音", "施工噪音", D(2021, 2, 1), [theirs[-1] + 9])
    with db.session_scope() as s:
        dispute_id = disputes.create_dispute(s, project, "采光/日照", " 遮挡 ", D(2021, 2, 1), [mine[0], mine[1]])
        (row,) = disputes.list_disputes(s, project)
    assert (row.type, row.description, row.status, row.level, row.opened_on) == (
        "采光/日照",
        "遮挡",
        "待调解",
        "社区",
        D(2021, 2, 1),
    )
    assert (row.parties, row.party_ids, row.id) == (("101 业主101", "102 业主102"), (mine[0], mine[1]), dispute_id)


def test_escalation_goes_up_one_level_at_a_time_and_stops_at_litigation(db) -> None:
    with db.session_scope() as s:
        project = make_project(s)
        dispute_id = disputes.create_dispute(s, project, "噪音", "施工噪音", D(2021, 2, 1))
        assert disputes.escalate(s, dispute_id) == "街道"
    assert _dispute(db, dispute_id)[:2] == ("待调解", "街道")
    with db.session_scope() as s:
        assert disputes.escalate(s, dispute_id) == "人民调解"
        assert disputes.escalate(s, dispute_id) == "诉讼"
    assert _dispute(db, dispute_id)[:2] == ("未化解", "诉讼")
    with pytest.raises(RuleError, match="^纠纷已进入诉讼，无法再升级$"), db.session_scope() as s:
        disputes.escalate(s, dispute_id)
    with pytest.raises(NotFoundError, match="^该纠纷记录不存在$"), db.session_scope() as s:
        disputes.escalate(s, dispute_id + 1)
    with db.session_scope() as s:
        closed = disputes.create_dispute(s, project, "噪音", "施工噪音", D(2021, 2, 1), level="街道")
        disputes.close_dispute(s, closed, "已化解", D(2021, 2, 1), " 调整施工时间 ")
    assert _dispute(db, closed) == ("已化解", "街道", D(2021, 2, 1), "调整施工时间")
    with pytest.raises(RuleError, match="^纠纷已结案，不能再升级$"), db.session_scope() as s:
        disputes.escalate(s, closed)


def test_closing_a_dispute_needs_a_closing_status_a_date_and_an_outcome(db) -> None:
    with db.session_scope() as s:
        project = make_project(s)
        dispute_id = disputes.create_dispute(s, project, "噪音", "施工噪音", D(2021, 2, 1))
    for args, message in (
        (("调解中", D(2021, 2, 2), "x"), "状态：结案时应为已化解、已撤回或未化解"),
        (("待调解", D(2021, 2, 2), "x"), "状态：结案时应为已化解、已撤回或未化解"),
        (("已化解", D(2021, 1, 31), "x"), "结案日期：不能早于纠纷登记日期"),
        (("已化解", D(2021, 2, 2), "  "), "处理结果：不能为空"),
    ):
        with pytest.raises(ValidationError) as refused, db.session_scope() as s:
            disputes.close_dispute(s, dispute_id, *args)
        assert str(refused.value) == message
    assert _dispute(db, dispute_id) == ("待调解", "社区", None, None)
    clerk = Database(db.url.render_as_string(hide_password=False), clerk=ClerkRef(2, "科员甲", "c", "科员"))
    try:
        with pytest.raises(PermissionDenied), clerk.session_scope() as s:
            disputes.close_dispute(s, dispute_id, "已化解", D(2021, 2, 2), "x")
    finally:
        clerk.dispose()
    with db.session_scope() as s:
        disputes.close_dispute(s, dispute_id, "未化解", D(2021, 2, 1), "转诉讼")
    assert _dispute(db, dispute_id) == ("未化解", "社区", D(2021, 2, 1), "转诉讼")


def test_a_mediation_session_starts_mediation_and_may_change_a_vote(db) -> None:
    with db.session_scope() as s:
        project = make_project(s)
        households = add_unit(s, project, floors=2)
        dispute_id = disputes.create_dispute(s, project, "噪音", "施工噪音", D(2021, 2, 1), level="街道")
    for data, message in (
        (disputes.MediationInput(D(2021, 1, 31), "社区", "王调解"), "调解日期：不能早于纠纷登记日期2021-02-01"),
        (disputes.MediationInput(D(2021, 2, 1), "社区", "  "), "调解人：不能为空"),
        (disputes.MediationInput(D(2021, 2, 1), "  ", "王调解"), "地点：不能为空"),
    ):
        with pytest.raises(ValidationError) as refused, db.session_scope() as s:
            disputes.add_session(s, dispute_id, data)
        assert str(refused.value) == message
    assert _dispute(db, dispute_id)[0] == "待调解"
    with db.session_scope() as s:
        first = disputes.add_session(s, dispute_id, disputes.MediationInput(D(2021, 2, 1), " 社区 ", " 王调解 "))
        disputes.add_session(s, dispute_id, disputes.MediationInput(D(2021, 2, 3), "街道", "李", level="人民调解"))
        row, tally = disputes.change_vote_after_mediation(s, first, households[0], "同意")
        (listed,) = disputes.list_disputes(s, project)
    assert _dispute(db, dispute_id)[0] == "调解中"
    assert [(m.held_on, m.place, m.mediator, m.level) for m in listed.sessions] == [
        (D(2021, 2, 1), "社区", "王调解", "街道"),
        (D(2021, 2, 3), "街道", "李", "人民调解"),
    ]
    assert row.vote == "同意" and (tally.persons_voted, tally.persons_yes) == (1, 1)
    with pytest.raises(NotFoundError, match="^该调解记录不存在$"), db.session_scope() as s:
        disputes.change_vote_after_mediation(s, first + 9, households[0], "反对")


# --- the subsidy --------------------------------------------------------------------------------------------------


def _to_archive(s, project_id: int, archive_done: dt.date | None) -> None:
    _passed_vote(s, project_id)
    for day in range(1, 10):  # 意愿征询 … 使用登记 done, 档案移交 started
        projects.advance_stage(s, project_id, D(2021, 3, day))
    if archive_done is not None:
        projects.advance_stage(s, project_id, archive_done)


def test_the_subsidy_is_claimed_once_after_the_archive_is_handed_over(db) -> None:
    with db.session_scope() as s:
        project = make_project(s)
        _to_archive(s, project, None)
    with pytest.raises(RuleError) as refused, db.session_scope() as s:
        subsidy.claim_subsidy(s, project, D(2021, 4, 1))
    assert str(refused.value) == "望湖公寓1幢2单元尚未完成档案移交，不能申领补助（当前阶段：档案移交）"
    with db.session_scope() as s:
        projects.advance_stage(s, project, D(2021, 4, 1))
        assert subsidy.archive_done_on(s, project) == D(2021, 4, 1)
    with (
        pytest.raises(ValidationError, match="^申领日期：不能早于档案移交完成日期2021-04-01$"),
        db.session_scope() as s,
    ):
        subsidy.claim_subsidy(s, project, D(2021, 3, 31))
    with db.session_scope() as s:
        row = subsidy.claim_subsidy(s, project, D(2021, 4, 1))
    assert (row.project_id, row.amount, row.claimed_on, row.paid_on) == (project, Decimal(130000), D(2021, 4, 1), None)
    with pytest.raises(ConflictError, match="^望湖公寓1幢2单元已申领过补助$"), db.session_scope() as s:
        subsidy.claim_subsidy(s, project, D(2021, 4, 2))
    with db.session_scope() as s:
        assert s.scalar(select(func.count()).select_from(ElevatorSubsidy)) == 1


def test_claiming_before_the_subsidy_stage_enters_it_and_payment_completes_it(db) -> None:
    with db.session_scope() as s:
        project = make_project(s)
        _to_archive(s, project, None)
        archive = s.scalar(select(ElevatorStageRecord).where(ElevatorStageRecord.stage == "档案移交"))
        archive.completed_on = D(2021, 4, 1)  # handed over without leaving the stage
    with db.session_scope() as s:
        assert subsidy.get_subsidy(s, project) is None
        with pytest.raises(RuleError, match="^尚未申领补助$"):
            subsidy.mark_paid(s, project, D(2021, 5, 1))
        claimed = subsidy.claim_subsidy(s, project, D(2021, 4, 10))
        assert claimed.id == s.scalar(select(ElevatorSubsidy.id))
        assert subsidy.get_subsidy(s, project) == subsidy.SubsidyRow(
            claimed.id, project, Decimal(130000), D(2021, 4, 10), None
        )
    assert _stage(db, project) == ("补助申领", D(2021, 4, 10))
    assert _records(db, project)[-1] == ("补助申领", 10, D(2021, 4, 10), None, None)
    with pytest.raises(ValidationError, match="^拨付日期：不能早于申领日期$"), db.session_scope() as s:
        subsidy.mark_paid(s, project, D(2021, 4, 9))
    clerk = Database(db.url.render_as_string(hide_password=False), clerk=ClerkRef(2, "科员甲", "c", "科员"))
    try:
        with pytest.raises(PermissionDenied), clerk.session_scope() as s:
            subsidy.mark_paid(s, project, D(2021, 5, 1))
    finally:
        clerk.dispose()
    with db.session_scope() as s:
        subsidy.mark_paid(s, project, D(2021, 4, 10))
        paid = subsidy.get_subsidy(s, project)
    assert (paid.claimed_on, paid.paid_on) == (D(2021, 4, 10), D(2021, 4, 10))
    assert _records(db, project)[-1] == ("补助申领", 10, D(2021, 4, 10), D(2021, 4, 10), None)


def test_another_units_handover_does_not_open_the_subsidy(db) -> None:
    with db.session_scope() as s:
        done = make_project(s)
        _to_archive(s, done, D(2021, 4, 1))
        waiting = make_project(s, building="3")
    with db.session_scope() as s:
        assert (subsidy.archive_done_on(s, done), subsidy.archive_done_on(s, waiting)) == (D(2021, 4, 1), None)
    with pytest.raises(RuleError, match="^望湖公寓3幢2单元尚未完成档案移交"), db.session_scope() as s:
        subsidy.claim_subsidy(s, waiting, D(2021, 4, 2))


def test_disputes_are_listed_newest_first_with_each_sessions_record_in_full(db) -> None:
    with db.session_scope() as s:
        project = make_project(s)
        households = add_unit(s, project, floors=2)
        earlier_day = disputes.create_dispute(s, project, "噪音", "施工噪音", D(2021, 2, 5))
        older = disputes.create_dispute(s, project, "通风", "通风受影响", D(2021, 2, 1))
        later_entry = disputes.create_dispute(s, project, "费用分摊", "分摊比例", D(2021, 2, 5))
        session_id = disputes.add_session(
            s,
            earlier_day,
            disputes.MediationInput(
                D(2021, 2, 6),
                "社区会议室",
                "王调解",
                attendees="101、102业主",
                summary="双方陈述",
                outcome="同意调整施工时间",
                next_step="一周后回访",
            ),
        )
        row, _tally = disputes.change_vote_after_mediation(s, session_id, households[1], "同意")
        history = vote_history(s, project, households[1])
        listed = disputes.list_disputes(s, project)
    assert [(d.id, d.project_id) for d in listed] == [(later_entry, project), (earlier_day, project), (older, project)]
    assert listed[1].sessions == (
        disputes.MediationRow(
            session_id,
            earlier_day,
            D(2021, 2, 6),
            "社区会议室",
            "王调解",
            "社区",
            "101、102业主",
            "双方陈述",
            "同意调整施工时间",
            "一周后回访",
        ),
    )
    assert (listed[0].sessions, listed[2].sessions) == ((), ())
    assert [(e.new_vote, e.voted_on, e.reason, e.mediation_id) for e in history] == [
        ("同意", D(2021, 2, 6), "调解后改变表决意见", session_id)
    ]
    assert row.vote == "同意"
