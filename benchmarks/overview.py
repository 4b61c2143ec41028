"""Benchmark: the 首页 overview of a 500,000-house database, from opening the tab until every part is on screen.

Uses the database built by benchmarks/search.py. Each run builds a fresh HomeTab offscreen with the real
background job runner, opens it and waits until figures, charts with targets, and the due list are shown.

Run: python benchmarks/overview.py [--db PATH] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def run_once(db, app) -> dict[str, float]:
    from liandu_desk.services.clerks import ClerkInfo
    from liandu_desk.ui.home.tab import PARTS, HomeTab
    from liandu_desk.ui.kit.context import AppContext
    from liandu_desk.ui.kit.jobs import JobRunner

    jobs = JobRunner(app)
    tab = HomeTab(AppContext(db=db, jobs=jobs, clerk=ClerkInfo(0, "viewer", "截图", "")))
    tab.resize(1280, 760)
    tab.show()
    began = time.perf_counter()
    tab.activate()
    while not all(p in tab.timings for p in PARTS) and time.perf_counter() - began < 30:
        app.processEvents()
        time.sleep(0.002)
    tab.grab()  # painted
    result = dict(tab.timings, painted=time.perf_counter() - began)
    jobs.shutdown()
    tab.close()
    tab.deleteLater()
    app.processEvents()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("benchmarks-home.sqlite3"))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from PySide6.QtWidgets import QApplication

    from liandu_desk.storage import Database

    app = QApplication.instance() or QApplication([])
    db = Database(f"sqlite:///{args.db}")
    runs = [run_once(db, app) for _ in range(args.runs + 1)][1:]  # the first run warms the file cache
    for key in ("start", "charts", "due", "figures", "painted"):
        values = [r[key] * 1000 for r in runs if key in r]
        print(f"{key:8s} median {statistics.median(values):7.0f} ms   (runs: {', '.join(f'{v:.0f}' for v in values)})")
    db.dispose()


if __name__ == "__main__":
    main()
