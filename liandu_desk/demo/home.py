"""Demo work targets: the H2 2021 plan of the bureau's half-year summary (工作打算), scaled with the demo."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from liandu_desk.demo import DemoContext
from liandu_desk.domain.home import WorkTarget
from liandu_desk.services.home.targets import TargetInput, create_target
from liandu_desk.storage.database import Database

H2_START = dt.date(2021, 7, 1)
SEED = "2021年上半年工作总结·下半年工作打算"
DEMO_NOTE = "演示目标（按上半年完成数设定，非总结原文）"

# (title, metric, seed figure, deadline, note)
DEMO_TARGETS: tuple[tuple[str, str, int, dt.date, str], ...] = (
    ("9月底前完成农房系统内380户危房治理", "rural_rectified", 380, dt.date(2021, 9, 30), SEED),
    ("完成省委巡视剩余76户C级危房治理", "batch_rectified", 76, dt.date(2021, 12, 31), SEED),
    ("制定城镇15幢C级危房“一房一策”解危方案", "urban_c_plans", 15, dt.date(2021, 12, 31), SEED),
    (
        "下半年加装电梯竣工验收32台",
        "elevators_accepted",
        32,
        dt.date(2021, 12, 31),
        "演示目标（按上半年完成数设定，非总结原文）",
    ),
)


def generate(db: Database, ctx: DemoContext) -> None:
    """Add the demo targets (refuses nothing: skips if targets already exist)."""
    with db.session_scope() as session:
        if session.scalar(select(func.count(WorkTarget.id))):
            return
        ctx.progress("首页：工作目标", 0.0)
        for title, metric, figure, deadline, note in DEMO_TARGETS:
            scaled = max(ctx.scaled(figure), 1)
            create_target(session, TargetInput(title, metric, scaled, H2_START, deadline, None, note))
