"""The half-year work summary from the demo data: every figure of the stats service, in the seed's order."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from documents_factories import font_embedding, pdf_reader, pdf_text

from liandu_desk.demo import generate_demo
from liandu_desk.reports.engine import render_parts
from liandu_desk.reports.summary import summary_parts
from liandu_desk.services.documents.summary_data import check_totals, summary_facts
from liandu_desk.services.periods import Period
from liandu_desk.services.stats import collect_stats
from liandu_desk.storage import Database

H1 = Period(dt.date(2021, 1, 1), dt.date(2021, 6, 30))


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory, template_db: Path) -> Database:
    """The default demo data set (scale 1: the 2021 H1 seed figures), built once for this module."""
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    shutil.copyfile(template_db, path)
    db = Database(f"sqlite:///{path}")
    generate_demo(db, scale=1.0, seed=2021)
    yield db
    db.dispose()


@pytest.fixture(scope="module")
def summary(demo_db: Database):
    with demo_db.session_scope() as session:
        facts = summary_facts(session, H1, dt.date(2021, 7, 10))
        figures = collect_stats(session, H1)
    data = render_parts(summary_parts(facts))
    text = "".join(pdf_text(data).split())
    return facts, figures, data, re.sub(r"—\d+—", "", text)  # a sentence may run across a page's number


def test_figures_are_the_stats_service_and_tables_add_up(summary) -> None:
    facts, figures, _, _ = summary
    assert facts.figures == figures
    assert check_totals(facts) == []
    assert set(facts.tables) == {"houses", "elevators", "communities"}


def test_summary_states_the_seed_figures(summary) -> None:
    _, figures, _, text = summary
    h, e, c = figures["houses"], figures["elevators"], figures["communities"]
    batch = h["batches"]["2021省委巡视"]
    expected = [
        f"排查录入{h['rural_screened']}户",
        f"完成鉴定{h['rural_appraised']}户",
        f"鉴定出危房{h['rural_dangerous']}户",
        f"交办的{batch['flagged']}户",
        f"完成整治{batch['rectified']}户",
        f"核实后{batch['rate_denominator']}户为分母",
        f"完成{h['urban_d_resolved']}幢城镇D级危房解危",
        f"{h['urban_c_plans']}幢城镇C级危房",
        f"新增{e['accepted']}台电梯",
        f"调解{e['mediations']}次",
        f"{c['grid_staff']}名网格员",
        f"{c['closed_managed']}个封闭式物管小区",
        f"督促整改问题{c['issues_rectified']}个",
        f"红榜小区{c['red_list']}个",
        f"黑榜小区{c['black_list']}个",
        f"五星级小区{c['stars']['5']}个",
        f"四星级小区{c['stars']['4']}个",
    ]
    for phrase in expected:
        assert phrase in text, phrase
    # The seed's own numbers (domain.md §6), reproduced by the demo data and stated by the report.
    for seed in (
        "48025户",
        "2257户",
        "380户",
        "1933户",
        "1857户",
        "99.1%",
        "20幢",
        "15幢",
        "32台",
        "60名",
        "93个",
        "557个",
        "红榜小区9个",
        "黑榜小区7个",
        "五星级小区2个",
        "四星级小区3个",
    ):
        assert seed in text, seed


def test_sections_follow_the_seed_order_and_tables_are_printed(summary) -> None:
    facts, _, data, text = summary
    order = [
        text.index(s)
        for s in (
            "莲都区建设局2021年上半年工作总结",
            "物业行业监管",
            "危房治理改造",
            "电梯加装",
            "下半年工作打算",
            "2021年7月10日",
        )
    ]
    assert order == sorted(order)
    houses = facts.tables["houses"]
    assert "农村房屋排查鉴定分乡镇（街道）情况" in text
    busiest = max(houses.rows, key=lambda r: r[1][0])
    assert busiest[0] in text and str(busiest[1][0]) in text
    reader = pdf_reader(data)
    assert len(reader.pages) >= 3
    fonts = font_embedding(data)
    assert fonts and all(fonts.values()), fonts  # charts and tables too: no unembedded Helvetica
    assert "— 1 —" in pdf_text(data)
