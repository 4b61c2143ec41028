"""星级小区 records: scoring sheets, the issues they raise and their close-out, and template versions."""

from __future__ import annotations

import datetime as dt

import pytest
from communities_factories import inspection_and_issue_counts, make_community, make_company, template_item
from sqlalchemy import select

from liandu_desk.domain.communities import Inspection, Issue
from liandu_desk.domain.errors import NotFoundError, PermissionDenied, RuleError, ValidationError
from liandu_desk.services.communities import issues, templates
from liandu_desk.services.communities.inspections import (
    ScoreInput,
    Totals,
    compute_totals,
    inspection_detail,
    record_inspection,
)
from liandu_desk.services.communities.templates import ItemDraft, ItemView, TemplateDraft
from liandu_desk.services.settings import save_settings
from liandu_desk.storage import ClerkRef, Database

D = dt.date
DAY = D(2021, 3, 1)  # a Monday; 10 working days later is 15 March
ITEMS = (
    ItemView(1, "环境卫生", 1, "楼道、屋面整洁无堆放杂物", 4.0, "", None, False),
    ItemView(2, "环境卫生", 2, "绿化完好", 5.0, "", None, False),
    ItemView(3, "消防安全", 1, "消防通道畅通", 0.0, "", None, True),
)


# --- a scoring sheet ----------------------------------------------------------------------------------------------


def test_totals_deduct_up_to_each_items_maximum_and_a_veto_deducts_nothing() -> None:
    assert compute_totals(ITEMS, []) == Totals(9.0, 9.0, 0.0, False, ())
    sheet = [ScoreInput(1, 4.0), ScoreInput(2, 0.25), ScoreInput(3, veto=True), ScoreInput(99, 50.0)]
    assert compute_totals(ITEMS, sheet) == Totals(4.75, 9.0, 4.25, True, ("消防通道畅通",))
    assert compute_totals(ITEMS, [ScoreInput(3, veto=False, note="注意")]) == Totals(9.0, 9.0, 0.0, False, ())
    assert compute_totals(ITEMS, [ScoreInput(1, 0.1), ScoreInput(2, 0.2)]).total == 8.7


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (ScoreInput(1, -0.5), "环境卫生·楼道、屋面整洁无堆放杂物：扣分不能为负数"),
        (ScoreInput(1, 4.01), "环境卫生·楼道、屋面整洁无堆放杂物：扣分不能超过该项满分4分"),
        (ScoreInput(2, 5.5), "环境卫生·绿化完好：扣分不能超过该项满分5分"),
        (ScoreInput(2, veto=True), "环境卫生·绿化完好：不是一票否决项"),
    ],
)
def test_an_impossible_deduction_is_refused_naming_the_item(entry: ScoreInput, message: str) -> None:
    with pytest.raises(ValidationError) as refused:
        compute_totals(ITEMS, [entry])
    assert str(refused.value) == message


def test_points_are_kept_to_two_decimals_and_a_deduction_over_the_maximum_by_rounding_only_is_accepted() -> None:
    assert compute_totals(ITEMS, [ScoreInput(1, 0.001)]) == Totals(9.0, 9.0, 0.0, False, ())
    assert compute_totals(ITEMS, [ScoreInput(1, 4.0 + 1e-9)]).deducted == 4.0
    long_item = ItemView(4, "基本规定", 1, "物业服务合同、服务标准和收费项目公示", 4.0, "", None, False)
    with pytest.raises(ValidationError) as refused:
        compute_totals((long_item,), [ScoreInput(4, 5)])
    assert str(refused.value) == "基本规定·物业服务合同、服务标准和：扣分不能超过该项满分4分"


def test_a_sheet_raises_one_issue_per_deduction_or_veto_due_in_the_configured_working_days(db) -> None:
    stairs, green = template_item(db, "楼道、屋面"), template_item(db, "绿化完好")
    with db.session_scope() as s:
        fire = next(i for i in templates.current_template(s).items if i.veto)
    with db.session_scope() as s:
        community = make_community(s, "丽阳花园")
        detail = record_inspection(
            s,
            community,
            DAY,
            " 王五 ",
            [
                ScoreInput(stairs.id, 1.5, note=" 墙面破损 "),
                ScoreInput(green.id, 0, note="良好"),
                ScoreInput(fire.id, veto=True),
            ],
            note="  ",
        )
        raised = issues.list_issues(s, today=DAY)
    assert (detail.row.inspectors, detail.row.total, detail.row.vetoed, detail.row.issues) == ("王五", 98.5, True, 2)
    assert [(i.description, i.responsible, i.found_on, i.deadline, i.status) for i in raised] == [
        (f"{stairs.category}：{stairs.text}（墙面破损）", "小区业主（自管）", DAY, D(2021, 3, 15), "待整改"),
        (f"【一票否决】{fire.text}", "小区业主（自管）", DAY, D(2021, 3, 15), "待整改"),
    ]
    lines = {line.item.id: line for line in detail.lines}
    assert (lines[green.id].note, lines[green.id].deduction, lines[green.id].score) == ("良好", 0.0, green.max_points)
    assert (lines[stairs.id].score, lines[fire.id].score, lines[fire.id].veto_triggered) == (
        stairs.max_points - 1.5,
        0.0,
        True,
    )
    with db.session_scope() as s:
        assert s.get(Inspection, detail.row.id).note is None
        save_settings(s, {"deadline.community_issue": 1})
        company = make_company(s)
        managed = make_community(s, "白云小区", company)
        record_inspection(s, managed, DAY, "王五", [ScoreInput(green.id, 1)])
        (late,) = [i for i in issues.list_issues(s, today=DAY) if i.community == "白云小区"]
    assert (late.responsible, late.deadline) == ("丽水安居物业服务有限公司", D(2021, 3, 2))


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        ((DAY, "  ", []), ValidationError, "检查人员：不能为空"),
        ((dt.date.today() + dt.timedelta(days=1), "王五", []), ValidationError, "检查日期：不能晚于今天"),
    ],
)
def test_an_invalid_sheet_is_refused_and_nothing_saved(db, args, error, message: str) -> None:
    with db.session_scope() as s:
        community = make_community(s, "丽阳花园")
    with pytest.raises(error) as refused, db.session_scope() as s:
        record_inspection(s, community, *args)
    assert str(refused.value) == message
    assert inspection_and_issue_counts(db) == (0, 0)


def test_a_sheet_for_an_unknown_community_or_with_foreign_items_is_refused(db) -> None:
    with db.session_scope() as s:
        community = make_community(s, "丽阳花园")
        label = templates.current_template(s).label
    with pytest.raises(NotFoundError) as refused, db.session_scope() as s:
        record_inspection(s, community + 7, DAY, "王五", [])
    assert str(refused.value) == f"小区（编号{community + 7}）不存在"
    with pytest.raises(ValidationError) as refused, db.session_scope() as s:
        record_inspection(s, community, DAY, "王五", [ScoreInput(9999, 1), ScoreInput(9998, 1)])
    assert str(refused.value) == f"评分项目：不属于{label}：[9999, 9998]"
    assert inspection_and_issue_counts(db) == (0, 0)
    with pytest.raises(NotFoundError, match="^检查记录（编号5）不存在$"), db.session_scope() as s:
        inspection_detail(s, 5)


# --- issues -------------------------------------------------------------------------------------------------------


def _issue(db, deduction_text: str = "绿化完好") -> int:
    item = template_item(db, deduction_text)
    with db.session_scope() as s:
        community = make_community(s, "丽阳花园")
        record_inspection(s, community, DAY, "王五", [ScoreInput(item.id, 1)])
        return s.scalar(select(Issue.id))


def _state(db, issue_id: int) -> tuple:
    with db.session_scope() as s:
        i = s.get(Issue, issue_id)
        return i.status.value, i.evidence, i.reported_on, i.rectified_on, i.reopen_count, i.deadline


def test_a_rectification_report_needs_evidence_dated_no_earlier_than_the_finding(db) -> None:
    issue_id = _issue(db)
    for args, message in (
        (("  ", DAY), "整改佐证：不能为空（请写明整改情况或照片文件）"),
        (("已补种", DAY - dt.timedelta(days=1)), "整改日期：不能早于发现日期"),
    ):
        with pytest.raises(ValidationError) as refused, db.session_scope() as s:
            issues.report_rectification(s, issue_id, *args)
        assert str(refused.value) == message
    assert _state(db, issue_id)[:3] == ("待整改", None, None)
    with db.session_scope() as s:
        issues.report_rectification(s, issue_id, " 已补种 ", DAY)
    assert _state(db, issue_id)[:3] == ("待复查", "已补种", DAY)
    with pytest.raises(NotFoundError, match=f"^问题（编号{issue_id + 1}）不存在$"), db.session_scope() as s:
        issues.report_rectification(s, issue_id + 1, "x", DAY)


def test_a_failed_reinspection_reopens_with_a_new_deadline_a_passed_one_closes(db) -> None:
    issue_id = _issue(db)
    with db.session_scope() as s:
        issues.report_rectification(s, issue_id, "已补种", D(2021, 3, 3))
    for args, message in (
        ((DAY, False, "  "), "复查人：不能为空"),
        ((DAY - dt.timedelta(days=1), False, "李四"), "复查日期：不能早于发现日期"),
    ):
        with pytest.raises(ValidationError) as refused, db.session_scope() as s:
            issues.reinspect(s, issue_id, *args)
        assert str(refused.value) == message
    with db.session_scope() as s:
        assert issues.reinspect(s, issue_id, D(2021, 3, 8), False, " 李四 ", " 仍有缺株 ") == "待整改"
    assert _state(db, issue_id) == ("待整改", "已补种", D(2021, 3, 3), None, 1, D(2021, 3, 22))
    clerk = Database(db.url.render_as_string(hide_password=False), clerk=ClerkRef(2, "科员甲", "c", "科员"))
    try:
        with pytest.raises(PermissionDenied), clerk.session_scope() as s:
            issues.reinspect(s, issue_id, D(2021, 3, 9), True, "李四")
    finally:
        clerk.dispose()
    with db.session_scope() as s:
        assert issues.reinspect(s, issue_id, D(2021, 3, 10), True, "李四", evidence=" 复查照片 ") == "已销号"
        assert [(r.inspected_on, r.inspector, r.passed, r.note) for r in issues.reinspections(s, issue_id)] == [
            (D(2021, 3, 8), "李四", False, "仍有缺株"),
            (D(2021, 3, 10), "李四", True, ""),
        ]
    assert _state(db, issue_id)[:5] == ("已销号", "复查照片", D(2021, 3, 3), D(2021, 3, 10), 1)
    with pytest.raises(RuleError, match="^该问题已销号，不能再复查$"), db.session_scope() as s:
        issues.reinspect(s, issue_id, D(2021, 3, 11), False, "李四")
    with pytest.raises(RuleError, match="^该问题已销号，不能再报送整改$"), db.session_scope() as s:
        issues.report_rectification(s, issue_id, "再报", D(2021, 3, 11))


def test_no_close_out_without_evidence(db) -> None:
    issue_id = _issue(db)
    with pytest.raises(RuleError) as refused, db.session_scope() as s:
        issues.reinspect(s, issue_id, D(2021, 3, 8), True, "李四")
    assert str(refused.value) == "没有整改佐证，不能复查通过销号"
    assert _state(db, issue_id)[0] == "待整改"
    with db.session_scope() as s:
        assert issues.reinspections(s, issue_id) == []


def test_days_late_count_to_today_while_open_and_to_the_report_when_reported(db) -> None:
    first = _issue(db)  # due 15 March
    with db.session_scope() as s:
        assert issues.list_issues(s, overdue_only=True, today=D(2021, 3, 15)) == []
        (row,) = issues.list_issues(s, overdue_only=True, today=D(2021, 3, 17))
        assert (row.id, row.overdue, row.days_overdue) == (first, True, 2)
        issues.report_rectification(s, first, "已补种", D(2021, 3, 16))
    with db.session_scope() as s:
        (row,) = issues.list_issues(s, overdue_only=True, today=D(2021, 4, 30))
        assert (row.status, row.days_overdue) == ("待复查", 1)
        assert [r.id for r in issues.list_issues(s, status="未销号")] == [first]
        assert issues.list_issues(s, status="待整改") == []
        issues.reinspect(s, first, D(2021, 3, 20), True, "李四")
    with db.session_scope() as s:
        assert issues.list_issues(s, status="未销号") == []
        (row,) = issues.list_issues(s, status="已销号", today=D(2021, 4, 30))
        assert (row.overdue, row.days_overdue, row.rectified_on) == (False, 0, D(2021, 3, 20))


def test_a_report_on_the_deadline_is_not_late(db) -> None:
    issue_id = _issue(db)
    with db.session_scope() as s:
        issues.report_rectification(s, issue_id, "已补种", D(2021, 3, 15))
        assert issues.list_issues(s, overdue_only=True, today=D(2021, 5, 1)) == []


# --- template versions --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("draft", "message"),
    [
        (TemplateDraft(" ", 60, [ItemDraft("甲", "一", 5)]), "模板名称：不能为空"),
        (TemplateDraft("新模板", 60, []), "评分项目：至少需要一项"),
        (TemplateDraft("新模板", 60, [ItemDraft("甲", "一", 5), ItemDraft(" ", "二", 5)]), "第2行 类别：不能为空"),
        (TemplateDraft("新模板", 60, [ItemDraft("甲", " ", 5)]), "第1行 项目内容：不能为空"),
        (TemplateDraft("新模板", 60, [ItemDraft("甲", "一", -1)]), "第1行 满分：不能为负数"),
        (
            TemplateDraft("新模板", 60, [ItemDraft("甲", "一", 5), ItemDraft("甲", "否", 1, veto=True)]),
            "第2行 满分：一票否决项不计分，满分应为0",
        ),
        (TemplateDraft("新模板", 60, [ItemDraft("甲", "否", 0, veto=True)]), "评分项目：至少需要一项计分项目"),
        (TemplateDraft("新模板", 100.5, [ItemDraft("甲", "一", 5)]), "合格分：应在0至100之间"),
        (TemplateDraft("新模板", -1, [ItemDraft("甲", "一", 5)]), "合格分：应在0至100之间"),
    ],
)
def test_an_invalid_template_is_refused(db, draft: TemplateDraft, message: str) -> None:
    with db.session_scope() as s:
        current = templates.current_template(s)
    with pytest.raises(ValidationError) as refused, db.session_scope() as s:
        templates.save_template(s, current.id, draft)
    assert str(refused.value) == message
    with db.session_scope() as s:
        assert templates.current_template(s) == current


def test_an_unused_version_changes_in_place_a_used_one_gets_a_new_current_version(db) -> None:
    draft = TemplateDraft(
        " 简化模板 ",
        0,
        [
            ItemDraft(" 甲 ", " 一 ", 100, " 每处扣1分 ", 1.0),
            ItemDraft("乙", "二", 0, veto=True),
            ItemDraft("甲", "三", 0),
        ],
    )
    with db.session_scope() as s:
        first = templates.current_template(s)
        assert templates.save_template(s, first.id, draft) == first.id
        view = templates.get_template(s, first.id)
    assert (view.name, view.version, view.pass_mark, view.current, view.used, view.label) == (
        "简化模板",
        1,
        0,
        True,
        False,
        "简化模板（第1版）",
    )
    assert [(i.category, i.seq, i.text, i.max_points, i.deduction_rule, i.deduct_per, i.veto) for i in view.items] == [
        ("甲", 1, "一", 100.0, "每处扣1分", 1.0, False),
        ("甲", 2, "三", 0.0, "", None, False),
        ("乙", 1, "二", 0.0, "", None, True),
    ]
    assert view.total_points == 100.0
    with db.session_scope() as s:
        community = make_community(s, "丽阳花园")
        record_inspection(s, community, DAY, "王五", [ScoreInput(view.items[0].id, 10)])
        second = templates.save_template(s, first.id, TemplateDraft("简化模板", 100, [ItemDraft("甲", "一", 50)]))
        third = templates.save_template(s, first.id, TemplateDraft("简化模板", 60, [ItemDraft("甲", "一", 40)]))
    with db.session_scope() as s:
        versions = [(v.id, v.version, v.current, v.used, v.total_points) for v in templates.list_templates(s)]
        now = templates.current_template(s)
    assert second != first.id and third not in (first.id, second)
    assert versions == [
        (third, 3, True, False, 40.0),
        (second, 2, False, False, 50.0),
        (first.id, 1, False, True, 100.0),
    ]
    assert (now.id, now.pass_mark) == (third, 60)
    with pytest.raises(NotFoundError, match=f"^评分模板（编号{third + 1}）不存在$"), db.session_scope() as s:
        templates.get_template(s, third + 1)


def test_reinspection_on_the_finding_day_and_the_list_by_community(db) -> None:
    issue_id = _issue(db)
    with db.session_scope() as s:
        other = make_community(s, "白云小区")
        record_inspection(s, other, DAY, "王五", [ScoreInput(template_item(db, "绿化完好").id, 1)])
        community = s.get(Issue, issue_id).community_id
        assert issues.reinspect(s, issue_id, DAY, False, "李四") == "待整改"
        (row,) = issues.list_issues(s, community_id=community, today=DAY)
        assert (row.id, row.community_id, row.community, row.evidence, row.reopen_count) == (
            issue_id,
            community,
            "丽阳花园",
            "",
            1,
        )
        assert [r.community for r in issues.list_issues(s, community_id=other, today=DAY)] == ["白云小区"]
        issues.report_rectification(s, issue_id, "已补种", DAY)
        assert issues.list_issues(s, community_id=community, today=DAY)[0].evidence == "已补种"


# --- issues: what the tracker keeps and shows ---------------------------------------------------------------------


def test_a_report_without_evidence_is_refused_and_its_photos_are_kept_as_after_photos(db, tmp_path) -> None:
    from liandu_desk.services.attachments import list_attachments

    issue_id = _issue(db)
    with (
        pytest.raises(ValidationError, match="^整改佐证：不能为空（请写明整改情况或照片文件）$"),
        db.session_scope() as s,
    ):
        issues.report_rectification(s, issue_id, None, DAY)
    photo = tmp_path / "补种后.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0 after")
    with db.session_scope() as s:
        issues.report_rectification(s, issue_id, "已补种", DAY, [str(photo)])
        attached = [(a.original_name, a.role) for a in list_attachments(s, [("cm_issue", issue_id)])]
        assert issues.issue_photos(s, issue_id) == ["补种后.jpg"]
    assert attached == [("补种后.jpg", "整改后")]


def test_each_failed_reinspection_counts_a_reopening_and_keeps_the_evidence_it_saw(db) -> None:
    from liandu_desk.domain.communities import IssueReinspection

    issue_id = _issue(db)
    with db.session_scope() as s:
        issues.report_rectification(s, issue_id, "已补种", D(2021, 3, 2))
        issues.reinspect(s, issue_id, D(2021, 3, 3), False, "李四")
        issues.reinspect(s, issue_id, D(2021, 3, 4), False, "李四", evidence="补种两株")
        seen = list(s.scalars(select(IssueReinspection.evidence).order_by(IssueReinspection.id)))
    assert seen == ["已补种", "补种两株"]
    assert _state(db, issue_id)[4] == 2


def test_an_issue_one_day_late_is_overdue_and_the_list_runs_by_deadline(db) -> None:
    first = _issue(db)  # found 1 March, due 15 March
    with db.session_scope() as s:
        community = s.get(Issue, first).community_id
        s.add_all(
            Issue(community_id=community, description=text, found_on=DAY, deadline=deadline)
            for text, deadline in (("后录早到期", D(2021, 3, 10)), ("同日到期", D(2021, 3, 15)))
        )
        s.flush()
        rows = issues.list_issues(s, today=D(2021, 3, 16))
    assert [(r.id == first, r.deadline, r.overdue, r.days_overdue) for r in rows] == [
        (False, D(2021, 3, 10), True, 6),
        (True, D(2021, 3, 15), True, 1),
        (False, D(2021, 3, 15), True, 1),
    ]


def test_the_issue_list_shows_at_most_2000_by_default(db) -> None:
    with db.session_scope() as s:
        community = make_community(s, "丽阳花园")
        s.add_all(
            Issue(community_id=community, description=f"问题{n}", found_on=DAY, deadline=DAY) for n in range(2001)
        )
        s.flush()
        assert (len(issues.list_issues(s, today=DAY)), len(issues.list_issues(s, today=DAY, limit=2001))) == (
            2000,
            2001,
        )
