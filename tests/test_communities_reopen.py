"""An issue closed by mistake is reopened by a 审核 with a reason: open again with a new deadline, the reason kept
with its re-inspections and in the audit trail; anyone else, or a short reason, is refused and nothing changes."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from communities_factories import inspect, make_community

from liandu_desk.domain.errors import PermissionDenied, RuleError, ValidationError
from liandu_desk.services import audit
from liandu_desk.services.communities import issues
from liandu_desk.storage import Database


def _closed_issue(db: Database) -> int:
    with db.session_scope() as s:
        community = make_community(s, "万象新村")
        inspect(s, community, dt.date(2021, 3, 1), 99.0)
        (issue,) = issues.list_issues(s, today=dt.date(2021, 3, 2))
        issues.reinspect(s, issue.id, dt.date(2021, 3, 10), True, "李四", evidence="公示栏已更新")
    return issue.id


def _as(db: Database, role: str) -> Database:
    return Database(db.url, clerk=dataclasses.replace(db.clerk, role=role))


def test_a_reviewer_reopens_a_closed_issue_with_a_reason(db) -> None:
    issue_id = _closed_issue(db)
    reviewer = _as(db, "审核")
    with reviewer.session_scope() as s:
        assert issues.reopen_issue(s, issue_id, "误关了南明家园的问题，实际未整改", dt.date(2021, 3, 11)) == "待整改"
    with db.session_scope() as s:
        (row,) = issues.list_issues(s, today=dt.date(2021, 3, 12))
        notes = [r.note for r in issues.reinspections(s, issue_id)]
        entries = [e for e in audit.history(s, "cm_issue", issue_id) if e.action == "reopen"]
    assert (row.status, row.rectified_on, row.reopen_count) == ("待整改", None, 1)
    assert row.deadline > dt.date(2021, 3, 11)
    assert notes[-1] == "撤销销号：误关了南明家园的问题，实际未整改"
    assert entries and entries[0].action_label == "撤销销号" and "实际未整改" in entries[0].summary()
    reviewer.dispose()


@pytest.mark.parametrize(
    ("role", "reason", "error", "message"),
    [
        ("科员", "误关了这个问题需要撤销", PermissionDenied, "权限"),
        ("审核", "误关", ValidationError, "撤销原因"),
    ],
)
def test_a_refused_reopen_changes_nothing(db, role, reason, error, message) -> None:
    issue_id = _closed_issue(db)
    other = _as(db, role)
    with pytest.raises(error, match=message), other.session_scope() as s:
        issues.reopen_issue(s, issue_id, reason)
    with db.session_scope() as s:
        (row,) = issues.list_issues(s, today=dt.date(2021, 3, 12))
        assert row.status == "已销号" and row.reopen_count == 0
        assert not [e for e in audit.history(s, "cm_issue", issue_id) if e.action == "reopen"]
    other.dispose()


def test_an_open_issue_is_not_reopened(db) -> None:
    with db.session_scope() as s:
        community = make_community(s, "南明家园")
        inspect(s, community, dt.date(2021, 3, 1), 99.0)
        (issue,) = issues.list_issues(s, today=dt.date(2021, 3, 2))
    with pytest.raises(RuleError, match="未销号，无需撤销"), db.session_scope() as s:
        issues.reopen_issue(s, issue.id, "误操作需要撤销销号")


def test_the_issue_page_names_the_issue_and_a_reviewer_reopens_it(ctx, db, qtbot, monkeypatch) -> None:
    from PySide6.QtWidgets import QLabel, QPlainTextEdit

    from liandu_desk.ui.communities import pages
    from liandu_desk.ui.communities.forms import FormDialog
    from liandu_desk.ui.kit.form_dialog import FormDialog as KitFormDialog

    issue_id = _closed_issue(db)
    page = pages.IssuePage(ctx)
    qtbot.addWidget(page)
    page.status.setCurrentText("已销号")
    page.refresh()
    page.table.selectRow(page.model.row_index(issue_id))
    shown: list[str] = []

    def run(dialog: KitFormDialog) -> int:  # the reviewer reads the dialog, writes a reason and presses Enter
        shown.append(" ".join(label.text() for label in dialog.findChildren(QLabel)))
        dialog.findChild(QPlainTextEdit, "reasonText").setPlainText("误关了，现场仍未整改完成")
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(FormDialog, "exec", run)
    assert page.reopen_button.isVisibleTo(page)
    page.reopen()
    assert f"问题 #{issue_id}" in shown[0] and "万象新村" in shown[0] and "当前：已销号" in shown[0]
    with db.session_scope() as s:
        assert issues.list_issues(s, today=dt.date(2021, 3, 12))[0].status == "待整改"
