"""GUI: the inspection form's running total as keys are typed, veto highlight, saving; the tab's pages."""

from __future__ import annotations

import datetime as dt

from communities_factories import inspect, make_community, make_company
from PySide6.QtCore import Qt

from liandu_desk.services.communities import issues as issue_service
from liandu_desk.services.communities.inspections import list_inspections
from liandu_desk.ui.communities.inspection import InspectionDialog
from liandu_desk.ui.communities.page import CommunityPage
from liandu_desk.ui.communities.tab import CommunitiesTab


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
    assert len(issues.model.rows) == expected > 0
    # Historical data: lateness is counted as of the newest record (the inspection of 2021-04-02), and said so.
    assert "截至 2021-04-02（数据最新日期）" in issues.summary.text()
    assert [r.overdue for r in issues.model.rows] == [r.deadline < dt.date(2021, 4, 2) for r in issues.model.rows]
    assert any(r.overdue for r in issues.model.rows) and not all(r.overdue for r in issues.model.rows)
    assert issues.model.data(issues.model.index(0, 7)).startswith("逾期")
    chart_page = CommunityPage(ctx, a)
    qtbot.addWidget(chart_page)
    assert chart_page.inspections.rowCount() == 2 and chart_page.chart.points == []


def test_template_editor_saves_a_used_version_as_a_new_one(ctx, qtbot, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from liandu_desk.services.communities.templates import current_template, list_templates
    from liandu_desk.ui.communities.template_dialog import TemplateEditor

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *args: shown.append(args[2]))
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: shown.append(args[2]))
    with ctx.session_scope() as s:
        community = make_community(s, "花园小区")
        inspect(s, community, dt.date(2021, 3, 1), 90)
        v1 = current_template(s)
    editor = TemplateEditor(ctx, v1)
    qtbot.addWidget(editor)
    editor.table.item(0, 2).setText("10")
    assert editor.total.text() == "满分合计：106 分" and "#c00000" in editor.total.styleSheet()
    editor.table.item(1, 2).setText("x")
    editor.save()  # refused in the form: not a number; nothing saved
    assert editor.error_label.text() == "第2行 满分：应为数字" and not shown and editor.saved_id is None
    editor.table.item(1, 2).setText("0")
    editor.save()
    assert editor.saved_id != v1.id and "另存为新版本" in shown[-1]
    with ctx.session_scope() as s:
        versions = [(t.version, t.total_points, t.current) for t in list_templates(s)]
        (row,) = list_inspections(s, community_id=community)
    assert versions == [(2, 102, True), (1, 100, False)]
    assert row.total == 90 and "第1版" in row.template


def test_publication_screen_manual_removal_needs_a_reason_then_publish_freezes(ctx, qtbot, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    import liandu_desk.ui.communities.list_pages as pages
    from liandu_desk.services.periods import half_year
    from liandu_desk.ui.kit import ops

    with ctx.session_scope() as s:
        for name, total in (("甲小区", 95), ("乙小区", 92)):
            community = make_community(s, name)
            inspect(s, community, dt.date(2021, 3, 1), total)
    page = pages.PublicationPage(ctx)
    qtbot.addWidget(page)
    page.set_period(half_year(2021, 1))
    page.generate()
    assert [e.name for e in page.model.rows] == ["甲小区", "乙小区"]
    page.table.selectRow(1)
    errors: list[str] = []

    def fake_reason(_parent, _title, _prompt, apply) -> bool:
        ops.write(ctx, apply(""), refused=lambda exc: errors.append(exc.message))  # as the form runs it
        ops.write(ctx, apply("复核发现该小区存在群众投诉"))
        return True

    monkeypatch.setattr(pages, "ask_reason", fake_reason)
    page.remove()
    assert errors == ["调整理由：人工调整必须填写理由"]
    removed = next(e for e in page.model.rows if e.name == "乙小区")
    assert removed.removed and page.model.data(page.model.index(1, 4)) == "已人工移除：复核发现该小区存在群众投诉"
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.Yes)
    page.publish()
    assert page.status.text().startswith("已发布") and "红榜1个" in page.status.text()
    assert not page.buttons["generate"].isEnabled() and not page.buttons["remove"].isEnabled()
