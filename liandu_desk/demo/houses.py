"""危房 demo data: ~48,000 rural houses per scale unit with screenings, plus the seed's appraisals, batch, cases.

Bulk rows go in with Core executemany (ids generated here, one transaction per table chunk); the FTS5 index
is filled by the house triggers. At scale 1 the figures of the 2021 H1 summary come out exactly.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import operator
import time
from dataclasses import dataclass

from sqlalchemy import JSON, Column, Date, DateTime, MetaData, Table, func, insert, select
from sqlalchemy.engine import Connection

from liandu_desk.demo import DemoContext
from liandu_desk.demo import house_fates as F
from liandu_desk.demo.house_people import PeopleFactory, pick, weighted
from liandu_desk.demo.house_records import write_records
from liandu_desk.domain.errors import RuleError
from liandu_desk.domain.houses import HAZARDS, House, Screening
from liandu_desk.domain.registry import Division, DivisionLevel, Person
from liandu_desk.services.houses import search_index
from liandu_desk.storage.database import Database

log = logging.getLogger(__name__)
CHUNK = 50_000
ANALYZED = ("house", "house_appraisal", "house_case", "house_batch_member", "division")
SERVER_FILLED = ("created_at", "updated_at", "version")
BULK_CACHE_KIB = 256 * 1024  # page cache while loading: random-order index inserts stay in memory
RURAL_STRUCTURES = (
    ("砖混", 38),
    ("砖木", 25),
    ("土木", 12),
    ("石结构", 4),
    ("木结构", 6),
    ("钢筋混凝土", 10),
    ("混杂结构", 4),
    ("其他", 1),
)
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


def _days(start: dt.date, end: dt.date) -> tuple[dt.date, ...]:
    return tuple(start + dt.timedelta(days=n) for n in range((end - start).days + 1))


SCREEN_DAYS = {
    F.PLAIN: _days(F.H1_START, F.H1_END),
    F.FRESH_AB: _days(dt.date(2021, 1, 4), dt.date(2021, 5, 24)),
    F.FRESH_CD: _days(dt.date(2021, 1, 4), dt.date(2021, 5, 24)),
    F.BATCH: _days(dt.date(2020, 1, 6), dt.date(2020, 2, 28)),
    F.OLD: _days(dt.date(2020, 7, 1), dt.date(2020, 12, 31)),
}


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
        self.structures, self.urban_structures = weighted(RURAL_STRUCTURES), weighted(URBAN_STRUCTURES)
        self.uses, self.conclusions = weighted(USES), weighted(CONCLUSIONS)
        self.floors = weighted(((1, 25), (2, 45), (3, 25), (4, 5)))

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

    def person(self, person_id: int) -> dict:
        people = self.people
        phone = people.phone() if self.rng.random() < 0.85 else None
        return {
            "id": person_id,
            "name": people.name(),
            "id_number": people.id_number(),
            "phone": phone,
            "address": None,
            "note": None,
        }

    def _shape(self, urban: bool, block: str | None, place: Place) -> tuple[str, str, int, int]:
        rng = self.rng
        if urban:
            address = self.people.urban_address(block)
            return address, pick(rng, self.urban_structures), 2 + int(rng.random() * 5), 1930 + int(rng.random() * 66)
        address = self.people.rural_address(place.name)
        return address, pick(rng, self.structures), pick(rng, self.floors), 1955 + int(rng.random() * 65)

    def house(self, house_id: int, role: int, owner: dict) -> tuple[dict, dict | None]:
        rng = self.rng
        urban = role >= F.U_RESOLVED
        days = SCREEN_DAYS.get(role)
        screened = pick(rng, days) if days else None
        fate = self._fate(role, house_id, screened) if role != F.PLAIN else None
        block = fate.block if fate else None
        place = pick(rng, self.block_places if block else (self.urban if urban else self.rural))
        address, structure, floors, year = self._shape(urban, block, place)
        building = f"{address}楼" if urban else None
        case = fate.case if fate else None
        located = rng.random() < 0.7
        row = {
            "id": house_id,
            "kind": "城镇" if urban else "农村",
            "township_id": place.township_id,
            "village_id": place.division_id,
            "address": address,
            "owner_id": owner["id"],
            "structure": structure,
            "floors": floors,
            "build_year": year,
            "area": round((45 + rng.random() * 215) * (floors if urban else 1), 1),
            "use": pick(rng, self.uses),
            "self_built": not urban or rng.random() < 0.2,
            "longitude": round(119.78 + rng.random() * 0.3, 6) if located else None,
            "latitude": round(28.25 + rng.random() * 0.3, 6) if located else None,
            "building_name": building,
            "building_no": "1幢" if urban else None,
            "unit_no": None,
            "block": block,
            "note": None,
            "owner_name": owner["name"],
            "search_text": f"{owner['name']} {address} {building}" if building else f"{owner['name']} {address}",
            "latest_grade": fate.latest_grade if fate else None,
            "case_status": case.status if case else None,
            "case_deadline": case.deadline if case else None,
        }
        return row, (self.screening(house_id, screened) if screened else None)

    def screening(self, house_id: int, day: dt.date) -> dict:
        rng = self.rng
        conclusion = pick(rng, self.conclusions)
        hazards = [] if conclusion == "无隐患" else rng.sample(HAZARDS[:-1], 1 + int(rng.random() * 3))
        return {
            "house_id": house_id,
            "screened_on": day,
            "screener": pick(rng, self.screeners),
            "conclusion": conclusion,
            "hazards": hazards,
            "note": None,
        }


def lean_table(table: Table, keys: set[str]) -> Table:
    """The table with only the columns the rows carry: the others (timestamps, version, a generated id)
    take their server defaults."""
    columns = [Column(c.name, c.type) for c in table.c if c.name in keys and c.name not in SERVER_FILLED]
    return Table(table.name, MetaData(), *columns)


def bulk_insert(conn: Connection, table: Table, rows: list[dict]) -> None:
    """INSERT compiled by Core for this dialect, run as one DBAPI executemany.

    Per-row bind processing in SQLAlchemy costs more than SQLite's own work at this volume, so the few
    conversions the driver cannot do (JSON, and dates on SQLite, stored as ISO text like SQLAlchemy does)
    are applied here; timestamps and versions come from the server defaults.
    """
    if not rows:
        return
    compiled = insert(lean_table(table, set(rows[0]))).compile(dialect=conn.dialect)
    sqlite = conn.dialect.name == "sqlite"
    convert = {}
    for column in table.c:
        if isinstance(column.type, JSON):
            convert[column.name] = json.dumps
        elif sqlite and isinstance(column.type, Date | DateTime):
            convert[column.name] = _iso
    if convert:
        for row in rows:
            for name, func_ in convert.items():
                if name in row:
                    row[name] = func_(row[name])
    if compiled.positional:
        missing = {name: None for name in compiled.positiontup if name not in rows[0]}
        pick_values = operator.itemgetter(*compiled.positiontup)
        params: list = [pick_values({**row, **missing} if missing else row) for row in rows]
    else:
        params = [{name: row.get(name) for name in compiled.params} for row in rows]
    conn.exec_driver_sql(str(compiled), params)


def _iso(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()


def _next_id(conn: Connection, column) -> int:
    return (conn.scalar(select(func.max(column))) or 0) + 1


def _chunk_rows(builder: _Builder, roles: list[int], start: int, bases: tuple[int, int]):
    people, houses, screenings = [], [], []
    for offset, role in enumerate(roles[start : start + CHUNK], start):
        owner = builder.person(bases[0] + offset)
        house, screening = builder.house(bases[1] + offset, role, owner)
        people.append(owner)
        houses.append(house)
        if screening:
            screenings.append(screening)
    return people, houses, screenings


def _pragmas(conn: Connection, *statements: str) -> None:
    """SQLite pragmas that may not run inside a transaction, sent straight to the driver connection."""
    raw = conn.connection.driver_connection
    for statement in statements:
        raw.execute(statement)


def _bulk(db: Database, ctx: DemoContext, roles: list[int], builder: _Builder) -> None:
    """Persons, houses and screenings in chunks on one tuned connection, all in ONE transaction.

    The secondary indexes and the search triggers are dropped for the load and re-created before the commit, so a
    crash (even kill -9) at any moment leaves either the old database or the new one, never a schema without them.
    """
    with db.engine.connect() as conn:
        bases = (_next_id(conn, Person.id), _next_id(conn, House.id))
        fts = search_index.has_search_index(conn)
        conn.commit()
        if db.is_sqlite:
            _pragmas(conn, f"PRAGMA cache_size = -{BULK_CACHE_KIB}", "PRAGMA foreign_keys = OFF")
        try:
            _load_in_one_transaction(conn, ctx, roles, builder, bases, fts)
        finally:
            if db.is_sqlite:
                _pragmas(conn, "PRAGMA cache_size = -2000", "PRAGMA foreign_keys = ON")


def _load_in_one_transaction(
    conn: Connection, ctx: DemoContext, roles: list[int], builder: _Builder, bases: tuple[int, int], fts: bool
) -> None:
    tables = [m.__table__ for m in (Person, House, Screening)]
    indexes = [index for table in tables for index in table.indexes if index.name]
    with conn.begin():
        if fts:
            search_index.pause_triggers(conn)
        for index in indexes:  # building an index once after the load beats updating it row by row
            index.drop(conn)
        for start in range(0, len(roles), CHUNK):
            people, houses, screenings = _chunk_rows(builder, roles, start, bases)
            for table, rows in zip(tables, (people, houses, screenings), strict=True):
                bulk_insert(conn, table, rows)
            done = start + len(houses)
            ctx.progress(f"危房：已生成{done}户房屋", 0.8 * done / len(roles))
        for index in indexes:
            index.create(conn)
        if fts:
            search_index.rebuild(conn)


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
            for table in ANALYZED:  # statistics for the planner (full, not sampled: the grade column is skewed)
                conn.exec_driver_sql(f"ANALYZE {table}")
    log.info("houses demo at scale %s written in %.1f s", ctx.scale, time.perf_counter() - began)
