"""红黑榜通报 facts from a generated list publication, read through the communities services."""

from __future__ import annotations

from sqlalchemy.orm import Session

from liandu_desk.domain.documents import DocType
from liandu_desk.domain.errors import NotFoundError
from liandu_desk.reports.red_black import ListEntryFacts, ListPublicationFacts, heading
from liandu_desk.services.communities.lists import publication_view
from liandu_desk.services.documents.lifecycle import create_draft
from liandu_desk.services.documents.templates import current_wording
from liandu_desk.services.documents.views import DocumentView
from liandu_desk.services.periods import Period
from liandu_desk.services.settings import get_setting


def list_publication_facts(session: Session, subject: str, period: Period) -> ListPublicationFacts:
    """The red and black entries (removed ones left out) of the subject's publication for the period."""
    view = publication_view(session, subject, period)
    if view is None:
        raise NotFoundError(f"{period.start}至{period.end}尚未生成{subject}红黑榜")
    red = tuple(ListEntryFacts(e.name, e.manual_reason or e.reason) for e in view.active("红榜"))
    black = tuple(ListEntryFacts(e.name, e.manual_reason or e.reason) for e in view.active("黑榜"))
    addressees = current_wording(session, "list_publication").fill("主送")
    bureau = str(get_setting(session, "bureau.name"))
    return ListPublicationFacts(bureau, subject, period.start, period.end, red, black, addressees=addressees)


def draft_list_publication(session: Session, subject: str, period: Period, clerk_name: str = "") -> DocumentView:
    """A draft 红黑榜通报 for the period."""
    facts = list_publication_facts(session, subject, period)
    view = publication_view(session, subject, period)
    title = heading(facts, {"list_publication": current_wording(session, "list_publication")})
    return create_draft(
        session,
        DocType.LIST_PUBLICATION,
        facts,
        title=title,
        recipient=facts.addressees,
        subject_table="cm_list_publication",
        subject_id=view.id if view else None,
        clerk_name=clerk_name,
    )
