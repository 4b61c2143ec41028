"""送达回证 and service rules: one service date (the signing date), the refusal and its witness for 留置送达, and
电子送达 only where the recipient's written consent is on record."""

from __future__ import annotations

import datetime as dt

import pytest
from documents_factories import dangerous_house, pdf_text
from sqlalchemy import select

from liandu_desk.domain.documents import Document
from liandu_desk.domain.errors import RuleError, ValidationError
from liandu_desk.domain.houses import House
from liandu_desk.services.documents import lifecycle
from liandu_desk.services.documents.house_notices import draft_house_notice
from liandu_desk.services.documents.service_rules import Refusal, record_e_service_consent

ISSUED_ON = dt.date(2021, 9, 17)
SERVED_ON = dt.date(2021, 9, 20)


def _issued(db) -> tuple[int, int]:
    with db.session_scope() as session:
        house_id = dangerous_house(session)
        draft = draft_house_notice(session, house_id, "测试员", ISSUED_ON)
    with db.session_scope() as session:
        lifecycle.issue(session, draft.id, ISSUED_ON, "测试员")
    return house_id, draft.id


def _serve(db, document_id: int, method: str, refusal: Refusal | None = None):
    with db.session_scope() as session:
        return lifecycle.serve(session, document_id, method, SERVED_ON, "李秀英", "回证001", refusal)


def _stored(db, document_id: int) -> Document:
    with db.session_scope() as session:
        return session.scalar(select(Document).where(Document.id == document_id))


def test_receipt_has_one_date_a_refusal_row_and_a_witness_row(db) -> None:
    _house, document_id = _issued(db)
    with db.session_scope() as session:
        text = pdf_text(lifecycle.stored_pdf(session, document_id)).replace(" ", "")
    assert "送达日期：" in text and text.count("送达日期") == 1  # one date: the day of signing
    assert "拒收事由及日期" in text and "见证人（签名）" in text and "（留置送达时）" in text
    assert "□电子" not in text  # no consent on record: electronic service is not offered


@pytest.mark.parametrize(
    ("refusal", "field"),
    [
        (Refusal("", SERVED_ON, "王村委"), "拒收事由"),
        (Refusal("拒不签收", None, "王村委"), "拒收日期"),
        (Refusal("拒不签收", SERVED_ON, ""), "见证人"),
        (Refusal("拒不签收", dt.date(2021, 9, 21), "王村委"), "拒收日期"),
        (Refusal("拒不签收", dt.date(2021, 9, 16), "王村委"), "拒收日期"),
    ],
)
def test_left_at_place_needs_the_refusal_and_a_witness(db, refusal: Refusal, field: str) -> None:
    _house, document_id = _issued(db)
    with pytest.raises(ValidationError) as refused:
        _serve(db, document_id, "留置送达", refusal)
    assert refused.value.field == field
    assert _stored(db, document_id).served_on is None  # nothing recorded


def test_left_at_place_records_the_refusal_and_the_witness(db) -> None:
    _house, document_id = _issued(db)
    _serve(db, document_id, "留置送达", Refusal("拒不签收，称房屋无危险", dt.date(2021, 9, 19), "王村委"))
    row = _stored(db, document_id)
    assert (row.refusal_reason, row.refused_on, row.witness) == (
        "拒不签收，称房屋无危险",
        dt.date(2021, 9, 19),
        "王村委",
    )
    assert row.served_on == SERVED_ON


def test_electronic_service_only_with_consent_on_record(db) -> None:
    house_id, document_id = _issued(db)
    with pytest.raises(RuleError, match="没有书面同意电子送达"):
        _serve(db, document_id, "电子送达")
    with db.session_scope() as session:
        owner = session.get(House, house_id).owner_id
        record_e_service_consent(session, owner, "13812345678", dt.date(2021, 9, 21))
    with pytest.raises(RuleError, match="没有书面同意电子送达"):  # consent given after the service date
        _serve(db, document_id, "电子送达")
    with db.session_scope() as session:
        record_e_service_consent(session, owner, "13812345678", dt.date(2021, 9, 1))
    _serve(db, document_id, "电子送达")
    assert _stored(db, document_id).served_method == "电子送达"


def test_receipt_offers_electronic_service_once_consent_is_on_record(db) -> None:
    with db.session_scope() as session:
        house_id = dangerous_house(session)
        record_e_service_consent(session, session.get(House, house_id).owner_id, "li@example.cn", dt.date(2021, 9, 1))
        draft = draft_house_notice(session, house_id, "测试员", ISSUED_ON)
        text = pdf_text(lifecycle.preview(session, draft.id, ISSUED_ON)).replace(" ", "")
    assert "□电子" in text
