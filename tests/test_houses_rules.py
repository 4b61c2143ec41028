"""危房 business rules: close-out evidence, overdue, batch figures, grade history, eligibility, warnings, locking."""

from __future__ import annotations

import datetime as dt

import pytest
from houses_factories import appraise, make_house, township_and_village

from liandu_desk.domain.errors import ConflictError, RuleError, ValidationError
from liandu_desk.domain.houses import Screening
from liandu_desk.services import audit
from liandu_desk.services.houses import applications, batches, cases, overdue, plans, registration
from liandu_desk.services.houses.appraisal import AppraisalInput, add_appraisal, grade_history, handling_warnings
from liandu_desk.services.houses.screening import ScreeningInput, add_screening

D = dt.date


def _open(session, house_id: int, measure: str = "维修加固", opened=None, deadline=None, batch="") -> int:
    opened = opened or D(2021, 3, 1)
    data = cases.CaseInput(measure, opened, deadline, batch=batch)
    return cases.open_case(session, house_id, data).id


def test_case_needs_a_dangerous_house(db) -> None:
    with db.session_scope() as s:
        house = make_house(s)
        with pytest.raises(RuleError, match="尚未鉴定"):
            _open(s, house)
        appraise(s, house, "B", D(2021, 2, 1))
        with pytest.raises(RuleError, match="最近鉴定为B级"):
            _open(s, house)
        appraise(s, house, "C", D(2021, 2, 10))
        assert _open(s, house) > 0


def test_close_out_needs_reappraisal_at_a_or_b(db) -> None:
    with db.session_scope() as s:
        house = make_house(s)
        appraise(s, house, "C", D(2021, 2, 1))
        case_id = _open(s, house)
        with pytest.raises(RuleError, match="整改完成后才能销号"):
            cases.close_case(s, case_id, D(2021, 5, 1))
        cases.complete_case(s, case_id, D(2021, 4, 1))
        with pytest.raises(RuleError, match="销号需要依据"):
            cases.close_case(s, case_id, D(2021, 5, 1))
        appraise(s, house, "C", D(2021, 4, 10))  # a re-appraisal still at C is no evidence
        with pytest.raises(RuleError, match="销号需要依据"):
            cases.close_case(s, case_id, D(2021, 5, 1))
        appraise(s, house, "B", D(2021, 4, 20))
        result = cases.close_case(s, case_id, D(2021, 5, 1))
        assert "复鉴B级" in result.warnings[0]
        assert s.get(cases.RectificationCase, case_id).status.value == "已销号"


def test_close_out_with_recorded_demolition(db) -> None:
    with db.session_scope() as s:
        house = make_house(s)
        appraise(s, house, "D", D(2021, 2, 1))
        case_id = _open(s, house, measure="拆除")
        cases.complete_case(s, case_id, D(2021, 4, 1), demolished_on=D(2021, 3, 28))
        result = cases.close_case(s, case_id, D(2021, 4, 5))
        assert "已拆除（2021-03-28）" in result.warnings[0]


def test_demolition_date_only_for_demolition_measures(db) -> None:
    with db.session_scope() as s:
        house = make_house(s)
        appraise(s, house, "C", D(2021, 2, 1))
        case_id = _open(s, house, measure="维修加固")
        with pytest.raises(ValidationError, match="不是拆除类措施"):
            cases.complete_case(s, case_id, D(2021, 4, 1), demolished_on=D(2021, 3, 28))


def test_overdue_detection(db) -> None:
    with db.session_scope() as s:
        late, on_time, done = (make_house(s, owner=n) for n in ("李一", "李二", "李三"))
        for house in (late, on_time, done):
            appraise(s, house, "C", D(2021, 2, 1))
        late_case = _open(s, late, deadline=D(2021, 6, 30))
        _open(s, on_time, deadline=D(2021, 12, 31))
        done_case = _open(s, done, deadline=D(2021, 6, 30))
        cases.complete_case(s, done_case, D(2021, 6, 1))
        found = overdue.overdue_cases(s, today=D(2021, 7, 10))
        assert [(c.case_id, c.days_overdue, c.owner_name) for c in found] == [(late_case, 10, "李一")]
        assert overdue.count_overdue(s, today=D(2021, 7, 10)) == 1
        assert overdue.count_overdue(s, today=D(2022, 1, 1)) == 2


def test_default_deadline_is_configured_working_days(db) -> None:
    with db.session_scope() as s:
        house = make_house(s)
        appraise(s, house, "C", D(2021, 2, 1))
        case_id = _open(s, house, opened=D(2021, 3, 1))  # a Monday; 30 working days later, 清明 (5 April) off
        assert s.get(cases.RectificationCase, case_id).deadline == D(2021, 4, 13)


def test_batch_figures_state_their_denominator(db) -> None:
    with db.session_scope() as s:
        batch_id = batches.create_batch(s, "2021省委巡视", "省委巡视", D(2021, 1, 15)).id
        houses = [make_house(s, owner=f"叶{n}", address=f"梅田村{n}号") for n in "甲乙丙丁戊己"]
        for house in houses:
            appraise(s, house, "C", D(2020, 6, 1))
        assert batches.add_members(s, batch_id, houses + houses[:1]) == 6
        batches.verify_member(s, batch_id, houses[0], "非危房", D(2021, 2, 1))
        batches.verify_member(s, batch_id, houses[1], "重复", D(2021, 2, 1))
        with pytest.raises(RuleError, match="已核实为非危房"):
            _open(s, houses[0], batch="2021省委巡视")
        for house, finished in zip(houses[2:], (D(2021, 5, 1), D(2021, 6, 30), D(2021, 7, 2), None), strict=True):
            case_id = _open(s, house, opened=D(2021, 2, 1), batch="2021省委巡视")
            if finished:
                cases.complete_case(s, case_id, min(finished, D(2021, 7, 2)))
        figures = batches.batch_figures(s, "2021省委巡视", as_of=D(2021, 6, 30))
        assert (figures.flagged, figures.verified_out, figures.rate_denominator) == (6, 2, 4)
        assert (figures.rectified, figures.remaining) == (2, 2)
        assert figures.rate == pytest.approx(0.5)
        assert "应整治4户" in figures.explanation() and "（2/4）" in figures.explanation()
        assert batches.batch_figures(s, "2021省委巡视").rectified == 3


def test_reappraisal_keeps_grade_history(db) -> None:
    with db.session_scope() as s:
        house = make_house(s)
        appraise(s, house, "C", D(2020, 5, 1))
        appraise(s, house, "D", D(2021, 1, 5))
        appraise(s, house, "B", D(2021, 6, 1), handling=None)
        assert grade_history(s, house) == [(D(2020, 5, 1), "C"), (D(2021, 1, 5), "D"), (D(2021, 6, 1), "B")]
        assert s.get(registration.House, house).latest_grade == "B"


@pytest.mark.parametrize(
    ("grade", "handling", "warned"),
    [
        ("A", None, False),
        ("B", "处理使用", True),
        ("C", "处理使用", False),
        ("C", "观察使用", False),
        ("C", "整体拆除", True),
        ("C", None, True),
        ("D", "整体拆除", False),
        ("D", "停止使用", False),
        ("D", "观察使用", True),
    ],
)
def test_unusual_grade_handling_pairs_warn_but_save(db, grade: str, handling: str | None, warned: bool) -> None:
    assert bool(handling_warnings(grade, handling)) is warned
    with db.session_scope() as s:
        house = make_house(s)
        result = add_appraisal(s, house, AppraisalInput(D(2021, 3, 1), grade, "鉴定所", "R1", handling))
        assert result.id > 0 and bool(result.warnings) is warned


def test_eligibility_needs_category_and_c_d_house_or_no_house(db) -> None:
    with db.session_scope() as s:
        house = make_house(s)
        assert not applications.check_eligibility(s, "低保户", house).eligible
        appraise(s, house, "B", D(2021, 3, 1))
        assert "须为C级或D级" in applications.check_eligibility(s, "低保户", house).reason
        appraise(s, house, "D", D(2021, 4, 1))
        assert applications.check_eligibility(s, "低保户", house).eligible
        assert not applications.check_eligibility(s, "普通农户", house).eligible
        assert applications.check_eligibility(s, "分散供养特困人员", None).eligible


def test_subsidy_table_lookup_and_unverified_label(db) -> None:
    with db.session_scope() as s:
        applications.set_subsidy_rate(s, 2021, "低保户", "维修加固", 18000)
        applications.set_subsidy_rate(s, 2021, "低保户", "拆除重建", 43000, verified=True, source="某文件")
        applications.set_subsidy_rate(s, 2021, "低保户", "维修加固", 18500)  # update, not a duplicate
        repair = applications.subsidy_amount(s, 2021, "低保户", "维修加固")
        assert (repair.amount, repair.verified) == (18500, False) and "未经核实" in repair.label
        assert applications.subsidy_amount(s, 2021, "低保户", "拆除重建").label == "43000元"
        assert applications.subsidy_amount(s, 2022, "低保户", "维修加固").amount is None
        assert len(applications.subsidy_table(s, 2021)) == 2


def test_application_takes_amount_from_table_and_refuses_ineligible(db) -> None:
    with db.session_scope() as s:
        town, village = township_and_village(s)
        house = make_house(s)
        applications.set_subsidy_rate(s, 2021, "低保户", "维修加固", 18000)
        data = applications.ApplicationInput(
            "张三", "11010519491231002X", town, 2021, "低保户", "维修加固", D(2021, 7, 1), house_id=house
        )
        with pytest.raises(RuleError, match="不符合申报条件"):
            applications.submit_application(s, data)
        appraise(s, house, "C", D(2021, 3, 1))
        result = applications.submit_application(s, data)
        row = s.get(applications.RenovationApplication, result.id)
        assert row.subsidy_amount == 18000 and not row.amount_verified and "未经核实" in result.warnings[0]
        with pytest.raises(RuleError, match="批准后才能拨付"):
            applications.decide_application(s, result.id, "已拨付", D(2021, 8, 1))


def test_house_edit_with_stale_version_raises_conflict(db) -> None:
    with db.session_scope() as s:
        house = make_house(s)
        data, version = registration.house_input(s, house)
    with db.session_scope() as s:
        registration.update_house(s, house, data.__class__(**{**data.__dict__, "address": "梅田村13号"}), version)
    with db.session_scope() as s, pytest.raises(ConflictError):
        registration.update_house(s, house, data, version)


def test_case_update_writes_audit_rows(db) -> None:
    with db.session_scope() as s:
        house = make_house(s)
        appraise(s, house, "C", D(2021, 2, 1))
        case_id = _open(s, house)
        version = s.get(cases.RectificationCase, case_id).version
    with db.session_scope() as s:
        data = cases.CaseInput("拆除", D(2021, 3, 1), D(2021, 8, 31), responsible="村委会")
        cases.update_case(s, case_id, data, version)
    with db.session_scope() as s:
        rows = audit.history(s, "house_case", case_id)
        assert [r.action for r in rows] == ["insert", "update"]
        assert rows[1].new_values["measure"] == "拆除" and rows[1].old_values["measure"] == "维修加固"
        assert rows[1].clerk_name == "测试员" and rows[1].table_label == "整治案件"


def test_house_validation_messages_name_the_field(db) -> None:
    with db.session_scope() as s:
        with pytest.raises(ValidationError, match="户主姓名"):
            make_house(s, owner="张")
        with pytest.raises(ValidationError, match="户主身份证号"):
            make_house(s, id_number="110105194912310021")
        with pytest.raises(ValidationError, match="建造年份"):
            make_house(s, build_year=1800)
        town, _ = township_and_village(s, "太平乡", "下梁村")
        with pytest.raises(ValidationError, match="村（社区）"):
            make_house(s, township_id=town)
        make_house(s, id_number="11010519491231002X")
        with pytest.raises(ValidationError, match="与户主姓名不符"):
            make_house(s, owner="李四", id_number="11010519491231002X")


def test_screening_hazards_multi_select(db) -> None:
    with db.session_scope() as s:
        house = make_house(s)
        result = add_screening(
            s, house, ScreeningInput(D(2021, 3, 1), "一般安全隐患", "村干部", ("预制板", "墙体裂缝"))
        )
        assert s.get(Screening, result.id).hazards == ["墙体裂缝", "预制板"]
        with pytest.raises(ValidationError, match="隐患情况"):
            add_screening(s, house, ScreeningInput(D(2021, 3, 1), "一般安全隐患", "", ("漏电",)))


def test_plan_resolution_needs_certificate_or_reappraisal(db) -> None:
    with db.session_scope() as s:
        rural = make_house(s)
        with pytest.raises(RuleError, match="只适用于城镇房屋"):
            plans.create_plan(s, rural, plans.PlanInput("产权人", "维修加固", D(2021, 4, 1)))
        town, community = township_and_village(s, "紫金街道", "高井社区", "社区")
        urban = make_house(s, kind="城镇", township_id=town, village_id=community, address="高井弄3号")
        appraise(s, urban, "C", D(2020, 9, 1))
        plan_id = plans.create_plan(s, urban, plans.PlanInput("产权人", "维修加固", D(2021, 4, 1), town)).id
        milestone = plans.add_milestone(s, plan_id, "落实临时管控", D(2021, 5, 1)).id
        plans.set_milestone_status(s, milestone, "已完成", D(2021, 4, 20))
        assert s.get(plans.HousePlan, plan_id).status.value == "实施中"
        with pytest.raises(RuleError, match="解危需要依据"):
            plans.resolve_plan(s, plan_id, D(2021, 6, 1))
        appraise(s, urban, "B", D(2021, 5, 20), handling=None)
        plans.resolve_plan(s, plan_id, D(2021, 6, 1))
        row = s.get(plans.HousePlan, plan_id)
        assert row.status.value == "已解危" and row.evidence.startswith("复鉴B级")
        plans.close_plan(s, plan_id)


def test_owner_correction_keeps_the_person_and_updates_other_houses(db) -> None:
    from sqlalchemy import func, select

    from liandu_desk.domain.registry import Person

    with db.session_scope() as s:
        first = make_house(s, owner="张山", id_number="11010519491231002X", address="梅田村1号")
        data, version = registration.house_input(s, first)
        second = make_house(s, owner="张山", id_number="11010519491231002X", address="梅田村2号")
        loner = make_house(s, owner="李四", address="梅田村3号")
        people = s.scalar(select(func.count()).select_from(Person))
        fixed = registration.HouseInput(**{**data.__dict__, "owner_name": "张三"})
        registration.update_house(s, first, fixed, version)
        data, version = registration.house_input(s, loner)
        registration.update_house(s, loner, data, version)  # saving twice creates no new person
        assert s.scalar(select(func.count()).select_from(Person)) == people
        assert s.get(registration.House, second).owner_name == "张三"
        assert s.get(registration.House, second).search_text == "张三 梅田村2号"
