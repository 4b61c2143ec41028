"""一房一策 and 排查 rules: plan dates, controls and the 解危 evidence; screening conclusions, hazards and warnings."""

from __future__ import annotations

import datetime as dt

import pytest
from houses_factories import appraise, make_house, township_and_village
from sqlalchemy import func, select

from liandu_desk.domain.errors import ConflictError, NotFoundError, PermissionDenied, RuleError, ValidationError
from liandu_desk.domain.house_cases import HousePlan, PlanMilestone
from liandu_desk.domain.houses import Screening
from liandu_desk.services.houses import plans
from liandu_desk.services.houses.screening import ScreeningInput, add_screening, update_screening
from liandu_desk.storage import ClerkRef, Database

D = dt.date
OPENED = D(2021, 4, 1)


def _urban(db, *grades: tuple[str, dt.date]) -> tuple[int, int]:
    with db.session_scope() as s:
        town, community = township_and_village(s, "紫金街道", "高井社区", "社区")
        house = make_house(s, kind="城镇", township_id=town, village_id=community, address="高井弄3号")
        for grade, day in grades:
            appraise(s, house, grade, day, handling=None if grade in "AB" else "处理使用")
        return house, town


def _plan(db, plan_id: int) -> dict:
    with db.session_scope() as s:
        p = s.get(HousePlan, plan_id)
        return {
            "status": p.status.value,
            "responsible_party": p.responsible_party,
            "method": p.method.value,
            "opened_on": p.opened_on,
            "deadline": p.deadline,
            "street_id": p.street_id,
            "funding": p.funding,
            "interim_controls": list(p.interim_controls),
            "note": p.note,
            "resolved_on": p.resolved_on,
            "evidence": p.evidence,
            "version": p.version,
        }


def _new_plan(db, house: int, **extra) -> int:
    values = {"responsible_party": "产权人", "method": "维修加固", "opened_on": OPENED, **extra}
    with db.session_scope() as s:
        return plans.create_plan(s, house, plans.PlanInput(**values)).id


def _plans(db) -> int:
    with db.session_scope() as s:
        return s.scalar(select(func.count()).select_from(HousePlan))


def test_a_plan_is_drawn_up_for_an_urban_building_as_entered(db) -> None:
    house, town = _urban(db, ("C", D(2020, 9, 1)))
    with db.session_scope() as s:
        result = plans.create_plan(
            s,
            house,
            plans.PlanInput(" 产权人 ", "拆除重建", OPENED, town, " 市级补助 ", ("警示", "停用"), OPENED, "  备注 "),
        )
    assert result.version == 1
    assert _plan(db, result.id) == {
        "status": "未启动",
        "responsible_party": "产权人",
        "method": "拆除重建",
        "opened_on": OPENED,
        "deadline": OPENED,
        "street_id": town,
        "funding": "市级补助",
        "interim_controls": ["警示", "停用"],
        "note": "备注",
        "resolved_on": None,
        "evidence": None,
        "version": 1,
    }


@pytest.mark.parametrize(
    ("extra", "error", "message"),
    [
        ({"responsible_party": "  "}, ValidationError, "责任主体：不能为空"),
        ({"responsible_party": "产" * 101}, ValidationError, "责任主体：不能超过100个字"),
        ({"method": "搬走"}, ValidationError, "解危方式：“搬走”不是可选值"),
        ({"deadline": OPENED - dt.timedelta(days=1)}, ValidationError, "解危期限：不能早于制定日期"),
        ({"interim_controls": ("警示", "封路", "拉线")}, ValidationError, "临时管控措施：“封路、拉线”不是可选项"),
        ({"funding": "资" * 101}, ValidationError, "资金来源：不能超过100个字"),
        ({"opened_on": dt.date.today() + dt.timedelta(days=1)}, ValidationError, "制定日期：不能晚于今天"),
    ],
)
def test_an_invalid_plan_is_refused_and_nothing_saved(db, extra, error, message: str) -> None:
    house, _ = _urban(db)
    with pytest.raises(error) as refused, db.session_scope() as s:
        plans.create_plan(
            s,
            house,
            plans.PlanInput(**{"responsible_party": "产权人", "method": "维修加固", "opened_on": OPENED, **extra}),
        )
    assert str(refused.value).startswith(message)
    assert _plans(db) == 0


def test_plans_are_for_urban_buildings_only(db) -> None:
    with db.session_scope() as s:
        rural = make_house(s)
    with pytest.raises(RuleError) as refused, db.session_scope() as s:
        plans.create_plan(s, rural, plans.PlanInput("产权人", "维修加固", OPENED))
    assert str(refused.value) == "一房一策方案只适用于城镇房屋"
    with pytest.raises(NotFoundError, match=f"^房屋（编号{rural + 9}）不存在或已被删除$"), db.session_scope() as s:
        plans.create_plan(s, rural + 9, plans.PlanInput("产权人", "维修加固", OPENED))
    assert _plans(db) == 0


def test_editing_a_plan_with_controls_starts_it(db) -> None:
    house, _ = _urban(db)
    plan_id = _new_plan(db, house)
    with db.session_scope() as s:
        result = plans.update_plan(s, plan_id, plans.PlanInput("物业", "维修加固", OPENED), 1)
    assert (result.id, result.version) == (plan_id, 2)
    assert _plan(db, plan_id)["status"] == "未启动"
    with db.session_scope() as s:
        plans.update_plan(s, plan_id, plans.PlanInput("物业", "维修加固", OPENED, interim_controls=("交通管制",)), 2)
    row = _plan(db, plan_id)
    assert (row["status"], row["responsible_party"], row["interim_controls"]) == ("实施中", "物业", ["交通管制"])
    with pytest.raises(ConflictError), db.session_scope() as s:
        plans.update_plan(s, plan_id, plans.PlanInput("别人", "维修加固", OPENED), 1)
    with (
        pytest.raises(NotFoundError, match=f"^一房一策方案（编号{plan_id + 1}）不存在或已被删除$"),
        db.session_scope() as s,
    ):
        plans.update_plan(s, plan_id + 1, plans.PlanInput("别人", "维修加固", OPENED), None)
    assert _plan(db, plan_id)["responsible_party"] == "物业"


def test_milestones_move_along_and_starting_one_starts_the_plan(db) -> None:
    house, _ = _urban(db)
    plan_id = _new_plan(db, house)
    with db.session_scope() as s:
        first = plans.add_milestone(s, plan_id, " 落实临时管控 ", D(2021, 5, 1))
        second = plans.add_milestone(s, plan_id, "施工")
    assert _plan(db, plan_id)["status"] == "未启动"
    with db.session_scope() as s:
        plans.set_milestone_status(s, first.id, "进行中")
    assert _plan(db, plan_id)["status"] == "实施中"
    with db.session_scope() as s:
        plans.set_milestone_status(s, first.id, "已完成", D(2021, 4, 20))
        done = plans.set_milestone_status(s, second.id, "已完成", D(2021, 4, 21))
        plans.set_milestone_status(s, second.id, "进行中", None)
    assert done.id == second.id
    with db.session_scope() as s:
        rows = s.scalars(select(PlanMilestone).order_by(PlanMilestone.id))
        got = [(r.title, r.due_on, r.status.value, r.done_on) for r in rows]
    assert got == [("落实临时管控", D(2021, 5, 1), "已完成", D(2021, 4, 20)), ("施工", None, "进行中", None)]
    with pytest.raises(ValidationError, match="^完成日期：不能为空$"), db.session_scope() as s:
        plans.set_milestone_status(s, second.id, "已完成")
    with pytest.raises(ValidationError, match="^节点状态：“搁置”不是可选值"), db.session_scope() as s:
        plans.set_milestone_status(s, second.id, "搁置")
    with pytest.raises(ValidationError, match="^节点名称：不能为空$"), db.session_scope() as s:
        plans.add_milestone(s, plan_id, "  ")
    with (
        pytest.raises(NotFoundError, match=f"^一房一策方案（编号{plan_id + 1}）不存在或已被删除$"),
        db.session_scope() as s,
    ):
        plans.add_milestone(s, plan_id + 1, "施工")
    with (
        pytest.raises(NotFoundError, match=f"^方案节点（编号{second.id + 1}）不存在或已被删除$"),
        db.session_scope() as s,
    ):
        plans.set_milestone_status(s, second.id + 1, "进行中")


def test_resolution_needs_a_certificate_or_a_reappraisal_at_a_or_b_since_the_plan(db) -> None:
    house, _ = _urban(db, ("B", D(2020, 1, 1)), ("C", D(2020, 9, 1)))
    plan_id = _new_plan(db, house)
    with pytest.raises(RuleError) as refused, db.session_scope() as s:
        plans.resolve_plan(s, plan_id, D(2021, 6, 1), "   ")
    assert str(refused.value) == "解危需要依据：解危证明编号，或复鉴为A级或B级"
    assert _plan(db, plan_id)["status"] == "未启动"
    with db.session_scope() as s:
        appraise(s, house, "A", OPENED - dt.timedelta(days=1), handling=None)
        appraise(s, house, "C", D(2021, 4, 2))
    with pytest.raises(RuleError, match="^解危需要依据"), db.session_scope() as s:
        plans.resolve_plan(s, plan_id, D(2021, 6, 1))
    with db.session_scope() as s:
        appraise(s, house, "B", OPENED, handling=None)
        appraise(s, house, "A", D(2021, 5, 20), handling=None)
        result = plans.resolve_plan(s, plan_id, D(2021, 6, 1))
    assert result.id == plan_id
    row = _plan(db, plan_id)
    assert (row["status"], row["resolved_on"], row["evidence"]) == ("已解危", D(2021, 6, 1), "复鉴A级（2021-05-20）")
    with pytest.raises(RuleError) as refused, db.session_scope() as s:
        plans.resolve_plan(s, plan_id, D(2021, 6, 2), "莲危解字12号")
    assert str(refused.value) == "方案状态为已解危，不能再登记解危"
    with db.session_scope() as s:
        plans.close_plan(s, plan_id)
    with pytest.raises(RuleError, match="^方案状态为已销号，不能再登记解危$"), db.session_scope() as s:
        plans.resolve_plan(s, plan_id, D(2021, 6, 2), "莲危解字12号")
    with pytest.raises(RuleError, match="^方案已销号，不能再修改$"), db.session_scope() as s:
        plans.update_plan(s, plan_id, plans.PlanInput("物业", "维修加固", OPENED), None)
    assert _plan(db, plan_id)["status"] == "已销号"


def test_a_certificate_is_evidence_even_with_a_reappraisal(db) -> None:
    house, _ = _urban(db, ("C", D(2020, 9, 1)))
    plan_id = _new_plan(db, house)
    with db.session_scope() as s:
        appraise(s, house, "A", D(2021, 5, 20), handling=None)
        plans.resolve_plan(s, plan_id, D(2021, 6, 1), " 莲危解字12号 ")
    assert _plan(db, plan_id)["evidence"] == "解危证明莲危解字12号"


def test_only_a_resolved_plan_is_closed_and_only_by_a_reviewer(db) -> None:
    house, _ = _urban(db, ("C", D(2020, 9, 1)))
    plan_id = _new_plan(db, house)
    with pytest.raises(RuleError) as refused, db.session_scope() as s:
        plans.close_plan(s, plan_id)
    assert str(refused.value) == "方案解危后才能销号"
    with db.session_scope() as s:
        plans.resolve_plan(s, plan_id, D(2021, 6, 1), "莲危解字12号")
    clerk = Database(db.url.render_as_string(hide_password=False), clerk=ClerkRef(2, "科员甲", "c", "科员"))
    try:
        with pytest.raises(PermissionDenied), clerk.session_scope() as s:
            plans.close_plan(s, plan_id)
    finally:
        clerk.dispose()
    assert _plan(db, plan_id)["status"] == "已解危"
    with db.session_scope() as s:
        result = plans.close_plan(s, plan_id)
    assert (result.id, _plan(db, plan_id)["status"]) == (plan_id, "已销号")


# --- screening ----------------------------------------------------------------------------------------------------


def _screening(db, screening_id: int) -> tuple:
    with db.session_scope() as s:
        r = s.get(Screening, screening_id)
        return r.screened_on, r.conclusion.value, r.screener, list(r.hazards), r.note, r.version


@pytest.mark.parametrize(
    ("conclusion", "hazards", "warnings"),
    [
        ("无隐患", (), ()),
        ("无隐患", ("其他",), ("排查结论：结论为“无隐患”但勾选了隐患情况，请核实",)),
        ("有结构倒塌风险", ("墙体裂缝",), ("排查结论：有结构倒塌风险，应尽快委托鉴定并落实管控措施",)),
        ("暂无结构倒塌风险", ("墙体裂缝",), ()),
        ("一般安全隐患", (), ()),
    ],
)
def test_screening_warnings_follow_the_conclusion(db, conclusion: str, hazards, warnings) -> None:
    with db.session_scope() as s:
        house = make_house(s)
        result = add_screening(s, house, ScreeningInput(D(2021, 3, 1), conclusion, " 村干部 ", hazards, " 记 "))
    assert (result.version, result.warnings) == (1, warnings)
    assert _screening(db, result.id) == (D(2021, 3, 1), conclusion, "村干部", list(hazards), "记", 1)


def test_hazards_are_kept_in_the_listed_order_without_duplicates(db) -> None:
    with db.session_scope() as s:
        house = make_house(s)
        result = add_screening(
            s, house, ScreeningInput(D(2021, 3, 1), "一般安全隐患", "", ("其他", "地基沉降", "预制板", "其他"), "  ")
        )
    assert _screening(db, result.id)[3:5] == (["地基沉降", "预制板", "其他"], None)


def test_an_invalid_screening_is_refused_and_nothing_saved(db) -> None:
    with db.session_scope() as s:
        house = make_house(s)
    cases = [
        (
            ScreeningInput(D(2021, 3, 1), "一般安全隐患", "", ("漏电", "墙体裂缝", "鼠患")),
            "隐患情况：“漏电、鼠患”不是可选项",
        ),
        (ScreeningInput(D(2021, 3, 1), "很危险"), "排查结论：“很危险”不是可选值"),
        (ScreeningInput(D(2021, 3, 1), "无隐患", "排" * 41), "排查人：不能超过40个字"),
        (ScreeningInput(None, "无隐患"), "排查日期：不能为空"),
    ]
    for data, message in cases:
        with pytest.raises(ValidationError) as refused, db.session_scope() as s:
            add_screening(s, house, data)
        assert str(refused.value).startswith(message)
    with pytest.raises(NotFoundError, match=f"^房屋（编号{house + 1}）不存在或已被删除$"), db.session_scope() as s:
        add_screening(s, house + 1, ScreeningInput(D(2021, 3, 1), "无隐患"))
    with db.session_scope() as s:
        assert s.scalar(select(func.count()).select_from(Screening)) == 0


def test_a_screening_is_corrected_with_its_version(db) -> None:
    with db.session_scope() as s:
        house = make_house(s)
        screening_id = add_screening(s, house, ScreeningInput(D(2021, 3, 1), "无隐患")).id
    with db.session_scope() as s:
        result = update_screening(s, screening_id, ScreeningInput(D(2021, 3, 2), "有结构倒塌风险", "镇干部"), 1)
    assert (result.id, result.version) == (screening_id, 2)
    assert result.warnings == ("排查结论：有结构倒塌风险，应尽快委托鉴定并落实管控措施",)
    assert _screening(db, screening_id) == (D(2021, 3, 2), "有结构倒塌风险", "镇干部", [], None, 2)
    with pytest.raises(ConflictError), db.session_scope() as s:
        update_screening(s, screening_id, ScreeningInput(D(2021, 3, 3), "无隐患"), 1)
    with (
        pytest.raises(NotFoundError, match=f"^排查记录（编号{screening_id + 1}）不存在或已被删除$"),
        db.session_scope() as s,
    ):
        update_screening(s, screening_id + 1, ScreeningInput(D(2021, 3, 3), "无隐患"), None)
    assert _screening(db, screening_id)[1] == "有结构倒塌风险"


def test_a_milestone_title_holds_up_to_100_characters(db) -> None:
    house, _ = _urban(db)
    plan_id = _new_plan(db, house)
    with pytest.raises(ValidationError, match="^节点名称：不能超过100个字$"), db.session_scope() as s:
        plans.add_milestone(s, plan_id, "节" * 101)
    with db.session_scope() as s:
        result = plans.add_milestone(s, plan_id, "节" * 100)
        assert s.get(PlanMilestone, result.id).title == "节" * 100
    assert result.version == 1


def test_a_reappraisal_on_the_plan_day_counts_another_houses_does_not(db) -> None:
    house, _ = _urban(db, ("C", D(2020, 9, 1)))
    plan_id = _new_plan(db, house)
    with db.session_scope() as s:
        other = make_house(s, address="梅田村9号")
        appraise(s, other, "A", D(2021, 5, 1), handling=None)
    with pytest.raises(RuleError, match="^解危需要依据"), db.session_scope() as s:
        plans.resolve_plan(s, plan_id, D(2021, 6, 1))
    with db.session_scope() as s:
        appraise(s, house, "B", OPENED, handling=None)
        result = plans.resolve_plan(s, plan_id, D(2021, 6, 1))
    assert (result.id, result.version) == (plan_id, 2)
    assert _plan(db, plan_id)["evidence"] == "复鉴B级（2021-04-01）"


def test_resolution_refuses_a_long_certificate_a_future_day_or_an_unknown_plan(db) -> None:
    house, _ = _urban(db, ("C", D(2020, 9, 1)))
    plan_id = _new_plan(db, house)
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    for args, message in (
        ((D(2021, 6, 1), "证" * 197), "解危证明：不能超过196个字"),
        ((tomorrow, "莲危解字12号"), "解危日期：不能晚于今天"),
        ((None, "莲危解字12号"), "解危日期：不能为空"),
    ):
        with pytest.raises(ValidationError) as refused, db.session_scope() as s:
            plans.resolve_plan(s, plan_id, *args)
        assert str(refused.value) == message
    assert _plan(db, plan_id)["status"] == "未启动"
    with pytest.raises(NotFoundError) as refused, db.session_scope() as s:
        plans.resolve_plan(s, plan_id + 1, D(2021, 6, 1), "莲危解字12号")
    assert str(refused.value) == f"一房一策方案（编号{plan_id + 1}）不存在或已被删除"


def test_moving_a_milestone_of_a_resolved_plan_keeps_it_resolved(db) -> None:
    house, _ = _urban(db)
    plan_id = _new_plan(db, house)
    with db.session_scope() as s:
        first = plans.add_milestone(s, plan_id, "排险")
        second = plans.add_milestone(s, plan_id, "施工")
        moved = plans.set_milestone_status(s, first.id, "进行中")
        plans.resolve_plan(s, plan_id, D(2021, 6, 1), "莲危解字12号")
        plans.set_milestone_status(s, second.id, "已完成", D(2021, 6, 2))
    assert (moved.id, moved.version) == (first.id, 2)
    assert _plan(db, plan_id)["status"] == "已解危"


def test_each_plan_is_returned_with_its_own_id(db) -> None:
    first_house, _ = _urban(db)
    with db.session_scope() as s:
        town, community = township_and_village(s, "紫金街道", "高井社区", "社区")
        second_house = make_house(s, kind="城镇", township_id=town, village_id=community, address="高井弄5号")
    first, second = _new_plan(db, first_house), _new_plan(db, second_house, responsible_party="物业")
    with db.session_scope() as s:
        assert (s.get(HousePlan, second).house_id, s.get(HousePlan, first).house_id) == (second_house, first_house)
    assert _plan(db, second)["responsible_party"] == "物业" and first != second


def test_a_certificate_number_fits_the_evidence_column_with_its_label(db) -> None:
    """The evidence is stored as 解危证明 + the number in a 200-character column: a longer number is refused in the
    form's words, never by the database."""
    house, _ = _urban(db, ("C", D(2020, 9, 1)))
    plan_id = _new_plan(db, house)
    with pytest.raises(ValidationError) as refused, db.session_scope() as s:
        plans.resolve_plan(s, plan_id, D(2021, 6, 1), "号" * 197)
    assert refused.value.field == "解危证明" and _plan(db, plan_id)["status"] == "未启动"
    with db.session_scope() as s:
        plans.resolve_plan(s, plan_id, D(2021, 6, 1), "号" * 196)
    assert _plan(db, plan_id)["evidence"] == "解危证明" + "号" * 196
