"""An audit chain that cannot be truncated or rewritten unseen: keyed with a secret kept outside the database,
anchored in a journal beside it after every commit, and covering the SHA-256 of every issued PDF."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
from pathlib import Path

import pytest
from documents_factories import dangerous_house

from liandu_desk.cli import main
from liandu_desk.domain.audit import GENESIS_HASH, entry_digest
from liandu_desk.domain.registry import Person
from liandu_desk.services.documents import lifecycle
from liandu_desk.services.documents.house_notices import draft_house_notice
from liandu_desk.storage import Database
from liandu_desk.storage.audit_key import forget_cached_keys, key_path, read_anchors

pytestmark = pytest.mark.sqlite_only
FIELDS = ("at", "clerk_id", "clerk_name", "action", "table_name", "row_id", "old_values", "new_values")


def _work(db: Database, count: int = 5) -> None:
    for n in range(count):
        with db.session_scope() as session:
            session.add(Person(name=f"户主{n}", phone="13812345678"))


def _check(db_path: Path, capsys) -> tuple[int, str]:
    code = main(["check", "--db", str(db_path)])
    return code, capsys.readouterr().out


def _raw(db_path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(db_path)
    conn.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
    conn.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    return conn


def _rehash(conn: sqlite3.Connection, secret: bytes | None = None) -> None:
    """What someone holding only the file can do: recompute every link, with plain SHA-256 or a guessed key."""
    prev = GENESIS_HASH
    for row in conn.execute(f"SELECT id, {', '.join(FIELDS)} FROM audit_log ORDER BY id").fetchall():
        fields = dict(zip(FIELDS, row[1:], strict=True))
        fields["at"] = dt.datetime.fromisoformat(fields["at"])
        for name in ("old_values", "new_values"):
            fields[name] = json.loads(fields[name]) if fields[name] else None
        digest = entry_digest(prev, fields, secret)
        conn.execute("UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?", (prev, digest, row[0]))
        prev = digest
    conn.commit()


def test_key_and_anchors_live_beside_the_file(db: Database, db_path: Path, capsys) -> None:
    _work(db, 3)
    path = key_path(db.url)
    assert path is not None and path.exists() and (path.stat().st_mode & 0o777) == 0o600
    anchors = read_anchors(db.url)
    assert len(anchors) == 3 and anchors[-1]["head_id"] == 3
    assert _check(db_path, capsys)[0] == 0


def test_truncating_the_newest_entries_is_caught_by_the_anchors(db: Database, db_path: Path, capsys) -> None:
    _work(db)
    conn = _raw(db_path)
    conn.execute("DELETE FROM audit_log WHERE id > 3")
    conn.commit()
    code, out = _check(db_path, capsys)
    assert code == 1 and "第4号操作记录已不存在" in out  # the first anchor that parts from the chain
    db_path.with_name(db_path.name + ".anchors").unlink()  # the journal deleted as well
    code, out = _check(db_path, capsys)
    assert code == 1 and "锚点日志被删除" in out


def test_rewriting_a_row_and_rehashing_the_rest_is_caught_without_the_key(db: Database, db_path: Path, capsys) -> None:
    _work(db)
    conn = _raw(db_path)
    conn.execute("UPDATE audit_log SET new_values = json_set(new_values, '$.phone', '13900000000') WHERE id = 2")
    _rehash(conn)
    code, out = _check(db_path, capsys)
    assert code == 1 and "第1条" in out and "该记录被篡改" in out


def test_keyed_entries_cannot_pass_without_their_key(db: Database, db_path: Path, capsys) -> None:
    _work(db)
    key_path(db.url).unlink()
    forget_cached_keys()
    code, out = _check(db_path, capsys)
    assert code == 1 and "缺少审计密钥文件" in out


def test_rehashing_with_a_guessed_key_is_caught(db: Database, db_path: Path, capsys) -> None:
    _work(db)
    _rehash(_raw(db_path), os.urandom(32))
    code, out = _check(db_path, capsys)
    assert code == 1 and "该记录被篡改" in out


def test_swapping_a_stored_pdf_is_caught(db: Database, db_path: Path, capsys) -> None:
    with db.session_scope() as session:
        house_id = dangerous_house(session)
        draft = draft_house_notice(session, house_id, "测试员", dt.date(2021, 9, 17))
    with db.session_scope() as session:
        lifecycle.issue(session, draft.id, dt.date(2021, 9, 17), "测试员")
    assert _check(db_path, capsys)[0] == 0
    forged = b"%PDF-1.4 forged notice"
    conn = sqlite3.connect(db_path)
    conn.execute("DROP TRIGGER IF EXISTS document_file_no_update")
    conn.execute(
        "UPDATE document_file SET data = ?, sha256 = ?, size = ? WHERE document_id = ?",
        (forged, hashlib.sha256(forged).hexdigest(), len(forged), draft.id),
    )
    conn.commit()
    code, out = _check(db_path, capsys)
    assert code == 1 and f"文书{draft.id}的存档PDF与签发时记入操作记录的SHA-256不符" in out


def test_backup_manifest_carries_the_latest_anchor(db: Database, tmp_path: Path) -> None:
    from liandu_desk.services.backups import backup_now
    from liandu_desk.storage.backup import read_manifest

    _work(db, 2)
    folder = tmp_path / "usb"
    folder.mkdir()
    manifest = read_manifest(backup_now(db, folder))
    assert manifest["anchor"]["head_id"] == 2 and manifest["anchor"]["head"] == read_anchors(db.url)[-1]["head"]


def test_register_prints_the_latest_anchor(db: Database, db_path: Path, ctx, qtbot, capsys) -> None:
    from liandu_desk.ui.documents.register import DocumentRegister

    _work(db, 2)
    last = read_anchors(db.url)[-1]
    head, number = last["head"], last["head_id"]
    assert main(["document", "list", "--db", str(db_path)]) == 0
    assert f"审计锚点：第{number}条 {head[:12]}" in capsys.readouterr().err
    register = DocumentRegister(ctx)
    qtbot.addWidget(register)
    register.refresh()
    assert f"第{number}条 {head[:12]}" in register.count.text()


def test_a_savepoint_released_in_a_transaction_that_then_fails_leaves_no_anchor(db: Database, db_path: Path) -> None:
    """Found by the fault-injection suite: SQLAlchemy calls after_commit when a SAVEPOINT is released too, so the
    anchor of entries not yet committed reached the journal; a crash before the commit left it naming a lost entry."""
    _work(db, 1)
    before = read_anchors(db.url)
    with pytest.raises(RuntimeError, match="crash"), db.session_scope() as session:
        session.add(Person(name="未提交", phone="13812345678"))
        with session.begin_nested():  # e.g. the year's first document number
            session.add(Person(name="保存点内", phone="13812345679"))
        raise RuntimeError("crash before the commit")
    assert read_anchors(db.url) == before
    with db.session_scope() as session:
        session.add(Person(name="提交", phone="13812345670"))
        with session.begin_nested():
            session.add(Person(name="保存点内", phone="13812345671"))
    assert len(read_anchors(db.url)) == len(before) + 1  # one anchor, at the real commit
    assert main(["check", "--db", str(db_path)]) == 0


def test_a_crash_while_the_key_is_written_leaves_no_half_written_key(tmp_path, monkeypatch) -> None:
    """The key appears whole or not at all: a reader or a restart never finds an empty key file."""
    import os

    from sqlalchemy.engine import make_url

    from liandu_desk.storage import audit_key

    url = make_url(f"sqlite:///{tmp_path / 'desk.sqlite3'}")
    real_fsync = os.fsync

    def dies(_fd: int) -> None:
        raise SystemExit("killed while writing the key")

    monkeypatch.setattr(audit_key.os, "fsync", dies)
    with pytest.raises(SystemExit):
        audit_key.create_key(url, 0, "")
    assert not audit_key.key_path(url).exists()
    monkeypatch.setattr(audit_key.os, "fsync", real_fsync)
    audit_key.forget_cached_keys()
    created = audit_key.create_key(url, 3, "abc")
    audit_key.forget_cached_keys()
    assert audit_key.load_key(url) == created and created.since_length == 3
    assert [p.name for p in tmp_path.iterdir()] == ["desk.sqlite3.auditkey"]  # no temporary file left behind
