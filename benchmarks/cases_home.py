"""The 首页 benchmarks: the one search box (benchmarks/search.py's terms) and the overview on screen (overview.py)."""

from __future__ import annotations

import gc
import os
import statistics

from benchmarks import workdb
from benchmarks.cases import Plan
from benchmarks.processes import repeat_ms
from benchmarks.report import Failure, Goal, Result

SEARCH_GOAL = Goal(100, "ms", source="issue 9: search results under 100 ms median at 500k houses")
OVERVIEW_GOAL = Goal(300, "ms", inclusive=True, source="issue 19")


def search_box(plan: Plan, demo: workdb.DemoDb) -> list[Result | Failure]:
    """search_all() for each of benchmarks/search.py's terms in a fresh session; the row is the median over terms."""
    from benchmarks import search
    from liandu_desk.services.home.search import search_all

    db = workdb.open_db(demo.path)
    medians: dict[str, float] = {}
    for term in search.TERMS:

        def once(term: str = term) -> int:
            with db.session_scope() as session:
                return len(search_all(session, term))

        times, _hits = repeat_ms(once, plan.query_runs)
        medians[term] = statistics.median(times)
    db.dispose()
    slowest = max(medians, key=medians.__getitem__)
    what = f"首页 search box, {plan.scale_label(demo.scale)}"
    detail = f"median over terms of each term's median; slowest “{slowest}” {medians[slowest]:.0f} ms"
    runs = f"{len(medians)} terms × {plan.query_runs} runs"
    figures = list(medians.values())
    return [Result("search.home", what, figures, "ms", SEARCH_GOAL, detail, {"per_term_ms": medians}, runs)]


def overview(plan: Plan, demo: workdb.DemoDb) -> list[Result | Failure]:
    """benchmarks/overview.py: a fresh 首页 tab opened offscreen until figures, charts and the due list are painted."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from benchmarks import overview as home_overview

    app = QApplication.instance() or QApplication([])
    db = workdb.open_db(demo.path)
    gc.collect()
    gc.freeze()  # as the program does once its window is up (ui/app.py): collections walk only newer objects
    try:
        runs = [home_overview.run_once(db, app) for _ in range(plan.process_runs + 1)][1:]  # the first warms caches
    finally:
        gc.unfreeze()
    db.dispose()
    painted = [r["painted"] * 1000 for r in runs]
    parts = {
        key: statistics.median(r[key] * 1000 for r in runs) for key in ("figures", "charts", "due") if key in runs[0]
    }
    detail = "opening the tab → painted; " + ", ".join(f"{k} {v:.0f} ms" for k, v in parts.items())
    what = f"首页 overview on screen, {plan.scale_label(demo.scale)}"
    return [Result("overview.home", what, painted, "ms", OVERVIEW_GOAL, detail)]
