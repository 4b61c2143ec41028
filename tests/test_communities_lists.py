"""Red/black lists from declared rules (boundary at exactly 90), star thresholds, leaderboard, company evaluation."""

from __future__ import annotations

import datetime as dt

import pytest
from communities_factories import inspect, make_community, make_company

from liandu_desk.domain.errors import RuleError, ValidationError
from liandu_desk.services.communities import evaluations, lists, ratings
from liandu_desk.services.communities.ratings import PeriodScore, StarRuleRow, stars_for
from liandu_desk.services.periods import half_year

H1 = half_year(2021, 1)
H2_2020 = half_year(2020, 2)


@pytest.fixture
def scored(db):
    """Communities with period averages right at and around the rule boundaries."""
    with db.session_scope() as s:
        ids = {name: make_community(s, name) for name in ("恰好九十", "差一点", "否决", "连续不合格", "两轮不合格")}
        inspect(s, ids["恰好九十"], dt.date(2021, 2, 1), 88.0)
        inspect(s, ids["恰好九十"], dt.date(2021, 5, 1), 92.0)  # average exactly 90.0
        inspect(s, ids["差一点"], dt.date(2021, 2, 1), 89.5)
        inspect(s, ids["差一点"], dt.date(2021, 5, 1), 90.0)  # average 89.75
        inspect(s, ids["否决"], dt.date(2021, 2, 1), 98.0)
        inspect(s, ids["否决"], dt.date(2021, 5, 1), 97.0, veto=True)
        inspect(s, ids["连续不合格"], dt.date(2020, 10, 1), 55.0)
        inspect(s, ids["连续不合格"], dt.date(2021, 2, 1), 58.0)
        inspect(s, ids["连续不合格"], dt.date(2021, 5, 1), 59.5)
        inspect(s, ids["两轮不合格"], dt.date(2020, 10, 1), 75.0)
        inspect(s, ids["两轮不合格"], dt.date(2021, 2, 1), 50.0)
        inspect(s, ids["两轮不合格"], dt.date(2021, 5, 1), 40.0)
    return ids


def _names(view, kind):
    return sorted(e.name for e in view.active(kind))


def test_lists_generated_by_the_rules(db, scored):
    with db.session_scope() as s:
        lists.generate_publication(s, "小区", H1, today=dt.date(2021, 7, 1))
        view = lists.publication_view(s, "小区", H1)
    assert _names(view, "红榜") == ["恰好九十"]  # ≥ 90 includes exactly 90; 89.75 and the vetoed 97.5 do not
    assert _names(view, "黑榜") == ["否决", "连续不合格"]
    red = view.active("红榜")[0]
    assert "90" in red.reason and "2021-02-01" in red.evidence and "2021-05-01" in red.evidence
    black = {e.name: e for e in view.active("黑榜")}
    assert "一票否决" in black["否决"].reason and "消防通道堵塞" in black["否决"].evidence
    assert "连续3轮" in black["连续不合格"].reason and "2020-10-01 55分" in black["连续不合格"].evidence


def test_rule_threshold_is_data(db, scored):
    with db.session_scope() as s:
        red_rule = next(r for r in lists.list_rules(s, "小区") if r.list_kind == "红榜")
        lists.save_rule(s, red_rule.id, 89.75, None, True)
        lists.generate_publication(s, "小区", H1)
        view = lists.publication_view(s, "小区", H1)
    assert _names(view, "红榜") == ["差一点", "恰好九十"]


def test_manual_changes_need_a_reason_and_publication_freezes(db, scored):
    with db.session_scope() as s:
        pub = lists.generate_publication(s, "小区", H1)
        with pytest.raises(ValidationError, match="理由"):
            lists.add_manual_entry(s, pub, "红榜", scored["差一点"], "  ")
        lists.add_manual_entry(s, pub, "红榜", scored["差一点"], "群众满意度测评第一，经局务会研究")
        entry = lists.publication_view(s, "小区", H1).active("黑榜")[0]
        with pytest.raises(ValidationError):
            lists.remove_entry(s, entry.id, "")
        lists.remove_entry(s, entry.id, "复核发现检查记录有误")
        lists.generate_publication(s, "小区", H1)  # regeneration keeps manual changes
        view = lists.publication_view(s, "小区", H1)
        assert _names(view, "红榜") == ["差一点", "恰好九十"]
        assert len(view.active("黑榜")) == 1
        removed = next(e for e in view.entries if e.removed)
        assert removed.removed_reason == "复核发现检查记录有误"
        assert lists.published_count(s, "小区", "红榜", H1) == 0
        lists.publish(s, pub, "测试员", dt.date(2021, 7, 5))
        assert lists.published_count(s, "小区", "红榜", H1) == 2
        with pytest.raises(RuleError):
            lists.generate_publication(s, "小区", H1)
        with pytest.raises(RuleError):
            lists.add_manual_entry(s, pub, "黑榜", scored["差一点"], "再加一个")


@pytest.mark.parametrize(
    ("average", "count", "vetoed", "stars"),
    [
        (95.0, 2, False, 5),
        (94.99, 2, False, 4),
        (92.0, 2, False, 4),
        (91.99, 3, False, 3),
        (85.0, 2, False, 3),
        (84.99, 2, False, 0),
        (99.0, 2, True, 0),
        (99.0, 1, False, 0),
    ],
)
def test_star_thresholds(average, count, vetoed, stars):
    rules = [StarRuleRow(5, 95.0, 2), StarRuleRow(4, 92.0, 2), StarRuleRow(3, 85.0, 2)]
    assert stars_for(PeriodScore(1, average, count, vetoed), rules)[0] == stars


def test_star_rules_are_data_and_ratings_are_stored_per_period(db, scored):
    with db.session_scope() as s:
        counts = ratings.rate_period(s, H1)
        assert counts == {3: 2, 0: 3}  # 90 and 89.75 reach 3 stars (≥85); veto, failing rounds do not
    with db.session_scope() as s:
        current = ratings.current_stars(s, H1.end)
        assert current[scored["恰好九十"]] == 3 and current[scored["否决"]] == 0
        ratings.save_star_rules(s, [StarRuleRow(5, 95.0, 2), StarRuleRow(4, 90.0, 2), StarRuleRow(3, 80.0, 2)])
        ratings.rate_period(s, H1)
        assert ratings.current_stars(s, H1.end)[scored["恰好九十"]] == 4
        with pytest.raises(ValidationError):
            ratings.save_star_rules(s, [StarRuleRow(5, 80.0, 2), StarRuleRow(4, 90.0, 2)])
        history = ratings.star_history(s, scored["恰好九十"])
        assert [(p.period_end, p.stars) for p in history] == [(H1.end, 4)]


def test_leaderboard_movement_since_previous_period(db):
    with db.session_scope() as s:
        a, b, c = (make_community(s, n, type_="智慧管理型") for n in ("甲小区", "乙小区", "丙小区"))
        d = make_community(s, "丁小区", type_="基础提升型")
        for cid, before, now in ((a, 95, 80), (b, 90, 96), (c, 85, 85)):
            inspect(s, cid, dt.date(2020, 11, 1), before)
            inspect(s, cid, dt.date(2021, 4, 1), now)
        inspect(s, d, dt.date(2021, 4, 1), 99)
        board = ratings.leaderboard(s, H1, previous=H2_2020)
        smart = ratings.leaderboard(s, H1, type_="智慧管理型", previous=H2_2020)
    assert [(r.community, r.rank, r.previous_rank, r.movement) for r in board] == [
        ("丁小区", 1, None, None),
        ("乙小区", 2, 2, 0),
        ("丙小区", 3, 3, 0),
        ("甲小区", 4, 1, -3),
    ]
    assert [(r.community, r.rank, r.movement) for r in smart] == [("乙小区", 1, 1), ("丙小区", 2, 1), ("甲小区", 3, -2)]


def test_company_weighted_evaluation_and_company_lists(db):
    with db.session_scope() as s:
        good = make_company(s, "甲物业", 1)
        bad = make_company(s, "乙物业", 2)
        for party, score in (("业委会", 80), ("居委会", 90), ("物业协会", 70), ("主管部门", 100)):
            evaluations.record_evaluation(s, good, H1, party, score)
        for party, score in (("业委会", 50), ("居委会", 60), ("物业协会", 55), ("主管部门", 58)):
            evaluations.record_evaluation(s, bad, H1, party, score)
        rows = {r.name: r for r in evaluations.company_scores(s, H1)}
        # By hand with the default weights .25/.25/.2/.3: 20 + 22.5 + 14 + 30 = 86.5
        assert rows["甲物业"].weighted == 86.5 and rows["甲物业"].complete
        assert rows["乙物业"].weighted == pytest.approx(0.25 * 50 + 0.25 * 60 + 0.2 * 55 + 0.3 * 58)
        with pytest.raises(ValidationError, match="权重合计"):
            evaluations.save_weights(s, {"业委会": 0.5, "居委会": 0.5, "物业协会": 0.5, "主管部门": 0})
        evaluations.save_weights(s, {"业委会": 0.1, "居委会": 0.1, "物业协会": 0.1, "主管部门": 0.7})
        assert {r.name: r.weighted for r in evaluations.company_scores(s, H1)}["甲物业"] == 94.0
        lists.generate_publication(s, "物业企业", H1)
        view = lists.publication_view(s, "物业企业", H1)
    assert _names(view, "红榜") == ["甲物业"]
    assert _names(view, "黑榜") == ["乙物业"]
    assert "综合评价94" in view.active("红榜")[0].reason
