"""The issue tracker: rectification evidence, re-inspections that close or reopen issues, overdue flags."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from liandu_desk.domain.communities import Community, Issue, IssueReinspection, IssueStatus
from liandu_desk.domain.errors import NotFoundError, RuleError, ValidationError
from liandu_desk.domain.permissions import Permission, check, requires
from liandu_desk.services.as_of import as_of_day
from liandu_desk.services.attachments import list_attachments
from liandu_desk.services.communities.inspections import attach_file, issue_deadline
from liandu_desk.storage.audit_listener import write_entries


@dataclass(frozen=True)
class IssueRow:
    """An issue as the tracker shows it."""

    id: int
    community_id: int
    community: str
    description: str
    responsible: str
    found_on: dt.date
    deadline: dt.date
    status: str
    evidence: str
    rectified_on: dt.date | None
    reopen_count: int
    overdue: bool
    days_overdue: int


@dataclass(frozen=True)
class ReinspectionRow:
    """One re-inspection of an issue."""

    inspected_on: dt.date
    inspector: str
    passed: bool
    note: str


def _get(session: Session, issue_id: int) -> Issue:
    issue = session.get(Issue, issue_id)
    if issue is None:
        raise NotFoundError(f"问题（编号{issue_id}）不存在")
    return issue


def report_rectification(
    session: Session, issue_id: int, evidence: str, on: dt.date, photos: Sequence[str] = ()
) -> None:
    """The responsible party reports the issue fixed, with evidence (text, photo files): awaits re-inspection."""
    issue = _get(session, issue_id)
    if issue.status == IssueStatus.CLOSED:
        raise RuleError("该问题已销号，不能再报送整改")
    if not (evidence or "").strip():
        raise ValidationError("整改佐证", "不能为空（请写明整改情况或照片文件）")
    if on < issue.found_on:
        raise ValidationError("整改日期", "不能早于发现日期")
    issue.evidence = evidence.strip()
    issue.reported_on = on
    issue.status = IssueStatus.REPORTED
    for path in photos:
        attach_file(session, "cm_issue", issue.id, path, "整改后")


def issue_photos(session: Session, issue_id: int) -> list[str]:
    """The names of the rectification photos attached to an issue."""
    return [a.original_name for a in list_attachments(session, [("cm_issue", issue_id)])]


def reinspect(
    session: Session, issue_id: int, on: dt.date, passed: bool, inspector: str, note: str = "", evidence: str = ""
) -> str:
    """Re-inspect an issue: passed closes it (rectified on that day), failed reopens it with a new deadline."""
    issue = _get(session, issue_id)
    if issue.status == IssueStatus.CLOSED:
        raise RuleError("该问题已销号，不能再复查")
    if not inspector.strip():
        raise ValidationError("复查人", "不能为空")
    if on < issue.found_on:
        raise ValidationError("复查日期", "不能早于发现日期")
    if evidence.strip():
        issue.evidence = evidence.strip()
    if passed:
        check(session, Permission.CLOSE_CASES)
    if passed and not (issue.evidence or "").strip():
        raise RuleError("没有整改佐证，不能复查通过销号")
    session.add(
        IssueReinspection(
            issue_id=issue.id,
            inspected_on=on,
            inspector=inspector.strip(),
            passed=passed,
            evidence=issue.evidence,
            note=note.strip() or None,
        )
    )
    if passed:
        issue.status, issue.rectified_on = IssueStatus.CLOSED, on
    else:
        issue.status = IssueStatus.OPEN
        issue.reopen_count += 1
        issue.deadline = issue_deadline(session, on)
    session.flush()
    return issue.status.value


@requires(Permission.CLOSE_CASES)
def reopen_issue(session: Session, issue_id: int, reason: str, on: dt.date | None = None) -> str:
    """Undo a close-out made by mistake (审核 or 管理员, with a reason): the issue is open again with a new
    deadline, the reason is kept with its re-inspections and written to the audit trail."""
    issue = _get(session, issue_id)
    if issue.status != IssueStatus.CLOSED:
        raise RuleError(f"该问题{issue.status.value}，未销号，无需撤销")
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise ValidationError("撤销原因", "请写明撤销销号的原因（至少4个字）")
    on = on or dt.date.today()
    clerk = session.info.get("clerk")
    session.add(
        IssueReinspection(
            issue_id=issue.id,
            inspected_on=on,
            inspector=str(getattr(clerk, "name", "") or ""),
            passed=False,
            evidence=issue.evidence,
            note=f"撤销销号：{reason}",
        )
    )
    issue.status, issue.rectified_on = IssueStatus.OPEN, None
    issue.reopen_count += 1
    issue.deadline = issue_deadline(session, on)
    session.flush()
    entry = {
        "at": dt.datetime.now(dt.UTC),
        "clerk_id": getattr(clerk, "id", None),
        "clerk_name": str(getattr(clerk, "name", "") or ""),
        "action": "reopen",
        "table_name": "cm_issue",
        "row_id": str(issue.id),
        "old_values": {"status": IssueStatus.CLOSED.value},
        "new_values": {"status": IssueStatus.OPEN.value, "reason": reason},
    }
    write_entries(session.connection(), [entry], session.info)
    return issue.status.value


def list_issues(
    session: Session,
    status: str | None = None,
    overdue_only: bool = False,
    community_id: int | None = None,
    today: dt.date | None = None,
    limit: int = 2000,
) -> list[IssueRow]:
    """Issues by deadline (overdue first); `status` None means every status, "未销号" every open one.

    Lateness is counted against `today`, by default the shared as-of day (`services.as_of`)."""
    today = today or as_of_day(session)
    columns = (Issue.id, Issue.community_id, Issue.description, Issue.responsible, Issue.found_on, Issue.deadline)
    columns += (Issue.status, Issue.evidence, Issue.rectified_on, Issue.reopen_count, Issue.reported_on)
    query = select(*columns, Community.name.label("community_name")).join(Community, Community.id == Issue.community_id)
    if status == "未销号":
        query = query.where(Issue.status != IssueStatus.CLOSED)
    elif status:
        query = query.where(Issue.status == IssueStatus(status))
    if overdue_only:
        late_open = (Issue.status == IssueStatus.OPEN) & (Issue.deadline < today)
        late_report = (Issue.status == IssueStatus.REPORTED) & (Issue.reported_on > Issue.deadline)
        query = query.where(late_open | late_report)
    if community_id is not None:
        query = query.where(Issue.community_id == community_id)
    query = query.order_by(Issue.deadline, Issue.id).limit(limit)
    return [_row(row, row.community_name, today) for row in session.execute(query)]  # rows read like issues


def days_late(issue: Issue, today: dt.date) -> int:
    """Days past the deadline: an open issue counts to today, a reported one to its report date, a closed one 0."""
    if issue.status == IssueStatus.OPEN:
        return max((today - issue.deadline).days, 0)
    if issue.status == IssueStatus.REPORTED and issue.reported_on:
        return max((issue.reported_on - issue.deadline).days, 0)
    return 0


def _row(issue: Issue, community: str, today: dt.date) -> IssueRow:
    late = days_late(issue, today)
    return IssueRow(
        issue.id,
        issue.community_id,
        community,
        issue.description,
        issue.responsible,
        issue.found_on,
        issue.deadline,
        issue.status.value,
        issue.evidence or "",
        issue.rectified_on,
        issue.reopen_count,
        late > 0,
        late,
    )


def reinspections(session: Session, issue_id: int) -> list[ReinspectionRow]:
    """The re-inspections of one issue, oldest first."""
    query = select(IssueReinspection).where(IssueReinspection.issue_id == issue_id).order_by(IssueReinspection.id)
    return [ReinspectionRow(r.inspected_on, r.inspector, r.passed, r.note or "") for r in session.scalars(query)]
