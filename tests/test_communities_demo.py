"""The demo data set reproduces the seed's 2021 H1 community figures through the stats section."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import func, select

from liandu_desk.demo import DemoContext, seed_divisions
from liandu_desk.demo import communities as demo
from liandu_desk.domain.communities import PropertyCompany
from liandu_desk.domain.community_lists import ListEntry
from liandu_desk.domain.errors import RuleError
from liandu_desk.domain.validators import normalize_uscc
from liandu_desk.services.communities import lists, ratings, stats
from liandu_desk.services.periods import half_year

H1 = half_year(2021, 1)


@pytest.fixture
def demo_db(db):
    ctx = DemoContext(random.Random(2021), 1.0, 2021)
    with db.session_scope() as session:
        seed_divisions(session, ctx)
    demo.generate(db, ctx)
    return db


def test_demo_reproduces_the_seed_figures(demo_db):
    with demo_db.session_scope() as s:
        figures = stats.section(s, H1)
    keys = ["closed_managed", "grid_staff", "issues_found", "issues_rectified", "red_list", "black_list", "stars"]
    assert list(figures) == keys
    assert figures["closed_managed"] == 93
    assert figures["grid_staff"] == 60
    assert figures["issues_rectified"] == 557
    assert 557 < figures["issues_found"] < 800
    assert (figures["red_list"], figures["black_list"]) == (9, 7)
    assert figures["stars"]["5"] == 2 and figures["stars"]["4"] == 3 and figures["stars"]["3"] > 0


def test_demo_lists_come_from_the_rules_and_companies_are_valid(demo_db):
    with demo_db.session_scope() as s:
        assert s.scalar(select(func.count()).select_from(ListEntry).where(ListEntry.manual.is_(True))) == 0
        view = lists.publication_view(s, "小区", H1)
        assert view.status == "已发布"
        reasons = " ".join(e.reason for e in view.active("黑榜"))
        assert "一票否决" in reasons and "连续3轮" in reasons
        for uscc in s.scalars(select(PropertyCompany.uscc)):
            assert normalize_uscc(uscc) == uscc
        company_view = lists.publication_view(s, "物业企业", H1)
        assert len(company_view.active("红榜")) == 2 and len(company_view.active("黑榜")) == 1
        board = ratings.leaderboard(s, H1)
        assert board[0].rank == 1 and board[0].stars == 5
        assert any(r.movement not in (None, 0) for r in board)
        types = {r.type for r in board}
        assert types == {"智慧管理型", "融合管理型", "基础提升型"}


def test_demo_refuses_a_second_run(demo_db):
    with pytest.raises(RuleError):
        demo.generate(demo_db, DemoContext(random.Random(1), 1.0, 1))


@pytest.mark.sqlite_only
def test_star_count_query_uses_the_latest_rating_index(demo_db):
    from sqlalchemy import text

    query = stats.star_counts_query(H1).compile(demo_db.engine, compile_kwargs={"literal_binds": True})
    with demo_db.session_scope() as s:
        plan = " ".join(str(row[-1]) for row in s.execute(text(f"EXPLAIN QUERY PLAN {query}")))
    assert "ix_cm_star_rating_community_end (community_id=? AND period_end=?)" in plan
