"""Integrity checks: the database file (SQLite integrity_check) and the audit trail's hash chain."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import func, select, text
from sqlalchemy.engine import URL, Connection
from sqlalchemy.orm import Session

from liandu_desk.domain.audit import GENESIS_HASH, AuditAnchor, AuditEntry, entry_digest
from liandu_desk.domain.documents import DocumentFile
from liandu_desk.storage.audit_key import AuditKey, anchor_path, load_key, read_anchors, split_at_restore

_FIELDS = ("at", "clerk_id", "clerk_name", "action", "table_name", "row_id", "old_values", "new_values")


def _url(session: Session) -> URL:
    """The database's URL, whether the session is bound to an engine or joins a connection's transaction."""
    bind = session.get_bind()
    return bind.engine.url if isinstance(bind, Connection) else bind.url


@dataclass(frozen=True)
class ChainReport:
    """The result of walking the audit chain."""

    checked: int
    broken_id: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_id is None


def _reads_audit_values(session: Session) -> bool:
    """False for a server login that reads the audit trail masked (a 科员's): it cannot recompute the hashes."""
    if session.get_bind().dialect.name != "postgresql":
        return True
    query = text("SELECT has_column_privilege('public.audit_log', 'new_values', 'SELECT')")
    return bool(session.execute(query).scalar())


def _verify_links(session: Session, batch: int) -> ChainReport:
    """Each entry names the hash of the one before it: all a login without the values can check."""
    prev = GENESIS_HASH
    checked = 0
    query = select(AuditEntry.id, AuditEntry.prev_hash, AuditEntry.hash).order_by(AuditEntry.id)
    for entry_id, prev_hash, entry_hash in session.execute(query.execution_options(yield_per=batch)):
        checked += 1
        if prev_hash != prev:
            return ChainReport(
                checked, entry_id, f"第{checked}条（id={entry_id}）与前一条记录的链接不符：其前的记录被删除、插入或改动"
            )
        prev = entry_hash
    return ChainReport(checked, None, "本登录读不到记录内容，只核对了链接；内容请由审核、管理员或信息科核对")


def verify_audit_chain(
    session: Session, batch: int = 5000, key: AuditKey | None = None, installation_key: bool = True
) -> ChainReport:
    """Walk every audit entry in id order; name the first whose link or content does not match.

    Entries after the key's starting point must carry the installation's HMAC (the key file beside the database,
    or `key`); without the key such entries cannot be verified and the walk says so instead of passing them."""
    if key is None and installation_key:
        key = load_key(_url(session))
    if not _reads_audit_values(session):
        return _verify_links(session, batch)
    prev = GENESIS_HASH
    checked = 0
    query = select(AuditEntry).order_by(AuditEntry.id).execution_options(yield_per=batch)
    for entry in session.scalars(query):
        checked += 1
        if entry.prev_hash != prev:
            return ChainReport(
                checked, entry.id, f"第{checked}条（id={entry.id}）与前一条记录的链接不符：其前的记录被删除、插入或改动"
            )
        secret = key.secret if key is not None and checked > key.since_length else None
        if entry_digest(prev, {name: getattr(entry, name) for name in _FIELDS}, secret) != entry.hash:
            missing = "，或本机缺少审计密钥文件" if key is None else ""
            return ChainReport(
                checked, entry.id, f"第{checked}条（id={entry.id}）的内容与其哈希不符：该记录被篡改{missing}"
            )
        if key is not None and checked == key.since_length and entry.hash != key.since_head:
            return ChainReport(
                checked, entry.id, f"第{checked}条（id={entry.id}）与审计密钥记录的链头不符：此前的记录被改写"
            )
        prev = entry.hash
        session.expunge(entry)
    if key is not None and checked < key.since_length and not _restored_to(session, checked):
        return ChainReport(
            checked, None, f"操作记录只有{checked}条，少于审计密钥创建时的{key.since_length}条：记录被截断"
        )
    return ChainReport(checked)


def _restored_to(session: Session, length: int) -> bool:
    """Whether the newest restore marker of the journal put the chain at exactly this length (and this head)."""
    journal = read_anchors(_url(session))
    markers = [a for a in journal if a.get("restore")]
    if not markers or markers[-1].get("length") != length:
        return False
    head = session.execute(select(AuditEntry.id, AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)).first()
    return (head is None and length == 0) or (
        head is not None and tuple(head) == (markers[-1]["head_id"], markers[-1]["head"])
    )


def _table_anchors(session: Session) -> list[dict]:
    """A server database's anchors (audit_anchor), in the journal's shape."""
    rows = session.execute(
        select(AuditAnchor.id, AuditAnchor.head_id, AuditAnchor.head_hash, AuditAnchor.at).order_by(AuditAnchor.id)
    )
    return [{"line": i, "head_id": h, "head": x, "at": at.isoformat()} for i, h, x, at in rows]


def verify_anchors(session: Session) -> str:
    """Compare the chain with every anchor of the journal; '' when all agree, else the first place they part."""
    url = _url(session)
    journal = read_anchors(url) if url.get_backend_name() == "sqlite" else _table_anchors(session)
    ids = {a["head_id"] for a in journal if a["head_id"] > 0}
    found = dict(session.execute(select(AuditEntry.id, AuditEntry.hash).where(AuditEntry.id.in_(ids))).all())
    anchors, _marker = split_at_restore(journal, found)
    if not journal:
        key, path = load_key(url), anchor_path(url)
        keyed = session.scalar(select(func.count()).select_from(AuditEntry)) or 0
        if key is not None and path is not None and keyed > key.since_length:
            return f"锚点日志（{path.name}）缺失或为空，而操作记录已有密钥保护的条目：锚点日志被删除"
        return ""
    for anchor in anchors:
        where = f"锚点日志第{anchor['line']}行（{anchor['at'][:19]}）"
        if anchor["head_id"] < 0:
            return f"{where}无法读取：锚点日志被改动"
        stored = found.get(anchor["head_id"])
        if stored is None:
            return f"{where}记录的第{anchor['head_id']}号操作记录已不存在：操作记录被截断或删除"
        if stored != anchor["head"]:
            return f"{where}与第{anchor['head_id']}号操作记录的哈希不符：操作记录被改写"
    return ""


def verify_stored_pdfs(session: Session) -> list[str]:
    """Re-hash every stored PDF: against its own SHA-256 and against the SHA-256 the audit chain recorded."""
    recorded = {
        row_id: (new or {}).get("sha256")
        for row_id, new in session.execute(
            select(AuditEntry.row_id, AuditEntry.new_values).where(
                AuditEntry.table_name == "document_file", AuditEntry.action == "insert"
            )
        )
    }
    problems = []
    for document_id, sha, data in session.execute(
        select(DocumentFile.document_id, DocumentFile.sha256, DocumentFile.data).execution_options(yield_per=50)
    ):
        actual = hashlib.sha256(data).hexdigest()
        if actual != sha:
            problems.append(f"文书{document_id}的存档PDF与其SHA-256不符：PDF被改动")
        elif recorded.get(str(document_id)) not in (None, actual):
            problems.append(f"文书{document_id}的存档PDF与签发时记入操作记录的SHA-256不符：PDF被替换")
    return problems


def database_integrity(session: Session) -> list[str]:
    """SQLite's PRAGMA integrity_check lines ('ok' when sound); other backends check their own storage."""
    if session.get_bind().dialect.name != "sqlite":
        return ["ok"]
    return [row[0] for row in session.execute(text("PRAGMA integrity_check"))]


def latest_anchor_text(session: Session) -> str:
    """The newest audit anchor in short form, as the document register prints it ('' before the first one)."""
    url = _url(session)
    anchors = read_anchors(url) if url.get_backend_name() == "sqlite" else _table_anchors(session)[-1:]
    anchors = [a for a in anchors if a["head_id"] > 0]
    if not anchors:
        return ""
    last = anchors[-1]
    return f"审计锚点：第{last['head_id']}条 {last['head'][:12]}（{last['at'][:19].replace('T', ' ')} UTC）"
