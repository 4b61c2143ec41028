"""Document numbers per type and year (机关代字〔年份〕序号号): gapless, unique, voided ones kept and never reused."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from liandu_desk.domain.documents import DocCounter, DocNumber, DocType, NumberStatus
from liandu_desk.domain.errors import ConflictError, NotFoundError, RuleError, ValidationError
from liandu_desk.domain.permissions import Permission, requires
from liandu_desk.domain.validators import format_doc_number
from liandu_desk.services.settings import get_setting

PREFIX_SETTINGS: dict[DocType, str] = {
    DocType.HOUSE_NOTICE: "prefix.house_notice",
    DocType.COMMUNITY_NOTICE: "prefix.community_notice",
    DocType.MEDIATION_AGREEMENT: "prefix.mediation",
    DocType.LIST_PUBLICATION: "prefix.list_publication",
}


@dataclass(frozen=True)
class NumberRow:
    """One assigned number for the register."""

    id: int
    doc_type: str
    year: int
    seq: int
    number: str
    document_id: int | None
    status: str
    void_reason: str | None
    voided_on: dt.date | None


def format_number(prefix: str, year: int, seq: int) -> str:
    """GB/T 9704 §7.2.5: 代字 + 〔year〕 + sequence without leading zeros + 号 (validated)."""
    return format_doc_number(prefix, year, seq)


def prefix_for(session: Session, doc_type: DocType) -> str:
    """The configured 机关代字 of a document type; records (调解记录) are not numbered."""
    if doc_type not in PREFIX_SETTINGS:
        raise RuleError(f"{doc_type.value}不编文号")
    return str(get_setting(session, PREFIX_SETTINGS[doc_type]))


def claim_write_lock(session: Session) -> None:
    """Start the transaction as a writer. On SQLite this must be the transaction's first statement, so two
    clerks issuing at once queue on the busy timeout instead of failing on a stale read snapshot; on a server
    database the counter row is locked with SELECT … FOR UPDATE instead and this is a no-op statement."""
    if session.get_bind().dialect.name == "sqlite":  # a server's logins may not update the counter at all
        session.execute(text("UPDATE doc_counter SET last_seq = last_seq WHERE 1 = 0"))


def _locked_counter(session: Session, doc_type: DocType, year: int) -> DocCounter:
    """The (type, year) counter, locked for this transaction; created on the year's first number. Two clerks issuing
    the year's first number at once on a server both find none: the second's insert waits for the first's commit,
    fails on the key, and that savepoint is rolled back to take the first's counter instead."""
    query = select(DocCounter).where(DocCounter.doc_type == doc_type, DocCounter.year == year).with_for_update()
    counter = session.scalar(query)
    if counter is not None:
        return counter
    try:
        with session.begin_nested():
            counter = DocCounter(doc_type=doc_type, year=year, last_seq=0)
            session.add(counter)
    except IntegrityError:
        counter = session.scalar(query)
        if counter is None:
            raise
    return counter


def _server_number(session: Session, doc_type: DocType, year: int, prefix: str, document_id: int | None) -> DocNumber:
    """On a server the number comes from `liandu_take_number` (SECURITY DEFINER; reviewers' and administrators'
    logins only), the one writer of the counter and the register; its register row is audited here."""
    from sqlalchemy.exc import DBAPIError

    from liandu_desk.domain.errors import PermissionDenied
    from liandu_desk.storage.audit_listener import insert_entry, write_entries

    statement = text("SELECT id, seq, number FROM liandu_take_number(:doc_type, :year, :prefix, :document)")
    values = {"doc_type": doc_type.value, "year": year, "prefix": prefix, "document": document_id}
    try:
        number_id, seq, number = session.execute(statement, values).one()
    except DBAPIError as exc:
        if getattr(exc.orig, "sqlstate", "") == "42501":
            raise PermissionDenied("数据库拒绝：本登录无权签发文书或占用文号。") from exc
        raise
    if number != format_number(prefix, year, seq):
        raise RuleError(f"服务器给出的文号“{number}”与规范格式不符")
    row = session.get(DocNumber, number_id)
    write_entries(session.connection(), [insert_entry(session, row)], session.info)
    return row


def assign_number(session: Session, doc_type: DocType, year: int, document_id: int | None) -> DocNumber:
    """Take the next sequence number of (type, year) in the caller's transaction and record it."""
    prefix = prefix_for(session, doc_type)
    if session.get_bind().dialect.name == "postgresql":
        format_number(prefix, year, 1)  # the prefix is validated before the server takes a number
        return _server_number(session, doc_type, year, prefix, document_id)
    counter = _locked_counter(session, doc_type, year)
    seq = counter.last_seq + 1
    result = session.execute(
        update(DocCounter)
        .where(DocCounter.doc_type == doc_type, DocCounter.year == year, DocCounter.last_seq == seq - 1)
        .values(last_seq=seq)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise ConflictError("文号计数器已被其他人更新，请重试。")
    session.expire(counter)
    number = format_number(prefix, year, seq)
    row = DocNumber(doc_type=doc_type, year=year, seq=seq, prefix=prefix, number=number, document_id=document_id)
    session.add(row)
    session.flush()
    return row


@requires(Permission.ISSUE_NOTICES)
def void_number(session: Session, number_id: int, reason: str, clerk_name: str, on: dt.date | None = None) -> None:
    """Void a number (misprint, withdrawn): it stays in the register with the reason and is never reused."""
    row = session.get(DocNumber, number_id)
    if row is None:
        raise NotFoundError(f"文号（编号{number_id}）不存在")
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise ValidationError("作废原因", "至少2个字")
    if row.status == NumberStatus.VOID:
        raise RuleError(f"{row.number}已于{row.voided_on}作废")
    row.status = NumberStatus.VOID
    row.void_reason = reason[:200]
    row.voided_on = on or dt.date.today()
    row.voided_by = clerk_name
    session.flush()


@requires(Permission.ISSUE_NOTICES)
def reserve_void(session: Session, doc_type: DocType, year: int, reason: str, clerk_name: str) -> DocNumber:
    """Take a number and void it at once (a number spoiled on paper); keeps the sequence gapless."""
    claim_write_lock(session)
    row = assign_number(session, doc_type, year, None)
    void_number(session, row.id, reason, clerk_name)
    return row


def list_numbers(session: Session, doc_type: DocType | None = None, year: int | None = None) -> list[NumberRow]:
    """Every assigned number, used and void, in order."""
    query = select(DocNumber).order_by(DocNumber.doc_type, DocNumber.year, DocNumber.seq)
    if doc_type is not None:
        query = query.where(DocNumber.doc_type == doc_type)
    if year is not None:
        query = query.where(DocNumber.year == year)
    return [
        NumberRow(
            r.id, r.doc_type.value, r.year, r.seq, r.number, r.document_id, r.status.value, r.void_reason, r.voided_on
        )
        for r in session.scalars(query)
    ]
