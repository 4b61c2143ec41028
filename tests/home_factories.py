"""Factories for the 首页 tests: dangerous houses with cases through the 危房 services, documents, issues."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from liandu_desk.domain.communities import Community, Issue, IssueStatus
from liandu_desk.domain.documents import DocStatus, DocType, Document
from liandu_desk.services.divisions import list_townships
from liandu_desk.services.houses.cases import CaseInput, complete_case, open_case
from tests.documents_factories import dangerous_house

D = dt.date


def town_id(session: Session, name: str) -> int:
    return next(t.id for t in list_townships(session) if t.name == name)


def house_with_case(
    session: Session,
    owner: str,
    deadline: dt.date,
    township: str = "碧湖镇",
    completed: dt.date | None = None,
    address: str = "下河村36号",
) -> tuple[int, int]:
    """A rural C house with one open case (deadline given), completed on `completed` if given."""
    house_id = dangerous_house(session, owner=owner, grade="C", township=township, address=address, measure=None)
    case_id = open_case(session, house_id, CaseInput("维修加固", D(2021, 3, 10), deadline=deadline)).id
    if completed:
        complete_case(session, case_id, completed)
    return house_id, case_id


def served_document(session: Session, number: str, deadline: dt.date, recipient: str = "李秀英") -> int:
    row = Document(
        doc_type=DocType.HOUSE_NOTICE,
        status=DocStatus.SERVED,
        title="危房整改通知书",
        recipient=recipient,
        number=number,
        issued_on=deadline - dt.timedelta(days=30),
        issued_by="王科长",
        deadline=deadline,
        served_on=deadline - dt.timedelta(days=28),
        served_method="直接送达",
    )
    session.add(row)
    session.flush()
    return row.id


def community_issue(session: Session, name: str, division_id: int, deadline: dt.date, closed: bool = False) -> int:
    community = Community(name=name, division_id=division_id, closed_managed=True)
    session.add(community)
    session.flush()
    issue = Issue(
        community_id=community.id,
        description="消防通道堵塞",
        responsible="物业",
        found_on=deadline - dt.timedelta(10),
        deadline=deadline,
        status=IssueStatus.CLOSED if closed else IssueStatus.OPEN,
        rectified_on=deadline if closed else None,
    )
    session.add(issue)
    session.flush()
    return issue.id
