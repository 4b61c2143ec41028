"""Who may do what in the 星级小区 module: publishing lists needs 审核, editing standards needs 管理员."""

from __future__ import annotations

import datetime as dt

import pytest
from communities_factories import inspect, make_community

from liandu_desk.domain.errors import PermissionDenied
from liandu_desk.services.communities import issues, lists
from liandu_desk.services.communities.templates import current_template, draft_from, save_template
from liandu_desk.services.periods import half_year
from liandu_desk.storage import ClerkRef, Database

H1 = half_year(2021, 1)


def _as(db: Database, role: str) -> Database:
    return Database(db.url.render_as_string(hide_password=False), clerk=ClerkRef(None, f"{role}甲", "x", role))


def test_roles_for_publishing_and_standards(db):
    with db.session_scope() as s:
        community = make_community(s, "花园小区")
        inspect(s, community, dt.date(2021, 3, 1), 95)
    clerk, reviewer = _as(db, "科员"), _as(db, "审核")
    with clerk.session_scope() as s:
        publication = lists.generate_publication(s, "小区", H1)  # drafting is case work
    with pytest.raises(PermissionDenied), clerk.session_scope() as s:
        lists.publish(s, publication, "科员甲")
    with pytest.raises(PermissionDenied), reviewer.session_scope() as s:
        save_template(s, current_template(s).id, draft_from(current_template(s)))
    with clerk.session_scope() as s:
        (issue, *_) = issues.list_issues(s)
        issues.report_rectification(s, issue.id, "已整改", dt.date(2021, 3, 5))
    with pytest.raises(PermissionDenied), clerk.session_scope() as s:
        issues.reinspect(s, issue.id, dt.date(2021, 3, 8), True, "科员甲")
    with reviewer.session_scope() as s:
        issues.reinspect(s, issue.id, dt.date(2021, 3, 8), True, "审核甲")
        lists.publish(s, publication, "审核甲")
    for database in (clerk, reviewer):
        database.dispose()


def test_defaults_are_created_even_without_a_clerk(db_path):
    anonymous = Database(f"sqlite:///{db_path}")
    with anonymous.session_scope() as s:
        assert current_template(s).total_points == 100
    anonymous.dispose()
