"""One writer per SQLite file: a second program opens read-only and names the holder; network shares refused."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from liandu_desk.cli import main
from liandu_desk.domain.errors import RuleError
from liandu_desk.domain.registry import Person
from liandu_desk.storage import ClerkRef, Database, writer_lock
from liandu_desk.storage.writer_lock import LockHolder, WriterLock, claim_writer, is_network_path

pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def other_program(db_path: Path) -> Iterator[subprocess.Popen]:
    """Another process holding the writer lock as clerk 张科员 until the test ends."""
    code = textwrap.dedent(f"""
        import sys, time
        from pathlib import Path
        from liandu_desk.storage.writer_lock import WriterLock
        lock, holder = WriterLock.acquire(Path({str(db_path)!r}), "张科员")
        print("held" if lock else "refused", flush=True)
        time.sleep(60)
    """)
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held"
    yield proc
    proc.kill()
    proc.wait()


def test_second_program_is_read_only_and_names_holder(db_path: Path, other_program: subprocess.Popen) -> None:
    db = Database(f"sqlite:///{db_path}", clerk=ClerkRef(2, "李科员", "li", "科员"))
    reason = claim_writer(db, "李科员")
    assert "张科员" in reason and "只读" in reason
    with db.session_scope() as session:
        assert session.scalars(select(Person)).all() == []  # reading works
    with pytest.raises(RuleError, match="只读模式，不能保存"), db.session_scope() as session:
        session.add(Person(name="不该写入"))
    db.dispose()


def test_cli_write_refused_while_held(db_path: Path, other_program: subprocess.Popen, capsys) -> None:
    assert main(["demo", "--db", str(db_path), "--scale", "0.01"]) == 1
    assert "张科员" in capsys.readouterr().err


def test_lock_released_when_holder_dies(db_path: Path, other_program: subprocess.Popen) -> None:
    other_program.kill()
    other_program.wait()
    lock, holder = WriterLock.acquire(db_path, "李科员")
    assert lock is not None and holder is None
    lock.release()


def test_same_process_may_reopen(db_path: Path) -> None:
    first, _ = WriterLock.acquire(db_path, "甲")
    again, holder = WriterLock.acquire(db_path, "甲")
    assert first is again and holder is None
    first.release()


def test_network_share_opens_read_only(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(writer_lock, "_mount_type", lambda _p: "cifs")
    db = Database(f"sqlite:///{db_path}")
    assert "共享服务器模式" in claim_writer(db, "甲")
    assert is_network_path(Path("//server/share/db.sqlite3"))


def test_unreadable_holder_text_is_tolerated() -> None:
    assert writer_lock._parse_holder("garbage") == LockHolder("未知用户", "未知计算机", 0, "未知时间")
