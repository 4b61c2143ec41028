"""Issue tracker: rectification evidence, re-inspection that reopens then closes, overdue flags."""

from __future__ import annotations

import datetime as dt

import pytest
from communities_factories import inspect, make_community

from liandu_desk.domain.errors import RuleError, ValidationError
from liandu_desk.services.communities import issues


def test_reinspection_reopens_then_closes(db):
    with db.session_scope() as s:
        community = make_community(s, "水东小区")
        inspect(s, community, dt.date(2021, 3, 1), 99.0)  # one deduction of 1 point → one issue
        (issue,) = issues.list_issues(s, today=dt.date(2021, 3, 2))
        assert (issue.status, issue.deadline, issue.overdue) == ("待整改", dt.date(2021, 3, 15), False)
        with pytest.raises(RuleError, match="没有整改佐证"):
            issues.reinspect(s, issue.id, dt.date(2021, 3, 10), True, "李四")
        with pytest.raises(ValidationError, match="整改佐证"):
            issues.report_rectification(s, issue.id, " ", dt.date(2021, 3, 8))
        issues.report_rectification(s, issue.id, "已补齐公示栏，照片 IMG_0012.jpg", dt.date(2021, 3, 8))
        assert issues.list_issues(s)[0].status == "待复查"
        assert issues.reinspect(s, issue.id, dt.date(2021, 3, 10), False, "李四", "公示内容仍不全") == "待整改"
        reopened = issues.list_issues(s, today=dt.date(2021, 3, 30))[0]
        assert reopened.reopen_count == 1 and reopened.deadline == dt.date(2021, 3, 24)
        assert reopened.overdue and reopened.days_overdue == 6
        assert [r.id for r in issues.list_issues(s, overdue_only=True, today=dt.date(2021, 3, 30))] == [issue.id]
        assert issues.reinspect(s, issue.id, dt.date(2021, 4, 2), True, "李四", evidence="公示栏已更新") == "已销号"
        closed = issues.list_issues(s, today=dt.date(2021, 5, 1))[0]
        assert (closed.status, closed.rectified_on, closed.overdue) == ("已销号", dt.date(2021, 4, 2), False)
        assert [r.passed for r in issues.reinspections(s, issue.id)] == [False, True]
        with pytest.raises(RuleError):
            issues.reinspect(s, issue.id, dt.date(2021, 4, 3), False, "李四")


def test_a_report_before_the_deadline_is_not_overdue(db):
    with db.session_scope() as s:
        community = make_community(s, "城北小区")
        inspect(s, community, dt.date(2021, 3, 1), 99.0)
        (issue,) = issues.list_issues(s)
        issues.report_rectification(s, issue.id, "已整改", dt.date(2021, 3, 10))
        assert not issues.list_issues(s, today=dt.date(2021, 6, 1))[0].overdue
        assert issues.list_issues(s, overdue_only=True, today=dt.date(2021, 6, 1)) == []


def test_photos_are_stored_as_attachments_of_the_score_line_and_the_issue(db, tmp_path):
    from liandu_desk.services.communities.inspections import ScoreInput, inspection_detail, record_inspection
    from liandu_desk.services.communities.templates import current_template

    photo = tmp_path / "楼道.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 64)
    with db.session_scope() as s:
        community = make_community(s, "囿山小区")
        item = current_template(s).items[7]
        saved = record_inspection(
            s, community, dt.date(2021, 3, 1), "王五", [ScoreInput(item.id, 1, photos=[str(photo)])]
        )
        line = next(x for x in inspection_detail(s, saved.row.id).lines if x.item.id == item.id)
        assert line.photos == ("楼道.jpg",)
        (issue,) = issues.list_issues(s)
        issues.report_rectification(s, issue.id, "已清理", dt.date(2021, 3, 5), photos=[str(photo)])
        assert issues.issue_photos(s, issue.id) == ["楼道.jpg"]
        with pytest.raises(ValidationError, match="无法读取"):
            issues.report_rectification(s, issue.id, "再报", dt.date(2021, 3, 6), photos=[str(tmp_path / "无.jpg")])
