"""Scoring: a sheet scored by hand against the computed total (with a veto), and template versioning."""

from __future__ import annotations

import datetime as dt

import pytest
from communities_factories import make_community, make_company

from liandu_desk.domain.errors import ValidationError
from liandu_desk.services.communities import issues as issue_service
from liandu_desk.services.communities.inspections import ScoreInput, inspection_detail, record_inspection
from liandu_desk.services.communities.templates import current_template, draft_from, list_templates, save_template

DAY = dt.date(2021, 3, 15)


def _item(template, text_start: str):
    return next(i for i in template.items if i.text.startswith(text_start))


def test_default_template_has_ten_areas_worth_100_points_and_veto_items(db):
    with db.session_scope() as s:
        template = current_template(s)
    areas = list(dict.fromkeys(i.category for i in template.items))
    assert areas == [
        "基本规定",
        "承接查验",
        "客户服务",
        "共用部位",
        "共用设施设备",
        "公共秩序",
        "环境卫生",
        "绿化养护",
        "物业服务",
        "文明创建/共建",
    ]
    assert template.total_points == 100
    vetoes = [i for i in template.items if i.veto]
    assert len(vetoes) == 2 and all(i.max_points == 0 for i in vetoes)
    assert any("消防" in i.text for i in vetoes)


def test_inspection_scored_by_hand_matches_computed_total_with_veto(db):
    with db.session_scope() as s:
        company = make_company(s)
        community = make_community(s, "丽阳花园", company)
        t = current_template(s)
        publicity = _item(t, "物业服务合同")  # max 4
        stairs = _item(t, "楼道、屋面")  # max 5
        green = _item(t, "绿化完好")  # max 4
        fire = next(i for i in t.items if i.veto and "消防设施" in i.text)
        sheet = [
            ScoreInput(publicity.id, deduction=2, note="未公示收费标准"),
            ScoreInput(stairs.id, deduction=1.5, note="3处墙面破损"),
            ScoreInput(green.id, deduction=0.5),
            ScoreInput(fire.id, veto=True, note="消防通道被占用"),
        ]
        detail = record_inspection(s, community, DAY, "王五", sheet)
    # By hand: 100 − (2 + 1.5 + 0.5) = 96; the veto item deducts nothing but flags the inspection.
    assert detail.row.total == 96.0
    assert detail.row.vetoed is True
    assert detail.row.issues == 4
    lines = {line.item.id: line for line in detail.lines}
    assert lines[publicity.id].score == 2 and lines[stairs.id].score == 3.5
    assert lines[fire.id].veto_triggered
    with db.session_scope() as s:
        open_issues = issue_service.list_issues(s, status="待整改", today=DAY)
    assert {i.responsible for i in open_issues} == {"丽水安居物业服务有限公司"}
    assert any(i.description.startswith("【一票否决】") for i in open_issues)
    assert all(i.deadline == dt.date(2021, 3, 29) for i in open_issues)  # 10 working days


def test_deduction_above_item_maximum_is_refused(db):
    with db.session_scope() as s:
        community = make_community(s, "南明小区")
        t = current_template(s)
        item = _item(t, "物业服务合同")
        with pytest.raises(ValidationError, match="不能超过该项满分4分"):
            record_inspection(s, community, DAY, "王五", [ScoreInput(item.id, deduction=4.5)])


def test_template_edit_creates_a_new_version_and_leaves_old_scores_unchanged(db):
    with db.session_scope() as s:
        community = make_community(s, "白云山庄")
        v1 = current_template(s)
        item = _item(v1, "物业服务合同")
        old = record_inspection(s, community, DAY, "王五", [ScoreInput(item.id, deduction=3)])
        draft = draft_from(v1)
        draft.items[0].max_points = 10  # 4 → 10: template now worth 106
        draft.items.pop(1)
        new_id = save_template(s, v1.id, draft)
    assert new_id != v1.id
    with db.session_scope() as s:
        again = inspection_detail(s, old.row.id)
        v2 = current_template(s)
        new = record_inspection(s, community, DAY, "王五", [ScoreInput(v2.items[0].id, deduction=3)])
        versions = [(t.version, t.current, t.used) for t in list_templates(s)]
    assert again.row.total == old.row.total == 97.0
    assert again.template.id == v1.id and again.template.total_points == 100
    assert (v2.version, v2.total_points) == (2, 102)
    assert new.row.total == 99.0
    assert versions == [(2, True, True), (1, False, True)]


def test_unused_template_version_is_edited_in_place(db):
    with db.session_scope() as s:
        v1 = current_template(s)
        draft = draft_from(v1)
        draft.items[0].text = "物业服务合同公示（修订）"
        same = save_template(s, v1.id, draft)
        assert same == v1.id
        assert current_template(s).items[0].text == "物业服务合同公示（修订）"
