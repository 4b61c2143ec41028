"""Emitting signals must not take references from `True` (PySide6 6.12.0 does; the program would abort at exit)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from liandu_desk.ui.kit.signals import emit_leaks_fixed

ROOT = Path(__file__).resolve().parents[1]


def test_emit_keeps_the_reference_count_of_true(qapp) -> None:
    assert emit_leaks_fixed()


def test_program_emits_only_through_the_helper() -> None:
    direct = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in (ROOT / "liandu_desk").rglob("*.py")
        if path.name != "signals.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\.emit\(", line)
    ]
    assert direct == [], f"emit signals with liandu_desk.ui.kit.signals.emit: {direct}"


def test_gui_page_and_jobs_tests_exit_cleanly(tmp_path: Path) -> None:
    """The two files that aborted at interpreter exit ("bool_dealloc", exit 134) now exit 0 in one process."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("PYTEST_CURRENT_TEST", None)
    files = ["tests/test_houses_gui_page.py", "tests/test_jobs.py"]
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *files],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=280,
    )
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
