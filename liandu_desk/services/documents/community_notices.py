"""小区整改通知书 facts from an inspection (its deductions and vetoes), read through the communities services."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from liandu_desk.domain.communities import Community, PropertyCompany
from liandu_desk.domain.documents import DocType
from liandu_desk.domain.errors import NotFoundError, RuleError
from liandu_desk.reports.community_notice import DOCUMENT_NAME, CommunityNoticeFacts, Deduction
from liandu_desk.services.communities.inspections import inspection_detail
from liandu_desk.services.documents.calendar import WorkCalendar
from liandu_desk.services.documents.legal_basis import appeal_bodies
from liandu_desk.services.documents.lifecycle import create_draft
from liandu_desk.services.documents.views import DocumentView
from liandu_desk.services.settings import get_setting


def community_notice_facts(session: Session, inspection_id: int, today: dt.date | None = None) -> CommunityNoticeFacts:
    """The notice for one inspection: every line with a deduction or a triggered veto."""
    detail = inspection_detail(session, inspection_id)
    community = session.get(Community, detail.row.community_id)
    if community is None:
        raise NotFoundError(f"小区（编号{detail.row.community_id}）不存在")
    findings = tuple(
        Deduction(line.item.category, line.item.text, line.deduction, line.note, line.veto_triggered)
        for line in detail.lines
        if line.deduction > 0 or line.veto_triggered
    )
    if not findings:
        raise RuleError(f"{community.name}本次检查没有扣分项，无需发整改通知书")
    company = session.get(PropertyCompany, community.company_id) if community.company_id else None
    days = int(get_setting(session, "deadline.community_issue"))
    max_total = sum(line.item.max_points for line in detail.lines)
    body, court = appeal_bodies(session)
    recipient = company.name if company else f"{community.name}业主委员会"
    address = (company.address if company else None) or community.address or ""
    return CommunityNoticeFacts(
        bureau=str(get_setting(session, "bureau.name")),
        recipient=recipient,
        community=community.name,
        address=address,
        inspected_on=detail.row.inspected_on,
        inspectors=detail.row.inspectors,
        total=detail.row.total,
        max_total=max_total,
        vetoed=detail.row.vetoed,
        deductions=findings,
        deadline=WorkCalendar.load(session).add_working_days(today or dt.date.today(), days),
        deadline_days=days,
        legal_basis=str(get_setting(session, "notice.community_legal_basis")),
        contact_phone=str(get_setting(session, "bureau.contact")),
        reconsideration_body=body,
        litigation_court=court,
    )


def draft_community_notice(session: Session, inspection_id: int, clerk_name: str = "") -> DocumentView:
    """A draft notice for one inspection."""
    facts = community_notice_facts(session, inspection_id)
    return create_draft(
        session,
        DocType.COMMUNITY_NOTICE,
        facts,
        title=f"{DOCUMENT_NAME}（{facts.community}）",
        recipient=facts.recipient,
        subject_table="cm_inspection",
        subject_id=inspection_id,
        clerk_name=clerk_name,
    )
