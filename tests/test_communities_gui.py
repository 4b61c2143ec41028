"""GUI: the inspection form's running total as keys are typed, veto highlight, saving; the tab's pages."""

from __future__ import annotations

import datetime as dt

from communities_factories import inspect, make_community, make_company
from PySide6.QtCore import Qt

from liandu_desk.services.communities import issues as issue_service
from liandu_desk.services.communities.inspections import list_inspections
from liandu_desk.ui.dialogs.community_inspection import InspectionDialog
from liandu_desk.ui.dialogs.community_page import CommunityPage
from liandu_desk.ui.tabs.communities import CommunitiesTab


def test_inspection_form_running_total_follows_the_keyboard(ctx, qtbot):
    with ctx.session_scope() as s:
        community = make_community(s, "丽阳花园", make_company(s))
    dialog = InspectionDialog(ctx, community)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.sheet.rows[0].editor.hasFocus())
    total = dialog.sheet.total_label
    assert total.text().startswith("合计得分：100 / 100")
    first, second = dialog.sheet.rows[0], dialog.sheet.rows[1]
    qtbot.keyClicks(first.editor, "2")
    assert total.text().startswith("合计得分：98 / 100") and first.score.text() == "2"
    qtbot.keyClick(first.editor, Qt.Key.Key_Return)  # Enter moves to the next row's deduction
    assert second.editor.hasFocus()
    qtbot.keyClicks(second.editor, "1.5")
    assert total.text().startswith("合计得分：96.5 / 100")
    qtbot.keyClick(second.editor, Qt.Key.Key_Backspace)
    qtbot.keyClick(second.editor, Qt.Key.Key_Backspace)
    assert total.text().startswith("合计得分：97 / 100")  # "1.5" → "1"
    qtbot.keyClicks(second.editor, ".5")
    veto = next(r for r in dialog.sheet.rows if r.item.veto)
    veto.editor.setFocus()
    qtbot.keyClick(veto.editor, Qt.Key.Key_Space)
    assert "一票否决" in total.text() and "#c00000" in total.styleSheet()
    assert "#f4c7c3" in veto.labels[2].styleSheet()
    qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert dialog.saved is not None
    with ctx.session_scope() as s:
        (row,) = list_inspections(s, community_id=community)
    assert (row.total, row.vetoed, row.issues) == (96.5, True, 3)


def test_tab_pages_show_leaderboard_lists_and_issues(ctx, qtbot):
    with ctx.session_scope() as s:
        a, b = make_community(s, "甲小区"), make_community(s, "乙小区")
        inspect(s, a, dt.date(2020, 11, 2), 80)
        inspect(s, b, dt.date(2020, 11, 2), 90)
        inspect(s, a, dt.date(2021, 4, 2), 95)
        inspect(s, b, dt.date(2021, 4, 2), 85)
    tab = CommunitiesTab(ctx)
    qtbot.addWidget(tab)
    tab.activate()
    assert tab.period_box.currentText() == "2021年上半年"
    tab.show_page("擂台赛排行")
    board = tab.pages["擂台赛排行"]
    rows = [(r.community, r.rank, r.movement) for r in board.model.rows]
    assert rows == [("甲小区", 1, 1), ("乙小区", 2, -1)]
    assert board.model.data(board.model.index(0, 1)) == "↑1"
    tab.show_page("红黑榜发布")
    page = tab.pages["红黑榜发布"]
    assert "尚未生成" in page.status.text()
    page.generate()
    assert [(e.list_kind, e.name) for e in page.model.rows] == [("红榜", "甲小区")]
    tab.show_page("问题整改")
    issues = tab.pages["问题整改"]
    with ctx.session_scope() as s:
        expected = len(issue_service.list_issues(s, status="未销号"))
    assert len(issues.model.rows) == expected > 0 and all(r.overdue for r in issues.model.rows)
    assert issues.model.data(issues.model.index(0, 7)).startswith("逾期")
    chart_page = CommunityPage(ctx, a)
    qtbot.addWidget(chart_page)
    assert chart_page.inspections.rowCount() == 2 and chart_page.chart.points == []
