"""首页 rules: the straight-line pace of work targets at its boundaries, and what counts as overdue or due soon."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from liandu_desk.domain.communities import Community, Issue
from liandu_desk.domain.errors import NotFoundError, ValidationError
from liandu_desk.domain.home import WorkTarget
from liandu_desk.services.as_of import as_of_day
from liandu_desk.services.divisions import list_children
from liandu_desk.services.home import due, targets
from liandu_desk.services.home.targets import (
    AT_RISK,
    MISSED,
    ON_TRACK,
    REACHED,
    TargetInput,
    TargetProgress,
    pace_state,
)
from liandu_desk.storage import ClerkRef, Database
from tests.home_factories import community_issue, house_with_case, served_document, town_id

D = dt.date
START, DEADLINE = D(2021, 1, 1), D(2021, 1, 10)  # ten days, both counted


@pytest.mark.parametrize(
    ("done", "as_of", "expected"),
    [
        (0, D(2020, 12, 31), (ON_TRACK, 0, 0)),  # not started yet
        (0, START, (AT_RISK, 0, 1)),  # the first day counts
        (1, START, (ON_TRACK, 10, 1)),
        (5, D(2021, 1, 5), (ON_TRACK, 10, 5)),  # exactly on the line
        (4, D(2021, 1, 5), (AT_RISK, 8, 5)),
        (9, DEADLINE, (AT_RISK, 9, 10)),
        (10, D(2021, 1, 5), (REACHED, 20, 5)),
        (12, D(2021, 2, 1), (REACHED, 12, 10)),
        (9, D(2021, 1, 11), (MISSED, 9, 10)),  # the day after the deadline
    ],
)
def test_pace_against_a_straight_line_from_start_to_deadline(done: int, as_of: dt.date, expected) -> None:
    assert pace_state(done, 10, START, DEADLINE, as_of) == expected


def test_pace_rounds_to_whole_units() -> None:
    assert pace_state(1, 3, START, DEADLINE, D(2021, 1, 4)) == (AT_RISK, 2, 1)  # 2.5 → 2, 1.2 → 1
    assert pace_state(2, 7, START, DEADLINE, D(2021, 1, 3)) == (ON_TRACK, 7, 2)  # 6.67 → 7, 2.1 → 2


def _progress(done: int, figure: int, days_left: int, state: str) -> TargetProgress:
    return TargetProgress(
        1,
        "目标",
        "rural_rectified",
        "农村危房完成整治",
        "户",
        figure,
        START,
        DEADLINE,
        "全区",
        DEADLINE,
        done,
        12,
        5,
        days_left,
        state,
    )


def test_the_summary_line() -> None:
    assert _progress(5, 10, 0, ON_TRACK).summary() == (
        "已完成5/10户（50%），剩余0天，按目前进度预计截止时完成12户：进度正常"
    )
    assert (
        _progress(2, 3, 4, AT_RISK).summary() == "已完成2/3户（67%），剩余4天，按目前进度预计截止时完成12户：进度滞后"
    )
    assert _progress(12, 10, 3, REACHED).summary() == "已完成12/10户（100%），剩余3天：已完成"
    assert _progress(1, 10, -2, MISSED).summary() == "已完成1/10户（10%），已过期2天：已逾期未完成"
    assert _progress(0, 0, 1, REACHED).percent == 100
    assert [_progress(0, 1, 1, s).warning for s in (ON_TRACK, AT_RISK, MISSED, REACHED)] == [False, True, True, False]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (TargetInput("  ", "rural_rectified", 1, START, DEADLINE), "目标名称：不能为空"),
        (TargetInput("目标", "houses", 1, START, DEADLINE), "统计口径：未知的统计口径“houses”"),
        (TargetInput("目标", "rural_rectified", 0, START, DEADLINE), "目标数：必须大于0"),
        (
            TargetInput("目标", "rural_rectified", 1, START, START - dt.timedelta(days=1)),
            "截止日期：2020-12-31早于开始日期2021-01-01",
        ),
    ],
)
def test_an_invalid_target_is_refused_and_nothing_saved(db, data: TargetInput, message: str) -> None:
    with pytest.raises(ValidationError) as refused, db.session_scope() as s:
        targets.create_target(s, data)
    assert str(refused.value) == message
    with db.session_scope() as s:
        assert s.scalar(select(func.count()).select_from(WorkTarget)) == 0


def test_targets_are_edited_retired_and_listed_by_deadline(db) -> None:
    with db.session_scope() as s:
        later = targets.create_target(s, TargetInput(" 年底目标 ", "rural_rectified", 5, START, D(2021, 12, 31)))
        sooner = targets.create_target(s, TargetInput("一日目标", "urban_resolved", 1, START, START, note="备注"))
        assert targets.target_input(s, later) == TargetInput("年底目标", "rural_rectified", 5, START, D(2021, 12, 31))
        targets.update_target(s, sooner, TargetInput(" 一月目标 ", "rural_rectified", 2, START, DEADLINE))
        listed = targets.target_progress(s, D(2021, 1, 5))
        assert targets.target_input(s, sooner) == TargetInput("一月目标", "rural_rectified", 2, START, DEADLINE)
    assert [(p.id, p.title, p.done, p.state, p.division, p.days_left, p.expected_now) for p in listed] == [
        (sooner, "一月目标", 0, AT_RISK, "全区", 5, 1),
        (later, "年底目标", 0, AT_RISK, "全区", 360, 0),
    ]
    with pytest.raises(ValidationError, match="^目标数：必须大于0$"), db.session_scope() as s:
        targets.update_target(s, sooner, TargetInput("一月目标", "rural_rectified", -1, START, DEADLINE))
    with db.session_scope() as s:
        targets.retire_target(s, sooner)
        assert [p.id for p in targets.target_progress(s, D(2021, 1, 5))] == [later]
        assert [p.id for p in targets.target_progress(s, D(2021, 1, 5), include_done=False)] == [later]
    for call in (
        lambda s: targets.retire_target(s, later + 5),
        lambda s: targets.target_input(s, later + 5),
        lambda s: targets.update_target(s, later + 5, TargetInput("x", "rural_rectified", 1, START, START)),
    ):
        with pytest.raises(NotFoundError) as refused, db.session_scope() as s:
            call(s)
        assert str(refused.value) == f"工作目标{later + 5}不存在"


# --- what is due --------------------------------------------------------------------------------------------------


def _item(days_over: int, row_id: int = 1, **extra) -> due.DueItem:
    values = dict(
        module="危房",
        category="整治期限",
        title="t",
        township="碧湖镇",
        township_id=1,
        clerk="甲",
        responsible="",
        deadline=D(2021, 5, 1),
        days_over=days_over,
        record_kind="house",
        record_id=1,
        table="house_case",
        row_id=row_id,
    )
    values.update(extra)
    return due.DueItem(**values)


def test_an_item_is_overdue_from_the_day_after_its_deadline() -> None:
    assert [(_item(d).state, _item(d).when_text()) for d in (3, 1, 0, -2)] == [
        ("超期", "超期3天"),
        ("超期", "超期1天"),
        ("临期", "今天到期"),
        ("临期", "2天后到期"),
    ]


def test_sorting_and_grouping_items() -> None:
    a = _item(5, 1, deadline=D(2021, 5, 3), township="太平乡", clerk="乙", module="文书")
    b = _item(5, 2, deadline=D(2021, 5, 1), township="", clerk="甲", module="危房")
    c = _item(-1, 3, deadline=D(2021, 5, 2), township="太平乡", clerk="甲", module="星级小区")
    assert due.sort_items([a, b, c]) == [b, a, c]  # most overdue first, then the later row
    assert due.sort_items([a, b, c], descending=False) == [c, a, b]
    assert due.sort_items([a, b, c], "deadline") == [a, c, b]
    assert due.sort_items([a, b, c], "township", descending=False) == [b, a, c]
    assert due.sort_items([a, b, c], "clerk", descending=False) == [a, b, c]
    assert due.sort_items([a, b, c], "module", descending=False) == [b, a, c]
    d = _item(1, 4, module="文书")
    assert due.sort_items([d, a], "module", descending=False) == [a, d]  # within a module, most overdue first
    assert due.clerks_of([a, b, c, a]) == ["乙", "甲"]
    assert due.by_township([a, b, c]) == {"太平乡": [a, c], "未分区": [b]}


def test_due_items_count_up_to_the_soon_horizon_and_filter(db) -> None:
    as_of = D(2021, 5, 10)
    with db.session_scope() as s:
        over = house_with_case(s, "张一", D(2021, 5, 9))[1]
        house_with_case(s, "张二", D(2021, 5, 17), township="太平乡", address="下河村2号")  # 7 days ahead
        house_with_case(s, "张三", D(2021, 5, 18), address="下河村3号")  # 8 days ahead: not yet
        house_with_case(s, "张四", D(2021, 5, 1), completed=D(2021, 4, 20), address="下河村4号")
        doc = served_document(s, "莲建危改〔2021〕1号", as_of)
        bihu = town_id(s, "碧湖镇")
    with db.session_scope() as s:
        items = due.due_items(s, as_of)
        overdue_only = due.due_items(s, as_of, due.DueFilter(include_soon=False))
        soon3 = due.due_items(s, as_of, due.DueFilter(soon_days=3))
        in_bihu = due.due_items(s, as_of, due.DueFilter(township_id=bihu))
        documents = due.due_items(s, as_of, due.DueFilter(module="文书"))
        by_clerk = due.due_items(s, as_of, due.DueFilter(clerk="王科长"))
    assert [(i.module, i.title, i.township, i.clerk, i.days_over) for i in items] == [
        ("危房", "张一 下河村36号（维修加固，待整改）", "碧湖镇", "测试员", 1),
        ("文书", "莲建危改〔2021〕1号 危房整改通知书（李秀英，已送达）", "", "王科长", 0),
        ("危房", "张二 下河村2号（维修加固，待整改）", "太平乡", "测试员", -7),
    ]
    assert (items[0].row_id, items[0].table, items[1].row_id, items[1].record_kind) == (
        over,
        "house_case",
        doc,
        "document",
    )
    assert [i.title[:2] for i in overdue_only] == ["张一"]
    assert [i.title[:2] for i in soon3] == ["张一", "莲建"]
    assert [i.title[:2] for i in in_bihu] == ["张一"]
    assert [i.row_id for i in documents] == [doc] and [i.row_id for i in by_clerk] == [doc]


def test_a_targets_progress_line_counts_from_its_first_day_within_its_division(db) -> None:
    with db.session_scope() as s:
        house_with_case(s, "张一", D(2021, 9, 30), completed=D(2021, 7, 1))
        bihu = town_id(s, "碧湖镇")
        target = targets.create_target(
            s, TargetInput("碧湖镇四户", "rural_rectified", 4, D(2021, 7, 1), D(2021, 7, 10), bihu, "备注")
        )
        assert targets.target_input(s, target) == TargetInput(
            "碧湖镇四户", "rural_rectified", 4, D(2021, 7, 1), D(2021, 7, 10), bihu, "备注"
        )
        (first_day,) = targets.target_progress(s, D(2021, 7, 1))
        (before,) = targets.target_progress(s, D(2021, 6, 30))
        assert targets.progress_of(s, s.get(WorkTarget, target), D(2021, 7, 1)).division == ""
        reached = targets.create_target(s, TargetInput("一户", "rural_rectified", 1, D(2021, 7, 1), D(2021, 7, 31)))
        assert [p.id for p in targets.target_progress(s, D(2021, 7, 2))] == [target, reached]
        assert [p.id for p in targets.target_progress(s, D(2021, 7, 2), include_done=False)] == [target]
    assert first_day == TargetProgress(
        target,
        "碧湖镇四户",
        "rural_rectified",
        "农村危房完成整治",
        "户",
        4,
        D(2021, 7, 1),
        D(2021, 7, 10),
        "碧湖镇",
        D(2021, 7, 1),
        1,
        10,
        0,
        9,
        ON_TRACK,
    )
    assert (before.done, before.projected, before.expected_now, before.days_left, before.state) == (
        0,
        0,
        0,
        10,
        ON_TRACK,
    )


def test_an_item_of_a_village_or_community_counts_under_its_township(db) -> None:
    with db.session_scope() as s:
        zijin = town_id(s, "紫金街道")
        neighbourhood = list_children(s, zijin)[0]
        issue = community_issue(s, "望湖公寓", neighbourhood.id, D(2021, 5, 1))
    with db.session_scope() as s:
        (item,) = due.due_items(s, D(2021, 5, 10))
        in_zijin = due.due_items(s, D(2021, 5, 10), due.DueFilter(township_id=zijin))
        in_neighbourhood = due.due_items(s, D(2021, 5, 10), due.DueFilter(township_id=neighbourhood.id))
    assert (item.row_id, item.township, item.township_id, item.days_over) == (issue, "紫金街道", zijin, 9)
    assert [i.row_id for i in in_zijin] == [issue] and in_neighbourhood == []


def test_the_clerk_of_an_item_is_the_last_to_change_that_record_in_its_own_table(db) -> None:
    with db.session_scope() as s:
        case_id = house_with_case(s, "张一", D(2021, 5, 1))[1]
    other = Database(db.url.render_as_string(hide_password=False), clerk=ClerkRef(2, "科员甲", "c", "科员"))
    try:
        with other.session_scope() as s:  # a record of another table with the same id, changed later
            issue = community_issue(s, "望湖公寓", town_id(s, "紫金街道"), D(2021, 5, 2))
    finally:
        other.dispose()
    assert issue == case_id
    with db.session_scope() as s:
        items = due.due_items(s, D(2021, 5, 10))
        mine = due.due_items(s, D(2021, 5, 10), due.DueFilter(clerk="测试员"))
    assert [(i.table, i.row_id, i.clerk) for i in items] == [
        ("house_case", case_id, "测试员"),
        ("cm_issue", issue, "科员甲"),
    ]
    assert [i.table for i in mine] == ["house_case"]


def test_every_one_of_more_than_a_thousand_items_gets_its_clerk(db) -> None:
    with db.session_scope() as s:
        community = Community(name="望湖公寓", division_id=town_id(s, "紫金街道"), closed_managed=True)
        s.add(community)
        s.flush()
        s.add_all(
            Issue(community_id=community.id, description=f"问题{n}", found_on=D(2021, 4, 1), deadline=D(2021, 5, 1))
            for n in range(1001)
        )
    with db.session_scope() as s:
        items = due.due_items(s, D(2021, 5, 10))
    assert len(items) == 1001 and {i.clerk for i in items} == {"测试员"}


def test_the_due_list_is_counted_as_of_the_lists_day_by_default(db) -> None:
    with db.session_scope() as s:
        community_issue(s, "望湖公寓", town_id(s, "紫金街道"), D(2021, 5, 1))  # found 2021-04-21: an old file
        community_issue(s, "白云小区", town_id(s, "紫金街道"), D(2021, 4, 20))
    with db.session_scope() as s:
        (item,) = due.due_items(s)
        assert as_of_day(s) == D(2021, 4, 21) and (item.title, item.days_over) == ("白云小区：消防通道堵塞", 1)
