"""Demo at scale 1 → `liandu-desk stats --json` gives the seed's house figures (formats/stats.md)."""

from __future__ import annotations

import datetime as dt
import json
import random
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from liandu_desk.cli import main
from liandu_desk.demo import DemoContext, seed_divisions
from liandu_desk.demo import houses as demo
from liandu_desk.domain.houses import House
from liandu_desk.domain.registry import Person
from liandu_desk.domain.validators import normalize_id_number
from liandu_desk.services.houses import listing, overdue, summary
from liandu_desk.services.houses.stats import section
from liandu_desk.services.periods import Period
from liandu_desk.storage import Database

H1 = Period(dt.date(2021, 1, 1), dt.date(2021, 6, 30))


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory, template_db: Path) -> Path:
    """The houses demo at scale 1, generated once for this module."""
    path = tmp_path_factory.mktemp("houses-demo") / "demo.sqlite3"
    shutil.copyfile(template_db, path)
    db = Database(f"sqlite:///{path}")
    ctx = DemoContext(random.Random(2021), 1.0, 2021)
    with db.session_scope() as session:
        seed_divisions(session, ctx)
    demo.generate(db, ctx)
    db.dispose()
    return path


def test_cli_stats_give_the_seed_figures(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--db", str(demo_db), "--from", "2021-01-01", "--to", "2021-06-30", "--json"]) == 0
    houses = json.loads(capsys.readouterr().out)["houses"]
    assert (houses["rural_screened"], houses["rural_appraised"], houses["rural_dangerous"]) == (48025, 2257, 380)
    assert houses["grades"]["C"] + houses["grades"]["D"] == 380 and sum(houses["grades"].values()) == 2257
    batch = houses["batches"]["2021省委巡视"]
    assert (batch["flagged"], batch["rectified"], batch["verified_out"]) == (1933, 1857, 59)
    assert batch["rate_denominator"] == 1874 and batch["remaining"] == 17
    assert isinstance(batch["rate"], float) and round(batch["rate"], 3) == 0.991
    assert (houses["urban_d_resolved"], houses["urban_c_plans"]) == (20, 15)


def test_other_periods_count_only_their_events(demo_db: Path) -> None:
    db = Database(f"sqlite:///{demo_db}")
    with db.session_scope() as session:
        q1 = section(session, Period(dt.date(2021, 1, 1), dt.date(2021, 3, 31)))
        year_before = section(session, Period(dt.date(2020, 1, 1), dt.date(2020, 12, 31)))
    db.dispose()
    assert 0 < q1["rural_screened"] < 48025 and q1["batches"]["2021省委巡视"]["rectified"] < 1857
    assert year_before["rural_screened"] == 1933 + 1200 and year_before["urban_d_resolved"] == 0


def test_demo_data_is_realistic_and_searchable(demo_db: Path) -> None:
    db = Database(f"sqlite:///{demo_db}")
    with db.session_scope() as session:
        numbers = session.scalars(select(Person.id_number).limit(500)).all()
        assert all(normalize_id_number(n) == n and n.startswith("331102") for n in numbers)
        name = session.scalar(select(House.owner_name).where(func.length(House.owner_name) == 2).limit(1))
        hits = listing.count_houses(session, listing.HouseFilter(search=name))
        assert hits == session.scalar(select(func.count()).where(House.search_text.contains(name)))
        assert overdue.count_overdue(session, today=dt.date(2021, 10, 8)) > 0
        sample = session.execute(
            select(House.owner_name, House.address, House.building_name, House.search_text).where(House.id % 997 == 0)
        ).all()
        assert sample and all(summary.search_text(n, None, a, b) == t for n, a, b, t in sample)
        blocks = set(session.scalars(select(House.block).where(House.block.is_not(None))))
        assert blocks == {"高井弄", "酱园弄", "刘祠堂背", "海潮河区块"}
    db.dispose()


def test_cli_batches_explain_the_rate(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["houses", "batches", "--db", str(demo_db), "--as-of", "2021-06-30"]) == 0
    out = capsys.readouterr().out
    assert "交办1933户，核实排除59户" in out and "完成率99.1%（1857/1874），剩余17户" in out
    assert main(["houses", "search", "梅田", "--db", str(demo_db), "--limit", "2"]) == 0
    assert capsys.readouterr().out.startswith("共")


@pytest.mark.parametrize("scale", [0.0005, 0.002])
def test_tiny_scales_stay_consistent(db, scale: float) -> None:
    ctx = DemoContext(random.Random(7), scale, 7)
    with db.session_scope() as session:
        seed_divisions(session, ctx)
    demo.generate(db, ctx)
    with db.session_scope() as session:
        figures = section(session, H1)
    for batch in figures["batches"].values():
        assert batch["remaining"] >= 0 and batch["rate_denominator"] == batch["flagged"] - batch["verified_out"]
    assert figures["rural_screened"] == ctx.scaled(48025)
