"""Personal data: masked by default, full numbers only with the permission and audited; logs never carry them."""

from __future__ import annotations

import logging

import pytest

from liandu_desk.domain.errors import PermissionDenied
from liandu_desk.domain.houses import House
from liandu_desk.domain.registry import Person
from liandu_desk.logs import PersonalDataFilter, mask_personal_data
from liandu_desk.services import audit as audit_service
from liandu_desk.services.integrity import verify_audit_chain
from liandu_desk.services.personal_data import masked_contact, may_see_full, reveal_contact
from liandu_desk.storage import ClerkRef, Database

ID = "331102196505231236"


def person(db: Database) -> int:
    with db.session_scope() as session:
        row = Person(name="周大伯", id_number=ID, phone="13856785678")
        session.add(row)
        session.flush()
        return row.id


def test_masked_by_default(db: Database) -> None:
    pid = person(db)
    with db.session_scope() as session:
        contact = masked_contact(session, pid)
    assert (contact.id_number, contact.phone) == ("331102********1236", "138****5678")


def test_clerk_cannot_reveal(db: Database) -> None:
    pid = person(db)
    clerk = Database(db.url.render_as_string(hide_password=False), clerk=ClerkRef(5, "张科员", "z", "科员"))
    with pytest.raises(PermissionDenied, match="查看完整身份证号"), clerk.session_scope() as session:
        assert not may_see_full(session)
        reveal_contact(session, pid)
    clerk.dispose()


def test_reviewer_reveal_is_audited(db: Database) -> None:
    pid = person(db)
    reviewer = Database(db.url.render_as_string(hide_password=False), clerk=ClerkRef(6, "李审核", "l", "审核"))
    with reviewer.session_scope() as session:
        contact = reveal_contact(session, pid, purpose="电话通知整改")
    reviewer.dispose()
    assert contact.id_number == ID and not contact.masked
    with db.session_scope() as session:
        views = [r for r in audit_service.history(session, "person", pid) if r.action == "view"]
        assert verify_audit_chain(session).ok
    assert len(views) == 1 and views[0].clerk_name == "李审核" and views[0].action_label == "查看完整信息"


def test_logs_never_carry_full_numbers(caplog: pytest.LogCaptureFixture) -> None:
    assert mask_personal_data(f"户主{ID}电话13856785678") == "户主331102********1236电话138****5678"
    logger = logging.getLogger("liandu_desk.test_pipl")
    handler_filter = PersonalDataFilter()
    caplog.handler.addFilter(handler_filter)
    logger.warning("导入失败：身份证号 %s 电话 %s", ID, "13856785678")
    caplog.handler.removeFilter(handler_filter)
    assert ID not in caplog.text and "13856785678" not in caplog.text
    assert "331102********1236" in caplog.text


def test_opening_a_house_form_with_full_numbers_is_audited(db: Database) -> None:
    from houses_factories import make_house

    from liandu_desk.services.houses import registration

    with db.session_scope() as session:
        house_id = make_house(session, owner="周大伯", id_number="331102196505231238")
        owner_id = session.get(House, house_id).owner_id
    url = db.url.render_as_string(hide_password=False)
    for role, expected in (("科员", 0), ("审核", 1)):
        clerk = Database(url, clerk=ClerkRef(7, f"{role}甲", "x", role))
        with clerk.session_scope() as session:
            registration.house_input(session, house_id)
        clerk.dispose()
        with db.session_scope() as session:
            views = [r for r in audit_service.history(session, "person", owner_id) if r.action == "view"]
        assert len(views) == expected, role
