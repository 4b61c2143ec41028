"""One writer per SQLite file: a second program opens read-only and names the holder; network shares refused."""

from __future__ import annotations

import shutil
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


WRITER = """
import sys, time
from pathlib import Path
from liandu_desk.domain.documents import DocType
from liandu_desk.services.documents.numbering import assign_number
from liandu_desk.storage import ClerkRef, Database
from liandu_desk.storage.writer_lock import claim_writer
db = Database("sqlite:///" + sys.argv[1], clerk=ClerkRef(None, "张科员", "zhang", "管理员"))
print("held" if not claim_writer(db, "张科员") else "refused", flush=True)
for _ in range(400):
    with db.session_scope() as session:
        number = assign_number(session, DocType.HOUSE_NOTICE, 2026, None)
        text = number.number
    print(text, flush=True)
    time.sleep(0.01)
"""


def _numbers(db_path: Path) -> list[str]:
    from liandu_desk.domain.documents import DocNumber

    db = Database(f"sqlite:///{db_path}")
    with db.session_scope() as session:
        numbers = list(session.scalars(select(DocNumber.number).order_by(DocNumber.id)))
    db.dispose()
    return numbers


def test_restore_refused_while_another_program_writes(db_path: Path, tmp_path: Path, capsys) -> None:
    """Restore during a writer's batch would drop its committed numbers and reuse them: it must refuse instead."""
    backup = tmp_path / "before.sqlite3"
    assert main(["backup", "--db", str(db_path), "--out", str(backup)]) == 0
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(db_path)], stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline().strip() == "held"
        first = writer.stdout.readline().strip()
        assert main(["restore", "--db", str(db_path), str(backup)]) == 1
        assert main(["init", "--db", str(db_path)]) == 0  # already at the newest schema: nothing to write
        err = capsys.readouterr().err
        assert "不能恢复备份" in err and "张科员" in err
    finally:
        committed = [first, *[line.strip() for line in writer.stdout]]
        writer.wait(60)
    assert writer.returncode == 0
    numbers = _numbers(db_path)
    assert numbers == committed and len(set(numbers)) == len(numbers) == 400  # nothing lost, nothing reused


def test_read_only_commands_run_while_the_lock_is_held(db_path: Path, other_program: subprocess.Popen, capsys) -> None:
    assert main(["check", "--db", str(db_path)]) == 0
    assert main(["document", "list", "--db", str(db_path)]) == 0
    assert "通过" in capsys.readouterr().out


def test_migration_refused_while_another_program_holds_the_lock(
    tmp_path: Path, other_program: subprocess.Popen, db_path: Path
) -> None:
    from liandu_desk.storage.migrate import upgrade

    old = tmp_path / "old.sqlite3"
    shutil.copyfile(db_path, old)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys,time\nfrom pathlib import Path\nfrom liandu_desk.storage.writer_lock import "
            "WriterLock\nl,_=WriterLock.acquire(Path(sys.argv[1]),'王审核')\nprint('held',flush=True)\ntime.sleep(60)",
            str(old),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        legacy = Database(f"sqlite:///{old}")
        with legacy.engine.begin() as connection:
            connection.exec_driver_sql("UPDATE alembic_version SET version_num = '0002'")
        legacy.dispose()
        with pytest.raises(RuleError, match="王审核"):
            upgrade(Database(f"sqlite:///{old}"))
    finally:
        holder.kill()
        holder.wait()
