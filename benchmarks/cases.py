"""The benchmarks the module issues name, each a function returning result rows with their goals."""

from __future__ import annotations

import datetime as dt
import json
import logging
import statistics
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from benchmarks import workdb
from benchmarks.processes import app_env, gui_command, repeat_ms, run_process
from benchmarks.report import Failure, Goal, Result

log = logging.getLogger(__name__)

H1_2021 = (dt.date(2021, 1, 1), dt.date(2021, 6, 30))
QUERY_GOAL = Goal(100, "ms", source="issue 3 (危房): each list/search/page/stats call under 100 ms median at 500k")
BACKGROUND_GOAL = Goal(
    1000, "ms", source="chosen here: the whole id list arrives in the background after the first screen"
)
START_GOAL = Goal(1.0, "s", inclusive=True, source="issue 19: main window with data ≤ 1.0 s at scale 10")


@dataclass(frozen=True)
class Plan:
    """How big and how often: the full run, or --quick for a smoke run."""

    workdir: Path
    quick: bool
    small_scale: float
    big_scale: float
    query_runs: int
    process_runs: int
    import_rows: int
    import_runs: int
    pdf_runs: int

    @classmethod
    def make(cls, workdir: Path, quick: bool) -> Plan:
        if quick:
            return cls(workdir, True, 0.02, 0.1, 3, 1, 2_000, 1, 1)
        return cls(workdir, False, 1.0, 10.0, 7, 5, 50_000, 3, 3)

    def scale_label(self, scale: float) -> str:
        return f"scale {scale:g}"


def demo_generation(plan: Plan, built: workdb.DemoDb | None) -> list[Result]:
    """Demo generation at the big scale: the time this run spent building it, or a fresh rebuild."""
    if built is None or built.built_seconds is None:
        built = workdb.ensure(plan.workdir, plan.big_scale, force=True)
    houses = _count_houses(built.path)
    goal = Goal(60, "s", source="issue 3: --scale 10 must finish in well under a minute")
    what = f"Demo generation, {plan.scale_label(plan.big_scale)} (all modules)"
    return [Result("demo", what, [built.built_seconds or 0.0], "s", goal, f"{houses:,} houses")]


def _count_houses(path: Path) -> int:
    from sqlalchemy import func, select

    from liandu_desk.domain.houses import House

    db = workdb.open_db(path)
    with db.session_scope() as session:
        count = session.scalar(select(func.count()).select_from(House)) or 0
    db.dispose()
    return count


def cold_start(plan: Plan, demos: list[workdb.DemoDb]) -> list[Result | Failure]:
    """Whole process: `gui --screenshot` from spawn to exit (window built, first tab's data shown, PNG saved).

    The databases take turns run by run, so that a busy spell of a shared machine does not land on one of them only.
    """
    runs: dict[float, list] = {demo.scale: [] for demo in demos}
    with tempfile.TemporaryDirectory(prefix="bench-start-") as folder:
        for number in range(plan.process_runs + 1):  # the first round warms the OS file cache and is not counted
            for demo in demos:
                home = Path(folder) / f"home{number}-{demo.scale:g}"
                run = run_process(gui_command(demo.path, Path(folder) / "start.png"), app_env(home))
                if run.returncode != 0:
                    message = f"exit {run.returncode}: {run.output.strip()[-300:]}"
                    return [Failure(f"start.scale{demo.scale:g}", _start_what(plan, demo), message, START_GOAL)]
                if number:
                    runs[demo.scale].append(run)
    return [_start_result(plan, demo, runs[demo.scale]) for demo in demos]


def _start_what(plan: Plan, demo: workdb.DemoDb) -> str:
    return f"Cold start to main window shown, {plan.scale_label(demo.scale)} (whole process)"


def _start_result(plan: Plan, demo: workdb.DemoDb, runs: list) -> Result:
    detail = "gui --screenshot, fresh data folder each run"
    if all(run.peak_mb for run in runs):
        cpu, peak = statistics.median(r.cpu_seconds for r in runs), statistics.median(r.peak_mb for r in runs)
        detail += f"; CPU {cpu:.2f} s, peak RSS {peak:.0f} MB (medians)"
    seconds = [run.seconds for run in runs]
    return Result(f"start.scale{demo.scale:g}", _start_what(plan, demo), seconds, "s", START_GOAL, detail)


def main_window(plan: Plan, demo: workdb.DemoDb) -> list[Result | Failure]:
    """In one fresh process each run (benchmarks/main_window.py): from QApplication to the first tab's data on
    screen — the part of a start the program itself spends, without the interpreter's and PySide6's imports."""
    what = f"Main window with data, {plan.scale_label(demo.scale)} (from QApplication)"
    seconds, cpu = [], []
    with tempfile.TemporaryDirectory(prefix="bench-window-") as folder:
        for number in range(plan.process_runs + 1):  # the first run warms the file cache and is not counted
            command = [sys.executable, "-m", "benchmarks.main_window", str(demo.path)]
            run = run_process(command, app_env(Path(folder) / f"home{number}"))
            if run.returncode != 0:
                message = f"exit {run.returncode}: {run.output.strip()[-300:]}"
                return [Failure(f"window.scale{demo.scale:g}", what, message, START_GOAL)]
            figures = json.loads(run.output.strip().splitlines()[-1])
            if number:
                seconds.append(figures["seconds"])
                cpu.append(figures["cpu_seconds"])
    detail = f"首页 painted after its jobs; CPU {statistics.median(cpu):.2f} s (median, all threads)"
    return [Result(f"window.scale{demo.scale:g}", what, seconds, "s", START_GOAL, detail)]


def list_memory(plan: Plan, demo: workdb.DemoDb) -> list[Result | Failure]:
    """Peak RSS of the whole app showing the 危房 tab's first page (and its full id list) on the big database."""
    what = f"Peak memory: main window + 危房 list, {plan.scale_label(demo.scale)}"
    goal = Goal(250, "MB", source="issue 3: list memory under 250 MB resident for the whole app")
    peaks = []
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as folder:
        for number in range(max(plan.process_runs // 2, 1)):
            command = gui_command(demo.path, Path(folder) / "houses.png", tab="危房")
            run = run_process(command, app_env(Path(folder) / f"home{number}"))
            if run.returncode != 0 or run.peak_mb is None:
                reason = f"exit {run.returncode}: {run.output.strip()[-300:]}" if run.returncode else "no RSS here"
                return [Failure("memory.houses_list", what, reason, goal)]
            peaks.append(run.peak_mb)
    detail = f"max {max(peaks):.0f} MB; gui --screenshot --tab 危房 (first page, then all ids)"
    return [Result("memory.houses_list", what, peaks, "MB", goal, detail)]


def house_queries(plan: Plan, demo: workdb.DemoDb) -> list[Result | Failure]:
    """Every call of benchmarks/houses.py (list, filter, 2/3-character search, house page, stats section)."""
    from benchmarks import houses

    db = workdb.open_db(demo.path)
    total = _count_houses(demo.path)
    rows: list[Result | Failure] = []
    for index, (name, fn) in enumerate(houses.cases(db).items()):
        key = f"houses.{index:02d}"
        try:
            times, result = repeat_ms(fn, plan.query_runs)
        except Exception as exc:  # one broken call must not hide the others
            log.exception("houses benchmark %s failed", name)
            rows.append(Failure(key, f"危房 {name}", f"{type(exc).__name__}: {exc}", QUERY_GOAL))
            continue
        goal = BACKGROUND_GOAL if name.startswith(houses.BACKGROUND) else QUERY_GOAL
        rows.append(Result(key, f"危房 {name}, {total:,} houses", times, "ms", goal, f"→ {result}"))
    db.dispose()
    return rows


def all_stats(plan: Plan, demo: workdb.DemoDb) -> list[Result]:
    """`collect_stats` of every module for 2021 H1 (what `liandu-desk stats` and the 首页 figures call)."""
    from liandu_desk.services.periods import Period
    from liandu_desk.services.stats import collect_stats

    db = workdb.open_db(demo.path)

    def call() -> int:
        with db.session_scope() as session:
            return len(collect_stats(session, Period(*H1_2021)))

    times, sections = repeat_ms(call, plan.query_runs)
    db.dispose()
    goal = Goal(1000, "ms", source="issue 9: the overview of a 500k-house database on screen within a second")
    what = f"Stats, all modules (2021 H1), {plan.scale_label(demo.scale)}"
    return [Result("stats.all", what, times, "ms", goal, f"{sections} sections")]
