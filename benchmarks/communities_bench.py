"""Timings of the 星级小区 module on a demo database at a given scale: demo, stats, leaderboard, lists, issues."""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from liandu_desk.demo import DemoContext, seed_divisions
from liandu_desk.demo import communities as demo
from liandu_desk.services.communities import issues, lists, ratings, stats
from liandu_desk.services.periods import half_year
from liandu_desk.storage import ClerkRef, Database
from liandu_desk.storage.migrate import upgrade

H1 = half_year(2021, 1)


def _median(fn, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=10.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        clerk = ClerkRef(None, "基准测试", "bench", "管理员")
        db = Database(f"sqlite:///{Path(folder) / 'bench.sqlite3'}", clerk=clerk)
        upgrade(db, backup=False)
        ctx = DemoContext(random.Random(2021), args.scale, 2021)
        with db.session_scope() as session:
            seed_divisions(session, ctx)
        start = time.perf_counter()
        demo.generate(db, ctx)
        print(f"demo at scale {args.scale:g}: {time.perf_counter() - start:.2f} s")
        with db.session_scope() as s:
            print("figures:", stats.section(s, H1))
            print(f"stats section: {_median(lambda: stats.section(s, H1)):.1f} ms")
            print(f"leaderboard: {_median(lambda: ratings.leaderboard(s, H1)):.1f} ms")
            print(f"issue tracker (open): {_median(lambda: issues.list_issues(s, '未销号')):.1f} ms")
            rules = lists.list_rules(s, "小区")
            print(f"list rules applied: {_median(lambda: lists.community_candidates(s, H1, rules)):.1f} ms")
        db.dispose()


if __name__ == "__main__":
    main()
