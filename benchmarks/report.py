"""Benchmark results: one row per measurement with its goal, and the table and JSON they are reported in."""

from __future__ import annotations

import json
import os
import platform
import sqlite3
import statistics
import sys
from dataclasses import dataclass, field
from typing import Any

UNITS = {"ms": "ms", "s": "s", "MB": "MB", "x": "×"}


@dataclass(frozen=True)
class Goal:
    """An upper bound: the median must be below `limit` (or equal to it when `inclusive`)."""

    limit: float
    unit: str
    inclusive: bool = False
    source: str = ""  # where the figure comes from (an issue, or "chosen here" when no issue names one)

    def met(self, value: float) -> bool:
        return value <= self.limit if self.inclusive else value < self.limit

    def text(self) -> str:
        sign = "≤" if self.inclusive else "<"
        return f"{sign} {self.limit:g}×" if self.unit == "x" else f"{sign} {self.limit:g} {UNITS[self.unit]}"


@dataclass
class Result:
    """One benchmark row: what was measured, every run, and the goal it is held to."""

    key: str
    what: str
    runs: list[float]
    unit: str
    goal: Goal
    detail: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    counted: str = ""  # what the figures are, when not runs (e.g. "11 terms"); default "N runs"

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    @property
    def met(self) -> bool:
        return self.goal.met(self.median)

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "what": self.what,
            "median": round(self.median, 4),
            "unit": self.unit,
            "runs": [round(r, 4) for r in self.runs],
            "goal": {
                "limit": self.goal.limit,
                "unit": self.goal.unit,
                "inclusive": self.goal.inclusive,
                "text": self.goal.text(),
                "source": self.goal.source,
            },
            "met": self.met,
            "detail": self.detail,
            **({"extra": self.extra} if self.extra else {}),
        }


@dataclass(frozen=True)
class Failure:
    """A benchmark that could not run (its error instead of a figure; counts as not met)."""

    key: str
    what: str
    error: str
    goal: Goal | None = None

    def as_json(self) -> dict[str, Any]:
        goal = self.goal.text() if self.goal else ""
        return {"key": self.key, "what": self.what, "error": self.error, "goal": goal, "met": False}


def format_value(value: float, unit: str) -> str:
    """A measured figure with its unit, rounded for reading (12.3 ms, 1.42 s, 186 MB, 1.27×)."""
    if unit == "x":
        return f"{value:.2f}×"
    if unit == "s":
        return f"{value:.2f} s" if value < 100 else f"{value:.0f} s"
    if unit == "MB":
        return f"{value:.0f} MB"
    return f"{value:.1f} ms" if value < 1000 else f"{value:,.0f} ms"


def table(rows: list[Result | Failure]) -> str:
    """A Markdown table: what, measured median, goal, met ✓/✗ (and a note per row)."""
    lines = ["| What | Median | Goal | Met | Notes |", "|---|---:|---|:-:|---|"]
    for row in rows:
        if isinstance(row, Failure):
            goal = row.goal.text() if row.goal else ""
            lines.append(f"| {_cell(row.what)} | failed | {goal} | ✗ | {_cell(row.error)} |")
            continue
        runs = row.counted or f"{len(row.runs)} run{'s' if len(row.runs) != 1 else ''}"
        notes = "; ".join(part for part in (runs, row.detail) if part)
        median, mark = format_value(row.median, row.unit), "✓" if row.met else "✗"
        lines.append(f"| {_cell(row.what)} | {median} | {row.goal.text()} | {mark} | {_cell(notes)} |")
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "/").replace("\n", " ")


def summary_line(rows: list[Result | Failure]) -> str:
    met = sum(1 for r in rows if isinstance(r, Result) and r.met)
    return f"{met} of {len(rows)} goals met"


def machine() -> dict[str, Any]:
    """What the figures were measured on (no paths, no user names)."""
    return {
        "cores": os.cpu_count(),
        "memory_gb": _memory_gb(),
        "cpu": _cpu_model(),
        "os": _os_name(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "load_average": load_average(),
    }


def machine_line(info: dict[str, Any]) -> str:
    memory = f"{info['memory_gb']:.0f} GB" if info.get("memory_gb") else "unknown memory"
    cpu = f" ({info['cpu']})" if info.get("cpu") else ""
    line = f"{info['cores']} cores{cpu}, {memory} RAM, {info['os']}, Python {info['python']}, SQLite {info['sqlite']}"
    load, start = info.get("load_average"), info.get("load_average_start")
    if not load:
        return line
    return (
        f"{line}; load average {start[0]:g} at the start, {load[0]:g} at the end"
        if start
        else f"{line}; load {load[0]:g}"
    )


def _os_name() -> str:
    """The distribution's name where there is one (Debian GNU/Linux 12 (bookworm)), and the architecture."""
    name = platform.system()
    try:
        name = platform.freedesktop_os_release().get("PRETTY_NAME", name)
    except (AttributeError, OSError):
        if sys.platform == "win32":
            name = f"Windows {platform.release()}"
    return f"{name} {platform.machine()}"


def load_average() -> list[float] | None:
    """1/5/15-minute load: on a shared machine, a load above the core count slows every figure down."""
    try:
        return [round(v, 2) for v in os.getloadavg()]
    except (AttributeError, OSError):
        return None


def _memory_gb() -> float | None:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    except (AttributeError, ValueError, OSError):
        return None


def _cpu_model() -> str:
    if sys.platform.startswith("linux"):
        try:
            with open("/proc/cpuinfo", encoding="utf-8") as handle:
                for line in handle:
                    if line.startswith("model name"):
                        return " ".join(line.split(":", 1)[1].split())
        except OSError:
            return ""
    return platform.processor()


def as_json(rows: list[Result | Failure], info: dict[str, Any], settings: dict[str, Any]) -> str:
    """The whole report as JSON: machine, settings of the run, and every row with its runs and goal."""
    return json.dumps(
        {"machine": info, "settings": settings, "summary": summary_line(rows), "results": [r.as_json() for r in rows]},
        ensure_ascii=False,
        indent=2,
    )
