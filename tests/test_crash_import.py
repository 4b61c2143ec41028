"""Crash safety: kill -9 at a random moment of a 10,000-row import, 50 times: no damaged file, no half file."""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from liandu_desk.services.integrity import verify_audit_chain
from liandu_desk.storage import Database
from tests.import_factories import good_row, valid_id, write_xlsx

pytestmark = pytest.mark.sqlite_only
ROWS = 10_000
KILLS = 50


def big_workbook(path: Path) -> Path:
    rows = []
    for i in range(ROWS):
        birth = (dt.date(1950, 1, 1) + dt.timedelta(days=i // 1000)).strftime("%Y%m%d")
        rows.append(good_row(i, **{"身份证号": valid_id(i, birth), "联系电话": None}))
    return write_xlsx(path, rows)


def start_import(workbook: Path, db_file: Path, home: Path) -> subprocess.Popen:
    env = {**os.environ, "LIANDU_DESK_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    command = [sys.executable, "-m", "liandu_desk", "import", "houses", str(workbook), "--db", str(db_file)]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def houses_on_file(db_file: Path) -> int:
    conn = sqlite3.connect(db_file)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return conn.execute("SELECT count(*) FROM house").fetchone()[0]
    finally:
        conn.close()


def test_kill_during_import_never_leaves_damage_or_half_a_file(tmp_path: Path, template_db: Path) -> None:
    workbook = big_workbook(tmp_path / "排查表.xlsx")
    home = tmp_path / "home"
    full = tmp_path / "full.sqlite3"
    shutil.copyfile(template_db, full)
    started = time.monotonic()
    assert start_import(workbook, full, home).wait(timeout=240) == 0
    duration = time.monotonic() - started
    assert houses_on_file(full) == ROWS
    rng = random.Random(20210630)
    outcomes: list[int] = []
    for attempt in range(KILLS):
        target = tmp_path / f"kill{attempt}.sqlite3"
        shutil.copyfile(template_db, target)
        process = start_import(workbook, target, home)
        time.sleep(rng.uniform(0.05, duration))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        count = houses_on_file(target)
        assert count in (0, ROWS), f"attempt {attempt}: {count} houses — a partial import"
        db = Database(f"sqlite:///{target}")
        with db.session_scope() as session:
            assert verify_audit_chain(session).ok
        db.dispose()
        outcomes.append(count)
        target.unlink()
    assert len(outcomes) == KILLS
