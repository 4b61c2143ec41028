"""The overview's figures: this period and the previous one from the stats service, changes, charts."""

from __future__ import annotations

import datetime as dt

from liandu_desk.services.as_of import latest_record_date
from liandu_desk.services.home.figures import load_overview, trend_months
from liandu_desk.services.home.targets import TargetInput, create_target
from liandu_desk.services.overview import FigureRow, figure_value
from liandu_desk.services.periods import Period, half_year
from liandu_desk.services.stats import collect_stats
from tests.documents_factories import dangerous_house

D = dt.date


def _rows(overview) -> dict[str, FigureRow]:
    return {row.label: row for row in overview.figures}


def test_figures_and_change_against_the_previous_period(db):
    with db.session_scope() as s:
        for n, owner in enumerate(("甲一", "甲二", "甲三")):
            dangerous_house(s, owner=owner, grade="C", on=D(2021, 3, 4 + n), address=f"下河村{n}号")
        dangerous_house(s, owner="乙一", grade="D", on=D(2021, 8, 9), address="下河村9号")
        create_target(s, TargetInput("下半年", "rural_rectified", 10, D(2021, 7, 1), D(2021, 12, 31)))
    h2 = half_year(2021, 2)
    with db.session_scope() as s:
        overview = load_overview(s, h2, D(2021, 8, 31))
        now, before = collect_stats(s, h2), collect_stats(s, h2.previous())
    assert overview.previous == Period(D(2021, 1, 1), D(2021, 6, 30))
    rows = _rows(overview)
    danger = rows["鉴定为危房（C/D级）"]
    assert (danger.value, danger.previous, danger.change) == (1, 3, -2)
    assert danger.value == now["houses"]["rural_dangerous"] and danger.previous == before["houses"]["rural_dangerous"]
    assert danger.change_text() == "比上期−2（67%）"
    screened = rows["农村排查录入"]
    assert (screened.value, screened.previous) == (1, 3) and screened.change_text() == "比上期−2（67%）"
    assert FigureRow("x", "y", "户", 5, 5).change_text() == "与上期持平"
    assert FigureRow("x", "y", "户", 2, 0).change_text() == "比上期+2"
    assert [t.title for t in overview.targets] == ["下半年"]
    bihu = overview.by_township.categories.index("碧湖镇")
    assert [s.values[bihu] for s in overview.by_township.series] == [3, 1]
    assert overview.trend.categories[0] == "21年7月" and len(overview.trend.categories) == 6


def test_figure_paths_and_trend_window():
    stats = {"houses": {"batches": {"a": {"rectified": 3}, "b": {"rectified": 4}}, "x": 2}}
    assert figure_value(stats, "houses.batches.*.rectified") == 7
    assert figure_value(stats, "houses.x") == 2 and figure_value(stats, "houses.missing") is None
    month = trend_months(Period(D(2021, 9, 1), D(2021, 9, 30)))
    assert [m.start.month for m in month] == [4, 5, 6, 7, 8, 9]
    year = trend_months(Period(D(2021, 1, 1), D(2021, 12, 31)))
    assert len(year) == 12 and year[-1].end == D(2021, 12, 31)


def test_latest_record_date(db):
    with db.session_scope() as s:
        assert latest_record_date(s) is None
        dangerous_house(s, grade="C", on=D(2021, 3, 4))
        assert latest_record_date(s) == D(2021, 3, 4)  # the appraisal (the screening was 20 days before)
