"""Issue 19: one "as of" day for every list (today, or the newest record's date for old data), stated on screen."""

from __future__ import annotations

import datetime as dt

from houses_gui_factories import small_town
from PySide6.QtCore import QDate

from liandu_desk.services.as_of import AsOf, resolve_as_of
from liandu_desk.services.elevators.projects import list_projects
from liandu_desk.services.home.figures import load_overview, period_of
from liandu_desk.services.houses import listing
from liandu_desk.ui.elevators.tab import ElevatorsTab
from liandu_desk.ui.houses.tab import HousesTab
from tests.elevators_factories import make_project


def test_rule_today_unless_the_data_is_older_than_30_days(db) -> None:
    today = dt.date(2026, 12, 4)
    with db.session_scope() as s:
        assert resolve_as_of(s, today=today) == AsOf(today, "今日")
        make_project(s, started_on=dt.date(2021, 6, 30))
        assert resolve_as_of(s, today=today).label() == "截至 2021-06-30（数据最新日期）"
        assert resolve_as_of(s, today=dt.date(2021, 7, 20)) == AsOf(dt.date(2021, 7, 20), "今日")  # 20 days: fresh
        assert resolve_as_of(s, dt.date(2021, 1, 1)).label() == "截至 2021-01-01（指定日期）"


def test_elevator_list_and_overview_count_against_the_same_day(qtbot, ctx, db) -> None:
    with db.session_scope() as s:
        make_project(s, estate="老项目", started_on=dt.date(2021, 1, 4))  # 意愿征询 expects 60 days
        make_project(s, estate="新项目", started_on=dt.date(2021, 6, 30))
        as_of = resolve_as_of(s)
        overview = load_overview(s, period_of("本月", as_of.day))
        flags = {r.title: r.overdue for r in list_projects(s)}
    assert overview.as_of == as_of.day == dt.date(2021, 6, 30)
    assert flags == {"老项目1幢2单元": True, "新项目1幢2单元": False}  # against today both would be overdue
    tab = ElevatorsTab(ctx)
    qtbot.addWidget(tab)
    tab.show()
    tab.activate()
    assert tab.as_of_note.text() == "截至 2021-06-30（数据最新日期）"
    assert tab.as_of.date() == QDate(2021, 6, 30)
    assert "超期 1 个" in tab.count.text()
    tab.as_of.setDate(QDate(2021, 12, 31))  # the clerk picks a day: both are overdue then
    assert tab.as_of_note.text() == "截至 2021-12-31（指定日期）"
    assert "超期 2 个" in tab.count.text()


def test_house_list_states_its_day_and_counts_overdue_against_it(qtbot, ctx, db) -> None:
    ids = small_town(db)  # 王芳's case is due 2021-06-30; the newest record is of 2021-07-15
    tab = HousesTab(ctx)
    qtbot.addWidget(tab)
    tab.show()
    tab.activate()
    assert tab.as_of_label.text() == "截至 2021-07-15（数据最新日期）"
    tab.filter_bar.overdue.setChecked(True)
    qtbot.waitUntil(lambda: tab.count_label.text() == "共 1 户")
    with db.session_scope() as s:
        assert listing.house_ids(s, listing.HouseFilter(overdue=True), "id") == [ids["王芳"]]
        early = listing.HouseFilter(overdue=True, today=dt.date(2021, 6, 30))
        assert listing.house_ids(s, early, "id") == []
