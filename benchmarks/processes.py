"""Timing a whole child process (wall time and its own peak resident memory) and repeating a call."""

from __future__ import annotations

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


def _peak_mb(maxrss: int) -> float:
    """ru_maxrss is in kilobytes on Linux and in bytes on macOS."""
    return maxrss / 1024**2 if sys.platform == "darwin" else maxrss / 1024


def run_process(command: list[str], env: dict[str, str] | None = None, timeout: float = 600) -> ProcessRun:
    """Run a command to its end; wall time from spawn to exit, and the child's own peak RSS."""
    with tempfile.TemporaryFile() as output:
        began = time.perf_counter()
        process = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
        if hasattr(os, "wait4"):
            _pid, status, usage = os.wait4(process.pid, 0)
            seconds = time.perf_counter() - began
            process.returncode = os.waitstatus_to_exitcode(status)
            peak, cpu = _peak_mb(usage.ru_maxrss), usage.ru_utime + usage.ru_stime
        else:
            process.wait(timeout)
            seconds, peak, cpu = time.perf_counter() - began, None, None
        output.seek(0)
        text = output.read().decode("utf-8", "replace")
    return ProcessRun(seconds, peak, process.returncode, text, cpu)


def gui_command(db_path: Path, screenshot: Path, tab: str | None = None) -> list[str]:
    """`liandu-desk gui --screenshot` on a database: builds the main window with its data, saves a PNG, exits."""
    command = [sys.executable, "-m", "liandu_desk", "gui", "--db", str(db_path), "--screenshot", str(screenshot)]
    return [*command, "--tab", tab] if tab else command


def app_env(home: Path) -> dict[str, str]:
    """The environment of a first start: its own empty data folder, offscreen Qt, no database override."""
    env = {k: v for k, v in os.environ.items() if k != "LIANDU_DESK_DB"}
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
