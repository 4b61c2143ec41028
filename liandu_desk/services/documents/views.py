"""Plain views of documents for the register, the CLI and the GUI."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from liandu_desk.domain.documents import DocStatus, DocType, Document


@dataclass(frozen=True)
class DocumentView:
    """One document as the register shows it."""

    id: int
    doc_type: str
    status: str
    number: str | None
    title: str
    recipient: str
    subject_table: str
    subject_id: int | None
    issued_on: dt.date | None
    deadline: dt.date | None
    served_on: dt.date | None
    served_method: str | None
    served_to: str | None
    receipt_ref: str | None
    followed_up_on: dt.date | None
    cancel_reason: str | None
    version: int
    template_version_id: int | None = None  # the wording version an issued document was made with


def view_of(row: Document) -> DocumentView:
    """The view of a loaded row."""
    return DocumentView(
        row.id,
        row.doc_type.value,
        row.status.value,
        row.number,
        row.title,
        row.recipient,
        row.subject_table,
        row.subject_id,
        row.issued_on,
        row.deadline,
        row.served_on,
        row.served_method,
        row.served_to,
        row.receipt_ref,
        row.followed_up_on,
        row.cancel_reason,
        row.version,
        row.template_version_id,
    )


def get_document(session: Session, document_id: int) -> DocumentView | None:
    """One document, or None."""
    row = session.get(Document, document_id)
    return view_of(row) if row else None


def search_documents(
    session: Session,
    text: str = "",
    status: str | None = None,
    doc_type: str | None = None,
    subject: tuple[str, int] | None = None,
    limit: int = 500,
) -> list[DocumentView]:
    """The register: filter by number or recipient (substring), status, type or subject; newest first."""
    query = select(Document).order_by(Document.id.desc()).limit(limit)
    text = (text or "").strip()
    if text:
        like = f"%{text}%"
        query = query.where(or_(Document.number.like(like), Document.recipient.like(like), Document.title.like(like)))
    if status:
        query = query.where(Document.status == DocStatus(status))
    if doc_type:
        query = query.where(Document.doc_type == DocType(doc_type))
    if subject:
        query = query.where(Document.subject_table == subject[0], Document.subject_id == subject[1])
    return [view_of(row) for row in session.scalars(query)]
