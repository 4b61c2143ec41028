"""Issue 19: a saved inspection is corrected by its author or a 审核 as a new version; the old one is kept and marked
superseded, totals, issues and ratings follow the new version, the change is audited; anyone else is refused."""

from __future__ import annotations

import datetime as dt

import pytest
from communities_factories import make_community

from liandu_desk.domain.errors import PermissionDenied, RuleError
from liandu_desk.services import audit
from liandu_desk.services.communities import issues
from liandu_desk.services.communities.corrections import correct_inspection, inspection_versions
from liandu_desk.services.communities.inspections import (
    ScoreInput,
    inspection_detail,
    list_inspections,
    record_inspection,
)
from liandu_desk.services.communities.ratings import period_scores
from liandu_desk.services.communities.templates import current_template
from liandu_desk.services.periods import Period
from liandu_desk.storage import ClerkRef, Database

DAY = dt.date(2021, 3, 1)
HALF = Period(dt.date(2021, 1, 1), dt.date(2021, 6, 30))


def _as(db: Database, clerk_id: int, name: str, role: str) -> Database:
    return Database(db.url, clerk=ClerkRef(clerk_id, name, f"c{clerk_id}", role))


def _items(db: Database) -> list[int]:
    with db.session_scope() as s:
        return [i.id for i in current_template(s).items if not i.veto][:3]


def _recorded(db: Database) -> tuple[int, int, list[int]]:
    """科员甲 (id 2) deducts 2 points on item a and 1 on item b: two issues."""
    a, b, _c = _items(db)
    with db.session_scope() as s:
        community = make_community(s, "南明家园")
    with _as(db, 2, "科员甲", "科员").session_scope() as s:
        scores = [ScoreInput(a, 2, note="楼道堆物"), ScoreInput(b, 1)]
        inspection = record_inspection(s, community, DAY, "张三", scores).row.id
    return community, inspection, [a, b]


def _state(db: Database, community: int) -> tuple:
    with db.session_scope() as s:
        rows = list_inspections(s, community_id=community, include_superseded=True)
        found = issues.list_issues(s, today=DAY)
        return [(r.revision, r.total, r.superseded_by_id) for r in rows], [(i.id, i.description) for i in found]


def test_the_author_corrects_a_new_version_follows_and_the_old_one_is_kept(db) -> None:
    community, first, (a, b) = _recorded(db)
    c = _items(db)[2]
    with db.session_scope() as s:
        issue_a = next(i.id for i in issues.list_issues(s, today=DAY) if "楼道堆物" in i.description)
    with _as(db, 2, "科员甲", "科员").session_scope() as s:
        scores = [ScoreInput(a, 2, note="楼道堆物"), ScoreInput(c, 3, note="绿化缺株")]
        second = correct_inspection(s, first, DAY, "张三、李四", scores, "b项误扣，c项漏记").row
    assert (second.revision, second.total, second.correction_reason) == (2, 95.0, "b项误扣，c项漏记")
    with db.session_scope() as s:
        current = list_inspections(s, community_id=community)
        both = list_inspections(s, community_id=community, include_superseded=True)
        found = issues.list_issues(s, today=DAY)
        scores_now = period_scores(s, HALF)[community]
        versions = inspection_versions(s, first)
        old_audit = audit.history(s, "cm_inspection", first)
        new_audit = audit.history(s, "cm_inspection", second.id)
        issue_audit = audit.history(s, "cm_issue", issue_a)
    assert [(r.id, r.revision, r.issues) for r in current] == [(second.id, 2, 2)]
    assert {r.id: r.superseded_by_id for r in both} == {first: second.id, second.id: None}
    assert next(r for r in both if r.id == first).total == 97.0  # the old version keeps its scores
    kept = next(i for i in found if i.id == issue_a)  # item a still deducted: the same issue, moved on
    added = next(i for i in found if i.id != issue_a)
    assert len(found) == 2 and "楼道堆物" in kept.description and "绿化缺株" in added.description  # b withdrawn
    assert (scores_now.average, scores_now.inspections) == (95.0, 1)  # ratings read the current version only
    assert versions == [first, second.id]
    assert old_audit[-1].action == "update" and old_audit[-1].new_values["superseded_by_id"] == second.id
    assert new_audit[0].clerk_name == "科员甲" and new_audit[0].new_values["corrected_from_id"] == first
    assert issue_audit[-1].new_values["inspection_id"] == second.id  # issue a moved, its history kept


def test_a_reviewer_may_correct_another_clerk_may_not_and_nothing_changes(db) -> None:
    community, first, (a, _b) = _recorded(db)
    before = _state(db, community)
    with pytest.raises(PermissionDenied) as refused, _as(db, 3, "科员乙", "科员").session_scope() as s:
        correct_inspection(s, first, DAY, "张三", [ScoreInput(a, 1)], "改分")
    assert "科员乙不是这条检查记录的录入人（录入人：科员甲），只有录入人或审核人员可以更正" in str(refused.value)
    assert _state(db, community) == before
    with _as(db, 4, "审核丙", "审核").session_scope() as s:
        second = correct_inspection(s, first, DAY, "张三", [ScoreInput(a, 1)], "复核后改为扣1分").row.id
    with pytest.raises(RuleError, match="已被更正"), _as(db, 2, "科员甲", "科员").session_scope() as s:
        correct_inspection(s, first, DAY, "张三", [], "再改")
    with _as(db, 2, "科员甲", "科员").session_scope() as s:  # the author still may, on the newest version
        assert correct_inspection(s, second, DAY, "张三", [], "全部整改到位前误记").row.revision == 3
    assert _state(db, community)[1] == []  # no deduction left: the untouched issues are withdrawn


def test_an_issue_already_being_rectified_is_not_withdrawn_by_a_correction(db) -> None:
    community, first, (a, b) = _recorded(db)
    with db.session_scope() as s:
        issue_b = next(i.id for i in issues.list_issues(s, today=DAY) if "楼道堆物" not in i.description)
        issues.report_rectification(s, issue_b, "已整改", dt.date(2021, 3, 5))
    before = _state(db, community)
    with pytest.raises(RuleError, match="已有整改记录"), _as(db, 2, "科员甲", "科员").session_scope() as s:
        correct_inspection(s, first, DAY, "张三", [ScoreInput(a, 2, note="楼道堆物")], "b项误扣")
    assert _state(db, community) == before


def test_photos_of_an_item_still_scored_come_along_to_the_new_version(db, tmp_path) -> None:
    a, b, _c = _items(db)
    photo = tmp_path / "楼道.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 64)
    with db.session_scope() as s:
        community = make_community(s, "南明家园")
        first = record_inspection(s, community, DAY, "张三", [ScoreInput(a, 2, photos=[str(photo)])]).row.id
        second = correct_inspection(s, first, DAY, "张三", [ScoreInput(a, 1), ScoreInput(b, 1)], "改为扣1分").lines
        old = inspection_detail(s, first).lines
    assert [line.photos for line in second[:2]] == [("楼道.jpg",), ()]
    assert old[0].photos == ("楼道.jpg",)  # the old version keeps its own
