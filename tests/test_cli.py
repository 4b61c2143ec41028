"""The command line: init, stats envelope, and the screenshot command run as a real process."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from liandu_desk.cli import main
from liandu_desk.storage import Database
from liandu_desk.storage.migrate import head_revisions


def test_init_creates_wal_database_at_head(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "x.db"
    assert main(["init", "--db", str(path)]) == 0
    assert "已创建" in capsys.readouterr().out
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    versions = tuple(sorted(r[0] for r in conn.execute("SELECT version_num FROM alembic_version")))
    conn.close()
    assert versions == head_revisions(Database(f"sqlite:///{path}"))
    assert main(["init", "--db", str(path)]) == 0
    assert "已是最新" in capsys.readouterr().out


def test_env_variable_names_the_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "env.db"
    monkeypatch.setenv("LIANDU_DESK_DB", str(path))
    assert main(["init"]) == 0
    assert path.exists()


def test_stats_json_envelope(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--db", str(db_path), "--from", "2021-01-01", "--to", "2021-06-30", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["period"] == {"from": "2021-01-01", "to": "2021-06-30"}


def test_stats_rejects_bad_dates(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--db", str(db_path), "--from", "2021-13-01", "--to", "2021-06-30"]) == 1
    assert "--from" in capsys.readouterr().err


def test_screenshot_command_writes_png_of_real_window(tmp_path: Path) -> None:
    shot = tmp_path / "s.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "LIANDU_DESK_HOME": str(tmp_path / "home")}
    cmd = [sys.executable, "-m", "liandu_desk", "gui", "--db", str(tmp_path / "g.db"), "--screenshot", str(shot)]
    result = subprocess.run([*cmd, "--tab", "危房"], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    from PySide6.QtGui import QImage

    image = QImage(str(shot))
    assert (image.width(), image.height()) == (1280, 800)
    colours = {image.pixel(x, y) for x in range(0, 1280, 16) for y in range(0, 800, 16)}
    assert len(colours) > 3  # not a blank image
    bad = subprocess.run([*cmd, "--tab", "没有"], env=env, capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "没有名为" in bad.stderr


@pytest.mark.parametrize("before", [True, False])
def test_db_option_before_or_after_the_command(tmp_path: Path, before: bool) -> None:
    path = tmp_path / "where.db"
    argv = ["--db", str(path), "init"] if before else ["init", "--db", str(path)]
    assert main(argv) == 0
    assert path.exists()


def test_screenshot_at_a_given_size_19(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shot = tmp_path / "small.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "LIANDU_DESK_HOME": str(tmp_path / "home")}
    cmd = [sys.executable, "-m", "liandu_desk", "gui", "--db", str(tmp_path / "g.db"), "--screenshot", str(shot)]
    result = subprocess.run([*cmd, "--tab", "首页", "--size", "1024x700"], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    from PySide6.QtGui import QImage

    image = QImage(str(shot))
    assert (image.width(), image.height()) == (1024, 700)
    with pytest.raises(SystemExit):
        main(["gui", "--size", "1024 by 700"])
    assert "宽x高" in capsys.readouterr().err


def test_gui_needs_only_the_core_parser() -> None:
    """`gui` (or no command) parses the same with the core subcommands only; anything else gets the full parser."""
    from liandu_desk.cli import build_parser, starts_gui

    assert starts_gui([]) and starts_gui(["gui", "--tab", "危房"]) and starts_gui(["--db", "gui.db"])
    assert starts_gui(["--db=x.db", "gui", "--screenshot", "a.png"])
    assert not starts_gui(["--db", "x.db", "stats"]) and not starts_gui(["-h"]) and not starts_gui(["--version"])
    argv = ["--db", "x.db", "gui", "--tab", "危房", "--size", "1024x700"]
    assert vars(build_parser(only_core=True).parse_args(argv)) == vars(build_parser().parse_args(argv))
    assert build_parser(only_core=True).format_usage() == build_parser().format_usage()
