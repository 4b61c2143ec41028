"""星级小区 records, continued: what a saved scoring sheet keeps, the inspection list, and template versions."""

from __future__ import annotations

import datetime as dt

import pytest
from communities_factories import inspection_and_issue_counts, make_community, template_item
from sqlalchemy import func, select

from liandu_desk.domain.communities import Inspection, Issue
from liandu_desk.domain.errors import ValidationError
from liandu_desk.services.communities import templates
from liandu_desk.services.communities.inspections import (
    ScoreInput,
    inspection_detail,
    latest_inspection_date,
    list_inspections,
    record_inspection,
)
from liandu_desk.services.communities.templates import ItemDraft, TemplateDraft
from liandu_desk.storage import ClerkRef, Database
from liandu_desk.storage.audit_listener import SYSTEM_KEY

D = dt.date
DAY = D(2021, 3, 1)  # a Monday; 10 working days later is 15 March


# --- what a saved sheet keeps, and the inspection list ------------------------------------------------------------


def test_a_saved_sheet_keeps_only_lines_with_something_entered_and_each_photo_as_a_photo(db, tmp_path) -> None:
    from liandu_desk.domain.communities import InspectionScore
    from liandu_desk.services.attachments import list_attachments

    photo = tmp_path / "楼道.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    with db.session_scope() as s:
        items = templates.current_template(s).items
        scored = [i for i in items if not i.veto]
        fire = next(i for i in items if i.veto)
        community = make_community(s, "丽阳花园")
        detail = record_inspection(
            s,
            community,
            DAY,
            "王五",
            [
                ScoreInput(scored[0].id),  # nothing entered: no line
                ScoreInput(scored[1].id, 1.0),  # a deduction without a note
                ScoreInput(scored[2].id, photos=[str(photo)]),  # a photo only: a line, no issue
                ScoreInput(scored[3].id, 0.5, note="   "),  # a blank note adds nothing to the issue
                ScoreInput(fire.id, note="已检查"),  # a veto item noted, not triggered
            ],
        )
        stored = {
            row.item_id: (row.deduction, row.veto_triggered, row.note)
            for row in s.scalars(select(InspectionScore).where(InspectionScore.inspection_id == detail.row.id))
        }
        raised = {i.item_id: (i.description, i.status.value) for i in s.scalars(select(Issue))}
        photos = list_attachments(s, [("cm_score", line_id) for line_id in s.scalars(select(InspectionScore.id))])
    assert stored == {
        scored[1].id: (1.0, False, None),
        scored[2].id: (0.0, False, None),
        scored[3].id: (0.5, False, None),
        fire.id: (0.0, False, "已检查"),
    }
    assert raised == {
        scored[1].id: (f"{scored[1].category}：{scored[1].text}", "待整改"),
        scored[3].id: (f"{scored[3].category}：{scored[3].text}", "待整改"),
    }
    assert [(p.original_name, p.role) for p in photos] == [("楼道.jpg", "照片")]
    assert (detail.row.vetoed, detail.row.issues) == (False, 2)
    lines = {line.item.id: line for line in detail.lines}
    assert (lines[scored[0].id].deduction, lines[scored[0].id].score, lines[scored[0].id].note) == (
        0.0,
        scored[0].max_points,
        "",
    )
    assert (lines[scored[1].id].note, lines[scored[2].id].photos) == ("", ("楼道.jpg",))
    assert (lines[fire.id].deduction, lines[fire.id].score, lines[fire.id].veto_triggered) == (0.0, 0.0, False)


def test_a_triggered_veto_item_deducts_nothing_on_its_line(db) -> None:
    with db.session_scope() as s:
        fire = next(i for i in templates.current_template(s).items if i.veto)
        detail = record_inspection(s, make_community(s, "丽阳花园"), DAY, "王五", [ScoreInput(fire.id, veto=True)])
    (line,) = [line for line in detail.lines if line.item.id == fire.id]
    assert (line.deduction, line.score, line.veto_triggered) == (0.0, 0.0, True)


def test_an_unreadable_photo_is_refused_by_name_and_nothing_saved(db, tmp_path) -> None:
    missing = tmp_path / "不存在.jpg"
    item = template_item(db, "绿化完好")
    with db.session_scope() as s:
        community = make_community(s, "丽阳花园")
    with pytest.raises(ValidationError) as refused, db.session_scope() as s:
        record_inspection(s, community, DAY, "王五", [ScoreInput(item.id, 1, photos=[str(missing)])])
    assert str(refused.value) == "照片：无法读取文件“不存在.jpg”：No such file or directory"
    assert inspection_and_issue_counts(db) == (0, 0)


def test_a_sheet_keeps_who_recorded_it_its_note_and_may_be_dated_today(db) -> None:
    today = dt.date.today()
    named = Database(db.url.render_as_string(hide_password=False), clerk=ClerkRef(7, "王科员", "w", "管理员"))
    unnamed = Database(db.url.render_as_string(hide_password=False), clerk=ClerkRef(8, "", "x", "管理员"))
    nobody = Database(db.url.render_as_string(hide_password=False))
    with db.session_scope() as s:
        community = make_community(s, "丽阳花园")
    try:
        with named.session_scope() as s:
            first = record_inspection(s, community, today, "王五", [], note=" 重点查消防 ").row.id
        with unnamed.session_scope() as s:
            second = record_inspection(s, community, DAY, "王五", []).row.id
        with nobody.session_scope() as s:
            s.info[SYSTEM_KEY] = True  # a write made before anyone is logged in
            third = record_inspection(s, community, DAY, "王五", []).row.id
        with db.session_scope() as s:
            saved = [
                (i.recorded_by_id, i.recorded_by, i.note)
                for i in (s.get(Inspection, n) for n in (first, second, third))
            ]
            rows = {r.id: r.recorded_by for r in list_inspections(s)}
    finally:
        named.dispose()
        unnamed.dispose()
        nobody.dispose()
    assert saved == [(7, "王科员", "重点查消防"), (8, "", None), (None, "", None)]
    assert rows == {first: "王科员", second: "", third: ""}


def test_a_sheet_scored_against_an_earlier_template_version_keeps_that_version(db) -> None:
    with db.session_scope() as s:
        first = templates.current_template(s)
        community = make_community(s, "丽阳花园")
        record_inspection(s, community, DAY, "王五", [])  # the first version is now in use
        second = templates.save_template(s, first.id, TemplateDraft("简化模板", 60, [ItemDraft("甲", "一", 50)]))
        detail = record_inspection(s, community, DAY, "赵六", [ScoreInput(first.items[0].id, 1)], template_id=first.id)
    assert second != first.id
    assert (detail.template.id, detail.row.template, detail.row.total) == (
        first.id,
        f"{first.name}（第1版）",
        first.total_points - 1,
    )


def test_the_inspection_list_is_newest_first_by_community_with_counts_and_corrections_on_request(db) -> None:
    from liandu_desk.services.communities.corrections import correct_inspection

    green = template_item(db, "绿化完好")
    stairs = template_item(db, "楼道、屋面")
    with db.session_scope() as s:
        label = templates.current_template(s).label
        here = make_community(s, "丽阳花园")
        there = make_community(s, "白云小区")
        latest = s.scalar(select(func.count()).select_from(Inspection))
        assert latest_inspection_date(s) is None and latest == 0
        early = record_inspection(s, here, D(2021, 3, 1), "王五", [ScoreInput(green.id, 1), ScoreInput(stairs.id, 1)])
        late = record_inspection(s, here, D(2021, 3, 5), "王五", []).row.id
        same_day = record_inspection(s, there, D(2021, 3, 1), "李四", [ScoreInput(green.id, 2)]).row.id
        corrected = correct_inspection(
            s, early.row.id, D(2021, 3, 1), "王五", [ScoreInput(green.id, 1)], "楼道扣分录错了"
        ).row.id
        assert latest_inspection_date(s) == D(2021, 3, 5)
        everyone = list_inspections(s)
        mine = list_inspections(s, community_id=here)
        with_old = list_inspections(s, community_id=here, include_superseded=True)
        old_alone = inspection_detail(s, early.row.id).row
    assert [(r.id, r.community_id, r.community, r.inspected_on, r.inspectors) for r in everyone] == [
        (late, here, "丽阳花园", D(2021, 3, 5), "王五"),
        (corrected, here, "丽阳花园", D(2021, 3, 1), "王五"),
        (same_day, there, "白云小区", D(2021, 3, 1), "李四"),
    ]
    assert [(r.template, r.total, r.vetoed, r.issues) for r in everyone] == [
        (label, 100.0, False, 0),
        (label, 99.0, False, 1),
        (label, 98.0, False, 1),
    ]
    assert [r.id for r in mine] == [late, corrected]
    assert [(r.id, r.revision, r.recorded_by, r.superseded_by_id, r.correction_reason) for r in with_old] == [
        (late, 1, "测试员", None, ""),
        (corrected, 2, "测试员", None, "楼道扣分录错了"),
        (early.row.id, 1, "测试员", corrected, ""),
    ]
    assert (old_alone.id, old_alone.superseded_by_id, old_alone.issues, old_alone.total) == (
        early.row.id,
        corrected,
        0,  # its issue was carried over to the correction
        98.0,
    )


def test_the_inspection_list_shows_at_most_500_by_default(db) -> None:
    with db.session_scope() as s:
        template_id = templates.current_template(s).id
        community = make_community(s, "丽阳花园")
        s.add_all(
            Inspection(community_id=community, template_id=template_id, inspected_on=DAY, inspectors="王五", total=100)
            for _ in range(501)
        )
        s.flush()
        assert (len(list_inspections(s)), len(list_inspections(s, limit=501))) == (500, 501)


def test_categories_are_numbered_in_the_order_of_the_draft_and_a_half_point_item_is_enough(db) -> None:
    from liandu_desk.domain.communities import ScoreCategory

    draft = TemplateDraft(
        "简化模板", 60, [ItemDraft("乙", "一", 0.5), ItemDraft("甲", "二", 0), ItemDraft("乙", "三", 0)]
    )
    with db.session_scope() as s:
        template_id = templates.save_template(s, templates.current_template(s).id, draft)
        categories = s.execute(
            select(ScoreCategory.name, ScoreCategory.seq)
            .where(ScoreCategory.template_id == template_id)
            .order_by(ScoreCategory.id)
        ).all()
        view = templates.get_template(s, template_id)
    assert categories == [("乙", 1), ("甲", 2)]
    assert [(i.category, i.seq, i.text) for i in view.items] == [("乙", 1, "一"), ("乙", 2, "三"), ("甲", 1, "二")]
    assert view.total_points == 0.5


def test_a_draft_from_a_version_holds_all_of_its_content(db) -> None:
    draft = TemplateDraft(
        "简化模板",
        75,
        [ItemDraft("甲", "一", 10, "每处扣0.5分", 0.5), ItemDraft("乙", "否", 0, "发现即否决", None, veto=True)],
    )
    with db.session_scope() as s:
        template_id = templates.save_template(s, templates.current_template(s).id, draft)
        assert templates.draft_from(templates.get_template(s, template_id)) == draft


def test_the_current_version_is_the_newest_marked_current_or_else_the_newest(db) -> None:
    from sqlalchemy import update

    from liandu_desk.domain.communities import ScoreTemplate

    with db.session_scope() as s:
        first = templates.current_template(s).id
        record_inspection(s, make_community(s, "丽阳花园"), DAY, "王五", [])
        second = templates.save_template(s, first, TemplateDraft("简化模板", 60, [ItemDraft("甲", "一", 50)]))
        # an older version marked current again beside a newer one that is not: the marked one is current
        s.execute(update(ScoreTemplate).values(current=ScoreTemplate.id == first))
        assert templates.current_template(s).id == first
        # two marked current (as a database kept from before the flag was cleared): the newer one
        s.execute(update(ScoreTemplate).values(current=True))
        assert templates.current_template(s).id == second
        # none marked: the newest version
        s.execute(update(ScoreTemplate).values(current=False))
        assert templates.current_template(s).id == second


def test_versions_are_listed_by_template_name_then_newest_version_first(db) -> None:
    with db.session_scope() as s:
        first = templates.current_template(s)
        record_inspection(s, make_community(s, "丽阳花园"), DAY, "王五", [])
        second = templates.save_template(s, first.id, TemplateDraft(first.name, 60, [ItemDraft("甲", "一", 50)]))
        # the new version is still unused, so it may be renamed in place: now two templates
        renamed = f"{first.name}（简化）"
        templates.save_template(s, second, TemplateDraft(renamed, 60, [ItemDraft("甲", "一", 50)]))
        listed = [(t.name, t.version) for t in templates.list_templates(s)]
    assert listed == [(first.name, 1), (renamed, 2)]
