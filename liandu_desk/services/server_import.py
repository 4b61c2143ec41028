"""Moving a desk onto the server: copy a SQLite file's whole record into an empty, migrated PostgreSQL database.

Every table is copied row for row with its ids (so document numbers, counters and the audit chain stay as they were),
attachment files beside the SQLite file become `attachment_blob` rows, the chain is verified before (on the file,
with its key and anchor journal) and after (on the server), the journal's anchors go to `audit_anchor`, and one
audit entry recording the import continues the chain. PostgreSQL sequences are set past the largest ids. All of it
in one transaction: a failure leaves the server database as empty as it was.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import DateTime, Integer, Table, func, insert, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from liandu_desk.domain.errors import RuleError
from liandu_desk.storage.audit_key import (
    KEY_ENV,
    forget_cached_keys,
    key_path,
    load_key,
    read_anchors,
    split_at_restore,
)
from liandu_desk.storage.database import ClerkRef, Database

log = logging.getLogger(__name__)
SEEDED_BY_MIGRATIONS = ("app_setting", "division", "doc_holiday")  # rows every freshly migrated database has
BATCH = 2000


@dataclass
class ImportReport:
    """What was copied."""

    rows: dict[str, int] = field(default_factory=dict)
    attachments: int = 0
    audit_entries: int = 0
    anchors: int = 0
    key_file: Path | None = None

    def lines(self) -> list[str]:
        total = sum(self.rows.values())
        out = [f"已复制 {len(self.rows)} 张表、{total} 行；附件文件 {self.attachments} 个存入服务器数据库"]
        out.append(f"操作记录 {self.audit_entries} 条（哈希链导入前后均已核验并延续），锚点 {self.anchors} 个")
        if self.key_file is not None:
            out.append(f"审计密钥已写入 {self.key_file}：每台连接服务器的电脑都要用 {KEY_ENV} 指向它的副本")
        return out


def _tables() -> list[Table]:
    from liandu_desk.domain.models import metadata

    return list(metadata.sorted_tables)


def _verify_source(source: Database) -> int:
    """Refuse a desk whose file, audit chain, anchors or stored PDFs do not check out; the chain's length."""
    from liandu_desk.services.integrity import (
        database_integrity,
        verify_anchors,
        verify_audit_chain,
        verify_stored_pdfs,
    )

    with source.session_scope() as session:
        problems = [line for line in database_integrity(session) if line != "ok"]
        chain = verify_audit_chain(session)
        anchors = verify_anchors(session)
        pdfs = verify_stored_pdfs(session)
    if problems or not chain.ok or anchors or pdfs:
        found = problems[:3] + ([chain.reason] if not chain.ok else []) + ([anchors] if anchors else []) + pdfs[:3]
        raise RuleError("本机数据库未通过检查，不能导入服务器：" + "；".join(found))
    return chain.checked


def _refuse_unless_empty(connection: Connection) -> None:
    found = []
    for table in _tables():
        if table.name in SEEDED_BY_MIGRATIONS:
            continue
        count = connection.execute(select(func.count()).select_from(table)).scalar() or 0
        if count:
            found.append(f"{table.name}（{count}行）")
    if found:
        raise RuleError(
            "服务器数据库不是空的，导入会混淆两份记录，已拒绝："
            + "、".join(found[:10])
            + "。请导入到刚用 server setup 建好的空数据库。"
        )


def _as_utc(table: Table):
    """Naive times from SQLite are UTC wall time; PostgreSQL's timestamptz needs to be told so."""
    columns = [c.name for c in table.columns if isinstance(c.type, DateTime) and c.type.timezone]

    def convert(row: dict) -> dict:
        for name in columns:
            value = row.get(name)
            if isinstance(value, dt.datetime) and value.tzinfo is None:
                row[name] = value.replace(tzinfo=dt.UTC)
        return row

    return convert


def _copy_table(source: Connection, target: Connection, table: Table) -> int:
    convert = _as_utc(table)
    order = [c for c in table.primary_key.columns]
    result = source.execution_options(yield_per=BATCH).execute(select(table).order_by(*order))
    copied = 0
    for rows in result.mappings().partitions(BATCH):
        target.execute(insert(table), [convert(dict(row)) for row in rows])
        copied += len(rows)
    return copied


def _copy_attachment_files(source: Database, target: Connection) -> int:
    """The bytes of file attachments (beside the SQLite file) into attachment_blob, each checked by its SHA-256."""
    from liandu_desk.domain.attachments import Attachment, AttachmentBlob

    path = source.sqlite_path
    assert path is not None
    folder = path.with_name(f"{path.stem}-files")
    with source.engine.connect() as connection:
        wanted = connection.execute(
            select(Attachment.sha256, func.min(Attachment.original_name))
            .where(Attachment.sha256.not_in(select(AttachmentBlob.sha256)))
            .group_by(Attachment.sha256)
        ).all()
    missing, copied = [], 0
    for sha, name in wanted:
        file = folder / sha[:2] / sha
        data = file.read_bytes() if file.exists() else b""
        if hashlib.sha256(data).hexdigest() != sha:
            missing.append(name)
            continue
        target.execute(insert(AttachmentBlob.__table__), [{"sha256": sha, "data": data}])
        copied += 1
    if missing:
        raise RuleError(f"附件文件缺失或已损坏（{folder}）：" + "、".join(missing[:10]) + "。请先从备份找回后再导入。")
    return copied


def _reset_sequences(target: Connection) -> None:
    """Each serial id's sequence continues past the largest id copied."""
    for table in _tables():
        key = list(table.primary_key.columns)
        if len(key) != 1 or not isinstance(key[0].type, Integer):
            continue
        sequence = target.execute(text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table.name, "c": key[0].name})
        name = sequence.scalar()
        if name:
            target.execute(
                text(f'SELECT setval(:s, coalesce((SELECT max("{key[0].name}") FROM "{table.name}"), 0) + 1, false)'),
                {"s": name},
            )


def _install_key(source: Database, target: Database, key_file: Path | None) -> Path | None:
    """The desk's audit key must verify the keyed entries on the server too: write it where the server's is read."""
    key = load_key(source.url)
    if key is None:
        return None
    where = key_file or key_path(target.url)
    if where is None:
        raise RuleError(
            "本机数据库的操作记录受审计密钥保护，服务器上也要用同一密钥核验："
            f"请用 --key-file 指定服务器审计密钥文件的位置（或设置环境变量 {KEY_ENV}）。"
        )
    source_file = key_path(source.url)
    assert source_file is not None
    payload = source_file.read_text(encoding="utf-8")
    if where.exists():
        if json.loads(where.read_text(encoding="utf-8")).get("secret") != key.secret.hex():
            raise RuleError(f"{where} 已有另一个审计密钥：服务器的操作记录不能用两把密钥核验，请换一个位置。")
    else:
        where.parent.mkdir(parents=True, exist_ok=True)
        where.write_text(payload, encoding="utf-8")
        where.chmod(0o600)
    return where


def _journal_anchors(source: Database) -> list[dict]:
    """The anchors of the desk's journal that describe its chain as it is now (after the latest restore)."""
    from liandu_desk.domain.audit import AuditEntry

    journal = read_anchors(source.url)
    ids = {a["head_id"] for a in journal if a["head_id"] > 0}
    with source.engine.connect() as connection:
        found = dict(connection.execute(select(AuditEntry.id, AuditEntry.hash).where(AuditEntry.id.in_(ids))).all())
    anchors, _marker = split_at_restore(journal, found)
    return [a for a in anchors if a["head_id"] > 0]


def import_desk(source_file: Path, target: Database, key_file: Path | None = None, actor: str = "") -> ImportReport:
    """Copy the desk `source_file` into the empty, migrated server database `target` (see the module docstring)."""
    from liandu_desk.domain.audit import AuditAnchor
    from liandu_desk.domain.base import utcnow
    from liandu_desk.storage.audit_listener import write_entries
    from liandu_desk.storage.migrate import current_revisions, head_revisions, may_migrate
    from liandu_desk.storage.writer_lock import require_writer

    if not source_file.is_file():
        raise RuleError(f"找不到本机数据库文件：{source_file}")
    if target.is_sqlite:
        raise RuleError("--db 应为服务器数据库的 URL（postgresql+psycopg://…）")
    source = Database(f"sqlite:///{source_file.resolve()}", clerk=ClerkRef(None, "导入", "import", "管理员"))
    try:
        require_writer(source, "导入服务器")  # nobody writes the desk while it is copied
        if current_revisions(source) != head_revisions(source):
            raise RuleError(
                "本机数据库的结构版本与本程序不一致：请先用本程序打开它（或运行 liandu-desk init）升级后再导入。"
            )
        if current_revisions(target) != head_revisions(target):
            raise RuleError(
                "服务器数据库尚未建好或版本不一致：请先运行 liandu-desk server setup（或 server upgrade）。"
            )
        if not may_migrate(target):
            raise RuleError("导入要以信息科的超级用户或数据库所有者身份连接（科员登录不能导入）。")
        with target.engine.connect() as probe:
            _refuse_unless_empty(probe)  # before anything is written, the key file included
        entries = _verify_source(source)
        report = ImportReport(audit_entries=entries)
        report.key_file = _install_key(source, target, key_file)
        if report.key_file or key_file:
            os.environ[KEY_ENV] = str(report.key_file or key_file)  # the chain continues with the desk's key
            forget_cached_keys()
        anchors = _journal_anchors(source)
        with source.engine.connect() as reader, target.engine.begin() as writer:
            _refuse_unless_empty(writer)  # again, inside the transaction that fills it
            for table in reversed(_tables()):
                if table.name in SEEDED_BY_MIGRATIONS:
                    writer.execute(table.delete())  # the desk's own copies (and installation id) replace them
            for table in _tables():
                report.rows[table.name] = _copy_table(reader, writer, table)
            report.attachments = _copy_attachment_files(source, writer)
            _reset_sequences(writer)
            if anchors:
                writer.execute(
                    insert(AuditAnchor),
                    [
                        {"head_id": a["head_id"], "head_hash": a["head"], "at": dt.datetime.fromisoformat(a["at"])}
                        for a in anchors
                    ],
                )
            report.anchors = len(anchors) + 1
            write_entries(writer, [_import_entry(source_file, report, actor, utcnow())])
            _verify_target(writer, entries + 1)  # before the commit: a failure leaves the server empty
    finally:
        source.dispose()
    log.info("imported %s into %s: %s", source_file, target.display_name(), report.rows)
    return report


def _import_entry(source_file: Path, report: ImportReport, actor: str, now: dt.datetime) -> dict:
    return {
        "at": now,
        "clerk_id": None,
        "clerk_name": actor or "信息科（导入）",
        "action": "import",
        "table_name": "database",
        "row_id": "",
        "old_values": None,
        "new_values": {
            "from": source_file.name,
            "rows": sum(report.rows.values()),
            "attachments": report.attachments,
            "entries": report.audit_entries,
        },
    }


def _verify_target(writer: Connection, expected: int) -> None:
    """The chain on the server, with the desk's key, from the first entry to the import entry; anchors and PDFs."""
    from liandu_desk.services.integrity import verify_anchors, verify_audit_chain, verify_stored_pdfs

    with Session(bind=writer) as session:
        chain = verify_audit_chain(session)
        anchors = verify_anchors(session)
        pdfs = verify_stored_pdfs(session)
    problems = ([chain.reason] if not chain.ok else []) + ([anchors] if anchors else []) + pdfs
    if chain.checked != expected:
        problems.append(f"操作记录为 {chain.checked} 条，应为 {expected} 条")
    if problems:
        raise RuleError("服务器上的核验未通过，导入已撤销：" + "；".join(problems))
