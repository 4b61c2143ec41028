"""Served documents past or near their deadline and not yet followed up, for the 首页 due list."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from liandu_desk.domain.documents import DocStatus, Document
from liandu_desk.reports.due_facts import DueItem


def _documents(session: Session, as_of: dt.date, horizon: dt.date) -> list[DueItem]:
    """Served documents past (or near) their deadline and not yet followed up (only the columns shown)."""
    query = select(
        Document.id,
        Document.number,
        Document.title,
        Document.recipient,
        Document.status,
        Document.issued_by,
        Document.drafted_by,
        Document.deadline,
    ).where(
        Document.status.in_((DocStatus.SERVED, DocStatus.DUE)),
        Document.deadline < horizon,
        Document.followed_up_on.is_(None),
    )
    items = []
    for doc_id, number, title, recipient, status, issued_by, drafted_by, deadline in session.execute(query):
        text = f"{number or ''} {title}（{recipient}，{status.value}）".strip()
        items.append(
            DueItem(
                "文书",
                "文书期限",
                text,
                "",
                None,
                issued_by or drafted_by or "",
                recipient,
                deadline,
                (as_of - deadline).days,
                "document",
                doc_id,
                "document",
                doc_id,
            )
        )
    return items


def due_items(session: Session, as_of: dt.date, horizon: dt.date, towns: dict) -> list[DueItem]:
    """Documents whose deadline is before `horizon` (documents name no township)."""
    return _documents(session, as_of, horizon)
