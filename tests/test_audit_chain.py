"""The audit trail is append-only and hash-chained; `liandu-desk check` finds tampering and damage."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from liandu_desk.cli import main
from liandu_desk.domain.registry import Person
from liandu_desk.services.integrity import verify_audit_chain
from liandu_desk.storage import Database


def make_history(db: Database, people: int = 5) -> None:
    for i in range(people):
        with db.session_scope() as session:
            person = Person(name=f"户主{i}", phone="13800138000")
            session.add(person)
            session.flush()
            person.phone = f"1390013900{i}"


def raw(db_path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(db_path)
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("DROP TRIGGER audit_log_no_delete")
    return conn


def test_chain_is_intact_after_normal_work(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    make_history(db)
    with db.session_scope() as session:
        report = verify_audit_chain(session)
    assert report.ok and report.checked == 10
    assert main(["check", "--db", db.url.render_as_string(hide_password=False)]) == 0
    assert "完好" in capsys.readouterr().out


def test_audit_rows_cannot_be_updated_or_deleted(db: Database) -> None:
    make_history(db, 1)
    for statement in ("UPDATE audit_log SET clerk_name = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(Exception, match="append-only"), db.session_scope() as session:
            session.execute(text(statement))


def test_tampered_row_is_named(db: Database, db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_history(db)
    db.dispose()
    conn = raw(db_path)
    target = conn.execute("SELECT id FROM audit_log ORDER BY id LIMIT 1 OFFSET 3").fetchone()[0]
    conn.execute('UPDATE audit_log SET new_values = \'{"phone": "13000000000"}\' WHERE id = ?', (target,))
    conn.commit()
    conn.close()
    assert main(["check", "--db", str(db_path)]) == 1
    out = capsys.readouterr().out
    assert f"id={target}" in out and "篡改" in out


def test_deleted_row_breaks_the_link(db: Database, db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_history(db)
    db.dispose()
    conn = raw(db_path)
    ids = [r[0] for r in conn.execute("SELECT id FROM audit_log ORDER BY id")]
    conn.execute("DELETE FROM audit_log WHERE id = ?", (ids[2],))
    conn.commit()
    conn.close()
    assert main(["check", "--db", str(db_path)]) == 1
    assert f"id={ids[3]}" in capsys.readouterr().out


def test_flipped_bytes_in_the_file_are_found(db: Database, db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_history(db, 50)
    db.dispose()
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'audit_log'").fetchone()[0]
    conn.close()
    data = bytearray(db_path.read_bytes())
    start = (root - 1) * page_size
    for offset in range(start, start + 64):
        data[offset] ^= 0xFF
    db_path.write_bytes(bytes(data))
    assert main(["check", "--db", str(db_path)]) == 1
    out = capsys.readouterr().out
    assert "发现问题" in out or "无法读取" in out or "断开" in out


def test_concurrent_writers_keep_one_chain(db: Database) -> None:
    import threading

    from liandu_desk.storage import ClerkRef

    def clerk_work(number: int) -> None:
        mine = Database(
            db.url.render_as_string(hide_password=False), clerk=ClerkRef(number, f"科员{number}", role="科员")
        )
        for i in range(15):
            with mine.session_scope() as session:
                session.add(Person(name=f"并发{number}-{i}"))
        mine.dispose()

    threads = [threading.Thread(target=clerk_work, args=(n,)) for n in (1, 2, 3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with db.session_scope() as session:
        report = verify_audit_chain(session)
    assert report.ok and report.checked == 45
