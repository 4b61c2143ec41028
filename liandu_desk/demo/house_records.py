"""Turns the demo's house fates into appraisal, batch, case, progress, plan, subsidy and application rows."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import func, insert, select
from sqlalchemy.engine import Connection

from liandu_desk.demo import DemoContext
from liandu_desk.demo import house_fates as F
from liandu_desk.demo.house_people import PeopleFactory
from liandu_desk.domain.house_cases import (
    BatchMember,
    CaseProgress,
    HouseholdCategory,
    HousePlan,
    PlanMilestone,
    RectificationCase,
    RenovationApplication,
    SourceBatch,
    SubsidyRate,
)
from liandu_desk.domain.houses import Appraisal, House
from liandu_desk.domain.registry import Person
from liandu_desk.storage.database import Database

# Placeholder amounts (yuan): the Zhejiang/Lishui table was not found [U]; every row is marked unverified.
SUBSIDY_BASE = {"维修加固": 15000, "拆除重建": 40000, "翻建": 40000, "拆除": 5000}
SUBSIDY_EXTRA = {"分散供养特困人员": 5000, "低保户": 3000}
SUBSIDY_SOURCE = "演示数据：金额未经核实，请按当年补助文件修改"
PROGRESS_TEXT = ("已下达整改通知书", "已落实临时管控措施", "施工队伍已进场", "主体加固完成", "已完成拆除", "乡镇已初验")
MILESTONES = ("制定一房一策方案", "落实临时管控（停用、警示）", "产权人协商及资金落实", "实施解危")


class _Rows:
    def __init__(self, conn: Connection, stamp: dict) -> None:
        self.stamp = stamp
        self.next = {
            m: (conn.scalar(select(func.max(m.id))) or 0) + 1 for m in (Appraisal, RectificationCase, HousePlan)
        }
        self.tables: dict[type, list[dict]] = {}

    def add(self, model: type, row: dict, with_id: bool = False) -> int | None:
        row = {**row, **self.stamp}
        if with_id:
            row["id"] = self.next[model]
            self.next[model] += 1
        self.tables.setdefault(model, []).append(row)
        return row.get("id")


def _appraisals(rows: _Rows, rng: random.Random, house_id: int, fate: F.Fate) -> int | None:
    first = None
    for day, grade, handling in fate.appraisals:
        appraisal_id = rows.add(
            Appraisal,
            {
                "house_id": house_id,
                "appraised_on": day,
                "grade": grade,
                "agency": rng.choice(F.AGENCIES),
                "report_no": f"莲鉴{day.year}-{rng.randint(1, 9999):04d}",
                "handling": handling,
                "note": None,
            },
            with_id=True,
        )
        first = first or appraisal_id
    return first


def _progress(rows: _Rows, rng: random.Random, case_id: int, case: F.CaseFate) -> None:
    if case.status == "待整改":
        return
    end = case.completed_on or case.opened_on + dt.timedelta(days=60)
    for text in rng.sample(PROGRESS_TEXT[:4], rng.randint(1, 3)):
        rows.add(
            CaseProgress,
            {
                "case_id": case_id,
                "on": F.day_between(rng, case.opened_on, end),
                "text": text,
                "percent": rng.choice((20, 40, 60, 80)),
                "clerk_name": "乡镇危改专管员",
            },
        )


def _case(rows: _Rows, rng: random.Random, house_id: int, fate: F.Fate, appraisal_id: int | None, batch_id: int):
    case = fate.case
    case_id = rows.add(
        RectificationCase,
        {
            "house_id": house_id,
            "batch_id": batch_id if case.batch else None,
            "appraisal_id": appraisal_id,
            "measure": case.measure,
            "opened_on": case.opened_on,
            "deadline": case.deadline,
            "status": case.status,
            "completed_on": case.completed_on,
            "demolished_on": case.demolished_on,
            "closed_on": case.closed_on,
            "close_evidence": case.evidence,
            "responsible": "户主",
            "note": None,
        },
        with_id=True,
    )
    _progress(rows, rng, case_id, case)


def _plan(rows: _Rows, rng: random.Random, house_id: int, fate: F.Fate, street_id: int) -> None:
    started = rng.random() < 0.6
    plan_id = rows.add(
        HousePlan,
        {
            "house_id": house_id,
            "responsible_party": "产权人",
            "street_id": street_id,
            "method": rng.choice(("维修加固", "回购", "征收")),
            "funding": rng.choice(("产权人自筹", "区财政补助+自筹")),
            "interim_controls": ["停用", "警示"] if started else [],
            "opened_on": fate.plan_opened,
            "deadline": dt.date(2022, 6, 30),
            "status": "实施中" if started else "未启动",
            "resolved_on": None,
            "evidence": None,
            "note": None,
        },
        with_id=True,
    )
    for index, title in enumerate(MILESTONES):
        done = index == 0 or (started and index == 1)
        rows.add(
            PlanMilestone,
            {
                "plan_id": plan_id,
                "title": title,
                "due_on": fate.plan_opened + dt.timedelta(days=30 * (index + 1)),
                "status": "已完成" if done else "未开始",
                "done_on": fate.plan_opened if done else None,
            },
        )


def _subsidy_table(rows: _Rows) -> None:
    for category in HouseholdCategory:
        for measure, base in SUBSIDY_BASE.items():
            amount = base + SUBSIDY_EXTRA.get(category.value, 0)
            rows.add(
                SubsidyRate,
                {
                    "year": 2021,
                    "category": category.value,
                    "measure": measure,
                    "amount": amount,
                    "verified": False,
                    "source": SUBSIDY_SOURCE,
                },
            )


def _applications(rows: _Rows, ctx: DemoContext, layout: F.Layout, candidates: list[tuple[int, dict]], people) -> None:
    rng = ctx.rng
    categories = [c.value for c in HouseholdCategory]
    with_house = min(len(candidates), layout.applications * 4 // 5)
    for index in range(layout.applications):
        house_id, info = candidates[index] if index < with_house else (None, rng.choice(candidates)[1])
        measure = info["measure"] if info["measure"] in SUBSIDY_BASE else "维修加固"
        category = rng.choice(categories)
        status = rng.choices(("待审核", "已批准", "已拨付", "已驳回"), (30, 40, 20, 10))[0]
        applied = F.day_between(rng, dt.date(2021, 7, 5), dt.date(2021, 9, 15))
        amount = SUBSIDY_BASE[measure] + SUBSIDY_EXTRA.get(category, 0)
        rows.add(
            RenovationApplication,
            {
                "applicant_id": info["owner_id"] if house_id else people.pop(),
                "house_id": house_id,
                "township_id": info["township_id"],
                "village_id": info["village_id"],
                "year": 2021,
                "category": category,
                "measure": measure,
                "applied_on": applied,
                "status": status,
                "subsidy_amount": amount,
                "amount_verified": False,
                "note": None,
                "eligibility_note": f"{category}，" + ("房屋鉴定为C/D级" if house_id else "无房户"),
                "decided_on": None if status == "待审核" else applied + dt.timedelta(days=rng.randint(10, 40)),
            },
        )


def _no_house_people(conn: Connection, ctx: DemoContext, people: PeopleFactory, count: int, stamp: dict) -> list[int]:
    if count <= 0:
        return []
    base = (conn.scalar(select(func.max(Person.id))) or 0) + 1
    rows = [
        {"id": base + i, "name": people.name(), "id_number": people.id_number(), "phone": people.phone(), **stamp}
        for i in range(count)
    ]
    conn.execute(insert(Person.__table__), rows)
    return [r["id"] for r in rows]


def write_records(db: Database, ctx: DemoContext, layout: F.Layout, fates: dict[int, F.Fate], people) -> None:
    """Write every record the fates call for, in one transaction per table."""
    now = dt.datetime.now(dt.UTC)
    stamp = {"version": 1, "created_at": now, "updated_at": now}
    rng = ctx.rng
    with db.engine.begin() as conn:
        batch_id = conn.execute(
            insert(SourceBatch.__table__).values(
                name=F.BATCH_NAME,
                source="省委巡视反馈",
                issued_on=F.BATCH_ISSUED,
                note="省委巡视交办的农村C级危房",
                **stamp,
            )
        ).inserted_primary_key[0]
        homes = _homes_chunked(conn, list(fates))
        rows = _Rows(conn, stamp)
        candidates: list[tuple[int, dict]] = []
        for house_id in sorted(fates):
            fate = fates[house_id]
            appraisal_id = _appraisals(rows, rng, house_id, fate)
            if fate.verification:
                outcome, day = fate.verification
                rows.add(
                    BatchMember,
                    {
                        "batch_id": batch_id,
                        "house_id": house_id,
                        "verification": outcome,
                        "verified_on": day,
                        "note": None,
                    },
                )
            if fate.case:
                _case(rows, rng, house_id, fate, appraisal_id, batch_id)
            if fate.plan_opened:
                _plan(rows, rng, house_id, fate, homes[house_id][0])
            if fate.role == F.FRESH_CD and fate.case.status != "已销号":
                town, village, owner = homes[house_id]
                info = {"township_id": town, "village_id": village, "owner_id": owner, "measure": fate.case.measure}
                candidates.append((house_id, info))
        rng.shuffle(candidates)
        _subsidy_table(rows)
        no_house = layout.applications - min(len(candidates), layout.applications * 4 // 5)
        applicants = _no_house_people(conn, ctx, people, no_house, stamp)
        if candidates:
            _applications(rows, ctx, layout, candidates, applicants)
    order = (
        Appraisal,
        BatchMember,
        RectificationCase,
        CaseProgress,
        HousePlan,
        PlanMilestone,
        SubsidyRate,
        RenovationApplication,
    )
    for model in order:
        if rows.tables.get(model):
            with db.engine.begin() as conn:
                conn.execute(insert(model.__table__), rows.tables[model])


def _homes_chunked(conn: Connection, ids: list[int]) -> dict[int, tuple[int, int, int]]:
    found: dict[int, tuple[int, int, int]] = {}
    for start in range(0, len(ids), 20000):
        part = ids[start : start + 20000]
        query = select(House.id, House.township_id, House.village_id, House.owner_id).where(House.id.in_(part))
        found.update({h: (t, v, o) for h, t, v, o in conn.execute(query)})
    return found
