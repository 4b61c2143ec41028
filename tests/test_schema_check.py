"""`check` compares the schema with what the migrations create; `check --repair` rebuilds indexes and triggers;
a demo killed at any moment never leaves a schema without its indexes or search triggers."""

from __future__ import annotations

import random
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from liandu_desk.cli import main
from liandu_desk.storage import Database
from liandu_desk.storage.schema_check import check_schema

pytestmark = pytest.mark.sqlite_only


def _drop(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


def test_fresh_database_has_the_whole_schema(db_path: Path, capsys) -> None:
    assert check_schema(Database(f"sqlite:///{db_path}")).ok
    assert main(["check", "--db", str(db_path)]) == 0
    assert "数据库结构（表、索引、触发器）：完整" in capsys.readouterr().out


def test_missing_index_and_triggers_are_named_and_repaired(db_path: Path, capsys) -> None:
    _drop(db_path, "DROP INDEX ix_house_kind", "DROP TRIGGER house_fts_au", "DROP TRIGGER audit_log_no_delete")
    assert main(["check", "--db", str(db_path)]) == 1
    out = capsys.readouterr().out
    assert "缺少索引 ix_house_kind" in out and "缺少触发器 house_fts_au" in out
    assert "缺少触发器 audit_log_no_delete" in out and "--repair" in out
    assert main(["check", "--repair", "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert "已重建索引 ix_house_kind" in out and "完整" in out
    conn = sqlite3.connect(db_path)
    with pytest.raises(sqlite3.DatabaseError):  # the append-only trigger works again
        conn.execute("INSERT INTO audit_log (at, action, table_name, prev_hash, hash) VALUES ('x','x','x','x','x')")
        conn.execute("DELETE FROM audit_log")
    conn.close()


def test_dropped_search_table_is_rebuilt_and_refilled(tmp_path: Path, capsys) -> None:
    path = tmp_path / "demo.sqlite3"
    assert main(["demo", "--db", str(path), "--scale", "0.02"]) == 0
    name = sqlite3.connect(path).execute("SELECT name FROM person ORDER BY id LIMIT 1").fetchone()[0]
    _drop(path, "DROP TABLE house_fts")
    assert main(["check", "--db", str(path)]) == 1
    assert main(["check", "--repair", "--db", str(path)]) == 0
    capsys.readouterr()
    assert main(["houses", "search", name + "村" if len(name) < 3 else name, "--db", str(path)]) == 0
    found = sqlite3.connect(path).execute("SELECT count(*) FROM house_fts WHERE house_fts MATCH ?", (f'"{name}"',))
    assert len(name) < 3 or found.fetchone()[0] >= 1


def test_missing_table_is_not_invented(db_path: Path, capsys) -> None:
    _drop(db_path, "DROP TABLE house_plan_milestone")
    assert main(["check", "--repair", "--db", str(db_path)]) == 1
    assert "无法自动重建表 house_plan_milestone" in capsys.readouterr().out


def test_demo_killed_at_random_moments_keeps_its_schema(tmp_path: Path) -> None:
    rng = random.Random(20261204)
    for attempt in range(8):
        path = tmp_path / f"killed-{attempt}.sqlite3"
        proc = subprocess.Popen(
            [sys.executable, "-m", "liandu_desk", "demo", "--db", str(path), "--scale", "0.3"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        # wait until the houses are being loaded (the bulk phase drops and re-creates indexes), then kill
        for line in proc.stderr:
            if "危房" in line:
                break
        time.sleep(rng.uniform(0.0, 1.5))
        proc.kill()
        proc.wait()
        report = check_schema(Database(f"sqlite:///{path}"))
        assert report.ok, (attempt, report.lines())
        assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
