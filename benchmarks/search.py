"""Benchmark: the 首页 search box (every category at once) at 500,000 houses; goal: median < 100 ms per search.

Builds (once) a database with the 危房 demo at the scale that gives the requested number of houses (the 危房
benchmark's builder), adds the 加装电梯 and 星级小区 demo data, 5,000 numbered documents and the 首页 targets,
then times search_all() for a mix of terms in a fresh session each, as one GUI job does.

Run: python benchmarks/search.py [--houses 500000] [--runs 7] [--db PATH]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

TERMS = (
    "王",  # 1 character: prefix of names and addresses
    "王芳",  # common 2-character name
    "李小",  # 2 characters, prefix of longer names
    "望湖",  # 2 characters, only an elevator estate / community
    "梅田村",  # 3+ characters: FTS5 trigram over name, ID number, address
    "王建国",
    "不存在的人",  # matches nothing
    "331102",  # ID-number prefix
    "莲建危改〔2021〕12号",  # a document number
    "莲建危改[2021]3",  # typed with ASCII brackets, a prefix
    "物业",  # companies
)


def add_extras(path: Path) -> None:
    """Elevator and community demo data, 5,000 served documents with numbers, the demo targets."""
    from sqlalchemy import func, insert, select

    from liandu_desk.demo import DEMO_ACTOR, DemoContext
    from liandu_desk.demo.communities import generate as communities
    from liandu_desk.demo.elevators import generate as elevators
    from liandu_desk.demo.home import generate as targets
    from liandu_desk.domain.communities import Community
    from liandu_desk.domain.documents import DocStatus, DocType, Document
    from liandu_desk.storage import Database
    from liandu_desk.storage.migrate import upgrade

    db = Database(f"sqlite:///{path}", clerk=DEMO_ACTOR)
    upgrade(db, backup=False)
    with db.session_scope() as s:
        done = s.scalar(select(func.count(Community.id)))
    if not done:
        ctx = DemoContext(random.Random(2021), 1.0, 2021)
        elevators(db, ctx)
        communities(db, ctx)
        targets(db, ctx)
        rows = [
            dict(
                doc_type=DocType.HOUSE_NOTICE,
                status=DocStatus.SERVED,
                title="危房整改通知书",
                recipient=f"户主{n}",
                number=f"莲建危改〔{2019 + n % 3}〕{n // 3 + 1}号",
                issued_on=dt.date(2021, 3, 1),
                deadline=dt.date(2021, 4, 1),
                facts={},
                text=[],
                version=1,
            )
            for n in range(5000)
        ]
        with db.session_scope() as s:
            s.execute(insert(Document), rows)
    db.dispose()


def measure(path: Path, runs: int) -> list[tuple[str, int, float]]:
    from liandu_desk.services.home.search import search_all
    from liandu_desk.storage import Database

    db = Database(f"sqlite:///{path}")
    results = []
    for term in TERMS:

        def once(term: str = term) -> int:
            with db.session_scope() as s:
                return len(search_all(s, term))

        hits = once()
        times = []
        for _ in range(runs):
            began = time.perf_counter()
            once()
            times.append((time.perf_counter() - began) * 1000)
        results.append((term, hits, statistics.median(times)))
    db.dispose()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--houses", type=int, default=500_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--db", type=Path, default=Path("benchmarks-home.sqlite3"))
    args = parser.parse_args()
    if not args.db.exists():
        from houses import build

        print(f"building {args.houses} houses (takes a few minutes)…", flush=True)
        print(f"houses demo generated in {build(args.db, args.houses):.1f} s", flush=True)
    add_extras(args.db)
    results = measure(args.db, args.runs)
    width = max(len(t) for t, _, _ in results) + 2
    print(f"{'term'.ljust(width)}  hits  median ms")
    for term, hits, ms in results:
        print(f"{term.ljust(width)}  {hits:4d}  {ms:9.1f}")
    overall = statistics.median(ms for _, _, ms in results)
    worst = max(ms for _, _, ms in results)
    print(f"median over terms: {overall:.1f} ms, slowest term: {worst:.1f} ms (goal: median < 100 ms)")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
