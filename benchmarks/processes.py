"""Timing a whole child process (wall time and its own peak resident memory) and repeating a call."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ProcessRun:
    """One finished child process."""

    seconds: float
    peak_mb: float | None  # None where the platform does not report a child's peak RSS
    returncode: int
    output: str
    cpu_seconds: float | None = None  # user + system time of the child (wall time far above it = a busy machine)


MEASURE = Path(__file__).with_name("measure.py")


def run_process(command: list[str], env: dict[str, str] | None = None, timeout: float = 900) -> ProcessRun:
    """Run a command to its end through measure.py: wall time from spawn to exit, and the command's own peak RSS."""
    with tempfile.TemporaryDirectory(prefix="bench-process-") as folder:
        output = Path(folder) / "output.txt"
        if hasattr(os, "wait4"):
            report = subprocess.run(
                [sys.executable, str(MEASURE), str(output), *command],
                env=env,
                timeout=timeout,
                check=True,
                capture_output=True,
                text=True,
            )
            figures = json.loads(report.stdout.strip().splitlines()[-1])
            text = output.read_text("utf-8", "replace")
            return ProcessRun(
                figures["seconds"], figures["peak_mb"], figures["returncode"], text, figures["cpu_seconds"]
            )
        with output.open("wb") as handle:  # no child rusage on this platform: wall time only
            began = time.perf_counter()
            code = subprocess.run(command, env=env, timeout=timeout, stdout=handle, stderr=subprocess.STDOUT).returncode
            seconds = time.perf_counter() - began
        return ProcessRun(seconds, None, code, output.read_text("utf-8", "replace"))


def gui_command(db_path: Path, screenshot: Path, tab: str | None = None) -> list[str]:
    """`liandu-desk gui --screenshot` on a database: builds the main window with its data, saves a PNG, exits."""
    command = [sys.executable, "-m", "liandu_desk", "gui", "--db", str(db_path), "--screenshot", str(screenshot)]
    return [*command, "--tab", tab] if tab else command


def app_env(home: Path) -> dict[str, str]:
    """The environment of a first start: its own empty data folder, offscreen Qt, no database override.

    Python may write bytecode (a PYTHONDONTWRITEBYTECODE of the shell is dropped): an installed program runs from
    compiled modules, so the uncounted first run compiles them rather than every counted run."""
    env = {k: v for k, v in os.environ.items() if k not in ("LIANDU_DESK_DB", "PYTHONDONTWRITEBYTECODE")}
    env["LIANDU_DESK_HOME"] = str(home)
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def repeat_ms(fn: Callable[[], object], runs: int, warmup: int = 1) -> tuple[list[float], object]:
    """Wall times of `runs` calls in milliseconds (after `warmup` untimed calls) and the last result."""
    result = None
    for _ in range(warmup):
        result = fn()
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - began) * 1000)
    return times, result
