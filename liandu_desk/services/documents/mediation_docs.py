"""加装电梯调解记录 and 调解协议书 facts from one mediation session, read through the elevators services."""

from __future__ import annotations

from sqlalchemy.orm import Session

from liandu_desk.domain.documents import DocType
from liandu_desk.domain.elevators import ElevatorDispute, ElevatorMediation, ElevatorProject
from liandu_desk.domain.errors import NotFoundError, RuleError
from liandu_desk.reports.mediation import AGREEMENT_NAME, MediationFacts
from liandu_desk.services.documents.lifecycle import create_draft
from liandu_desk.services.documents.templates import wordings
from liandu_desk.services.documents.views import DocumentView
from liandu_desk.services.elevators.disputes import list_disputes
from liandu_desk.services.settings import get_setting


def mediation_facts(session: Session, mediation_id: int) -> MediationFacts:
    """Project, dispute, parties and the session's record."""
    mediation = session.get(ElevatorMediation, mediation_id)
    if mediation is None:
        raise NotFoundError(f"调解记录（编号{mediation_id}）不存在")
    dispute_row = session.get(ElevatorDispute, mediation.dispute_id)
    project = session.get(ElevatorProject, dispute_row.project_id)
    dispute = next(d for d in list_disputes(session, project.id) if d.id == dispute_row.id)
    record = next(m for m in dispute.sessions if m.id == mediation_id)
    return MediationFacts(
        bureau=str(get_setting(session, "bureau.name")),
        project=project.title,
        dispute_type=dispute.type,
        description=dispute.description,
        parties=tuple(p for p in dispute.parties if p),
        held_on=record.held_on,
        place=record.place,
        mediator=record.mediator,
        level=record.level,
        attendees=record.attendees,
        summary=record.summary,
        outcome=record.outcome,
        next_step=record.next_step or "",
    )


def draft_agreement(session: Session, mediation_id: int, clerk_name: str = "") -> DocumentView:
    """A draft 调解协议书 for a session that reached an outcome."""
    facts = mediation_facts(session, mediation_id)
    if not facts.outcome.strip():
        raise RuleError("本次调解没有形成调解结果，不能制作调解协议书")
    return create_draft(
        session,
        DocType.MEDIATION_AGREEMENT,
        facts,
        title=f"{AGREEMENT_NAME}（{facts.project}）",
        recipient="；".join(facts.parties)[:200] or facts.project,
        subject_table="elevator_mediation",
        subject_id=mediation_id,
        clerk_name=clerk_name,
    )


def record_pdf(session: Session, mediation_id: int) -> bytes:
    """The session record (not numbered, generated on demand)."""
    from liandu_desk.reports.engine import RenderOptions, render_parts
    from liandu_desk.reports.mediation import RECORD_NAME, record_parts

    facts = mediation_facts(session, mediation_id)
    texts = wordings(session, ("mediation_record",), strict=True)
    return render_parts(record_parts(facts, texts), RenderOptions(title=f"{RECORD_NAME}（{facts.project}）"))
