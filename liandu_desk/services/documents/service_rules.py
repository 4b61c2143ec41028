"""送达 rules: a 留置送达 needs the refusal's reason and date and a witness; 电子送达 needs the recipient's consent."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from liandu_desk.domain.documents import Document
from liandu_desk.domain.errors import NotFoundError, RuleError, ValidationError
from liandu_desk.domain.houses import House
from liandu_desk.domain.permissions import Permission, requires
from liandu_desk.domain.registry import Person

LEFT_AT_PLACE = "留置送达"
ELECTRONIC = "电子送达"


@dataclass(frozen=True)
class Refusal:
    """What a 留置送达 records: why the recipient refused, on which day, and who witnessed it."""

    reason: str = ""
    on: dt.date | None = None
    witness: str = ""


def recipient_person(session: Session, row: Document) -> Person | None:
    """The person a document is served on, where the records know one (a house notice: the house's owner)."""
    if row.subject_table == "house" and row.subject_id is not None:
        house = session.get(House, row.subject_id)
        if house is not None and house.owner_id is not None:
            return session.get(Person, house.owner_id)
    return None


def has_e_service_consent(person: Person | None, on: dt.date | None = None) -> bool:
    """Whether a written consent to electronic service is on record (given on or before `on`)."""
    if person is None or not person.e_service_address or person.e_service_consent_on is None:
        return False
    return on is None or person.e_service_consent_on <= on


def check_service(session: Session, row: Document, method: str, served_on: dt.date, refusal: Refusal) -> Refusal:
    """Refuse a service the rules do not allow; returns the refusal details to store (empty unless 留置送达)."""
    if method == ELECTRONIC and not has_e_service_consent(recipient_person(session, row), served_on):
        raise RuleError("受送达人没有书面同意电子送达的记录（同意日期不晚于送达日期），不能采用电子送达")
    if method != LEFT_AT_PLACE:
        return Refusal()
    reason, witness = (refusal.reason or "").strip(), (refusal.witness or "").strip()
    if not reason:
        raise ValidationError("拒收事由", "留置送达应写明受送达人拒收的事由")
    if refusal.on is None:
        raise ValidationError("拒收日期", "留置送达应写明拒收日期")
    if refusal.on > served_on or (row.issued_on and refusal.on < row.issued_on):
        raise ValidationError("拒收日期", "应在签发日期之后、送达日期当日或之前")
    if not witness:
        raise ValidationError("见证人", "留置送达应有见证人")
    return Refusal(reason[:200], refusal.on, witness[:60])


@requires(Permission.EDIT_CASES)
def record_e_service_consent(session: Session, person_id: int, address: str, on: dt.date) -> None:
    """Record a person's written consent to electronic service (the address it names and the day given)."""
    person = session.get(Person, person_id)
    if person is None:
        raise NotFoundError("找不到该人员")
    address = (address or "").strip()
    if not 3 <= len(address) <= 100:
        raise ValidationError("电子送达地址", "应为3至100个字符（手机号码、电子邮箱或平台账号）")
    if on > dt.date.today():
        raise ValidationError("同意日期", "不能晚于今天")
    person.e_service_address, person.e_service_consent_on = address, on
    session.flush()
