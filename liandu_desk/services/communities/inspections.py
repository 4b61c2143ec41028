"""Inspections: per-item deductions, veto items, computed total, photos, and the issues raised from deductions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from liandu_desk.domain.communities import (
    Community,
    Inspection,
    InspectionScore,
    Issue,
    IssueStatus,
    PropertyCompany,
    ScoreTemplate,
)
from liandu_desk.domain.errors import NotFoundError, ValidationError
from liandu_desk.services.attachments import add_attachment, list_attachments
from liandu_desk.services.communities.templates import ItemView, TemplateView, current_template, get_template
from liandu_desk.services.documents.calendar import WorkCalendar
from liandu_desk.services.settings import get_setting


@dataclass
class ScoreInput:
    """What the clerk entered for one item: points deducted (or veto triggered), a note, photo file paths."""

    item_id: int
    deduction: float = 0.0
    veto: bool = False
    note: str = ""
    photos: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Totals:
    """The computed result of a scoring sheet."""

    total: float
    max_total: float
    deducted: float
    vetoed: bool
    veto_items: tuple[str, ...]


@dataclass(frozen=True)
class InspectionRow:
    """An inspection as lists show it."""

    id: int
    community_id: int
    community: str
    inspected_on: dt.date
    inspectors: str
    template: str
    total: float
    vetoed: bool
    issues: int
    revision: int = 1  # 第n版: a correction is a new version
    recorded_by: str = ""
    superseded_by_id: int | None = None  # set on a version replaced by a correction
    correction_reason: str = ""


@dataclass(frozen=True)
class ScoreLine:
    """One item of a saved inspection."""

    item: ItemView
    deduction: float
    score: float
    veto_triggered: bool
    note: str
    photos: tuple[str, ...]


@dataclass(frozen=True)
class InspectionDetail:
    """A saved inspection with every item as it was scored."""

    row: InspectionRow
    template: TemplateView
    lines: tuple[ScoreLine, ...]


def check_input(item: ItemView, entry: ScoreInput) -> None:
    """A deduction lies between 0 and the item's maximum; only veto items can trigger a veto."""
    label = f"{item.category}·{item.text[:12]}"
    if entry.deduction < 0:
        raise ValidationError(label, "扣分不能为负数")
    if entry.deduction > item.max_points + 1e-9:
        raise ValidationError(label, f"扣分不能超过该项满分{item.max_points:g}分")
    if entry.veto and not item.veto:
        raise ValidationError(label, "不是一票否决项")


def compute_totals(items: Sequence[ItemView], inputs: Iterable[ScoreInput]) -> Totals:
    """Total = Σ(max − deduction) over scored items; vetoed if any veto item is triggered (total still shown)."""
    by_item = {i.item_id: i for i in inputs}
    max_total = sum(i.max_points for i in items if not i.veto)
    deducted = 0.0
    vetoes: list[str] = []
    for item in items:
        entry = by_item.get(item.id)
        if entry is None:
            continue
        check_input(item, entry)
        if item.veto and entry.veto:
            vetoes.append(item.text)
        elif not item.veto:
            deducted += entry.deduction
    return Totals(round(max_total - deducted, 2), max_total, round(deducted, 2), bool(vetoes), tuple(vetoes))


def issue_deadline(session: Session, found_on: dt.date) -> dt.date:
    """Found date plus the configured rectification period (setting deadline.community_issue, working days)."""
    days = int(get_setting(session, "deadline.community_issue"))
    return WorkCalendar.load(session).add_working_days(found_on, days)  # the calendar every deadline uses


def responsible_party(session: Session, community: Community) -> str:
    """Who must fix what an inspection finds: the property company, or the owners of a self-managed community."""
    if community.company_id is None:
        return "小区业主（自管）"
    return session.get(PropertyCompany, community.company_id).name


def record_inspection(
    session: Session,
    community_id: int,
    inspected_on: dt.date,
    inspectors: str,
    scores: Sequence[ScoreInput],
    template_id: int | None = None,
    note: str | None = None,
) -> InspectionDetail:
    """Save an inspection scored against a template version; raise one issue per deduction or veto."""
    community = session.get(Community, community_id)
    if community is None:
        raise NotFoundError(f"小区（编号{community_id}）不存在")
    if not inspectors.strip():
        raise ValidationError("检查人员", "不能为空")
    if inspected_on > dt.date.today():
        raise ValidationError("检查日期", "不能晚于今天")
    template = get_template(session, template_id) if template_id else current_template(session)
    known = {i.id for i in template.items}
    unknown = [s.item_id for s in scores if s.item_id not in known]
    if unknown:
        raise ValidationError("评分项目", f"不属于{template.label}：{unknown}")
    totals = compute_totals(template.items, scores)
    clerk = session.info.get("clerk")
    inspection = Inspection(
        community_id=community_id,
        template_id=template.id,
        inspected_on=inspected_on,
        inspectors=inspectors.strip(),
        total=totals.total,
        vetoed=totals.vetoed,
        note=(note or "").strip() or None,
        recorded_by_id=getattr(clerk, "id", None),
        recorded_by=getattr(clerk, "name", "") or "",
    )
    session.add(inspection)
    session.flush()
    store_scores(session, inspection, template, scores, responsible_party(session, community))
    return inspection_detail(session, inspection.id)


def store_scores(
    session: Session,
    inspection: Inspection,
    template: TemplateView,
    scores: Sequence[ScoreInput],
    responsible: str,
    issues_kept: frozenset[int] = frozenset(),
) -> None:
    """The score lines, and one new issue per deduction or veto unless its item's issue was carried over."""
    items = {i.id: i for i in template.items}
    deadline = issue_deadline(session, inspection.inspected_on)
    for entry in scores:
        item = items[entry.item_id]
        triggered = entry.veto and item.veto
        if not entry.deduction and not triggered and not entry.note.strip() and not entry.photos:
            continue
        score = InspectionScore(
            inspection_id=inspection.id,
            item_id=item.id,
            deduction=0.0 if item.veto else entry.deduction,
            veto_triggered=triggered,
            note=entry.note.strip() or None,
        )
        session.add(score)
        session.flush()
        for path in entry.photos:
            attach_file(session, "cm_score", score.id, path, "照片")
        if (entry.deduction > 0 or triggered) and item.id not in issues_kept:
            session.add(
                Issue(
                    community_id=inspection.community_id,
                    inspection_id=inspection.id,
                    item_id=item.id,
                    description=issue_text(item, entry.note, triggered),
                    responsible=responsible,
                    found_on=inspection.inspected_on,
                    deadline=deadline,
                    status=IssueStatus.OPEN,
                )
            )
    session.flush()


def issue_text(item: ItemView, note: str, vetoed: bool) -> str:
    """How an issue raised from a deduction is described."""
    head = f"【一票否决】{item.text}" if vetoed else f"{item.category}：{item.text}"
    return f"{head}（{note.strip()}）" if note and note.strip() else head


def attach_file(session: Session, owner_table: str, owner_id: int, path: str, role: str = "照片") -> int:
    """Store a photo (or document) file as an attachment of a score line or an issue; returns its id."""
    file = Path(path)
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise ValidationError("照片", f"无法读取文件“{file.name}”：{exc.strerror or exc}") from None
    return add_attachment(session, owner_table, owner_id, file.name, data, role).id


def inspection_detail(session: Session, inspection_id: int) -> InspectionDetail:
    """A saved inspection with its template version and every item's score."""
    rows = list_inspections(session, inspection_id=inspection_id)
    if not rows:
        raise NotFoundError(f"检查记录（编号{inspection_id}）不存在")
    inspection = session.get(Inspection, inspection_id)
    template = get_template(session, inspection.template_id)
    query = select(InspectionScore).where(InspectionScore.inspection_id == inspection_id)
    scores = {s.item_id: s for s in session.scalars(query)}
    by_score = {s.id: item_id for item_id, s in scores.items()}
    photos: dict[int, list[str]] = {}
    for photo in list_attachments(session, [("cm_score", score_id) for score_id in by_score]):
        photos.setdefault(by_score[photo.owner_id], []).append(photo.original_name)
    lines = []
    for item in template.items:
        s = scores.get(item.id)
        deduction = s.deduction if s else 0.0
        score = 0.0 if item.veto else item.max_points - deduction
        lines.append(
            ScoreLine(
                item,
                deduction,
                score,
                bool(s and s.veto_triggered),
                (s.note or "") if s else "",
                tuple(photos.get(item.id, ())),
            )
        )
    return InspectionDetail(rows[0], template, tuple(lines))


def list_inspections(
    session: Session,
    community_id: int | None = None,
    inspection_id: int | None = None,
    limit: int = 500,
    include_superseded: bool = False,
) -> list[InspectionRow]:
    """Inspections newest first, with the number of issues each raised; versions replaced by a correction only
    when asked for (or named by id)."""
    issues = select(Issue.inspection_id, func.count(Issue.id).label("n")).group_by(Issue.inspection_id).subquery()
    query = (
        select(Inspection, Community.name, ScoreTemplate.name, ScoreTemplate.version, func.coalesce(issues.c.n, 0))
        .join(Community, Community.id == Inspection.community_id)
        .join(ScoreTemplate, ScoreTemplate.id == Inspection.template_id)
        .outerjoin(issues, issues.c.inspection_id == Inspection.id)
        .order_by(Inspection.inspected_on.desc(), Inspection.id.desc())
        .limit(limit)
    )
    if community_id is not None:
        query = query.where(Inspection.community_id == community_id)
    if inspection_id is not None:
        query = query.where(Inspection.id == inspection_id)
    elif not include_superseded:
        query = query.where(Inspection.superseded_by_id.is_(None))
    return [_row(i, name, f"{t}（第{v}版）", n) for i, name, t, v, n in session.execute(query)]


def _row(i: Inspection, community: str, template: str, issues: int) -> InspectionRow:
    return InspectionRow(
        i.id,
        i.community_id,
        community,
        i.inspected_on,
        i.inspectors,
        template,
        i.total,
        i.vetoed,
        issues,
        i.revision,
        i.recorded_by,
        i.superseded_by_id,
        i.correction_reason or "",
    )


def latest_inspection_date(session: Session) -> dt.date | None:
    """The date of the most recent inspection (the GUI opens on that period)."""
    return session.scalar(select(func.max(Inspection.inspected_on)))
