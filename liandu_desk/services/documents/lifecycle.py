"""Document lifecycle: draft → issued (number, frozen facts, exact PDF bytes) → served → due → followed up; cancel."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from liandu_desk.domain.documents import DocStatus, DocType, Document, DocumentFile
from liandu_desk.domain.errors import NotFoundError, RuleError, ValidationError
from liandu_desk.domain.permissions import Permission, requires
from liandu_desk.reports.facts import from_json, to_json
from liandu_desk.reports.fonts import font_notes
from liandu_desk.reports.wording import TemplateError, Wording, Wordings
from liandu_desk.services.constraints import NOTICE_IN_FORCE, flush_holding
from liandu_desk.services.documents.calendar import WorkCalendar
from liandu_desk.services.documents.kinds import DocKind, kind_of
from liandu_desk.services.documents.numbering import PREFIX_SETTINGS, assign_number, claim_write_lock, void_number
from liandu_desk.services.documents.service_rules import Refusal, check_service
from liandu_desk.services.documents.templates import record_wordings, wordings
from liandu_desk.services.documents.views import DocumentView, view_of
from liandu_desk.services.figures import unverified_mark
from liandu_desk.services.settings import require_confirmed

log = logging.getLogger(__name__)
T = TypeVar("T")

SERVICE_METHODS = ("直接送达", "留置送达", "邮寄送达", "委托送达", "电子送达", "公告送达")
CANCELLABLE = (DocStatus.DRAFT, DocStatus.ISSUED, DocStatus.SERVED, DocStatus.DUE)


def document_row(session: Session, document_id: int) -> Document:
    """The document row (for services that need its frozen facts)."""
    return _get(session, document_id)


def _get(session: Session, document_id: int) -> Document:
    row = session.get(Document, document_id)
    if row is None:
        raise NotFoundError(f"文书（编号{document_id}）不存在")
    return row


def facts_of(row: Document) -> Any:
    """The document's facts as its dataclass."""
    return from_json(kind_of(row.doc_type).facts_class, row.facts)


def with_deadline(facts: Any, calendar: WorkCalendar, start: dt.date) -> Any:
    """Facts with the deadline counted in working days from `start`, if the type has one."""
    if hasattr(facts, "deadline_days") and hasattr(facts, "deadline"):
        return dataclasses.replace(facts, deadline=calendar.add_working_days(start, facts.deadline_days))
    return facts


@requires(Permission.DRAFT_NOTICES)
def create_draft(
    session: Session,
    doc_type: DocType,
    facts: Any,
    *,
    title: str,
    recipient: str,
    subject_table: str = "",
    subject_id: int | None = None,
    clerk_name: str = "",
) -> DocumentView:
    """A new draft; its facts may still be refreshed or edited until it is issued."""
    row = Document(
        doc_type=doc_type,
        status=DocStatus.DRAFT,
        title=title[:200],
        recipient=recipient[:200],
        facts=to_json(facts),
        text=[],
        subject_table=subject_table,
        subject_id=subject_id,
        drafted_by=clerk_name,
    )
    session.add(row)
    session.flush()
    return view_of(row)


@requires(Permission.DRAFT_NOTICES)
def update_draft(session: Session, document_id: int, facts: Any, recipient: str | None = None) -> DocumentView:
    """Replace a draft's facts (and recipient); issued documents are frozen."""
    row = _get(session, document_id)
    if row.status != DocStatus.DRAFT:
        raise RuleError(f"文书已{row.status.value}，内容已固定，不能修改")
    row.facts = to_json(facts)
    if recipient is not None:
        row.recipient = recipient[:200]
    session.flush()
    return view_of(row)


def render_document(facts: Any, doc_type: DocType, title: str = "", texts: Wordings | None = None) -> bytes:
    """PDF bytes of one document's parts, worded by `texts` (template key → wording; shipped defaults if None)."""
    from liandu_desk.reports.engine import RenderOptions, render_parts

    return render_parts(kind_of(doc_type).build(facts, texts), RenderOptions(title=title or doc_type.value))


@dataclass(frozen=True)
class Preview:
    """A draft as it would be issued today, and what the clerk should know before issuing it."""

    pdf: bytes
    notes: tuple[str, ...]  # unverified legal bases, placeholders without a value (issuing is refused for these)
    templates: tuple[str, ...]  # the template versions it is worded by


def preview_document(session: Session, document_id: int, today: dt.date | None = None) -> Preview:
    """A draft rendered as it would be issued today (no number yet, seal area outlined), with its notes; an
    issued document's stored bytes."""
    row = _get(session, document_id)
    if row.status != DocStatus.DRAFT:
        return Preview(stored_pdf(session, document_id), (), ())
    kind = kind_of(row.doc_type)
    facts = dataclasses.replace(facts_of(row), draft=True, issued_on=None)
    facts = with_deadline(facts, WorkCalendar.load(session), today or dt.date.today())
    texts = wordings(session, kind.templates)
    data = render_document(facts, row.doc_type, row.title, texts)
    notes = [f"法律依据未核实（签发前请法制审核）：{basis}" for basis in getattr(facts, "basis_unverified", ())]
    notes += [f"{problem}，签发时将被拒绝" for w in texts.values() for problem in w.problems]
    if getattr(facts, "unverified", ()):
        notes.append(unverified_mark(facts.unverified))
    notes += font_notes(_facts_text(facts))
    used = tuple(f"{w.spec.name}：{w.label}" for w in texts.values())
    return Preview(data, tuple(notes), used)


def _facts_text(facts: Any) -> str:
    """Every string a document's facts hold (names, addresses, …), for the preview's rare-character notes."""
    found: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, str):
            found.append(value)
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            for item in dataclasses.fields(value):
                walk(getattr(value, item.name))
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list | tuple | set | frozenset):
            for item in value:
                walk(item)

    walk(facts)
    return "".join(found)


def preview(session: Session, document_id: int, today: dt.date | None = None) -> bytes:
    """A draft rendered as it would be issued today (no number yet, seal area outlined)."""
    return preview_document(session, document_id, today).pdf


def check_wording(doc_type: DocType, facts: Any, texts: Wordings) -> None:
    """Make the document's text with strict wordings and a stand-in number: an unknown placeholder or a missing
    value raises TemplateError naming it, before any number is taken."""
    strict = {key: w.checked() for key, w in texts.items()}
    kind_of(doc_type).build(dataclasses.replace(facts, number=facts.number or "（文号）"), strict)


def printed_settings(doc_type: DocType) -> tuple[str, ...]:
    """The settings an issued document of this type prints: the bureau, its telephone, the appeal bodies and the
    type's number prefix."""
    prefix = PREFIX_SETTINGS.get(doc_type)
    common = ("bureau.name", "bureau.contact", "notice.reconsideration_body", "notice.litigation_court")
    return (*common, prefix) if prefix else common


@requires(Permission.ISSUE_NOTICES)
def issue(session: Session, document_id: int, issued_on: dt.date, clerk_name: str) -> DocumentView:
    """Check the wording, then assign the next number, freeze facts and text, record the template versions and
    store the exact PDF. Call at the start of a transaction."""
    claim_write_lock(session)
    row = _get(session, document_id)
    if row.status != DocStatus.DRAFT:
        raise RuleError(f"文书已{row.status.value}，不能再次签发")
    if issued_on > dt.date.today():
        raise ValidationError("签发日期", "不能晚于今天")
    kind = kind_of(row.doc_type)
    require_confirmed(session, printed_settings(row.doc_type))
    texts = record_wordings(session, kind.templates)
    facts = dataclasses.replace(facts_of(row), issued_on=issued_on, draft=False)
    facts = with_deadline(facts, WorkCalendar.load(session), issued_on)
    try:
        check_wording(row.doc_type, facts, texts)
    except TemplateError as exc:
        raise TemplateError(f"{row.title}：{exc.message}") from None
    number = assign_number(session, row.doc_type, issued_on.year, row.id)
    facts = dataclasses.replace(facts, number=number.number)
    data = render_document(facts, row.doc_type, row.title, texts)
    row.facts = to_json(facts)
    row.text = _paragraphs(facts, kind, texts)
    row.number, row.issued_on, row.issued_by = number.number, issued_on, clerk_name
    row.deadline = getattr(facts, "deadline", None)
    row.template_version_id = texts[kind.template].version_id
    receipt = kind.receipt_template
    row.receipt_template_version_id = texts[receipt].version_id if receipt else None
    row.status = DocStatus.ISSUED
    session.add(DocumentFile(document_id=row.id, sha256=hashlib.sha256(data).hexdigest(), size=len(data), data=data))
    refusal = (
        f"“{row.recipient or row.title}”已有一份在办的{row.doc_type.value}（可能是他人刚刚签发的），"
        "本次签发未进行，文号未占用。如需重新下发请先作废原通知书。"
    )  # worded before the flush: a failed flush leaves the row unreadable
    flush_holding(session, NOTICE_IN_FORCE, refusal, RuleError)
    log.info("issued %s %s", row.doc_type.value, number.number)
    return view_of(row)


def _paragraphs(facts: Any, kind: DocKind, texts: Wordings) -> list[str]:
    return list(kind.paragraphs(facts, texts)) if kind.paragraphs else []


def document_texts(session: Session, doc_type: DocType, *, record: bool = False) -> dict[str, Wording]:
    """The wordings a document type is made with now (strict); `record`: as rows an issued document can name."""
    keys = kind_of(doc_type).templates
    return record_wordings(session, keys) if record else wordings(session, keys, strict=True)


def stored_pdf(session: Session, document_id: int) -> bytes:
    """The exact bytes stored when the document was issued (a reprint is byte-identical)."""
    stored = session.get(DocumentFile, document_id)
    if stored is None:
        raise NotFoundError("该文书尚未签发，没有存档的PDF")
    if hashlib.sha256(stored.data).hexdigest() != stored.sha256:
        raise RuleError("存档PDF校验失败（内容与签发时不一致）")
    return stored.data


@requires(Permission.EDIT_CASES)
def serve(
    session: Session,
    document_id: int,
    method: str,
    served_on: dt.date,
    receiver: str,
    receipt_ref: str = "",
    refusal: Refusal | None = None,
) -> DocumentView:
    """Record service (送达): method, the one service date (the day the receipt was signed or the document left),
    who received it, the scanned receipt's reference, and for a 留置送达 the refusal and its witness."""
    row = _get(session, document_id)
    if row.status != DocStatus.ISSUED:
        raise RuleError(f"文书状态为{row.status.value}，签发后才能登记送达")
    if method not in SERVICE_METHODS:
        raise ValidationError("送达方式", f"“{method}”不是可选值（可选：{'、'.join(SERVICE_METHODS)}）")
    if row.issued_on and served_on < row.issued_on:
        raise ValidationError("送达日期", "不能早于签发日期")
    if served_on > dt.date.today():
        raise ValidationError("送达日期", "不能晚于今天")
    receiver = (receiver or "").strip()
    if not receiver:
        raise ValidationError("受送达人", "不能为空")
    kept = check_service(session, row, method, served_on, refusal or Refusal())
    row.refusal_reason, row.refused_on, row.witness = kept.reason or None, kept.on, kept.witness or None
    row.served_method, row.served_on, row.served_to = method, served_on, receiver[:60]
    row.receipt_ref = (receipt_ref or "").strip()[:200] or None
    row.status = DocStatus.SERVED
    session.flush()
    return view_of(row)


def refresh_due(session: Session, today: dt.date | None = None) -> int:
    """Served documents whose deadline has passed become 已到期; returns how many changed."""
    from sqlalchemy import select

    today = today or dt.date.today()
    rows = session.scalars(select(Document).where(Document.status == DocStatus.SERVED, Document.deadline < today)).all()
    for row in rows:
        row.status = DocStatus.DUE
    session.flush()
    return len(rows)


@requires(Permission.EDIT_CASES)
def follow_up(session: Session, document_id: int, on: dt.date, result: str) -> DocumentView:
    """Record the follow-up inspection (复查) of a served or due document."""
    row = _get(session, document_id)
    if row.status not in (DocStatus.SERVED, DocStatus.DUE):
        raise RuleError(f"文书状态为{row.status.value}，送达后才能登记复查")
    if row.served_on and on < row.served_on:
        raise ValidationError("复查日期", "不能早于送达日期")
    result = (result or "").strip()
    if len(result) < 2:
        raise ValidationError("复查结果", "至少2个字")
    row.followed_up_on, row.follow_up_result = on, result
    row.status = DocStatus.FOLLOWED_UP
    session.flush()
    return view_of(row)


@requires(Permission.ISSUE_NOTICES)
def cancel(session: Session, document_id: int, reason: str, clerk_name: str, on: dt.date | None = None) -> DocumentView:
    """Cancel a document with a reason; its number (if any) is voided, kept and never reused."""
    row = _get(session, document_id)
    if row.status not in CANCELLABLE:
        raise RuleError(f"文书状态为{row.status.value}，不能作废")
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise ValidationError("作废原因", "至少2个字")
    if row.number:
        from sqlalchemy import select

        from liandu_desk.domain.documents import DocNumber

        number_id = session.scalar(select(DocNumber.id).where(DocNumber.document_id == row.id))
        if number_id is not None:
            void_number(session, number_id, reason, clerk_name, on)
    row.status = DocStatus.CANCELLED
    row.cancelled_on = on or dt.date.today()
    row.cancel_reason = reason[:200]
    session.flush()
    return view_of(row)


def with_retry(action: Callable[[], T], attempts: int = 5) -> T:
    """Run a unit of work again if the database was locked or a concurrent insert collided."""
    for attempt in range(1, attempts + 1):
        try:
            return action()
        except (OperationalError, IntegrityError) as exc:
            if attempt == attempts:
                raise
            log.warning("retrying after %s (attempt %d)", type(exc).__name__, attempt)
            time.sleep(0.05 * attempt)
    raise AssertionError("unreachable")
