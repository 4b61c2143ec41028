"""Official documents: the holiday calendar, document numbers (counters, issued and voided numbers) and documents."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from liandu_desk.domain.base import AuditedMixin, Base, TimestampMixin, str_enum

DOCUMENT_TABLE_LABELS = {
    "doc_holiday": "节假日",
    "doc_number": "文号",
    "document": "文书",
    "doc_template": "文书模板",
}


class DayKind(enum.StrEnum):
    """A calendar exception: a public holiday on a weekday, or a weekend made a working day (调休上班)."""

    HOLIDAY = "放假"
    WORKDAY = "调休上班"


class DocType(enum.StrEnum):
    """Kinds of document the bureau issues."""

    HOUSE_NOTICE = "危房整改通知书"
    COMMUNITY_NOTICE = "小区整改通知书"
    MEDIATION_RECORD = "调解记录"
    MEDIATION_AGREEMENT = "调解协议书"
    LIST_PUBLICATION = "红黑榜通报"


IN_FORCE_WHERE = "doc_type IN ('危房整改通知书', '小区整改通知书') AND status IN ('已签发', '已送达', '已到期')"


class DocStatus(enum.StrEnum):
    """Lifecycle: 草稿 → 已签发 → 已送达 → 已到期 → 已复查; 已作废 from any state before 已复查."""

    DRAFT = "草稿"
    ISSUED = "已签发"
    SERVED = "已送达"
    DUE = "已到期"
    FOLLOWED_UP = "已复查"
    CANCELLED = "已作废"


class NumberStatus(enum.StrEnum):
    """A document number is in use or void; a void number is kept and never reused."""

    USED = "使用中"
    VOID = "已作废"


class Holiday(Base, AuditedMixin):
    """One day that differs from the Monday–Friday rule (State Council holiday notices)."""

    __tablename__ = "doc_holiday"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    kind: Mapped[DayKind] = mapped_column(str_enum(DayKind))
    name: Mapped[str] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(60), default="")


class DocCounter(Base, TimestampMixin):
    """The last sequence number used per document type and year; bumped in the issuing transaction."""

    __tablename__ = "doc_counter"

    doc_type: Mapped[DocType] = mapped_column(str_enum(DocType), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)


class DocNumber(Base, AuditedMixin):
    """An assigned document number, e.g. 莲建危改〔2021〕12号; void ones stay with their reason."""

    __tablename__ = "doc_number"
    __table_args__ = (
        UniqueConstraint("doc_type", "year", "seq", name="type_year_seq"),
        Index("ix_doc_number_number", "number"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    doc_type: Mapped[DocType] = mapped_column(str_enum(DocType))
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    prefix: Mapped[str] = mapped_column(String(12))
    number: Mapped[str] = mapped_column(String(40))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id", ondelete="RESTRICT"))
    status: Mapped[NumberStatus] = mapped_column(str_enum(NumberStatus), default=NumberStatus.USED)
    void_reason: Mapped[str | None] = mapped_column(String(200))
    voided_on: Mapped[dt.date | None] = mapped_column(Date)
    voided_by: Mapped[str | None] = mapped_column(String(40))


class Document(Base, AuditedMixin):
    """One document: a draft until issued; then number, recipient, text and facts are frozen."""

    __tablename__ = "document"
    __table_args__ = (
        Index("ix_document_subject", "subject_table", "subject_id"),
        Index("ix_document_status_deadline", "status", "deadline"),
        Index("ix_document_number", "number"),
        Index("ix_document_recipient", "recipient"),
        # one rectification notice in force per house or inspection, held by the database itself (any backend)
        Index(
            "uq_document_in_force",
            "doc_type",
            "subject_table",
            "subject_id",
            unique=True,
            sqlite_where=text(IN_FORCE_WHERE),
            postgresql_where=text(IN_FORCE_WHERE),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    doc_type: Mapped[DocType] = mapped_column(str_enum(DocType))
    status: Mapped[DocStatus] = mapped_column(str_enum(DocStatus), default=DocStatus.DRAFT)
    subject_table: Mapped[str] = mapped_column(String(60), default="")
    subject_id: Mapped[int | None] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200), default="")
    recipient: Mapped[str] = mapped_column(String(200), default="")
    facts: Mapped[dict] = mapped_column(JSON, default=dict)
    text: Mapped[list] = mapped_column(JSON, default=list)
    number: Mapped[str | None] = mapped_column(String(40))
    drafted_by: Mapped[str] = mapped_column(String(40), default="")
    issued_on: Mapped[dt.date | None] = mapped_column(Date)
    issued_by: Mapped[str | None] = mapped_column(String(40))
    deadline: Mapped[dt.date | None] = mapped_column(Date)
    served_method: Mapped[str | None] = mapped_column(String(20))
    served_on: Mapped[dt.date | None] = mapped_column(Date)
    served_to: Mapped[str | None] = mapped_column(String(60))
    receipt_ref: Mapped[str | None] = mapped_column(String(200))
    refusal_reason: Mapped[str | None] = mapped_column(String(200))  # 留置送达: why and when the recipient refused
    refused_on: Mapped[dt.date | None] = mapped_column(Date)
    witness: Mapped[str | None] = mapped_column(String(60))
    followed_up_on: Mapped[dt.date | None] = mapped_column(Date)
    follow_up_result: Mapped[str | None] = mapped_column(Text)
    cancelled_on: Mapped[dt.date | None] = mapped_column(Date)
    cancel_reason: Mapped[str | None] = mapped_column(String(200))
    # the template versions whose wording the issued PDF carries (its own, and the 送达回证's if it has one)
    template_version_id: Mapped[int | None] = mapped_column(ForeignKey("doc_template.id"))
    receipt_template_version_id: Mapped[int | None] = mapped_column(ForeignKey("doc_template.id"))


class TemplateOrigin(enum.StrEnum):
    """How a template version came about."""

    SHIPPED = "默认"  # the shipped default, recorded the first time a document used it
    EDITED = "修改"
    RESET = "恢复默认"


class DocTemplate(Base, AuditedMixin):
    """One version of a document type's wording (sections → text with {占位符}); never changed or deleted:
    an edit, a reset to the shipped default, or the first use of the default adds the next revision."""

    __tablename__ = "doc_template"
    __table_args__ = (UniqueConstraint("template_key", "revision", name="template_key_revision"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    template_key: Mapped[str] = mapped_column(String(40))
    revision: Mapped[int] = mapped_column(Integer)
    slots: Mapped[dict] = mapped_column(JSON)
    origin: Mapped[TemplateOrigin] = mapped_column(str_enum(TemplateOrigin, length=10))
    note: Mapped[str] = mapped_column(String(200), default="")
    created_by: Mapped[str] = mapped_column(String(40), default="")


class DocumentFile(Base, TimestampMixin):
    """The exact PDF bytes of an issued document; a reprint returns these bytes unchanged."""

    __tablename__ = "document_file"
    __audited__ = True  # its insert puts the PDF's SHA-256 into the audit chain: a swapped PDF breaks the chain

    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="RESTRICT"), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class DocBatch(Base, TimestampMixin):
    """A batch of notices issued together, with the exact bytes of the combined PDF stored in the issuing
    transaction: after a crash between the commit and the file on disk, the batch still prints byte for byte."""

    __tablename__ = "doc_batch"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    doc_type: Mapped[DocType] = mapped_column(str_enum(DocType))
    issued_on: Mapped[dt.date] = mapped_column(Date)
    issued_by: Mapped[str] = mapped_column(String(40), default="")
    count: Mapped[int] = mapped_column(Integer)
    first_number: Mapped[str] = mapped_column(String(40), default="")
    last_number: Mapped[str] = mapped_column(String(40), default="")
    sha256: Mapped[str] = mapped_column(String(64))
    pdf: Mapped[bytes] = mapped_column(LargeBinary)


class DocBatchMember(Base):
    """One issued document of a batch, in the batch's order."""

    __tablename__ = "doc_batch_member"

    batch_id: Mapped[int] = mapped_column(ForeignKey("doc_batch.id", ondelete="RESTRICT"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="RESTRICT"), unique=True)
