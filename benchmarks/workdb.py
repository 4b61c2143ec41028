"""The demo databases the benchmarks run against, built once per schema head and demo code and kept in a folder."""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

SEED = 2021
BENCH_CLERK = ("基准测试", "bench", "管理员")


@dataclass(frozen=True)
class DemoDb:
    """A ready database file; `built_seconds` is the demo generation time when this run built it."""

    path: Path
    scale: float
    built_seconds: float | None


def open_db(path: Path):
    """A Database on the file, acting as an administrator (the runner writes nothing through it)."""
    from liandu_desk.storage import ClerkRef, Database

    return Database(f"sqlite:///{path}", clerk=ClerkRef(None, *BENCH_CLERK))


def fingerprint() -> dict[str, object]:
    """What makes a cached database stale: the schema heads and the demo generators' source."""
    import liandu_desk
    from liandu_desk.storage.migrate import head_revisions

    package = Path(liandu_desk.__file__).parent
    digest = hashlib.sha256()
    for source in sorted(package.glob("services/**/*demo*.py")):
        digest.update(source.relative_to(package).as_posix().encode())
        digest.update(source.read_bytes())
    heads = head_revisions(open_db(Path("unused.sqlite3")))
    return {"heads": list(heads), "demo_source": digest.hexdigest()[:16], "seed": SEED}


def generate(path: Path, scale: float) -> float:
    """A fresh migrated database filled with the demo data set at `scale`; returns the generation seconds."""
    from liandu_desk.demo import generate_demo
    from liandu_desk.storage.migrate import upgrade

    for stale in path.parent.glob(path.name + "*"):
        stale.unlink()
    db = open_db(path)
    upgrade(db, backup=False)
    began = time.perf_counter()
    generate_demo(db, scale=scale, seed=SEED)
    seconds = time.perf_counter() - began
    db.dispose()
    return seconds


def _label(scale: float) -> str:
    return f"demo-scale-{scale:g}".replace(".", "_")


def ensure(workdir: Path, scale: float, force: bool = False) -> DemoDb:
    """The cached demo database at `scale`; rebuilt when missing, forced, or the schema head or demo code changed."""
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / f"{_label(scale)}.sqlite3"
    meta_path = workdir / f"{_label(scale)}.json"
    wanted = {**fingerprint(), "scale": scale}
    if not force and path.exists() and meta_path.exists() and json.loads(meta_path.read_text("utf-8")) == wanted:
        return DemoDb(path, scale, None)
    meta_path.unlink(missing_ok=True)
    log.info("building the demo database at scale %g in %s", scale, workdir)
    seconds = generate(path, scale)
    meta_path.write_text(json.dumps(wanted), "utf-8")
    return DemoDb(path, scale, seconds)


def scratch_copy(source: Path, target: Path) -> Path:
    """A copy of a closed database file (for a benchmark that may write to it)."""
    for stale in target.parent.glob(target.name + "*"):
        stale.unlink()
    shutil.copyfile(source, target)
    return target
