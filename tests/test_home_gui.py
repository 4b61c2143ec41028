"""The 首页 tab: figures, targets, due list with filters, opening a record, the search box, the 督办 export."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt

from liandu_desk.services.as_of import latest_record_date, reference_day
from liandu_desk.services.home.targets import TargetInput, create_target
from liandu_desk.ui.home.tab import HomeTab
from tests.home_factories import house_with_case, served_document, town_id

D = dt.date


def _seed(db) -> None:
    with db.session_scope() as s:
        house_with_case(s, "王芳", D(2021, 9, 1), completed=D(2021, 7, 15), address="梅田村8号")
        house_with_case(s, "钱二", D(2021, 9, 1), township="太平乡", address="官桥村5号")
        served_document(s, "莲建危改〔2021〕12号", D(2021, 9, 10))
        create_target(s, TargetInput("九月底前完成2户", "rural_rectified", 2, D(2021, 7, 1), D(2021, 9, 30)))


def test_overview_tab_shows_figures_targets_and_due(ctx, qtbot, tmp_path):
    _seed(ctx.db)
    opened: list[tuple[str, int]] = []
    ctx.open_record = lambda kind, record_id: opened.append((kind, record_id))
    tab = HomeTab(ctx)
    qtbot.addWidget(tab)
    tab.resize(1280, 760)
    tab.activate()
    # The newest record is from 2021: the tab counts as of that day and says so.
    assert tab.as_of == D(2021, 7, 15) and "2021-07-15" in tab.note.text()
    assert tab.current_period().start == D(2021, 7, 1) and tab.current_period().end == D(2021, 12, 31)
    assert set(tab.timings) >= {"figures", "charts", "due"}
    texts = tab.cards.texts()
    assert "危房·鉴定为危房（C/D级）=0" in texts  # appraised in March: the previous period
    assert tab.cards.cards[2].change.text() == "比上期−2（100%）"
    [target] = tab.targets.rows
    assert target.bar.value() == 50 and "已完成1/2户" in target.summary.text()
    assert tab.due.items == []  # nothing due by 15 July
    tab.as_of_edit.setDate(QDate(2021, 9, 20))
    assert tab.as_of == D(2021, 9, 20)
    assert [(i.table, i.days_over) for i in tab.due.items] == [("house_case", 19), ("document", 10)]
    tab.due.township.setCurrentIndex(tab.due.township.findData(town_id_of(ctx, "太平乡")))
    assert [i.township for i in tab.due.items] == ["太平乡"]
    tab.due.table.selectRow(0)
    qtbot.keyClick(tab.due.table, Qt.Key.Key_Return)
    assert opened == [("house", tab.due.items[0].record_id)]
    tab.due.export("xlsx", str(tmp_path / "督办.xlsx"))
    assert (tmp_path / "督办.xlsx").stat().st_size > 0
    tab.period_kind.setCurrentText("本月")
    assert tab.current_period().start == D(2021, 9, 1) and tab.current_period().end == D(2021, 9, 30)
    assert tab.bar_chart.chart is not None and tab.line_chart.chart.categories[-1] == "21年9月"
    tab.bar_chart.grab()
    tab.line_chart.grab()
    tab.period_kind.setCurrentText("自定义")
    assert tab.start_edit.isEnabled()
    tab.start_edit.setDate(QDate(2021, 3, 1))
    tab.end_edit.setDate(QDate(2021, 3, 31))
    assert tab.current_period().start == D(2021, 3, 1) and tab.current_period().end == D(2021, 3, 31)
    texts = tab.cards.texts()
    assert "危房·鉴定为危房（C/D级）=2" in texts  # two houses appraised in March (the factories' date)


def town_id_of(ctx, name: str) -> int:
    with ctx.session_scope() as s:
        return town_id(s, name)


def test_search_box_shows_results_and_opens_the_record(ctx, qtbot):
    _seed(ctx.db)
    opened: list[tuple[str, int]] = []
    ctx.open_record = lambda kind, record_id: opened.append((kind, record_id))
    tab = HomeTab(ctx)
    qtbot.addWidget(tab)
    dialog = tab.open_search()
    dialog.box.setText("王")
    dialog.box.setText("王芳")  # typed on: one debounced search for the last text
    qtbot.waitUntil(lambda: bool(dialog.hits()), timeout=2000)
    assert [h.category for h in dialog.hits()] == ["人员", "房屋", "整治案件"]
    dialog.box.setText("莲建危改[2021]12")
    dialog.run_search()
    assert [h.title for h in dialog.hits()] == ["莲建危改〔2021〕12号"]
    qtbot.keyClick(dialog.box, Qt.Key.Key_Return)
    assert opened[-1][0] == "document"


def test_target_form_adds_edits_and_retires_a_target(ctx, qtbot, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    _seed(ctx.db)
    tab = HomeTab(ctx)
    qtbot.addWidget(tab)
    tab.activate()
    dialog = tab._target_dialog()
    dialog.title.setText("太平乡年底前完成1户")
    dialog.metric_box.setCurrentIndex(dialog.metric_box.findData("rural_rectified"))
    dialog.figure.setValue(1)
    dialog.start.setDate(QDate(2021, 7, 1))
    dialog.deadline.setDate(QDate(2021, 6, 1))
    dialog.accept()  # deadline before start: refused in the form, which stays open
    assert "截止日期" in dialog.error_label.text() and dialog.result() == 0
    dialog.deadline.setDate(QDate(2021, 12, 31))
    dialog.division.setCurrentIndex(dialog.division.findText("太平乡"))
    dialog.accept()
    tab.load_parts()
    titles = [row.target.title for row in tab.targets.rows]
    assert titles == ["九月底前完成2户", "太平乡年底前完成1户"]
    new = tab.targets.rows[1].target
    assert (new.division, new.done, new.figure) == ("太平乡", 0, 1)
    edit = tab._target_dialog(new.id)
    assert edit.title.text() == "太平乡年底前完成1户" and edit.division.currentText() == "太平乡"
    edit.figure.setValue(3)
    edit.accept()
    tab.load_parts()
    assert tab.targets.rows[1].target.figure == 3
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: QMessageBox.StandardButton.Yes)
    tab._target_dialog(new.id).retire()
    tab.load_parts()
    assert [row.target.title for row in tab.targets.rows] == ["九月底前完成2户"]


def test_records_written_after_the_first_load_move_the_reference_day(ctx, qtbot):
    """Opened on an empty database the overview counts as of today; once a demo or an import writes records of an
    earlier year it counts as of the newest record again (unless the clerk picked 截至 by hand)."""
    tab = HomeTab(ctx)
    qtbot.addWidget(tab)
    tab.activate()
    assert tab.as_of == dt.date.today()
    _seed(ctx.db)
    with ctx.session_scope() as s:
        newest = reference_day(latest_record_date(s))
    assert newest.year == 2021
    ctx.changed("house", ())
    assert tab.as_of == newest and tab.due.as_of == newest
    assert tab.as_of_edit.date() == QDate(newest) and f"{newest:%Y-%m-%d}" in tab.note.text()
    tab.as_of_edit.setDate(QDate(2021, 12, 31))  # chosen by hand: kept across later writes
    ctx.changed("house", ())
    assert tab.as_of == D(2021, 12, 31) and tab.due.as_of == D(2021, 12, 31)
