"""Red and black lists: declared rules, drafts generated per period, manual changes with reasons, publication."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from liandu_desk.domain.communities import Community, PropertyCompany
from liandu_desk.domain.community_lists import (
    ListEntry,
    ListKind,
    ListPublication,
    ListRule,
    ListSubject,
    PublicationStatus,
    RuleKind,
)
from liandu_desk.domain.errors import NotFoundError, RuleError, ValidationError
from liandu_desk.domain.permissions import Permission, requires
from liandu_desk.services.communities.defaults import ensure_defaults
from liandu_desk.services.communities.rule_eval import Candidate, community_candidates, company_candidates
from liandu_desk.services.constraints import LIST_ENTRY_COMMUNITY, LIST_ENTRY_COMPANY, LIST_PUBLICATION, flush_holding
from liandu_desk.services.periods import Period


@dataclass(frozen=True)
class RuleRow:
    """A declared list rule as the GUI shows it."""

    id: int
    subject: str
    list_kind: str
    kind: str
    threshold: float | None
    rounds: int | None
    active: bool

    def describe(self) -> str:
        return describe_rule(self.list_kind, self.kind, self.threshold, self.rounds)


@dataclass(frozen=True)
class EntryRow:
    """One entry of a publication."""

    id: int
    list_kind: str
    subject_id: int
    name: str
    reason: str
    evidence: str
    manual: bool
    manual_reason: str
    removed: bool
    removed_reason: str


@dataclass(frozen=True)
class PublicationView:
    """A publication with its entries."""

    id: int
    subject: str
    period: Period
    status: str
    generated_on: dt.date | None
    published_on: dt.date | None
    published_by: str
    entries: tuple[EntryRow, ...]

    def active(self, kind: str) -> list[EntryRow]:
        return [e for e in self.entries if e.list_kind == kind and not e.removed]


def describe_rule(list_kind: str, kind: str, threshold: float | None, rounds: int | None) -> str:
    """A rule in words, e.g. 红榜：期内平均分≥90分且无一票否决."""
    texts = {
        RuleKind.AVERAGE_AT_LEAST.value: f"期内平均分≥{threshold:g}分且无一票否决" if threshold is not None else "",
        RuleKind.VETO.value: "期内任一次检查触发一票否决项",
        RuleKind.FAILING_ROUNDS.value: f"连续{rounds}轮检查不合格（低于{threshold:g}分或否决）" if rounds else "",
        RuleKind.SCORE_AT_LEAST.value: f"综合评价≥{threshold:g}分" if threshold is not None else "",
        RuleKind.SCORE_BELOW.value: f"综合评价<{threshold:g}分" if threshold is not None else "",
    }
    return f"{list_kind}：{texts.get(kind, kind)}"


def list_rules(session: Session, subject: str | None = None) -> list[RuleRow]:
    """The declared rules in order."""
    ensure_defaults(session)
    query = select(ListRule).order_by(ListRule.seq, ListRule.id)
    if subject:
        query = query.where(ListRule.subject == ListSubject(subject))
    return [
        RuleRow(r.id, r.subject.value, r.list_kind.value, r.kind.value, r.threshold, r.rounds, r.active)
        for r in session.scalars(query)
    ]


@requires(Permission.EDIT_TEMPLATES)
def save_rule(session: Session, rule_id: int, threshold: float | None, rounds: int | None, active: bool) -> None:
    """Change a rule's parameters (the bureau's data); applies to publications generated afterwards."""
    rule = session.get(ListRule, rule_id)
    if rule is None:
        raise NotFoundError(f"榜单规则（编号{rule_id}）不存在")
    if rule.kind != RuleKind.VETO and (threshold is None or not 0 <= threshold <= 100):
        raise ValidationError("分数线", "应在0至100之间")
    if rule.kind == RuleKind.FAILING_ROUNDS and (rounds is None or not 1 <= rounds <= 12):
        raise ValidationError("连续轮次", "应在1至12之间")
    rule.threshold, rule.rounds, rule.active = threshold, rounds, active
    session.flush()


def _publication(session: Session, subject: str, period: Period) -> ListPublication | None:
    return session.scalar(
        select(ListPublication).where(
            ListPublication.subject == ListSubject(subject),
            ListPublication.period_start == period.start,
            ListPublication.period_end == period.end,
        )
    )


def generate_publication(session: Session, subject: str, period: Period, today: dt.date | None = None) -> int:
    """Draft (or redraft) the lists of a period from the active rules; manual entries and removals are kept."""
    ensure_defaults(session)
    publication = _publication(session, subject, period)
    if publication is None:
        publication = ListPublication(subject=ListSubject(subject), period_start=period.start, period_end=period.end)
        session.add(publication)
        refusal = f"{period.start}至{period.end}的{subject}红黑榜刚由他人同时生成，本次未保存，请刷新后再试"
        flush_holding(session, LIST_PUBLICATION, refusal)
    elif publication.status == PublicationStatus.PUBLISHED:
        raise RuleError(f"{period.start}至{period.end}的{subject}红黑榜已发布，不能重新生成")
    kept = [e for e in publication.entries if e.manual or e.removed]
    for entry in [e for e in publication.entries if not (e.manual or e.removed)]:
        session.delete(entry)
    session.flush()
    taken = {(e.list_kind.value, e.community_id or e.company_id) for e in kept}
    rules = [r for r in list_rules(session, subject) if r.active]
    finder = community_candidates if subject == ListSubject.COMMUNITY.value else company_candidates
    for candidate in finder(session, period, rules):
        if (candidate.list_kind, candidate.subject_id) not in taken:
            session.add(_entry(publication.id, subject, candidate))
    publication.generated_on = today or dt.date.today()
    session.flush()
    return publication.id


def _entry(publication_id: int, subject: str, c: Candidate) -> ListEntry:
    community = subject == ListSubject.COMMUNITY.value
    return ListEntry(
        publication_id=publication_id,
        list_kind=ListKind(c.list_kind),
        rule_id=c.rule_id,
        reason=c.reason,
        evidence=c.evidence,
        community_id=c.subject_id if community else None,
        company_id=None if community else c.subject_id,
    )


def _draft(session: Session, publication_id: int) -> ListPublication:
    publication = session.get(ListPublication, publication_id)
    if publication is None:
        raise NotFoundError(f"红黑榜（编号{publication_id}）不存在")
    if publication.status == PublicationStatus.PUBLISHED:
        raise RuleError("红黑榜已发布，不能再修改")
    return publication


def _reason(reason: str) -> str:
    text = (reason or "").strip()
    if len(text) < 2:
        raise ValidationError("调整理由", "人工调整必须填写理由")
    return text


@requires(Permission.PUBLISH_LISTS)
def add_manual_entry(
    session: Session, publication_id: int, list_kind: str, subject_id: int, reason: str, evidence: str = ""
) -> int:
    """Put a community or company on a list by hand; the reason is required and recorded."""
    publication = _draft(session, publication_id)
    why = _reason(reason)
    community = publication.subject == ListSubject.COMMUNITY
    model = Community if community else PropertyCompany
    if session.get(model, subject_id) is None:
        raise NotFoundError(f"{publication.subject.value}（编号{subject_id}）不存在")
    for e in publication.entries:
        if e.list_kind.value == list_kind and (e.community_id or e.company_id) == subject_id and not e.removed:
            raise RuleError("该对象已在此榜单上")
    refusal = f"{publication.subject.value}（编号{subject_id}）已在此{list_kind}上（可能是他人刚刚加入的）"
    entry = ListEntry(
        publication_id=publication.id,
        list_kind=ListKind(list_kind),
        reason=f"人工调整：{why}",
        evidence=evidence.strip() or None,
        manual=True,
        manual_reason=why,
        community_id=subject_id if community else None,
        company_id=None if community else subject_id,
    )
    session.add(entry)
    flush_holding(session, LIST_ENTRY_COMMUNITY if community else LIST_ENTRY_COMPANY, refusal)
    return entry.id


@requires(Permission.PUBLISH_LISTS)
def remove_entry(session: Session, entry_id: int, reason: str) -> None:
    """Take an entry off its list by hand; it stays on file, marked removed with the reason."""
    entry = session.get(ListEntry, entry_id)
    if entry is None:
        raise NotFoundError(f"榜单条目（编号{entry_id}）不存在")
    _draft(session, entry.publication_id)
    entry.removed, entry.removed_reason = True, _reason(reason)
    session.flush()


@requires(Permission.PUBLISH_LISTS)
def publish(session: Session, publication_id: int, clerk_name: str, on: dt.date | None = None) -> None:
    """Publish the lists; from then on they are frozen."""
    publication = _draft(session, publication_id)
    publication.status = PublicationStatus.PUBLISHED
    publication.published_on = on or dt.date.today()
    publication.published_by = clerk_name
    session.flush()


def publication_view(session: Session, subject: str, period: Period) -> PublicationView | None:
    """The publication of a subject for a period, or None if none was generated."""
    publication = _publication(session, subject, period)
    if publication is None:
        return None
    names = _names(session, subject)
    entries = sorted(publication.entries, key=lambda e: (e.list_kind.value != ListKind.RED.value, e.removed, e.id))
    return PublicationView(
        publication.id,
        subject,
        period,
        publication.status.value,
        publication.generated_on,
        publication.published_on,
        publication.published_by or "",
        tuple(_entry_row(e, names) for e in entries),
    )


def _names(session: Session, subject: str) -> dict[int, str]:
    model = Community if subject == ListSubject.COMMUNITY.value else PropertyCompany
    return dict(session.execute(select(model.id, model.name)).all())


def _entry_row(e: ListEntry, names: dict[int, str]) -> EntryRow:
    subject_id = e.community_id or e.company_id or 0
    return EntryRow(
        e.id,
        e.list_kind.value,
        subject_id,
        names.get(subject_id, "?"),
        e.reason,
        e.evidence or "",
        e.manual,
        e.manual_reason or "",
        e.removed,
        e.removed_reason or "",
    )


def published_count(session: Session, subject: str, list_kind: str, period: Period) -> int:
    """How many distinct subjects are on a list in the publications published for periods inside `period`."""
    column = ListEntry.community_id if subject == ListSubject.COMMUNITY.value else ListEntry.company_id
    query = (
        select(func.count(func.distinct(column)))
        .join(ListPublication, ListPublication.id == ListEntry.publication_id)
        .where(
            ListPublication.subject == ListSubject(subject),
            ListPublication.status == PublicationStatus.PUBLISHED,
            ListPublication.period_start >= period.start,
            ListPublication.period_end <= period.end,
            ListEntry.list_kind == ListKind(list_kind),
            ListEntry.removed.is_(False),
        )
    )
    return session.scalar(query) or 0
