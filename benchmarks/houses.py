"""Benchmark: the 危房 list, search, house page and figures at 500,000 houses (goal: each median < 100 ms).

Builds (once) a database with the houses demo at the scale that gives the requested number of houses, then
times each query in a fresh session the way the GUI calls it, and prints medians and the peak RSS.

Run: python benchmarks/houses.py [--houses 500000] [--runs 7] [--db PATH]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import statistics
import time
from collections.abc import Callable
from pathlib import Path

HOUSES_PER_SCALE_UNIT = 51_651  # rural screened + 2020-only + batch + urban houses of the demo at scale 1
H1 = (dt.date(2021, 1, 1), dt.date(2021, 6, 30))


def build(path: Path, houses: int) -> float:
    """Create the database with the houses demo only; returns the seconds the demo took."""
    from liandu_desk.demo import DemoContext, seed_divisions
    from liandu_desk.demo.houses import generate
    from liandu_desk.storage import Database
    from liandu_desk.storage.migrate import upgrade

    db = Database(f"sqlite:///{path}")
    upgrade(db, backup=False)
    ctx = DemoContext(random.Random(2021), houses / HOUSES_PER_SCALE_UNIT, 2021)
    with db.session_scope() as session:
        seed_divisions(session, ctx)
    began = time.perf_counter()
    generate(db, ctx)
    took = time.perf_counter() - began
    db.dispose()
    return took


def median_ms(fn: Callable[[], object], runs: int) -> tuple[float, float, object]:
    """Median wall and CPU time of fn over runs (after one warm-up call) and its last result.

    CPU time (this process, which includes SQLite's own work) is the figure to compare when the machine is
    shared: the wall time then also counts waiting for a core.
    """
    result = fn()
    wall, cpu = [], []
    for _ in range(runs):
        began, began_cpu = time.perf_counter(), time.process_time()
        result = fn()
        wall.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu), result


BACKGROUND = "background, after the first screen: "  # the whole id list of an unfiltered view


def cases(db) -> dict[str, Callable[[], object]]:
    """The measured operations, each in its own session like one GUI job."""
    from sqlalchemy import func, select

    from liandu_desk.domain.house_cases import RectificationCase
    from liandu_desk.domain.houses import House
    from liandu_desk.services.houses import listing
    from liandu_desk.services.houses.detail import house_detail
    from liandu_desk.services.houses.stats import section
    from liandu_desk.services.periods import Period

    with db.session_scope() as s:
        town = listing.filter_options(s).townships[6].id  # 碧湖镇
        three = s.scalar(select(House.owner_name).where(func.length(House.owner_name) == 3).limit(1))
        two = s.scalar(select(House.owner_name).where(func.length(House.owner_name) == 2).limit(1))
        busy = s.scalar(select(RectificationCase.house_id).where(RectificationCase.batch_id.is_not(None)).limit(1))

    def page(f: listing.HouseFilter, sort: str = "id") -> Callable[[], tuple[int, int]]:
        def run() -> tuple[int, int]:
            with db.session_scope() as s:
                count = listing.count_houses(s, f)
                ids = listing.house_ids(s, f, sort)
                rows = listing.house_rows(s, ids[:100])
            return count, len(rows)

        return run

    def selective(f: listing.HouseFilter, sort: str = "id") -> Callable[[], tuple[int, int]]:
        """What the tab does for a filter or a search: every matching id (their number is the count) + a page."""

        def run() -> tuple[int, int]:
            with db.session_scope() as s:
                ids = listing.house_ids(s, f, sort)
                rows = listing.house_rows(s, ids[:100])
            return len(ids), len(rows)

        return run

    def first_page_only(f: listing.HouseFilter, sort: str) -> Callable[[], int]:
        def run() -> int:
            with db.session_scope() as s:
                ids = s.execute(listing.house_ids_query(s, f, sort).limit(100)).scalars().all()
                return len(listing.house_rows(s, ids))

        return run

    def detail() -> int:
        with db.session_scope() as s:
            return len(house_detail(s, busy).timeline)

    def stats() -> int:
        with db.session_scope() as s:
            return section(s, Period(*H1))["rural_screened"]

    def first_screen(f: listing.HouseFilter, sort: str) -> Callable[[], tuple[int, int]]:
        def run() -> tuple[int, int]:
            with db.session_scope() as s:
                count = listing.count_houses(s, f)
                ids = s.execute(listing.house_ids_query(s, f, sort).limit(100)).scalars().all()
                return count, len(listing.house_rows(s, ids))

        return run

    return {
        "list first screen: count + 100 rows (by id)": first_screen(listing.HouseFilter(), "id"),
        "list: first 100 rows sorted by owner (LIMIT)": first_page_only(listing.HouseFilter(), "owner"),
        "filter: 碧湖镇 + grade C, by deadline": selective(
            listing.HouseFilter(township_id=town, grade="C"), "deadline"
        ),
        "filter: overdue cases": selective(listing.HouseFilter(overdue=True)),
        f"search 2 chars ({two})": selective(listing.HouseFilter(search=two)),
        f"search 3 chars ({three})": selective(listing.HouseFilter(search=three)),
        "search 3 chars, sorted by owner": selective(listing.HouseFilter(search=three), "owner"),
        "house_detail (batch house with a case)": detail,
        "stats section (2021 H1)": stats,
        BACKGROUND + "count + all ids + first 100 rows (by id)": page(listing.HouseFilter()),
        BACKGROUND + "count + all ids + rows sorted by address": page(listing.HouseFilter(), "address"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--houses", type=int, default=500_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--db", type=Path, default=Path("benchmarks-houses.sqlite3"))
    args = parser.parse_args()
    from sqlalchemy import func, select

    from liandu_desk.domain.houses import House
    from liandu_desk.storage import Database

    if not args.db.exists():
        took = build(args.db, args.houses)
        print(f"demo data for {args.houses} houses generated in {took:.1f} s")
    db = Database(f"sqlite:///{args.db}")
    with db.session_scope() as s:
        total = s.scalar(select(func.count()).select_from(House))
    print(f"{total} houses in {args.db}; medians of {args.runs} runs:")
    print(f"load average before: {os.getloadavg()[0]:.1f}")
    print("      wall       cpu")
    for name, fn in cases(db).items():
        ms, cpu, result = median_ms(fn, args.runs)
        flag = "" if ms < 100 or name.startswith(BACKGROUND) else "  (over 100 ms goal)"
        print(f"  {ms:8.1f} {cpu:8.1f} ms  {name}  -> {result}{flag}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process: {peak:.0f} MB")


if __name__ == "__main__":
    main()
