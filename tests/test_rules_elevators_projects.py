"""加装电梯 project rules beyond tests/test_rules_elevators_services.py: the form's bounds, what a project keeps,
the list's columns and filters, a stage without its record, and the communities a project may belong to."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from elevators_factories import D0, add_unit, make_project
from sqlalchemy import select

from liandu_desk.domain.elevators import ElevatorProject, ElevatorStage, ElevatorStageRecord, ElevatorSubsidy
from liandu_desk.domain.errors import ConflictError, PermissionDenied, RuleError, ValidationError
from liandu_desk.services.divisions import list_children, list_townships
from liandu_desk.services.elevators import disputes, projects
from liandu_desk.services.elevators.config import default_config
from liandu_desk.services.elevators.households import set_vote
from liandu_desk.services.elevators.projects import ProjectFilter, ProjectInput
from liandu_desk.storage import ClerkRef, Database

D = dt.date
HOUSEHOLDS = "户数：应在0至400之间（0表示未申报）"
AREA = "单元专有面积总和：应大于0且不超过100000㎡（不清楚可不填）"


def _unit(**extra) -> ProjectInput:
    return ProjectInput("望湖公寓", "1", "2", 6, **extra)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_unit(planned_households=-1), HOUSEHOLDS),
        (_unit(planned_households=401), HOUSEHOLDS),
        (_unit(declared_area=Decimal(0)), AREA),
        (_unit(declared_area=Decimal("100000.01")), AREA),
    ],
)
def test_households_and_the_declared_area_out_of_bounds_are_refused(db, data: ProjectInput, message: str) -> None:
    with pytest.raises(ValidationError) as refused, db.session_scope() as s:
        projects.create_project(s, data)
    assert str(refused.value) == message


@pytest.mark.parametrize(
    ("households", "area"), [(0, None), (400, Decimal("0.01")), (12, Decimal("0.5")), (24, Decimal(100000))]
)
def test_households_and_the_declared_area_at_their_bounds_are_kept(db, households: int, area) -> None:
    with db.session_scope() as s:
        row = s.get(
            ElevatorProject, projects.create_project(s, _unit(planned_households=households, declared_area=area))
        )
        assert (row.planned_households, row.declared_area) == (households, area)


def test_a_new_project_keeps_every_field_of_the_form(db) -> None:
    with db.session_scope() as s:
        community = list_children(s, list_townships(s)[0].id)[0].id
        data = ProjectInput(
            "望湖公寓",
            "1",
            "2",
            6,
            community_id=community,
            planned_households=12,
            implementing_body="单元业主代表",
            designer="丽水市建筑设计院",
            installer="浙江某电梯公司",
            budget=Decimal("480000.00"),
            started_on=D0,
            note="东侧加装",
            declared_area=Decimal("1080.00"),
        )
        row = s.get(ElevatorProject, projects.create_project(s, data))
        kept = (row.community_id, row.planned_households, row.declared_area, row.implementing_body, row.designer)
        assert kept == (community, 12, Decimal("1080.00"), "单元业主代表", "丽水市建筑设计院")
        assert (row.installer, row.budget, row.note) == ("浙江某电梯公司", Decimal("480000.00"), "东侧加装")
        assert (row.current_stage, row.stage_started_on) == (ElevatorStage.SURVEY, D0)


def test_the_same_building_and_unit_in_another_estate_is_another_project(db) -> None:
    with db.session_scope() as s:
        first = projects.create_project(s, ProjectInput("望湖公寓", "1", "2", 6))
        other = projects.create_project(s, ProjectInput("白云小区", "1", "2", 6))
        projects.create_project(s, ProjectInput("望湖公寓", "1", "3", 6))
        projects.create_project(s, ProjectInput("望湖公寓", "5", "2", 6))
        projects.update_project(s, other, ProjectInput("白云小区", "1", "2", 7))
        projects.update_project(s, first, ProjectInput("望湖公寓", "1", "2", 8))  # 1幢3单元 and 5幢2单元 exist
        assert (s.get(ElevatorProject, other).floors, s.get(ElevatorProject, first).floors) == (7, 8)
    with pytest.raises(ConflictError, match="^望湖公寓1幢3单元已有加装电梯项目$"), db.session_scope() as s:
        projects.update_project(s, first, ProjectInput("望湖公寓", "1", "3", 6))
    with pytest.raises(ConflictError, match="^望湖公寓5幢2单元已有加装电梯项目$"), db.session_scope() as s:
        projects.update_project(s, first, ProjectInput("望湖公寓", "5", "2", 6))
    with pytest.raises(ConflictError, match="^白云小区1幢2单元已有加装电梯项目$"), db.session_scope() as s:
        projects.update_project(s, first, ProjectInput("白云小区", "1", "2", 6))


def test_the_list_shows_community_township_households_and_the_stage(db) -> None:
    with db.session_scope() as s:
        zijin = next(t for t in list_townships(s) if t.name == "紫金街道")
        community = list_children(s, zijin.id)[0]
        placed = projects.create_project(
            s, ProjectInput("望湖公寓", "1", "2", 6, community_id=community.id, started_on=D(2021, 1, 4))
        )
        add_unit(s, placed)
        bare = make_project(s, "白云小区", "东", "1", floors=7, started_on=D(2021, 2, 1))
        add_unit(s, bare, floors=2)
        projects.advance_stage(s, bare, D(2021, 2, 3))
        config = default_config()
        rows = projects.list_projects(s, today=D(2021, 3, 1), config=config)
        by_community = projects.list_projects(s, ProjectFilter(text=community.name[:2]), D(2021, 3, 1), config)
        in_zijin = projects.list_projects(s, ProjectFilter(township_id=zijin.id), D(2021, 3, 1), config)
    shown = [
        (r.id, r.community, r.township, r.floors, r.households, r.stage, r.stage_index, r.stage_started_on)
        for r in rows
    ]
    assert shown == [
        (placed, community.name, "紫金街道", 6, 12, "意愿征询", 0, D(2021, 1, 4)),
        (bare, "", "", 7, 4, "表决与协议", 1, D(2021, 2, 3)),
    ]
    assert [r.id for r in by_community] == [placed] and [r.id for r in in_zijin] == [placed]


def test_a_building_without_a_number_is_listed_before_numbered_ones(db) -> None:
    with db.session_scope() as s:
        numbered = make_project(s, "望湖公寓", "1", "1")
        lettered = make_project(s, "望湖公寓", "东", "1")
        rows = projects.list_projects(s, today=D(2021, 3, 1), config=default_config())
    assert [r.id for r in rows] == [lettered, numbered]


def _paid(s, project_id: int, paid_on: dt.date | None) -> None:
    s.add(ElevatorSubsidy(project_id=project_id, amount=Decimal(130000), claimed_on=D(2021, 4, 1), paid_on=paid_on))
    s.flush()


def test_only_a_paid_subsidy_finishes_a_project_and_only_its_own(db) -> None:
    with db.session_scope() as s:
        paid = make_project(s, "望湖公寓", "1", "1", started_on=D(2020, 1, 1))
        claimed = make_project(s, "望湖公寓", "2", "1", started_on=D(2020, 1, 1))
        waiting = make_project(s, "望湖公寓", "3", "1", started_on=D(2020, 1, 1))
        _paid(s, paid, D(2021, 5, 1))
        _paid(s, claimed, None)
        rows = projects.list_projects(s, today=D(2021, 6, 1), config=default_config())
    assert [(r.id, r.finished, r.overdue, r.stalled, r.flags) for r in rows] == [
        (paid, True, False, False, ""),
        (claimed, False, True, True, "停滞"),
        (waiting, False, True, True, "停滞"),
    ]


def test_only_overdue_keeps_looking_past_a_project_on_time(db) -> None:
    with db.session_scope() as s:
        on_time = make_project(s, "望湖公寓", "1", "1", started_on=D(2021, 2, 20))  # listed first
        late = make_project(s, "望湖公寓", "2", "1", started_on=D(2020, 1, 1))
        everything = projects.list_projects(s, today=D(2021, 3, 1), config=default_config())
        rows = projects.list_projects(s, ProjectFilter(only_overdue=True), D(2021, 3, 1), default_config())
    assert [(r.id, r.households) for r in everything] == [(on_time, 0), (late, 0)]  # no households registered
    assert [r.id for r in rows] == [late]


def test_a_stage_without_its_record_gets_one_from_the_projects_stage_day(db) -> None:
    with db.session_scope() as s:
        other = make_project(s, "白云小区", "1", "1", started_on=D(2021, 1, 4))
        project = make_project(s, "望湖公寓", "1", "1", started_on=D(2021, 1, 6))
        s.delete(s.scalar(select(ElevatorStageRecord).where(ElevatorStageRecord.project_id == project)))
    with pytest.raises(ValidationError, match="^完成日期：不能早于本阶段开始日期2021-01-06$"), db.session_scope() as s:
        projects.advance_stage(s, project, D(2021, 1, 5))
    with db.session_scope() as s:
        assert projects.advance_stage(s, project, D(2021, 2, 1), "征询表") == ElevatorStage.VOTE
    with db.session_scope() as s:
        records = s.scalars(
            select(ElevatorStageRecord).order_by(ElevatorStageRecord.project_id, ElevatorStageRecord.seq)
        )
        kept = [(r.project_id, r.stage, r.seq, r.started_on, r.completed_on, r.documents) for r in records]
    assert kept == [
        (other, ElevatorStage.SURVEY, 0, D(2021, 1, 4), None, None),
        (project, ElevatorStage.SURVEY, 0, D(2021, 1, 6), D(2021, 2, 1), "征询表"),
        (project, ElevatorStage.VOTE, 1, D(2021, 2, 1), None, None),
    ]


def test_a_stage_completed_with_documents_adds_them_on_a_new_line(db) -> None:
    with db.session_scope() as s:
        project = make_project(s)
        first = s.scalar(select(ElevatorStageRecord.id).where(ElevatorStageRecord.project_id == project))
        projects.update_stage_record(s, first, D0, None, "征询表")
        projects.advance_stage(s, project, D0, "签名册")
        assert s.get(ElevatorStageRecord, first).documents == "征询表\n签名册"


def test_a_stage_may_be_corrected_to_end_on_the_day_it_started(db) -> None:
    with db.session_scope() as s:
        project = make_project(s)
        first = s.scalar(select(ElevatorStageRecord.id).where(ElevatorStageRecord.project_id == project))
        projects.advance_stage(s, project, D(2021, 2, 1))
        projects.update_stage_record(s, first, D(2021, 1, 20), D(2021, 1, 20), None)
        assert s.get(ElevatorStageRecord, first).completed_on == D(2021, 1, 20)


def test_a_project_belongs_to_a_community_beneath_a_subdistrict(db) -> None:
    with db.session_scope() as s:
        choices = projects.community_choices(s)
        streets = [t for t in list_townships(s) if t.level == "街道"]
        expected = [(f"{t.name} {c.name}", c) for t in streets for c in list_children(s, t.id)]
    assert choices == expected and len(choices) > len(streets)
    assert choices[0][0].startswith("紫金街道 ") and not any(label.startswith("碧湖镇") for label, _c in choices)


# --- open disputes and the stages after 表决与协议 -------------------------------------------------------------------


def _voted(s, building: str = "1") -> int:
    """A project in 表决与协议 whose whole unit agreed."""
    project = make_project(s, building=building)
    for household_id in add_unit(s, project):
        set_vote(s, household_id, "同意", D(2021, 1, 10))
    projects.advance_stage(s, project, D(2021, 2, 1))
    return project


def _as(db, clerk: ClerkRef | None) -> Database:
    return Database(db.url.render_as_string(hide_password=False), clerk=clerk)


def _override(db, clerk: ClerkRef | None, project: int, reason: str) -> ElevatorStage:
    other = _as(db, clerk)
    try:
        with other.session_scope() as s:
            return projects.advance_stage(s, project, D(2021, 3, 1), override_reason=reason)
    finally:
        other.dispose()


def _new_records(db, project: int) -> list[tuple]:
    with db.session_scope() as s:
        rows = s.scalars(
            select(ElevatorStageRecord)
            .where(ElevatorStageRecord.project_id == project)
            .order_by(ElevatorStageRecord.seq)
        )
        return [(r.stage, r.override_reason, r.override_by) for r in rows]


def test_an_open_dispute_does_not_hold_the_survey_or_another_units_stages(db) -> None:
    with db.session_scope() as s:
        project = make_project(s)
        disputes.create_dispute(s, project, "噪音", "施工噪音", D(2021, 1, 10))
        assert projects.advance_stage(s, project, D(2021, 2, 1)) == ElevatorStage.VOTE
        quiet = _voted(s, building="3")
        assert projects.advance_stage(s, quiet, D(2021, 3, 1)) == ElevatorStage.DESIGN
    assert _new_records(db, project) == [(ElevatorStage.SURVEY, None, None), (ElevatorStage.VOTE, None, None)]
    assert _new_records(db, quiet)[-1] == (ElevatorStage.DESIGN, None, None)


def test_the_refusal_names_every_open_dispute_oldest_first(db) -> None:
    with db.session_scope() as s:
        project = _voted(s)
        disputes.create_dispute(s, project, "通风", "通风", D(2021, 2, 20))
        disputes.create_dispute(s, project, "噪音", "施工噪音", D(2021, 2, 10))
        disputes.create_dispute(s, project, "采光/日照", "二楼采光", D(2021, 2, 20))
    with pytest.raises(RuleError) as refused, db.session_scope() as s:
        projects.advance_stage(s, project, D(2021, 3, 1))
    assert str(refused.value) == (
        "望湖公寓1幢2单元尚有3件纠纷未化解（噪音（待调解，2021-02-10登记）、通风（待调解，2021-02-20登记）、"
        "采光/日照（待调解，2021-02-20登记）），不能进入“方案设计”。请先调解结案；确需推进的，由审核人员填写理由后办理。"
    )


def test_only_a_reviewer_may_override_and_is_named_when_refused(db) -> None:
    with db.session_scope() as s:
        project = _voted(s)
        disputes.create_dispute(s, project, "噪音", "施工噪音", D(2021, 2, 10))
    rest = "不是审核人员：纠纷未化解时推进阶段，须由审核或管理员填写理由后办理。"
    for clerk, who in ((ClerkRef(2, "科员甲", "c", "科员"), "科员甲"), (None, "未登录用户")):
        with pytest.raises(PermissionDenied) as refused:
            _override(db, clerk, project, "业主已书面承诺不再阻挠")
        assert str(refused.value) == who + rest
    reviewer = ClerkRef(3, "审核乙", "r", "审核")
    with pytest.raises(ValidationError) as refused:
        _override(db, reviewer, project, " 已论证了 ")
    assert str(refused.value) == "推进理由：请写明理由（至少5个字）"
    assert _override(db, reviewer, project, " 采光已论证 ") == ElevatorStage.DESIGN
    assert _new_records(db, project)[-1] == (
        ElevatorStage.DESIGN,
        "采光已论证（未结纠纷：噪音（待调解，2021-02-10登记））",
        "审核乙",
    )


def test_an_override_is_logged_with_the_project_and_the_stage_and_names_no_one_when_nameless(db, caplog) -> None:
    with db.session_scope() as s:
        project = _voted(s)
        disputes.create_dispute(s, project, "噪音", "施工噪音", D(2021, 2, 10))
    with caplog.at_level("INFO", logger="liandu_desk.services.elevators.projects"):
        _override(db, ClerkRef(3, "", "r", "审核"), project, "采光已论证")  # a reviewer recorded without a name
    assert f"project {project} enters 方案设计 past 1 open disputes on a reviewer's reason" in caplog.messages
    assert _new_records(db, project)[-1][2] == ""
