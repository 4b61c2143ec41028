"""文书 in the global search: documents by number."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from liandu_desk.domain.documents import Document
from liandu_desk.services.search_hits import SearchHit, like


def search(session: Session, term: str, limit: int) -> list[SearchHit]:
    """Up to `limit` numbered documents whose number contains the term, newest first."""
    query = (
        select(Document)
        .where(Document.number.is_not(None), Document.number.like(like(term), escape="\\"))
        .order_by(Document.id.desc())
        .limit(limit)
    )
    return [
        SearchHit("文书", d.number or "", f"{d.doc_type.value}　{d.recipient}　{d.status.value}", "document", d.id)
        for d in session.scalars(query)
    ]
