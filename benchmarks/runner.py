"""`python -m benchmarks`: build the demo databases, run every benchmark the module issues name, print and save."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks import cases, cases_files, cases_home, workdb
from benchmarks.report import Failure, Result, as_json, load_average, machine, machine_line, summary_line, table

log = logging.getLogger("benchmarks")
Rows = list[Result | Failure]


class Databases:
    """The demo databases of this run, each built (or found in the cache) on first use."""

    def __init__(self, plan: cases.Plan) -> None:
        self.plan = plan
        self._ready: dict[float, workdb.DemoDb] = {}

    def get(self, scale: float) -> workdb.DemoDb:
        if scale not in self._ready:
            began = time.perf_counter()
            self._ready[scale] = workdb.ensure(self.plan.workdir, scale)
            if self._ready[scale].built_seconds is not None:
                log.info("built the scale %g database in %.0f s", scale, time.perf_counter() - began)
        return self._ready[scale]

    def rebuild_big(self) -> workdb.DemoDb:
        """The big database generated in this run (reusing a build this run already did)."""
        scale = self.plan.big_scale
        ready = self._ready.get(scale)
        if ready is None or ready.built_seconds is None:
            ready = workdb.ensure(self.plan.workdir, scale, force=True)
            self._ready[scale] = ready
        return ready


def _groups(plan: cases.Plan, dbs: Databases) -> dict[str, Callable[[], Rows]]:
    """Every benchmark group by name, in the order they run."""
    small, big = plan.small_scale, plan.big_scale
    return {
        "demo": lambda: cases.demo_generation(plan, dbs.rebuild_big()),
        "start": lambda: cases.cold_start(plan, [dbs.get(small), dbs.get(big)]) + cases.main_window(plan, dbs.get(big)),
        "memory": lambda: cases.list_memory(plan, dbs.get(big)),
        "houses": lambda: cases.house_queries(plan, dbs.get(big)),
        "search": lambda: cases_home.search_box(plan, dbs.get(big)),
        "overview": lambda: cases_home.overview(plan, dbs.get(big)),
        "stats": lambda: cases.all_stats(plan, dbs.get(big)),
        "summary": lambda: (
            cases_files.half_year_summary(plan, dbs.get(small)) + cases_files.half_year_summary(plan, dbs.get(big))
        ),
        "notices": lambda: cases_files.notice_batch(plan),
        "import": lambda: cases_files.house_import(plan),
    }


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument(
        "--workdir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "liandu-desk-benchmarks",
        help="folder for the cached demo databases and the files the benchmarks write",
    )
    parser.add_argument("--quick", action="store_true", help="small scales and single runs: a smoke run, not figures")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="NAME",
        help="run only these groups (repeat or comma-separate): " + ", ".join(GROUP_NAMES),
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the results as JSON")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a goal is not met (not only on errors)")
    args = parser.parse_args(argv)
    args.only = [name.strip() for value in args.only for name in value.split(",") if name.strip()]
    unknown = sorted(set(args.only) - set(GROUP_NAMES))
    if unknown:
        parser.error(f"unknown benchmark {', '.join(unknown)}; choose from {', '.join(GROUP_NAMES)}")
    return args


GROUP_NAMES = ("demo", "start", "memory", "houses", "search", "overview", "stats", "summary", "notices", "import")


def _without_paths(text: str) -> str:
    """An error message for the table: file paths of this checkout shortened to paths inside the project."""
    root = str(Path(__file__).resolve().parent.parent)
    return text.replace(root + "/", "").replace(root + "\\", "")


def run(plan: cases.Plan, only: list[str]) -> Rows:
    """Run the chosen groups; a group that raises becomes one failed row and the others still run."""
    dbs = Databases(plan)
    rows: Rows = []
    for name, group in _groups(plan, dbs).items():
        if only and name not in only:
            continue
        log.info("running %s …", name)
        began = time.perf_counter()
        try:
            rows.extend(group())
        except Exception as exc:  # reported in the table, with the traceback in the log
            log.exception("benchmark group %s failed", name)
            rows.append(Failure(name, name, _without_paths(f"{type(exc).__name__}: {exc}")))
        log.info("%s done in %.0f s", name, time.perf_counter() - began)
    return rows


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S", stream=sys.stderr)
    for noisy in ("liandu_desk", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    plan = cases.Plan.make(args.workdir.resolve(), args.quick)
    started, load_start = dt.datetime.now(dt.UTC), load_average()
    rows = run(plan, args.only)
    info = {**machine(), "load_average_start": load_start}
    print(f"Liandu Desk benchmarks{' (--quick: small scales, not figures)' if plan.quick else ''}")
    print(f"Machine: {machine_line(info)}\n")
    print(table(rows))
    print(f"\n{summary_line(rows)}")
    if args.json:
        settings = {
            "quick": plan.quick,
            "scales": [plan.small_scale, plan.big_scale],
            "only": args.only,
            "started": started.isoformat(timespec="seconds"),
            "minutes": round((dt.datetime.now(dt.UTC) - started).total_seconds() / 60, 1),
        }
        args.json.write_text(as_json(rows, info, settings) + "\n", "utf-8")
    failed = any(isinstance(r, Failure) for r in rows)
    unmet = any(isinstance(r, Result) and not r.met for r in rows)
    return 1 if failed or (args.strict and unmet) else 0
