"""危房 demo data: ~48,000 rural houses per scale unit with screenings, plus the seed's appraisals, batch, cases.

Bulk rows go in with Core executemany (ids generated here, one transaction per table chunk); the FTS5 index
is filled by the house triggers. At scale 1 the figures of the 2021 H1 summary come out exactly.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass

from sqlalchemy import func, insert, select, text
from sqlalchemy.engine import Connection

from liandu_desk.domain.errors import RuleError
from liandu_desk.domain.houses import HAZARDS, House, Screening
from liandu_desk.domain.registry import Division, DivisionLevel, Person
from liandu_desk.services.demo import DemoContext
from liandu_desk.services.houses import demo_fates as F
from liandu_desk.services.houses.demo_people import PeopleFactory
from liandu_desk.services.houses.demo_records import write_records
from liandu_desk.services.houses.summary import search_text
from liandu_desk.storage.database import Database

log = logging.getLogger(__name__)
CHUNK = 25_000
RURAL_STRUCTURES = (("砖混", 38), ("砖木", 25), ("土木", 12), ("石结构", 4), ("木结构", 6), ("钢筋混凝土", 10),
                    ("混杂结构", 4), ("其他", 1))  # fmt: skip
URBAN_STRUCTURES = (("砖木", 35), ("砖混", 40), ("木结构", 15), ("钢筋混凝土", 10))
USES = (("自住", 78), ("经营", 6), ("出租", 7), ("闲置", 8), ("其他", 1))
CONCLUSIONS = (("无隐患", 78), ("一般安全隐患", 16), ("暂无结构倒塌风险", 5), ("有结构倒塌风险", 1))


@dataclass(frozen=True)
class Place:
    township_id: int
    division_id: int
    name: str


def _places(conn: Connection) -> tuple[list[Place], list[Place]]:
    query = select(Division.id, Division.parent_id, Division.name, Division.level).where(
        Division.parent_id.is_not(None)
    )
    rural, urban = [], []
    for div_id, parent, name, level in conn.execute(query):
        (urban if level == DivisionLevel.COMMUNITY else rural).append(Place(parent, div_id, name))
    if not rural or not urban:
        raise RuleError("请先生成行政村和社区（演示数据的行政区划部分）")
    return sorted(rural, key=lambda p: p.division_id), sorted(urban, key=lambda p: p.division_id)


def _roles(ctx: DemoContext, layout: F.Layout) -> list[int]:
    rural = [F.BATCH] * layout.flagged + [F.OLD] * layout.old + [F.FRESH_CD] * layout.dangerous
    rural += [F.FRESH_AB] * (layout.appraised - layout.dangerous) + [F.PLAIN] * (layout.fresh - layout.appraised)
    ctx.rng.shuffle(rural)
    urban = [F.U_RESOLVED] * layout.urban_resolved + [F.U_CPLAN] * layout.urban_c_plans
    urban += [F.U_DOPEN] * layout.urban_d_open + [F.U_OTHER] * layout.urban_other
    ctx.rng.shuffle(urban)
    return rural + urban


class _Builder:
    """Builds person, house and screening rows for one chunk of roles."""

    def __init__(self, ctx: DemoContext, layout: F.Layout, rural: list[Place], urban: list[Place], taken: set[str]):
        self.rng = ctx.rng
        self.people = PeopleFactory(ctx.rng, taken)
        self.rural, self.urban = rural, urban
        self.block_places = [p for p in urban if p.township_id == urban[0].township_id] or urban
        self.screeners = [self.people.name() for _ in range(300)]
        self.outcomes = ["out"] * layout.verified_out + ["done"] * layout.rectified
        self.outcomes += ["open"] * (layout.flagged - layout.verified_out - layout.rectified)
        ctx.rng.shuffle(self.outcomes)
        self.fates: dict[int, F.Fate] = {}
        self.urban_index = 0
        self.now = dt.datetime.now(dt.UTC)
        self.stamp = {"version": 1, "created_at": self.now, "updated_at": self.now}
        self._structures = ([s for s, _ in RURAL_STRUCTURES], [w for _, w in RURAL_STRUCTURES])
        self._ustructures = ([s for s, _ in URBAN_STRUCTURES], [w for _, w in URBAN_STRUCTURES])

    def _fate(self, role: int, house_id: int, screened: dt.date | None) -> F.Fate | None:
        if role == F.BATCH:
            fate = F.batch_fate(self.rng, self.outcomes.pop())
        elif role in (F.FRESH_AB, F.FRESH_CD):
            fate = F.fresh_fate(self.rng, role, screened + dt.timedelta(days=self.rng.randint(7, 35)))
        elif role >= F.U_RESOLVED:
            fate = F.urban_fate(self.rng, role, self.urban_index)
            self.urban_index += 1
        else:
            return None
        self.fates[house_id] = fate
        return fate

    def _screen_day(self, role: int) -> dt.date | None:
        rng = self.rng
        if role in (F.FRESH_AB, F.FRESH_CD):
            return dt.date(2021, 1, 4) + dt.timedelta(days=rng.randint(0, 140))
        if role == F.PLAIN:
            return F.day_between(rng, F.H1_START, F.H1_END)
        if role == F.BATCH:
            return F.day_between(rng, dt.date(2020, 1, 6), dt.date(2020, 2, 28))
        if role == F.OLD:
            return F.day_between(rng, dt.date(2020, 7, 1), dt.date(2020, 12, 31))
        return None

    def person(self, person_id: int) -> dict:
        rng = self.rng
        row = {"id": person_id, "name": self.people.name(), "id_number": self.people.id_number(), **self.stamp}
        row["phone"] = self.people.phone() if rng.random() < 0.85 else None
        return row

    def house(self, house_id: int, role: int, owner: dict) -> tuple[dict, dict | None]:
        rng = self.rng
        urban = role >= F.U_RESOLVED
        screened = self._screen_day(role)
        fate = self._fate(role, house_id, screened)
        block = fate.block if fate else None
        place = rng.choice(self.block_places if block else (self.urban if urban else self.rural))
        if urban:
            address = self.people.urban_address(block)
            structure = rng.choices(*self._ustructures)[0]
            floors, year = rng.randint(2, 6), rng.randint(1930, 1995)
        else:
            address = self.people.rural_address(place.name)
            structure = rng.choices(*self._structures)[0]
            floors, year = rng.choices((1, 2, 3, 4), (25, 45, 25, 5))[0], rng.randint(1955, 2019)
        building = f"{address}楼" if urban else None
        row = {
            "id": house_id, "kind": "城镇" if urban else "农村", "township_id": place.township_id,
            "village_id": place.division_id, "address": address, "owner_id": owner["id"], "structure": structure,
            "floors": floors, "build_year": year, "area": round(rng.uniform(45, 260) * (floors if urban else 1), 1),
            "use": rng.choices(*zip(*USES, strict=True))[0], "self_built": not urban or rng.random() < 0.2,
            "longitude": None, "latitude": None, "building_name": building, "building_no": "1幢" if urban else None,
            "unit_no": None, "block": block, "note": None, "owner_name": owner["name"],
            "search_text": search_text(owner["name"], owner["id_number"], address, building),
            "latest_grade": fate.latest_grade if fate else None,
            "case_status": fate.case.status if fate and fate.case else None,
            "case_deadline": fate.case.deadline if fate and fate.case else None, **self.stamp,
        }  # fmt: skip
        if rng.random() < 0.7:
            row["longitude"] = round(119.78 + rng.random() * 0.3, 6)
            row["latitude"] = round(28.25 + rng.random() * 0.3, 6)
        return row, (self.screening(house_id, screened) if screened else None)

    def screening(self, house_id: int, day: dt.date) -> dict:
        rng = self.rng
        conclusion = rng.choices(*zip(*CONCLUSIONS, strict=True))[0]
        hazards = [] if conclusion == "无隐患" else rng.sample(HAZARDS[:-1], rng.randint(1, 3))
        return {
            "house_id": house_id, "screened_on": day, "screener": rng.choice(self.screeners),
            "conclusion": conclusion, "hazards": hazards, "note": None, **self.stamp,
        }  # fmt: skip


def _next_id(conn: Connection, column) -> int:
    return (conn.scalar(select(func.max(column))) or 0) + 1


def _bulk(db: Database, ctx: DemoContext, roles: list[int], builder: _Builder) -> None:
    with db.engine.connect() as conn:
        person_base, house_base = _next_id(conn, Person.id), _next_id(conn, House.id)
    for start in range(0, len(roles), CHUNK):
        people, houses, screenings = [], [], []
        for offset, role in enumerate(roles[start : start + CHUNK], start):
            owner = builder.person(person_base + offset)
            house, screening = builder.house(house_base + offset, role, owner)
            people.append(owner)
            houses.append(house)
            if screening:
                screenings.append(screening)
        with db.engine.begin() as conn:
            conn.execute(insert(Person.__table__), people)
        with db.engine.begin() as conn:
            conn.execute(insert(House.__table__), houses)
        with db.engine.begin() as conn:
            conn.execute(insert(Screening.__table__), screenings)
        ctx.progress(f"危房：已生成{start + len(houses)}户房屋", 0.8 * (start + len(houses)) / len(roles))


def generate(db: Database, ctx: DemoContext) -> None:
    """Fill the 危房 module; refuses when houses are already on file."""
    began = time.perf_counter()
    layout = F.Layout.for_scale(ctx.scaled)
    with db.engine.connect() as conn:
        if conn.scalar(select(func.count()).select_from(House.__table__)):
            raise RuleError("数据库中已有房屋数据，危房演示数据未生成")
        rural, urban = _places(conn)
        taken = set(conn.scalars(select(Person.id_number).where(Person.id_number.is_not(None))))
    builder = _Builder(ctx, layout, rural, urban, taken)
    _bulk(db, ctx, _roles(ctx, layout), builder)
    write_records(db, ctx, layout, builder.fates, builder.people)
    if db.is_sqlite:
        with db.engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    log.info("houses demo at scale %s written in %.1f s", ctx.scale, time.perf_counter() - began)
