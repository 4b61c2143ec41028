"""What happens to each special house of the 危房 demo: appraisals, batch verification, case, plan.

The layout reproduces the 2021 H1 seed figures exactly at scale 1 (domain.md §6, formats/stats.md).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from dataclasses import dataclass, field

D = dt.date
H1_START, H1_END = D(2021, 1, 1), D(2021, 6, 30)
BATCH_NAME = "2021省委巡视"
BATCH_ISSUED = D(2021, 1, 15)
URBAN_BLOCKS = ("高井弄", "酱园弄", "刘祠堂背", "海潮河区块")
AGENCIES = (
    "丽水市房屋安全鉴定所",
    "浙江省建筑科学设计研究院丽水分院",
    "丽水市建设工程质量检测中心",
    "莲都区房屋安全鉴定站",
)

# Roles of houses (small ints so half a million of them stay cheap).
PLAIN, OLD, BATCH, FRESH_AB, FRESH_CD, U_RESOLVED, U_CPLAN, U_DOPEN, U_OTHER = range(9)


@dataclass(frozen=True)
class Layout:
    """How many houses play each role at this scale (exact seed figures at scale 1)."""

    fresh: int  # rural houses screened in H1 (rural_screened)
    appraised: int  # of those, appraised in H1 (rural_appraised)
    dangerous: int  # of those, graded C/D (rural_dangerous)
    old: int  # rural houses screened in 2020 only
    flagged: int  # batch 2021省委巡视
    verified_out: int
    rectified: int
    urban_resolved: int
    urban_c_plans: int
    urban_d_open: int
    urban_other: int
    applications: int

    @classmethod
    def for_scale(cls, scaled) -> Layout:
        layout = cls(
            fresh=scaled(48025),
            appraised=scaled(2257),
            dangerous=scaled(380),
            old=scaled(1200),
            flagged=scaled(1933),
            verified_out=scaled(59),
            rectified=scaled(1857),
            urban_resolved=scaled(20),
            urban_c_plans=scaled(15),
            urban_d_open=scaled(8),
            urban_other=scaled(450),
            applications=scaled(60),
        )
        # Rounding at tiny scales must not rectify more houses than remain after verification.
        return dataclasses.replace(layout, rectified=min(layout.rectified, layout.flagged - layout.verified_out))


@dataclass
class CaseFate:
    measure: str
    opened_on: dt.date
    deadline: dt.date
    status: str
    completed_on: dt.date | None = None
    demolished_on: dt.date | None = None
    closed_on: dt.date | None = None
    evidence: str | None = None
    batch: bool = False


@dataclass
class Fate:
    """The records a special house gets; appraisals are (date, grade, handling), oldest first."""

    role: int
    appraisals: list[tuple[dt.date, str, str | None]] = field(default_factory=list)
    verification: tuple[str, dt.date] | None = None
    case: CaseFate | None = None
    block: str | None = None
    plan_opened: dt.date | None = None

    @property
    def latest_grade(self) -> str | None:
        return self.appraisals[-1][1] if self.appraisals else None


def day_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    """A random day in [start, end]."""
    return start + dt.timedelta(days=rng.randint(0, max((end - start).days, 0)))


def _handling(rng: random.Random, grade: str) -> str | None:
    if grade == "C":
        return "处理使用" if rng.random() < 0.8 else ("观察使用" if rng.random() < 0.9 else "停止使用")
    if grade == "D":
        return "整体拆除" if rng.random() < 0.55 else "停止使用"
    return None


def _finish(rng: random.Random, fate: Fate, case: CaseFate, done_from: dt.date, done_to: dt.date) -> None:
    """Complete a case between the dates; demolitions and re-appraisals (after H1) give close-out evidence."""
    case.completed_on = day_between(rng, max(done_from, case.opened_on + dt.timedelta(days=7)), done_to)
    case.status = "已完成"
    if case.measure in ("拆除", "拆除重建", "翻建"):
        case.demolished_on = case.completed_on
        case.closed_on = case.completed_on + dt.timedelta(days=rng.randint(1, 20))
        case.evidence = f"已拆除（{case.demolished_on.isoformat()}）"
        case.status = "已销号"
    elif case.measure == "维修加固" and rng.random() < 0.6:
        again = max(case.completed_on, H1_END) + dt.timedelta(days=rng.randint(5, 60))
        fate.appraisals.append((again, "B", None))
        case.closed_on = again + dt.timedelta(days=rng.randint(1, 10))
        case.evidence = f"复鉴B级（{again.isoformat()}）"
        case.status = "已销号"


def batch_fate(rng: random.Random, outcome: str) -> Fate:
    """A rural C house flagged by 2021省委巡视: appraised C in 2020, verified in Q1 2021, rectified or not."""
    fate = Fate(BATCH, [(day_between(rng, D(2020, 3, 1), D(2020, 11, 30)), "C", _handling(rng, "C"))])
    if outcome == "out":
        fate.verification = (rng.choice(("非危房", "非危房", "重复")), day_between(rng, D(2021, 2, 1), D(2021, 3, 31)))
        return fate
    fate.verification = ("确认", day_between(rng, D(2021, 1, 20), D(2021, 3, 31)))
    measure = rng.choices(("维修加固", "拆除", "拆除重建", "封闭停用"), (60, 20, 8, 12))[0]
    opened = day_between(rng, D(2021, 1, 20), D(2021, 2, 28))
    case = CaseFate(measure, opened, D(2021, 6, 30), "整改中", batch=True)
    if outcome == "done":
        _finish(rng, fate, case, D(2021, 2, 15), H1_END)
    else:
        case.deadline = D(2021, 9, 30)
    fate.case = case
    return fate


def fresh_fate(rng: random.Random, role: int, appraised_on: dt.date) -> Fate:
    """A rural house appraised in H1; C/D houses get a case due by the end of September (seed H2 plan)."""
    if role == FRESH_AB:
        grade = "A" if rng.random() < 0.45 else "B"
        return Fate(role, [(appraised_on, grade, None)])
    grade = "C" if rng.random() < 0.78 else "D"
    fate = Fate(role, [(appraised_on, grade, _handling(rng, grade))])
    weights = (70, 10, 0, 10, 10) if grade == "C" else (0, 40, 35, 15, 10)
    measure = rng.choices(("维修加固", "拆除", "拆除重建", "翻建", "封闭停用"), weights)[0]
    case = CaseFate(measure, appraised_on + dt.timedelta(days=rng.randint(3, 15)), D(2021, 9, 30), "待整改")
    roll = rng.random()
    if roll < 0.45:
        _finish(rng, fate, case, D(2021, 7, 1), D(2021, 9, 30))
    elif roll < 0.8:
        case.status = "整改中"
    fate.case = case
    return fate


def urban_fate(rng: random.Random, role: int, index: int) -> Fate:
    """Urban buildings: D resolved in H1 by 征收/回购, C with a 一房一策 plan, scattered D still open, others."""
    earlier = day_between(rng, D(2019, 4, 1), D(2020, 10, 31))
    if role == U_RESOLVED:
        block = URBAN_BLOCKS[index % len(URBAN_BLOCKS)]
        fate = Fate(role, [(earlier, "D", _handling(rng, "D"))], block=block)
        measure = "征收" if block == "海潮河区块" or rng.random() < 0.5 else "回购"
        case = CaseFate(measure, day_between(rng, D(2020, 5, 1), D(2020, 11, 30)), H1_END, "已完成")
        case.completed_on = day_between(rng, D(2021, 1, 10), D(2021, 6, 25))
        fate.case = case
        return fate
    if role == U_CPLAN:
        fate = Fate(role, [(earlier, "C", _handling(rng, "C"))])
        fate.plan_opened = day_between(rng, D(2021, 3, 15), D(2021, 6, 25))
        return fate
    if role == U_DOPEN:
        fate = Fate(role, [(earlier, "D", _handling(rng, "D"))])
        opened = day_between(rng, D(2021, 3, 1), D(2021, 6, 15))
        fate.case = CaseFate(rng.choice(("回购", "征收")), opened, D(2021, 12, 31), "整改中")
        return fate
    if rng.random() < 0.4:
        return Fate(role, [(earlier, "A" if rng.random() < 0.5 else "B", None)])
    return Fate(role)
