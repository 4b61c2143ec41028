"""The code base stays ruff-clean, and Qt stays inside liandu_desk/ui (ruff's banned-import rule)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _ruff() -> list[str]:
    beside = Path(sys.executable).with_name("ruff")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("ruff")
    if found is None:
        pytest.skip("ruff is not installed")
    return [found]


def test_ruff_check_is_clean() -> None:
    result = subprocess.run([*_ruff(), "check", "--no-cache", "."], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_qt_is_only_imported_in_ui() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "liandu_desk").rglob("*.py")
        if "ui" not in path.relative_to(ROOT / "liandu_desk").parts[:1]
        and any(
            line.lstrip().startswith(("import PySide6", "from PySide6"))
            for line in path.read_text("utf-8").splitlines()
        )
    ]
    assert offenders == []
