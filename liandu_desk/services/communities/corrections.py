"""Correcting a saved inspection: a new version by its author or a 审核, the old one kept as superseded, audited."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from liandu_desk.domain.audit import AuditEntry
from liandu_desk.domain.communities import Community, Inspection, InspectionScore, Issue, IssueStatus
from liandu_desk.domain.errors import NotFoundError, PermissionDenied, RuleError, ValidationError
from liandu_desk.domain.permissions import Permission, allowed, requires
from liandu_desk.services.attachments import add_attachment, list_attachments, read_attachment
from liandu_desk.services.communities.inspections import (
    InspectionDetail,
    ScoreInput,
    compute_totals,
    inspection_detail,
    issue_deadline,
    issue_text,
    responsible_party,
    store_scores,
)
from liandu_desk.services.communities.templates import TemplateView, get_template

log = logging.getLogger(__name__)


def author_of(session: Session, inspection: Inspection) -> int | None:
    """The clerk who saved the inspection: stored on the row, else the one the audit trail names for its insert."""
    if inspection.recorded_by_id is not None:
        return inspection.recorded_by_id
    query = select(AuditEntry.clerk_id).where(
        AuditEntry.table_name == Inspection.__tablename__,
        AuditEntry.row_id == str(inspection.id),
        AuditEntry.action == "insert",
    )
    return session.scalar(query.order_by(AuditEntry.id).limit(1))


def may_correct(session: Session, inspection: Inspection) -> str:
    """Why the session's clerk may not correct this inspection ("" when they may): only its author or a 审核."""
    clerk = session.info.get("clerk")
    role = getattr(clerk, "role", None)
    if allowed(role, Permission.CORRECT_INSPECTIONS):
        return ""
    author = author_of(session, inspection)
    if clerk is not None and author is not None and getattr(clerk, "id", None) == author:
        return ""
    who = getattr(clerk, "name", None) or "未登录用户"
    by = f"（录入人：{inspection.recorded_by}）" if inspection.recorded_by else ""
    return f"{who}不是这条检查记录的录入人{by}，只有录入人或审核人员可以更正。"


def _current(session: Session, inspection_id: int) -> Inspection:
    inspection = session.get(Inspection, inspection_id)
    if inspection is None:
        raise NotFoundError(f"检查记录（编号{inspection_id}）不存在")
    if inspection.superseded_by_id is not None:
        raise RuleError(f"这条检查记录已被更正（新版本编号{inspection.superseded_by_id}），请更正最新版本")
    return inspection


def _validate(template: TemplateView, inspected_on: dt.date, inspectors: str, reason: str, scores) -> None:
    if not reason.strip():
        raise ValidationError("更正原因", "不能为空")
    if not inspectors.strip():
        raise ValidationError("检查人员", "不能为空")
    if inspected_on > dt.date.today():
        raise ValidationError("检查日期", "不能晚于今天")
    unknown = [s.item_id for s in scores if s.item_id not in {i.id for i in template.items}]
    if unknown:
        raise ValidationError("评分项目", f"不属于{template.label}：{unknown}")


def _carry_issues(
    session: Session, old: Inspection, new: Inspection, template: TemplateView, scores: Sequence[ScoreInput]
) -> frozenset[int]:
    """Move the old version's issues to the new one where the item is still deducted (their rectification history
    kept), drop untouched ones whose deduction was withdrawn, refuse to drop one already being rectified."""
    items = {i.id: i for i in template.items}
    deducted = {s.item_id: s for s in scores if s.deduction > 0 or (s.veto and items[s.item_id].veto)}
    kept: set[int] = set()
    for issue in session.scalars(select(Issue).where(Issue.inspection_id == old.id).order_by(Issue.id)):
        entry = deducted.get(issue.item_id) if issue.item_id is not None else None
        if entry is not None:
            item = items[entry.item_id]
            issue.inspection_id = new.id
            issue.description = issue_text(item, entry.note, entry.veto and item.veto)
            if issue.status == IssueStatus.OPEN and issue.found_on != new.inspected_on:
                issue.found_on, issue.deadline = new.inspected_on, issue_deadline(session, new.inspected_on)
            kept.add(entry.item_id)
        elif issue.status == IssueStatus.OPEN and not issue.evidence and not issue.reopen_count:
            session.delete(issue)
        else:
            raise RuleError(f"问题“{issue.description}”（{issue.status.value}）已有整改记录，不能在更正中取消这项扣分")
    return frozenset(kept)


def _carry_photos(session: Session, old_id: int, new_id: int) -> int:
    """Attach the old version's photos to the new version's line of the same item (the files are shared)."""

    def lines(inspection_id: int) -> dict[int, int]:
        query = select(InspectionScore.item_id, InspectionScore.id).where(
            InspectionScore.inspection_id == inspection_id
        )
        return {item_id: score_id for item_id, score_id in session.execute(query)}

    new_lines = lines(new_id)
    old_items = {score_id: item_id for item_id, score_id in lines(old_id).items()}
    carried = 0
    for photo in list_attachments(session, [("cm_score", score_id) for score_id in old_items]):
        target = new_lines.get(old_items[photo.owner_id])
        if target is not None:
            data = read_attachment(session, photo.id)
            add_attachment(session, "cm_score", target, photo.original_name, data, photo.role, photo.caption)
            carried += 1
    return carried


@requires(Permission.EDIT_CASES)
def correct_inspection(
    session: Session,
    inspection_id: int,
    inspected_on: dt.date,
    inspectors: str,
    scores: Sequence[ScoreInput],
    reason: str,
    note: str | None = None,
) -> InspectionDetail:
    """Save a corrected version of an inspection (same template version); the old one stays, marked superseded.
    Totals, issues and everything read from current versions (ratings, lists) follow the new version."""
    old = _current(session, inspection_id)
    denied = may_correct(session, old)
    if denied:
        raise PermissionDenied(denied)
    template = get_template(session, old.template_id)
    _validate(template, inspected_on, inspectors, reason, scores)
    totals = compute_totals(template.items, scores)
    new = Inspection(
        community_id=old.community_id,
        template_id=old.template_id,
        inspected_on=inspected_on,
        inspectors=inspectors.strip(),
        total=totals.total,
        vetoed=totals.vetoed,
        note=(note or "").strip() or None,
        recorded_by_id=author_of(session, old),
        recorded_by=old.recorded_by,
        revision=old.revision + 1,
        corrected_from_id=old.id,
        correction_reason=reason.strip(),
    )
    session.add(new)
    session.flush()
    old.superseded_by_id = new.id
    kept = _carry_issues(session, old, new, template, scores)
    community = session.get(Community, old.community_id)
    store_scores(session, new, template, scores, responsible_party(session, community), issues_kept=kept)
    _carry_photos(session, old.id, new.id)
    log.info("inspection %s corrected as %s (revision %s)", old.id, new.id, new.revision)
    return inspection_detail(session, new.id)


def inspection_versions(session: Session, inspection_id: int) -> list[int]:
    """The ids of every version of an inspection, oldest first (following corrections both ways)."""
    row = session.get(Inspection, inspection_id)
    if row is None:
        raise NotFoundError(f"检查记录（编号{inspection_id}）不存在")
    while row.corrected_from_id is not None:
        row = session.get(Inspection, row.corrected_from_id)
    ids = [row.id]
    while row.superseded_by_id is not None:
        row = session.get(Inspection, row.superseded_by_id)
        ids.append(row.id)
    return ids
