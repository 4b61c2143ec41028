"""The 危房 tab's list: rows from the database, filters and the live count, 2-character search, SQL sort, keys."""

from __future__ import annotations

import pytest
from houses_gui_factories import id_number, small_town
from PySide6.QtCore import Qt

from liandu_desk.domain.validators import mask_id_number
from liandu_desk.ui.houses.tab import HousesTab


@pytest.fixture
def houses(db) -> dict[str, int]:
    return small_town(db)


@pytest.fixture
def tab(ctx, qtbot, houses) -> HousesTab:
    widget = HousesTab(ctx)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.activate()
    return widget


def shown_owners(tab: HousesTab) -> list[str]:
    model = tab.model
    return [model.data(model.index(row, 4)) for row in range(model.rowCount())]


def select(combo, text: str) -> None:
    index = combo.findText(text)
    assert index >= 0, f"{text} not offered"
    combo.setCurrentIndex(index)


def test_list_shows_rows_from_the_database(tab: HousesTab) -> None:
    assert tab.count_label.text() == "共 4 户"
    assert tab.stack.currentWidget() is tab.table
    assert shown_owners(tab) == ["王芳", "李建国", "张伟", "陈小红"]
    model = tab.model
    first = [model.data(model.index(0, c)) for c in range(model.columnCount())]
    assert first[1:4] == ["碧湖镇", "下赵村", "下赵村12号"]
    assert first[5] == mask_id_number(id_number(11))
    assert first[5].startswith("331102") and "19600101" not in first[5]
    assert first[9] == "D级"
    assert first[10] == "待整改"
    assert first[11] == "2021省委巡视"
    assert first[12] == "2021-06-30（逾期）"
    assert model.data(model.index(0, 12), Qt.ItemDataRole.ForegroundRole) is not None


def test_filters_change_the_count(tab: HousesTab) -> None:
    bar = tab.filter_bar
    select(bar.kind, "城镇")
    assert tab.count_label.text() == "共 1 户"
    assert shown_owners(tab) == ["陈小红"]
    select(bar.kind, "全部")
    select(bar.township, "碧湖镇")
    assert bar.village.isEnabled()
    assert tab.count_label.text() == "共 3 户"
    select(bar.village, "联合村")
    assert shown_owners(tab) == ["张伟"]
    bar.reset()
    select(bar.grade, "C级")
    assert shown_owners(tab) == ["李建国"]
    select(bar.grade, "未鉴定")
    assert shown_owners(tab) == ["陈小红"]
    select(bar.grade, "全部")
    bar.overdue.setChecked(True)
    assert tab.count_label.text() == "共 1 户"
    assert shown_owners(tab) == ["王芳"]


def test_batch_filter_explains_its_figures(tab: HousesTab) -> None:
    assert not tab.batch_label.isVisible()
    select(tab.filter_bar.batch, "2021省委巡视")
    assert sorted(shown_owners(tab)) == ["张伟", "王芳"]
    text = tab.batch_label.text()
    assert "交办2户，核实排除1户（非危房或重复），应整治1户，已整治0户" in text
    assert "完成率0.0%（0/1）" in text
    tab.filter_bar.reset()
    assert tab.batch_label.text() == ""


def test_village_choices_depend_on_township(tab: HousesTab) -> None:
    bar = tab.filter_bar
    assert not bar.village.isEnabled()
    select(bar.township, "紫金街道")
    villages = [bar.village.itemText(i) for i in range(bar.village.count())]
    assert "三岩寺社区" in villages and "下赵村" not in villages


def test_two_character_name_search_is_debounced_and_finds_the_house(tab: HousesTab, qtbot) -> None:
    search = tab.filter_bar.search
    search.setText("王芳")
    assert search.pending, "the query waits for the 250 ms pause"
    assert tab.count_label.text() == "共 4 户"
    qtbot.waitUntil(lambda: tab.count_label.text() == "共 1 户", timeout=2000)
    assert shown_owners(tab) == ["王芳"]
    tab.show()
    search.setFocus()
    qtbot.keyClick(search, Qt.Key.Key_Down)
    assert tab.table.hasFocus() or tab.focusWidget() is tab.table
    search.setText("下赵村")
    search.flush()
    assert sorted(shown_owners(tab)) == ["李建国", "王芳"]
    search.setText("查无此人")
    search.flush()
    assert tab.count_label.text() == "共 0 户"
    assert tab.stack.currentWidget() is tab.table, "an empty result is not the empty-database screen"


def test_id_number_search(tab: HousesTab) -> None:
    tab.filter_bar.search.setText(id_number(13)[-6:])
    tab.filter_bar.search.flush()
    assert shown_owners(tab) == ["李建国"]


def test_header_click_sorts_in_sql(tab: HousesTab, qtbot) -> None:
    header = tab.table.horizontalHeader()
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=_section_centre(header, 4))
    assert tab.model.sort_key == "owner"
    ascending = shown_owners(tab)
    assert sorted(ascending) == sorted(["王芳", "李建国", "张伟", "陈小红"])
    assert ascending != ["王芳", "李建国", "张伟", "陈小红"]
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=_section_centre(header, 4))
    assert tab.model.descending
    assert shown_owners(tab) == list(reversed(ascending))
    tab.table.sortByColumn(5, Qt.SortOrder.AscendingOrder)  # ID numbers: not a sort key of the service
    assert tab.model.sort_key == "owner"
    assert tab.table.horizontalHeader().sortIndicatorSection() == 4
    assert shown_owners(tab) == list(reversed(ascending))
    tab.table.sortByColumn(9, Qt.SortOrder.DescendingOrder)
    assert tab.model.sort_key == "grade"
    assert shown_owners(tab)[:3] == ["王芳", "李建国", "张伟"]


def _section_centre(header, section: int):
    from PySide6.QtCore import QPoint

    return QPoint(header.sectionViewportPosition(section) + header.sectionSize(section) // 2, header.height() // 2)


def test_enter_and_double_click_open_the_house_page(tab: HousesTab, qtbot, houses) -> None:
    tab.table.setFocus()
    tab.table.selectRow(1)
    qtbot.keyClick(tab.table, Qt.Key.Key_Down)
    qtbot.keyClick(tab.table, Qt.Key.Key_Return)
    assert tab.house_page is not None
    assert tab.house_page.house_id == houses["张伟"]
    index = tab.model.index(0, 3)
    tab.table.doubleClicked.emit(index)
    assert tab.house_page.house_id == houses["王芳"]
    assert "王芳" in tab.house_page.header.text()
    tab.house_page.close()


def test_a_new_house_appears_in_the_list_and_opens(tab: HousesTab, qtbot) -> None:
    form = tab.new_house()
    qtbot.addWidget(form)
    fields = form.fields
    fields["乡镇（街道）"].setCurrentIndex(fields["乡镇（街道）"].findText("碧湖镇"))
    fields["地址（门牌）"].setText("平原村9号")
    fields["户主姓名"].setText("吴昊")
    form.accept()
    assert tab.count_label.text() == "共 5 户"
    assert "吴昊" in shown_owners(tab)
    assert "吴昊" in tab.house_page.header.text()
    tab.house_page.close()


def test_empty_database_shows_the_empty_state(ctx, qtbot) -> None:
    widget = HousesTab(ctx)
    qtbot.addWidget(widget)
    widget.activate()
    assert widget.count_label.text() == "共 0 户"
    assert widget.stack.currentWidget() is widget.empty_state


def test_unfiltered_reload_shows_count_and_first_screen_before_the_whole_id_list(tab: HousesTab, monkeypatch) -> None:
    from liandu_desk.services.houses import listing
    from liandu_desk.ui.houses import list_model as house_list

    full_house_ids = listing.house_ids

    def house_ids_with_limit(session, f, sort="id", descending=False, limit=None):
        ids = full_house_ids(session, f, sort=sort, descending=descending)
        return ids if limit is None else ids[:limit]

    monkeypatch.setattr(listing, "house_ids", house_ids_with_limit)
    monkeypatch.setattr(house_list, "HOUSE_IDS_TAKES_LIMIT", True)
    deferred = []
    run = tab.ctx.jobs.run

    def defer_full_list(fn, on_ok, **kwargs):
        if kwargs.get("key") == "houses.ids":
            deferred.append((fn, on_ok))
            return None
        return run(fn, on_ok, **kwargs)

    monkeypatch.setattr(tab.ctx.jobs, "run", defer_full_list)
    tab.table.sortByColumn(4, Qt.SortOrder.DescendingOrder)
    assert tab.count_label.text() == "共 4 户"
    assert tab.timing_label.text().startswith("首屏")
    first_screen = shown_owners(tab)
    assert sorted(first_screen) == ["张伟", "李建国", "王芳", "陈小红"]
    fn, on_ok = deferred.pop()
    run(fn, on_ok)  # the deferred job, now
    assert shown_owners(tab) == first_screen
    assert tab.timing_label.text().startswith("查询用时")
    tab.filter_bar.search.setText("王芳")
    tab.filter_bar.search.flush()
    assert tab.count_label.text() == "正在查询……", "a selective search comes in one step"


def test_with_a_real_background_runner_rows_arrive_off_the_gui_thread(db, ctx, qtbot, houses) -> None:
    from liandu_desk.ui.kit.context import AppContext
    from liandu_desk.ui.kit.jobs import JobRunner

    runner = JobRunner()
    try:
        widget = HousesTab(AppContext(db=ctx.db, jobs=runner, clerk=ctx.clerk))
        qtbot.addWidget(widget)
        widget.show()
        widget.activate()
        qtbot.waitUntil(lambda: widget.count_label.text() == "共 4 户", timeout=5000)
        widget.table.viewport().update()
        qtbot.waitUntil(lambda: shown_owners(widget) == ["王芳", "李建国", "张伟", "陈小红"], timeout=5000)
        widget.filter_bar.search.setText("李建国")
        qtbot.waitUntil(lambda: widget.count_label.text() == "共 1 户", timeout=5000)
        # qtbot waits with sleeps that let the workers run (JobRunner.wait_idle can starve them of the GIL)
        qtbot.waitUntil(lambda: runner.active_count == 0, timeout=10_000)
    finally:
        runner.shutdown()
