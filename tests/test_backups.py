"""Backups: online copy verified, restore brings back exactly the backed-up data after a safety copy, auto backups."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select

from liandu_desk.cli import main
from liandu_desk.domain.errors import RuleError
from liandu_desk.domain.registry import Person
from liandu_desk.services.backups import auto_backup, backup_now, restore_backup, verify_backup
from liandu_desk.storage import Database
from liandu_desk.storage.audit_key import load_key

pytestmark = pytest.mark.sqlite_only


def names(db: Database) -> set[str]:
    with db.session_scope() as session:
        return set(session.scalars(select(Person.name)))


def add(db: Database, *people: str) -> None:
    with db.session_scope() as session:
        session.add_all(Person(name=n) for n in people)


def test_backup_to_folder_then_restore_exactly(db: Database, tmp_path: Path, capsys) -> None:
    add(db, "甲", "乙")
    usb = tmp_path / "usb"
    usb.mkdir()
    assert main(["backup", "--db", str(db.sqlite_path), "--out", str(usb)]) == 0
    [copy] = list(usb.glob("*.sqlite3"))
    assert verify_backup(copy, load_key(db.url)).ok
    add(db, "丙")
    with db.session_scope() as session:
        session.scalar(select(Person).where(Person.name == "甲")).name = "甲改"
    db.dispose()
    assert main(["restore", "--db", str(db.sqlite_path), str(copy)]) == 1  # older: the later entries would be lost
    assert "--accept-loss" in capsys.readouterr().err and names(db) == {"甲改", "乙", "丙"}
    assert main(["restore", "--db", str(db.sqlite_path), str(copy), "--accept-loss"]) == 0
    assert names(db) == {"甲", "乙"}
    safety = sorted((db.sqlite_path.parent / "backups").glob("*pre-restore*"))
    assert safety, capsys.readouterr().out
    conn = sqlite3.connect(safety[0])
    assert {r[0] for r in conn.execute("SELECT name FROM person")} == {"甲改", "乙", "丙"}
    conn.close()


def test_corrupt_backup_is_refused_and_data_untouched(db: Database, tmp_path: Path) -> None:
    add(db, "甲")
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 5000)
    with pytest.raises(RuleError, match="未通过校验"):
        restore_backup(db, bad)
    assert names(db) == {"甲"}


def test_backup_of_server_database_is_refused() -> None:
    with pytest.raises(RuleError, match="pg_dump"):
        backup_now(Database("postgresql+psycopg://u:p@127.0.0.1/none"))


def test_auto_backup_daily_only_when_changed_and_rotated(db: Database) -> None:
    add(db, "甲")
    first = auto_backup(db, keep=2)
    assert first is not None and verify_backup(first, load_key(db.url)).ok
    assert auto_backup(db, keep=2) is None  # made today already
    later = dt.datetime.now() + dt.timedelta(days=2)
    assert auto_backup(db, keep=2, now=later) is None  # nothing changed since
    for day in range(3):
        add(db, f"新{day}")
        import os
        import time

        stamp = time.time() + 10 * (day + 1)
        for path in db.sqlite_path.parent.glob(db.sqlite_path.name + "*"):
            os.utime(path, (stamp, stamp))
        assert auto_backup(db, keep=2, now=later + dt.timedelta(days=day + 1)) is not None
    assert len(list((db.sqlite_path.parent / "backups").glob("*-auto-*.sqlite3"))) == 2
