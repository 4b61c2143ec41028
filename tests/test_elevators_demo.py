"""Demo data reproduces the 2021 H1 elevator figures, read back through the stats section."""

import datetime as dt
import random
from fractions import Fraction

from liandu_desk.demo import DemoContext, seed_divisions
from liandu_desk.demo.elevators import generate
from liandu_desk.plugins import module_by_title
from liandu_desk.services.elevators import disputes, households, projects
from liandu_desk.services.periods import Period, half_year


def _demo(db, scale: float = 1.0) -> None:
    ctx = DemoContext(random.Random(2021), scale, 2021)
    with db.session_scope() as session:
        seed_divisions(session, ctx)
    generate(db, ctx)


def test_demo_reproduces_the_h1_figures(db) -> None:
    _demo(db)
    section = module_by_title("elevators").figures
    with db.session_scope() as s:
        figures = section(s, half_year(2021, 1))
        year_before = section(s, Period(dt.date(2020, 1, 1), dt.date(2020, 12, 31)))
    assert set(figures) == {"accepted", "mediations", "by_stage"}
    assert figures["accepted"] == 32
    assert figures["mediations"] == 12
    started = sum(figures["by_stage"].values())
    assert 60 < started < 113  # projects begun after 30 June 2021 are not in the stock yet
    assert figures["by_stage"]["施工"] >= 1
    assert year_before["accepted"] > 0 and year_before["accepted"] != 32


def test_wanghu_dispute_resolved_by_mediation_and_now_under_construction(db) -> None:
    _demo(db)
    with db.session_scope() as s:
        row = next(r for r in projects.list_projects(s) if r.title == "望湖公寓1幢2单元")
        dispute = disputes.list_disputes(s, row.id)[0]
        tally = households.project_tally(s, row.id)
        history = households.vote_history(s, row.id)
    assert row.stage == "施工" and row.open_disputes == 0
    assert dispute.type == "方案变更" and dispute.status == "已化解" and dispute.level == "街道"
    assert len(dispute.sessions) == 4 and all(m.held_on.year == 2021 for m in dispute.sessions)
    changed = [e for e in history if e.mediation_id is not None]
    assert {e.room for e in changed} == {"201", "202", "301"} and all(e.new_vote == "同意" for e in changed)
    assert tally.passed


def test_demo_has_boundary_votes_and_is_skipped_when_run_twice(db) -> None:
    _demo(db)
    _demo(db)
    with db.session_scope() as s:
        rows = projects.list_projects(s, projects.ProjectFilter(stage="表决与协议"))
        tallies = [households.project_tally(s, r.id) for r in rows]
        total = len(projects.list_projects(s))
        new_id = projects.create_project(s, projects.ProjectInput("新建小区", "1", "1", 6))  # ORM after Core ids
    assert total == 113 and new_id > total
    assert any(t.passed for t in tallies) and any(not t.passed for t in tallies)
    two_thirds, three_quarters = Fraction(2, 3), Fraction(3, 4)
    exact = [t for t in tallies if t.participation_area == t.participation_persons == two_thirds]
    assert any(t.passed and t.agreement_area == t.agreement_persons == three_quarters for t in exact)
    assert any(not t.passed and t.gap_words().startswith("同意还差1户") for t in tallies)
