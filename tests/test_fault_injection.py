"""Fault injection: the demo, a batch issue, a restore and a clerk's saves are killed at seeded random moments (20
each); disk full, a read-only database and a lock held elsewhere are refused cleanly. After every fault the file is
sound, the audit chain verifies, no committed row is lost and no document number is lost or reused.

The seed comes from LIANDU_FAULT_SEED (default below), so a failure can be replayed exactly."""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from documents_factories import dangerous_house

from liandu_desk.cli import main
from liandu_desk.services.integrity import database_integrity, verify_anchors, verify_audit_chain
from liandu_desk.storage import ClerkRef, Database
from liandu_desk.storage.schema_check import check_schema

pytestmark = pytest.mark.sqlite_only
SEED = int(os.environ.get("LIANDU_FAULT_SEED", "20261204"))
KILLS = 20
ADMIN = ClerkRef(None, "故障测试", "faults", "管理员")


def _python(code: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ},
    )


def _cli(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "liandu_desk", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ},
    )


def _timed(process: subprocess.Popen) -> float:
    started = time.monotonic()
    assert process.wait(timeout=240) == 0
    return time.monotonic() - started


def _kill_after(process: subprocess.Popen, delay: float) -> None:
    time.sleep(delay)
    if process.poll() is None:
        process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)


def _copy(source: Path, target: Path) -> None:
    """A desk file with its neighbours (audit key and anchor journal), as a clerk's folder holds them."""
    shutil.copyfile(source, target)
    for suffix in (".auditkey", ".anchors"):
        neighbour = source.with_name(source.name + suffix)
        if neighbour.exists():
            shutil.copyfile(neighbour, target.with_name(target.name + suffix))


def _sound(path: Path) -> Database:
    """The file after a fault: integrity ok, schema complete, audit chain intact (with the installation key)."""
    db = Database(f"sqlite:///{path}")
    with db.session_scope() as session:
        assert database_integrity(session) == ["ok"]
        report = verify_audit_chain(session)
        assert report.ok, report.reason
        assert verify_anchors(session) == ""
    assert check_schema(db).ok, check_schema(db).lines()
    return db


def _rows(path: Path, query: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(query).fetchall()
    finally:
        conn.close()


def test_demo_killed_20_times(tmp_path: Path, template_db: Path) -> None:
    rng = random.Random(SEED)
    full = tmp_path / "full.sqlite3"
    shutil.copyfile(template_db, full)
    duration = _timed(_cli("demo", "--db", str(full), "--scale", "0.05"))
    for attempt in range(KILLS):
        target = tmp_path / f"demo{attempt}.sqlite3"
        shutil.copyfile(template_db, target)
        _kill_after(_cli("demo", "--db", str(target), "--scale", "0.05"), rng.uniform(0.0, duration))
        _sound(target).dispose()


def test_batch_issue_killed_20_times(tmp_path: Path, db_path: Path) -> None:
    rng = random.Random(SEED + 1)
    db = Database(f"sqlite:///{db_path}", clerk=ADMIN)
    with db.session_scope() as session:
        for n in range(15):
            dangerous_house(session, owner=f"业主{n}", address=f"下河村{n}号")
    db.dispose()
    args = ("notice", "batch", "--issue", "--date", "2021-09-17")
    probe = tmp_path / "probe.sqlite3"
    _copy(db_path, probe)
    duration = _timed(_cli(*args, "--db", str(probe), "--out", str(tmp_path / "probe.pdf")))
    for attempt in range(KILLS):
        target = tmp_path / f"batch{attempt}.sqlite3"
        _copy(db_path, target)
        _kill_after(
            _cli(*args, "--db", str(target), "--out", str(tmp_path / f"b{attempt}.pdf")), rng.uniform(0, duration)
        )
        _sound(target).dispose()
        seqs = [s for (s,) in _rows(target, "SELECT seq FROM doc_number ORDER BY seq")]
        issued = _rows(target, "SELECT number FROM document WHERE status = '已签发'")
        assert seqs == list(range(1, len(seqs) + 1)) and len(seqs) in (0, 15), (attempt, seqs)  # all or none
        assert len(issued) == len(seqs) == len({n for (n,) in issued})  # every number used once, on one notice
        batches = _rows(target, "SELECT count FROM doc_batch")
        assert batches == ([(15,)] if seqs else [])  # an issued batch can always be printed again


def _older_backup(db_path: Path, tmp_path: Path) -> Path:
    """50 people, backed up; then 30 more: restoring the backup gives up the later 30 (accepted)."""
    from liandu_desk.domain.registry import Person
    from liandu_desk.services.backups import backup_now

    db = Database(f"sqlite:///{db_path}", clerk=ADMIN)
    with db.session_scope() as session:
        session.add_all(Person(name=f"备份前{n}") for n in range(50))
    backup = backup_now(db, tmp_path)
    with db.session_scope() as session:
        session.add_all(Person(name=f"备份后{n}") for n in range(30))
    db.dispose()
    return backup


RESTORE = """
import sys
from pathlib import Path
from liandu_desk.services.backups import restore_backup
from liandu_desk.storage import ClerkRef, Database
db = Database("sqlite:///" + sys.argv[1], clerk=ClerkRef(None, "管理员", "admin", "管理员"))
restore_backup(db, Path(sys.argv[2]), accept_loss=True)
"""


def test_restore_killed_20_times(tmp_path: Path, db_path: Path) -> None:
    rng = random.Random(SEED + 2)
    backup = _older_backup(db_path, tmp_path)
    probe = tmp_path / "probe.sqlite3"
    _copy(db_path, probe)
    duration = _timed(_python(RESTORE, str(probe), str(backup)))
    for attempt in range(KILLS):
        target = tmp_path / f"restore{attempt}.sqlite3"
        _copy(db_path, target)
        _kill_after(_python(RESTORE, str(target), str(backup)), rng.uniform(0, duration))
        _sound(target).dispose()
        people = _rows(target, "SELECT count(*) FROM person")[0][0]
        assert people in (50, 80), (attempt, people)  # the old data or the backup's, never a mixture


CUT_RESTORE = """
import os, signal, sys
from pathlib import Path
from liandu_desk.services import backups
from liandu_desk.storage import ClerkRef, Database

def killed(*_args, **_kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

setattr(backups, sys.argv[3], killed)  # die just before this step of the restore
db = Database("sqlite:///" + sys.argv[1], clerk=ClerkRef(None, "管理员", "admin", "管理员"))
backups.restore_backup(db, Path(sys.argv[2]), accept_loss=True)
"""


@pytest.mark.parametrize(("step", "people"), [("restore_sqlite", 80), ("rebase_after_restore", 50)])
def test_restore_killed_between_its_steps(tmp_path: Path, db_path: Path, step: str, people: int) -> None:
    """The narrow windows: before the file is overwritten (old data, old anchors) and after it, before the key is
    rebased (new data, journal still ending in the restore marker): check passes in both."""
    backup = _older_backup(db_path, tmp_path)
    process = _python(CUT_RESTORE, str(db_path), str(backup), step)
    assert process.wait(timeout=120) == -9
    _sound(db_path).dispose()
    assert _rows(db_path, "SELECT count(*) FROM person")[0][0] == people
    assert main(["check", "--db", str(db_path)]) == 0


SAVES = """
import os, sys
from liandu_desk.domain.registry import Person
from liandu_desk.storage import ClerkRef, Database
db = Database("sqlite:///" + sys.argv[1], clerk=ClerkRef(None, "科员", "clerk", "科员"))
with open(sys.argv[2], "a", encoding="utf-8") as committed:
    for n in range(100000):
        with db.session_scope() as session:
            session.add(Person(name=f"登记{n}"))
        committed.write(f"登记{n}\\n")  # told only after the commit returned
        committed.flush()
        os.fsync(committed.fileno())
"""


def test_clerk_saves_killed_20_times(tmp_path: Path, db_path: Path) -> None:
    """A clerk's saves (the service writes the GUI makes), killed at random: every save reported committed is there."""
    rng = random.Random(SEED + 3)
    for attempt in range(KILLS):
        target = tmp_path / f"save{attempt}.sqlite3"
        shutil.copyfile(db_path, target)
        told = tmp_path / f"committed{attempt}.txt"
        _kill_after(_python(SAVES, str(target), str(told)), rng.uniform(0.5, 2.5))
        _sound(target).dispose()
        committed = set(told.read_text(encoding="utf-8").split()) if told.exists() else set()
        stored = {name for (name,) in _rows(target, "SELECT name FROM person")}
        assert committed <= stored, committed - stored
        assert len(stored) - len(committed) <= 1  # at most the one save in flight when the kill came


def test_read_only_database_refuses_writes_and_stays_sound(db_path: Path) -> None:
    from liandu_desk.domain.errors import RuleError
    from liandu_desk.domain.registry import Person

    db = Database(f"sqlite:///{db_path}", clerk=ADMIN, read_only_reason="测试：只读")
    with pytest.raises(RuleError, match="只读模式，不能保存"), db.session_scope() as session:
        session.add(Person(name="不该写入"))
    db.dispose()
    _sound(db_path).dispose()
    assert _rows(db_path, "SELECT count(*) FROM person")[0][0] == 0


def test_every_writer_refuses_while_another_program_holds_the_lock(tmp_path: Path, db_path: Path, capsys) -> None:
    holder = _python(
        "import sys,time\nfrom pathlib import Path\nfrom liandu_desk.storage.writer_lock import WriterLock\n"
        "l,_=WriterLock.acquire(Path(sys.argv[1]),'张科员')\nprint('held',flush=True)\ntime.sleep(60)",
        str(db_path),
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        before = db_path.read_bytes()
        for args in (
            ["demo", "--scale", "0.01"],
            ["notice", "batch", "--issue", "--out", str(tmp_path / "x.pdf")],
            ["restore", str(db_path)],
            ["check", "--repair"],
            ["clerk", "unlock", "nobody"],
        ):
            assert main([*args, "--db", str(db_path)]) == 1, args
            said = capsys.readouterr()
            assert "张科员" in said.out + said.err, args
        assert db_path.read_bytes() == before
    finally:
        holder.kill()
        holder.wait()
