"""Batches of 危房整改通知书: select houses by grade and township, optionally issue each, write one PDF."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from liandu_desk.domain.documents import DocBatch, DocBatchMember, DocType
from liandu_desk.domain.errors import NotFoundError, RuleError
from liandu_desk.reports.house_notice import DOCUMENT_NAME, HouseNoticeFacts
from liandu_desk.reports.wording import Wordings
from liandu_desk.services.divisions import resolve_township
from liandu_desk.services.documents import lifecycle
from liandu_desk.services.documents.house_notices import house_notice_facts, notice_house_ids
from liandu_desk.storage import Database

log = logging.getLogger(__name__)
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class BatchRequest:
    """Which houses, whether to issue, on which date."""

    grades: tuple[str, ...] = ("C", "D")
    division: str | None = None
    issue: bool = False
    issued_on: dt.date | None = None
    limit: int | None = None
    with_receipt: bool = True


@dataclass(frozen=True)
class BatchResult:
    """What the batch produced."""

    path: Path
    count: int
    pages: int
    issued: int
    first_number: str | None
    last_number: str | None
    seconds: float


Render = Callable[[list[HouseNoticeFacts], Wordings], bytes]


def _select(db: Database, request: BatchRequest, today: dt.date) -> tuple[list[tuple[int, HouseNoticeFacts]], Wordings]:
    """The houses and their notices' facts, and the wording drafts are made with now (strict)."""
    bad = [g for g in request.grades if g not in ("C", "D")]
    if bad or not request.grades:
        raise RuleError(f"只能对C级、D级危房批量发整改通知书（收到：{'、'.join(request.grades) or '空'}）")
    with db.session_scope() as session:
        township_id = resolve_township(session, request.division).id if request.division else None
        ids = notice_house_ids(session, request.grades, township_id)
        if request.limit is not None:
            ids = ids[: max(request.limit, 0)]
        selected = list(zip(ids, house_notice_facts(session, ids, today), strict=True))
        return selected, lifecycle.document_texts(session, DocType.HOUSE_NOTICE)


def _issue_all(
    db: Database,
    selected: list[tuple[int, HouseNoticeFacts]],
    issued_on: dt.date,
    progress: Progress | None,
    cancelled: Callable[[], bool] | None,
    render: Render | None = None,
) -> list[HouseNoticeFacts]:
    """Draft and issue every notice in one transaction: all numbers are taken, gapless, or none. With `render`,
    the combined PDF is made in the same transaction and stored with the batch record, so a crash after the
    commit cannot lose the batch's printout."""
    from liandu_desk.reports.engine import RenderCancelled

    clerk = db.clerk.name if db.clerk else ""
    frozen: list[HouseNoticeFacts] = []
    with db.session_scope() as session:
        lifecycle.claim_write_lock(session)
        documents: list[int] = []
        for index, (house_id, facts) in enumerate(selected):
            if cancelled is not None and cancelled():
                raise RenderCancelled()
            draft = lifecycle.create_draft(
                session,
                DocType.HOUSE_NOTICE,
                facts,
                title=f"{DOCUMENT_NAME}（{facts.recipient}）",
                recipient=facts.recipient,
                subject_table="house",
                subject_id=house_id,
                clerk_name=clerk,
            )
            lifecycle.issue(session, draft.id, issued_on, clerk)
            documents.append(draft.id)
            frozen.append(lifecycle.facts_of(lifecycle.document_row(session, draft.id)))
            if progress is not None:
                progress(index + 1, len(selected), f"签发 {frozen[-1].number}")
        if render is not None:
            texts = lifecycle.document_texts(session, DocType.HOUSE_NOTICE, record=True)
            record_batch(session, DocType.HOUSE_NOTICE, issued_on, clerk, documents, frozen, render(frozen, texts))
    return frozen


def record_batch(
    session: Session,
    doc_type: DocType,
    issued_on: dt.date,
    clerk: str,
    documents: list[int],
    facts: list[HouseNoticeFacts],
    pdf: bytes,
) -> int:
    """The batch row with its combined PDF and its members in order; returns the batch id."""
    numbers = [f.number for f in facts if f.number]
    batch = DocBatch(
        doc_type=doc_type,
        issued_on=issued_on,
        issued_by=clerk,
        count=len(documents),
        first_number=numbers[0] if numbers else "",
        last_number=numbers[-1] if numbers else "",
        sha256=hashlib.sha256(pdf).hexdigest(),
        pdf=pdf,
    )
    session.add(batch)
    session.flush()
    session.add_all(DocBatchMember(batch_id=batch.id, position=i, document_id=d) for i, d in enumerate(documents))
    session.flush()
    log.info(
        "batch %d of %d documents recorded (%s – %s)", batch.id, len(documents), batch.first_number, batch.last_number
    )
    return batch.id


@dataclass(frozen=True)
class BatchRow:
    """A batch in the register."""

    id: int
    doc_type: str
    issued_on: dt.date
    issued_by: str
    count: int
    first_number: str
    last_number: str
    sha256: str


def list_batches(session: Session) -> list[BatchRow]:
    """Every recorded batch, newest first."""
    rows = session.scalars(select(DocBatch).order_by(DocBatch.id.desc()))
    return [
        BatchRow(b.id, b.doc_type.value, b.issued_on, b.issued_by, b.count, b.first_number, b.last_number, b.sha256)
        for b in rows
    ]


def batch_pdf(session: Session, batch_id: int) -> bytes:
    """The batch's combined PDF exactly as stored when it was issued (checked against its SHA-256)."""
    batch = session.get(DocBatch, batch_id)
    if batch is None:
        raise NotFoundError(f"找不到批次 {batch_id}")
    if hashlib.sha256(batch.pdf).hexdigest() != batch.sha256:
        raise RuleError(f"批次 {batch_id} 的存档PDF与其SHA-256不符：存档已被改动")
    return batch.pdf


def run_batch(
    db: Database,
    request: BatchRequest,
    out: Path,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> BatchResult:
    """Select, (issue,) render all notices into one PDF written atomically to `out`."""
    from liandu_desk.reports.engine import RenderOptions, render_parts, write_atomic
    from liandu_desk.reports.house_notice import house_notice_parts

    started = time.perf_counter()
    issued_on = request.issued_on or dt.date.today()
    selected, texts = _select(db, request, issued_on)
    if not selected:
        raise RuleError("没有符合条件的房屋")
    options = RenderOptions(title="", progress=progress, cancelled=cancelled)

    def render(facts: list[HouseNoticeFacts], texts: Wordings) -> bytes:
        options.title = f"{DOCUMENT_NAME}（{len(facts)}份）"
        parts = [p for f in facts for p in house_notice_parts(f, with_receipt=request.with_receipt, texts=texts)]
        return render_parts(parts, options)

    if request.issue:
        stored: list[bytes] = []
        facts = _issue_all(
            db, selected, issued_on, progress, cancelled, lambda f, t: stored.append(render(f, t)) or stored[0]
        )
        data = stored[0]
    else:
        facts = [dataclasses.replace(f, draft=True) for _, f in selected]
        for f in facts:  # every notice's wording first: a missing value is refused before anything is rendered
            lifecycle.check_wording(DocType.HOUSE_NOTICE, f, texts)
        data = render(facts, texts)
    path = write_atomic(out, data)
    numbers = [f.number for f in facts if f.number]
    seconds = time.perf_counter() - started
    log.info("batch of %d notices in %.2f s", len(facts), seconds)
    return BatchResult(
        path,
        len(facts),
        options.extra.get("pages", 0),
        len(numbers) if request.issue else 0,
        numbers[0] if numbers else None,
        numbers[-1] if numbers else None,
        seconds,
    )
