"""Demo data: the shared registry first, then each module's generator, in one reproducible run."""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from liandu_desk.demo.names import COMMUNITY_STEMS, VILLAGE_STEMS
from liandu_desk.domain.errors import RuleError
from liandu_desk.domain.registry import ClerkRole, Division, DivisionLevel
from liandu_desk.plugins import with_hook
from liandu_desk.services.divisions import ensure_child, list_children, list_townships
from liandu_desk.storage.database import ClerkRef, Database

log = logging.getLogger(__name__)
Progress = Callable[[str, float], None]


@dataclass
class DemoContext:
    """What every module's demo generator receives."""

    rng: random.Random
    scale: float
    seed: int
    progress: Progress = field(default=lambda _text, _fraction: None)

    def scaled(self, figure: int) -> int:
        """A seed figure at this scale (exact at scale 1)."""
        return max(round(figure * self.scale), 0)


DEMO_ACTOR = ClerkRef(None, "演示数据", "demo", ClerkRole.ADMIN.value)
VILLAGES_PER_TOWNSHIP = 12
COMMUNITIES_PER_SUBDISTRICT = 8


def seed_divisions(session: Session, ctx: DemoContext) -> int:
    """Villages beneath towns and townships, communities beneath subdistricts, for townships whose register is
    empty (a database has the shipped register; this fills one without it); returns how many were added."""
    before = session.scalar(select(func.count()).select_from(Division)) or 0
    rng = random.Random(ctx.seed)
    for township in list_townships(session):
        if list_children(session, township.id):
            continue
        urban = township.level == DivisionLevel.SUBDISTRICT.value
        stems, level, count = (
            (COMMUNITY_STEMS, DivisionLevel.COMMUNITY, COMMUNITIES_PER_SUBDISTRICT)
            if urban
            else (VILLAGE_STEMS, DivisionLevel.VILLAGE, VILLAGES_PER_TOWNSHIP)
        )
        suffix = "社区" if urban else "村"
        for stem in rng.sample(stems, count):
            ensure_child(session, township.id, stem + suffix, level)
    return (session.scalar(select(func.count()).select_from(Division)) or 0) - before


def generate_demo(db: Database, scale: float = 1.0, seed: int = 2021, progress: Progress | None = None) -> None:
    """Fill an empty database with the demo data set; each module refuses if it already has data."""
    if scale <= 0:
        raise RuleError("演示数据规模必须大于0")
    ctx = DemoContext(random.Random(seed), scale, seed, progress or (lambda _t, _f: None))
    if db.clerk is None:  # called from code without a clerk (scripts, tests): the demo generator signs its rows
        db.clerk = DEMO_ACTOR
    with db.session_scope() as session:
        added = seed_divisions(session, ctx)
        log.info("demo: %d villages and communities added", added)
    for module, generate in with_hook("demo"):
        ctx.progress(f"生成演示数据：{module.title}", 0.0)
        generate(db, ctx)
    ctx.progress("演示数据已生成", 1.0)
