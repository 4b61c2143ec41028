"""No full ID number, mobile or landline reaches the log folder: messages, tracebacks and exception texts are
masked, in plain, full-width and spaced forms, after a run of every command."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from liandu_desk.logs import mask_personal_data

pytestmark = pytest.mark.sqlite_only

RAW = (
    "３３１１０２１９８００１０１１２３４",
    "331102 19800101 1234",
    "3311-0219-8001-0112-34",
    "138 1234 5678",
    "１３８１２３４５６７８",
    "0578-2123456",
    "（0578）2123456",
    "05782123456",
)


@pytest.mark.parametrize("text", RAW)
def test_every_form_is_masked(text: str) -> None:
    masked = mask_personal_data(f"户主{text}。")
    assert "****" in masked and text not in masked


def test_harmless_numbers_are_left_alone() -> None:
    for text in ("耗时0.0123456789秒", "2026-12-04 03:15:11,123", "文号莲建危改〔2026〕12号", "id=12345"):
        assert mask_personal_data(text) == text


COMMANDS = """
import logging, sys
from liandu_desk.cli import main
db, out, house, name = sys.argv[1:5]
runs = [
    ["demo", "--scale", "0.02"], ["check"], ["stats", "--from", "2021-01-01", "--to", "2021-06-30"],
    ["houses", "search", name], ["houses", "show", house], ["houses", "overdue"], ["houses", "batches"],
    ["export", "houses", "--out", out + "/h.xlsx"], ["notice", "house", house, "--out", out + "/n.pdf"],
    ["notice", "batch", "--out", out + "/b.pdf", "--limit", "3", "--date", "2021-06-30", "--issue"],
    ["document", "list"], ["report", "summary", "--from", "2021-01-01", "--to", "2021-06-30", "--out", out + "/s.pdf"],
    ["calendar", "years"], ["clerk", "list"], ["elevators", "list"], ["communities", "leaderboard"],
    ["backup", "--out", out], ["houses", "show", "999999"],
]
for args in runs:
    try:
        main([*args, "--db", db])
    except SystemExit:
        pass
try:
    raise ValueError("户主证件３３１１０２１９８００１０１１２３４，备用331102 19800101 1234，"
                     "电话（0578）2123456，手机138 1234 5678")
except ValueError:
    logging.getLogger("liandu_desk.test").exception("导入失败：%s", "331102198001011234 / 13812345678")
"""


def test_log_folder_holds_no_personal_data_after_every_command(tmp_path: Path) -> None:
    home, out = tmp_path / "home", tmp_path / "out"
    out.mkdir()
    db = home / "desk.sqlite3"
    env = {**os.environ, "LIANDU_DESK_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    setup = subprocess.run(
        [sys.executable, "-m", "liandu_desk", "demo", "--db", str(db), "--scale", "0.02"],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert setup.returncode == 0, setup.stderr
    conn = sqlite3.connect(db)
    people = conn.execute("SELECT id_number, phone FROM person WHERE id_number IS NOT NULL").fetchall()
    house, name = conn.execute("SELECT h.id, p.name FROM house h JOIN person p ON p.id = h.owner_id LIMIT 1").fetchone()
    conn.close()
    run = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(COMMANDS), str(db), str(out), str(house), name],
        env=env,
        capture_output=True,
        text=True,
        timeout=280,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    text = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in (home / "logs").rglob("*") if p.is_file())
    assert "Traceback" in text and "导入失败" in text  # the logged exception is there, masked
    secrets = [value for row in people for value in row if value] + list(RAW) + ["331102198001011234", "13812345678"]
    leaked = [value for value in secrets if value in text or value.replace("-", "") in text]
    assert leaked == []
    assert len(people) > 10
