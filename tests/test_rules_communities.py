"""星级小区 rules at their boundaries: star thresholds, star-rule edits, ratings, leaderboard and red/black lists."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from communities_factories import inspect, make_community, make_company
from sqlalchemy import func, select

from liandu_desk.domain.community_lists import StarRating
from liandu_desk.domain.errors import ValidationError
from liandu_desk.services.communities import evaluations, ratings, rule_eval
from liandu_desk.services.communities.ratings import PeriodScore, StarRuleRow, stars_for
from liandu_desk.services.communities.templates import current_template
from liandu_desk.services.periods import Period, half_year

D = dt.date
H1 = half_year(2021, 1)
H2_2020 = half_year(2020, 2)
DEFAULT_RULES = [StarRuleRow(5, 95.0, 2), StarRuleRow(4, 92.0, 2), StarRuleRow(3, 85.0, 2)]
FIVE = "5星：期内平均分≥95分，检查≥2次，期内无一票否决"
FOUR = "4星：期内平均分≥92分，检查≥2次，期内无一票否决"
THREE = "3星：期内平均分≥85分，检查≥2次，期内无一票否决"


# --- stars for a period score -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("average", "count", "vetoed", "expected"),
    [
        (95.0, 2, False, (5, FIVE)),
        (94.99, 2, False, (4, FOUR)),
        (95.0, 1, False, (0, "未达到星级标准")),
        (92.0, 2, False, (4, FOUR)),
        (91.99, 9, False, (3, THREE)),
        (85.0, 2, False, (3, THREE)),
        (84.99, 2, False, (0, "未达到星级标准")),
        (100.0, 5, True, (0, "未达到星级标准（期内触发一票否决）")),
        (84.0, 5, True, (0, "未达到星级标准（期内触发一票否决）")),
    ],
)
def test_stars_at_their_thresholds_with_the_rule_that_gave_them(average, count, vetoed, expected) -> None:
    assert stars_for(PeriodScore(1, average, count, vetoed), DEFAULT_RULES) == expected
    assert stars_for(PeriodScore(1, average, count, vetoed), list(reversed(DEFAULT_RULES))) == expected


def test_no_inspection_no_stars() -> None:
    assert stars_for(None, DEFAULT_RULES) == (0, "期内无检查")


def test_a_rule_without_the_veto_condition_still_rates_a_vetoed_community() -> None:
    rules = [StarRuleRow(5, 95.0, 2), StarRuleRow(3, 85.5, 3, no_veto=False)]
    assert stars_for(PeriodScore(1, 99.0, 3, True), rules) == (3, "3星：期内平均分≥85.5分，检查≥3次")
    assert stars_for(PeriodScore(1, 99.0, 3, False), rules) == (5, FIVE)


def test_an_inactive_level_is_skipped() -> None:
    rules = [StarRuleRow(5, 95.0, 2, active=False), StarRuleRow(4, 92.0, 2)]
    assert stars_for(PeriodScore(1, 99.0, 3, False), rules) == (4, FOUR)


# --- editing the star thresholds ----------------------------------------------------------------------------------


def _stored_rules(db) -> list[StarRuleRow]:
    with db.session_scope() as s:
        return ratings.star_rules(s)


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ([StarRuleRow(0, 80.0, 2)], "星级：应为1至5"),
        ([StarRuleRow(6, 99.0, 2)], "星级：应为1至5"),
        ([StarRuleRow(3, -0.01, 2)], "3星 平均分：应在0至100之间"),
        ([StarRuleRow(3, 100.01, 2)], "3星 平均分：应在0至100之间"),
        ([StarRuleRow(3, 85.0, 0)], "3星 检查次数：至少1次"),
        ([StarRuleRow(5, 92.0, 2), StarRuleRow(4, 92.5, 2)], "5星 平均分：不能低于4星的92.5分"),
        ([StarRuleRow(3, 80.0, 2), StarRuleRow(5, 95.0, 2), StarRuleRow(4, 79.5, 2)], "4星 平均分：不能低于3星的80分"),
    ],
)
def test_invalid_star_rules_are_refused_and_the_old_ones_kept(db, rules, message: str) -> None:
    before = _stored_rules(db)
    assert before == sorted(DEFAULT_RULES, key=lambda r: -r.stars)
    with pytest.raises(ValidationError) as refused, db.session_scope() as s:
        ratings.save_star_rules(s, rules)
    assert str(refused.value) == message
    assert _stored_rules(db) == before


def test_star_rules_at_their_limits_are_saved_and_replace_the_old_set(db) -> None:
    given = [
        StarRuleRow(5, 100.0, 1, no_veto=False, active=False),
        StarRuleRow(2, 0.0, 1),
        StarRuleRow(1, 0.0, 1),
        StarRuleRow(4, 92.0, 3),
    ]
    with db.session_scope() as s:
        ratings.save_star_rules(s, given)
    assert _stored_rules(db) == [
        StarRuleRow(5, 100.0, 1, no_veto=False, active=False),
        StarRuleRow(4, 92.0, 3),
        StarRuleRow(2, 0.0, 1),
        StarRuleRow(1, 0.0, 1),
    ]


def test_equal_averages_on_two_levels_are_allowed(db) -> None:
    with db.session_scope() as s:
        ratings.save_star_rules(s, [StarRuleRow(4, 90.0, 3), StarRuleRow(3, 90.0, 2)])
    assert _stored_rules(db) == [StarRuleRow(4, 90.0, 3), StarRuleRow(3, 90.0, 2)]


def test_describe_uses_the_stored_thresholds() -> None:
    assert StarRuleRow(4, 92.5, 3).describe() == "4星：期内平均分≥92.5分，检查≥3次，期内无一票否决"
    assert StarRuleRow(2, 70.0, 1, no_veto=False).describe() == "2星：期内平均分≥70分，检查≥1次"


# --- rating a period ----------------------------------------------------------------------------------------------


def _ratings(db) -> list[tuple]:
    with db.session_scope() as s:
        rows = s.scalars(select(StarRating).order_by(StarRating.period_end, StarRating.community_id))
        return [
            (r.community_id, r.period_start, r.period_end, r.stars, r.average, r.inspections, r.vetoed, r.basis)
            for r in rows
        ]


def test_period_scores_count_inspections_on_both_edge_days_and_round_the_average(db) -> None:
    with db.session_scope() as s:
        a = make_community(s, "甲小区")
        inspect(s, a, D(2020, 12, 31), 10.0)  # the day before: not in H1
        inspect(s, a, H1.start, 95.0)
        inspect(s, a, D(2021, 3, 1), 95.0)
        inspect(s, a, H1.end, 96.0)
        inspect(s, a, D(2021, 7, 1), 10.0)  # the day after
        scores = ratings.period_scores(s, H1)
    assert scores == {a: PeriodScore(a, 95.33, 3, False)}


def test_rate_period_stores_each_community_and_replaces_only_that_period(db) -> None:
    with db.session_scope() as s:
        a, b, c = (make_community(s, n) for n in ("甲小区", "乙小区", "丙小区"))
        inspect(s, a, D(2021, 2, 1), 95.0)
        inspect(s, a, D(2021, 5, 1), 95.0)
        inspect(s, b, D(2021, 2, 1), 99.0)
        inspect(s, b, D(2021, 5, 1), 98.0, veto=True)
        inspect(s, c, D(2021, 2, 1), 85.0)
        inspect(s, c, D(2020, 9, 1), 85.0)
        assert ratings.rate_period(s, H2_2020) == {0: 1}
    with db.session_scope() as s:
        assert ratings.rate_period(s, H1) == {5: 1, 0: 2}
    with db.session_scope() as s:
        assert ratings.rate_period(s, H1) == {5: 1, 0: 2}  # again: replaced, not added
    assert _ratings(db) == [
        (c, H2_2020.start, H2_2020.end, 0, 85.0, 1, False, "未达到星级标准"),
        (a, H1.start, H1.end, 5, 95.0, 2, False, FIVE),
        (b, H1.start, H1.end, 0, 98.5, 2, True, "未达到星级标准（期内触发一票否决）"),
        (c, H1.start, H1.end, 0, 85.0, 1, False, "未达到星级标准"),
    ]


def test_current_stars_take_the_latest_period_ended_by_the_day(db) -> None:
    with db.session_scope() as s:
        a = make_community(s, "甲小区")
        inspect(s, a, D(2020, 8, 1), 95.0)
        inspect(s, a, D(2020, 9, 1), 95.0)
        inspect(s, a, D(2021, 2, 1), 85.0)
        inspect(s, a, D(2021, 3, 1), 85.0)
        ratings.rate_period(s, H1)  # rated out of order: the history is by period
        ratings.rate_period(s, H2_2020)
    with db.session_scope() as s:
        assert ratings.current_stars(s, D(2020, 12, 30)) == {}
        assert ratings.current_stars(s, H2_2020.end) == {a: 5}
        assert ratings.current_stars(s, D(2021, 6, 29)) == {a: 5}
        assert ratings.current_stars(s, H1.end) == {a: 3}
        history = ratings.star_history(s, a)
    assert [(p.period_start, p.period_end, p.stars, p.average) for p in history] == [
        (H2_2020.start, H2_2020.end, 5, 95.0),
        (H1.start, H1.end, 3, 85.0),
    ]


def test_leaderboard_ties_share_a_rank_and_vetoed_communities_come_last(db) -> None:
    with db.session_scope() as s:
        ids = {
            n: make_community(s, n, type_=t)
            for n, t in (
                ("甲", "智慧管理型"),
                ("乙", "智慧管理型"),
                ("丙", "智慧管理型"),
                ("丁", "基础提升型"),
                ("戊", "智慧管理型"),
            )
        }
        inspect(s, ids["甲"], D(2021, 2, 1), 90.0)
        inspect(s, ids["乙"], D(2021, 2, 1), 96.0)
        inspect(s, ids["乙"], D(2021, 3, 1), 96.0)
        inspect(s, ids["丙"], D(2021, 2, 1), 90.0)
        inspect(s, ids["丁"], D(2021, 2, 1), 88.0)
        inspect(s, ids["戊"], D(2021, 2, 1), 99.0, veto=True)
        inspect(s, ids["甲"], D(2020, 12, 31), 70.0)  # the last day of the period before
        inspect(s, ids["丙"], D(2020, 7, 1), 95.0)
        board = ratings.leaderboard(s, H1)
        smart = ratings.leaderboard(s, H1, type_="智慧管理型")
    assert [(r.community, r.rank, r.previous_rank, r.movement, r.stars, r.type) for r in board] == [
        ("乙", 1, None, None, 5, "智慧管理型"),
        ("丙", 2, 1, -1, 0, "智慧管理型"),
        ("甲", 2, 2, 0, 0, "智慧管理型"),
        ("丁", 4, None, None, 0, "基础提升型"),
        ("戊", 5, None, None, 0, "智慧管理型"),
    ]
    assert [r.community_id for r in board] == [ids[n] for n in ("乙", "丙", "甲", "丁", "戊")]
    assert [(r.community, r.rank, r.average, r.inspections, r.vetoed) for r in smart] == [
        ("乙", 1, 96.0, 2, False),
        ("丙", 2, 90.0, 1, False),
        ("甲", 2, 90.0, 1, False),
        ("戊", 4, 99.0, 1, True),
    ]


# --- red and black lists from declared rules ----------------------------------------------------------------------


def _rule(rule_id: int, list_kind: str, kind: str, threshold: float | None = None, rounds: int | None = None):
    return SimpleNamespace(id=rule_id, list_kind=list_kind, kind=kind, threshold=threshold, rounds=rounds)


VETO = _rule(1, "黑榜", "触发一票否决项")
FAILING = _rule(2, "黑榜", "连续不合格轮次", 60.0, 3)
RED = _rule(3, "红榜", "期内平均分达到", 90.0)


def _found(candidates) -> list[tuple]:
    return [(c.list_kind, c.subject_id, c.rule_id, c.reason, c.evidence) for c in candidates]


def _veto_text(db) -> str:
    with db.session_scope() as s:
        return next(i.text for i in current_template(s).items if i.veto)


def test_a_veto_on_either_edge_day_of_the_period_blacklists_one_the_day_before_does_not(db) -> None:
    item = _veto_text(db)
    with db.session_scope() as s:
        first, last, before = (make_community(s, n) for n in ("首日", "末日", "前一日"))
        i1 = inspect(s, first, H1.start, 90.0, veto=True)
        i3 = inspect(s, last, H1.end, 95.0, veto=True)  # entered first, listed by date
        i2 = inspect(s, last, D(2021, 3, 1), 90.0, veto=True)
        inspect(s, before, D(2020, 12, 31), 95.0, veto=True)
        inspect(s, before, D(2021, 2, 1), 95.0)
        found = rule_eval.community_candidates(s, H1, [VETO])
    assert _found(found) == [
        ("黑榜", first, 1, "期内触发一票否决项", f"2021-01-01 检查（记录{i1}）：{item}（消防通道堵塞）"),
        (
            "黑榜",
            last,
            1,
            "期内触发一票否决项",
            f"2021-03-01 检查（记录{i2}）：{item}（消防通道堵塞）；2021-06-30 检查（记录{i3}）：{item}（消防通道堵塞）",
        ),
    ]


def test_failing_rounds_need_exactly_that_many_failures_below_the_mark_the_latest_in_the_period(db) -> None:
    with db.session_scope() as s:
        names = ("三轮", "恰好及格", "两轮", "被打断", "期前", "期后及格", "否决", "跨期")
        ids = {n: make_community(s, n) for n in names}
        for day in (D(2020, 8, 1), D(2020, 11, 1), H1.start):  # only the latest in the period
            inspect(s, ids["跨期"], day, 30.0)
        for day, total in ((D(2020, 10, 1), 55.0), (D(2021, 2, 1), 58.0), (H1.end, 59.5)):
            inspect(s, ids["三轮"], day, total)
        for day, total in ((D(2020, 10, 1), 55.0), (D(2021, 2, 1), 58.0), (D(2021, 5, 1), 60.0)):
            inspect(s, ids["恰好及格"], day, total)
        for day, total in ((D(2021, 2, 1), 50.0), (D(2021, 5, 1), 50.0)):
            inspect(s, ids["两轮"], day, total)
        for day, total in ((D(2020, 9, 1), 40.0), (D(2020, 10, 1), 70.0), (D(2021, 2, 1), 50.0), (D(2021, 5, 1), 50.0)):
            inspect(s, ids["被打断"], day, total)
        for day, total in ((D(2020, 8, 1), 40.0), (D(2020, 9, 1), 40.0), (D(2020, 12, 31), 40.0)):
            inspect(s, ids["期前"], day, total)
        for day, total in ((H1.start, 50.0), (D(2021, 2, 1), 50.0), (D(2021, 3, 1), 50.0), (D(2021, 7, 1), 99.0)):
            inspect(s, ids["期后及格"], day, total)
        for day, total, veto in (
            (D(2021, 1, 5), 50.0, False),
            (D(2021, 2, 5), 98.0, True),
            (D(2021, 3, 5), 40.0, False),
        ):
            inspect(s, ids["否决"], day, total, veto)
        found = rule_eval.community_candidates(s, H1, [FAILING])
    reason = "连续3轮检查不合格（<60分）"
    assert _found(found) == [
        ("黑榜", ids["三轮"], 2, reason, "2020-10-01 55分；2021-02-01 58分；2021-06-30 59.5分"),
        ("黑榜", ids["期后及格"], 2, reason, "2021-01-01 50分；2021-02-01 50分；2021-03-01 50分"),
        ("黑榜", ids["否决"], 2, reason, "2021-01-05 50分；2021-02-05 98分（否决）；2021-03-05 40分"),
        ("黑榜", ids["跨期"], 2, reason, "2020-08-01 30分；2020-11-01 30分；2021-01-01 30分"),
    ]


def test_a_two_round_rule_with_its_own_mark(db) -> None:
    with db.session_scope() as s:
        a, b = make_community(s, "甲"), make_community(s, "乙")
        for day, total in ((D(2021, 2, 1), 74.5), (D(2021, 3, 1), 70.0)):
            inspect(s, a, day, total)
        for day, total in ((D(2021, 2, 1), 74.5), (D(2021, 3, 1), 75.0)):
            inspect(s, b, day, total)
        found = rule_eval.community_candidates(s, H1, [_rule(9, "黑榜", "连续不合格轮次", 75.0, 2)])
    assert _found(found) == [("黑榜", a, 9, "连续2轮检查不合格（<75分）", "2021-02-01 74.5分；2021-03-01 70分")]


def test_incomplete_or_unknown_rules_pick_nobody(db) -> None:
    with db.session_scope() as s:
        a = make_community(s, "甲")
        for day in (D(2021, 1, 5), D(2021, 2, 5), D(2021, 3, 5)):
            inspect(s, a, day, 95.0, veto=True)
        rules = [
            _rule(1, "黑榜", "连续不合格轮次", None, 3),
            _rule(2, "黑榜", "连续不合格轮次", 99.0, None),
            _rule(3, "黑榜", "期内平均分达到", 10.0),
            _rule(4, "红榜", "期内平均分达到", None),
            _rule(5, "红榜", "触发一票否决项", 10.0),
        ]
        assert rule_eval.community_candidates(s, H1, rules) == []
        b = make_community(s, "乙")
        inspect(s, b, D(2021, 2, 5), 95.0)
        assert rule_eval.community_candidates(s, H1, rules) == []


def test_black_reasons_merge_and_black_communities_never_go_on_the_red_list(db) -> None:
    item = _veto_text(db)
    with db.session_scope() as s:
        a, b, c, d = (make_community(s, n) for n in ("甲", "乙", "丙", "丁"))
        ia = [inspect(s, a, day, 99.0, veto=True) for day in (D(2021, 1, 5), D(2021, 2, 5), D(2021, 3, 5))]
        ib = [
            inspect(s, b, D(2020, 12, 31), 50.0),
            inspect(s, b, D(2021, 2, 1), 90.0),
            inspect(s, b, D(2021, 5, 1), 90.0),
        ]
        ic = [inspect(s, c, D(2021, 3, 1), 90.0), inspect(s, c, D(2021, 2, 1), 89.98)][::-1]  # listed by date
        for _ in range(3):
            inspect(s, d, D(2021, 2, 1), 40.0)
        found = rule_eval.community_candidates(s, H1, [RED, _rule(4, "红榜", "期内平均分达到", 85.0), VETO, FAILING])
    lines = "；".join(
        f"{day} 检查（记录{i}）：{item}（消防通道堵塞）"
        for day, i in zip(("2021-01-05", "2021-02-05", "2021-03-05"), ia, strict=True)
    )
    assert _found(found) == [
        (
            "黑榜",
            a,
            1,
            "期内触发一票否决项；连续3轮检查不合格（<60分）",
            f"{lines}；2021-01-05 99分（否决）；2021-02-05 99分（否决）；2021-03-05 99分（否决）",
        ),
        ("黑榜", d, 2, "连续3轮检查不合格（<60分）", "2021-02-01 40分；2021-02-01 40分；2021-02-01 40分"),
        (
            "红榜",
            b,
            3,
            "期内平均分90分（≥90分），检查2次，无一票否决；期内平均分90分（≥85分），检查2次，无一票否决",
            f"2021-02-01 检查（记录{ib[1]}）90分；2021-05-01 检查（记录{ib[2]}）90分；"
            f"2021-02-01 检查（记录{ib[1]}）90分；2021-05-01 检查（记录{ib[2]}）90分",
        ),
        (
            "红榜",
            c,
            4,
            "期内平均分89.99分（≥85分），检查2次，无一票否决",
            f"2021-02-01 检查（记录{ic[0]}）89.98分；2021-03-01 检查（记录{ic[1]}）90分",
        ),
    ]


def test_a_vetoed_community_is_not_red_even_without_a_black_rule(db) -> None:
    with db.session_scope() as s:
        a = make_community(s, "甲")
        inspect(s, a, D(2021, 2, 1), 99.0)
        inspect(s, a, D(2021, 3, 1), 99.0, veto=True)
        assert rule_eval.community_candidates(s, H1, [RED]) == []


def _company_with(s, name: str, serial: int, score: float) -> int:
    company = make_company(s, name, serial)
    for party in ("业委会", "居委会", "物业协会", "主管部门"):
        evaluations.record_evaluation(s, company, H1, party, score)
    return company


def test_companies_black_below_the_line_red_at_it_and_never_both(db) -> None:
    with db.session_scope() as s:
        top = _company_with(s, "甲物业", 1, 90.0)
        near = _company_with(s, "乙物业", 2, 89.99)
        line = _company_with(s, "丙物业", 3, 60.0)
        low = _company_with(s, "丁物业", 4, 59.99)
        make_company(s, "戊物业", 5)  # not evaluated
        red, black = _rule(7, "红榜", "综合评价达到", 90.0), _rule(8, "黑榜", "综合评价低于", 60.0)
        found = rule_eval.company_candidates(s, H1, [red, black])
        loose = rule_eval.company_candidates(
            s, H1, [_rule(6, "红榜", "综合评价达到", None), _rule(9, "红榜", "综合评价达到", 50.0), black]
        )
    evidence = {
        score: "各方评分：" + "，".join(f"{p}{score:g}" for p in ("业委会", "居委会", "物业协会", "主管部门"))
        for score in (90.0, 89.99, 60.0, 59.99)
    }
    assert sorted(_found(found)) == [
        ("红榜", top, 7, "综合评价90分（≥90分）", evidence[90.0]),
        ("黑榜", low, 8, "综合评价59.99分（<60分）", evidence[59.99]),
    ]
    assert _found(found)[0][0] == "黑榜"
    assert _found(loose) == [
        ("黑榜", low, 8, "综合评价59.99分（<60分）", evidence[59.99]),
        ("红榜", top, 9, "综合评价90分（≥50分）", evidence[90.0]),
        ("红榜", near, 9, "综合评价89.99分（≥50分）", evidence[89.99]),
        ("红榜", line, 9, "综合评价60分（≥50分）", evidence[60.0]),
    ]


def test_a_period_without_inspections_lists_nobody(db) -> None:
    with db.session_scope() as s:
        make_community(s, "甲")
        assert rule_eval.community_candidates(s, Period(D(2021, 1, 1), D(2021, 1, 31)), [VETO, FAILING, RED]) == []
        assert s.scalar(select(func.count()).select_from(StarRating)) == 0


def test_a_veto_without_a_note_is_listed_without_brackets(db) -> None:
    from liandu_desk.services.communities.inspections import ScoreInput, record_inspection

    with db.session_scope() as s:
        community = make_community(s, "甲")
        item = next(i for i in current_template(s).items if i.veto)
        inspection = record_inspection(s, community, D(2021, 2, 1), "王五", [ScoreInput(item.id, veto=True)]).row.id
        found = rule_eval.community_candidates(s, H1, [VETO])
    assert _found(found) == [
        ("黑榜", community, 1, "期内触发一票否决项", f"2021-02-01 检查（记录{inspection}）：{item.text}")
    ]


def test_an_incomplete_rule_does_not_stop_the_rules_after_it(db) -> None:
    with db.session_scope() as s:
        vetoed, good = make_community(s, "甲"), make_community(s, "乙")
        inspect(s, vetoed, D(2021, 2, 1), 99.0, veto=True)
        inspect(s, good, D(2021, 2, 1), 95.0)
        rules = [_rule(1, "黑榜", "连续不合格轮次", None, 3), VETO, _rule(4, "红榜", "期内平均分达到", None), RED]
        found = rule_eval.community_candidates(s, H1, rules)
    assert [(c.list_kind, c.subject_id, c.rule_id) for c in found] == [("黑榜", vetoed, 1), ("红榜", good, 3)]


def test_rating_a_period_keeps_the_ratings_of_periods_sharing_its_first_or_last_day(db) -> None:
    year, spring = Period(D(2021, 1, 1), D(2021, 12, 31)), Period(D(2021, 4, 1), D(2021, 6, 30))
    with db.session_scope() as s:
        a = make_community(s, "甲小区")
        inspect(s, a, D(2021, 4, 1), 95.0)
        inspect(s, a, D(2021, 5, 1), 95.0)
        ratings.rate_period(s, year)
        ratings.rate_period(s, spring)
        ratings.rate_period(s, H1)
    assert sorted((r[1], r[2], r[3]) for r in _ratings(db)) == [
        (H1.start, H1.end, 5),
        (year.start, year.end, 5),
        (spring.start, spring.end, 5),
    ]
