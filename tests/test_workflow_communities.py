"""The 星级小区 workflow driven as a clerk: an inspection typed with a veto item, the issues it raises listed,
rectification reported and re-inspected from the issue list (each dialog naming its issue), the issue closed."""

from __future__ import annotations

import datetime as dt

from communities_factories import make_community, make_company
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QComboBox, QDateEdit, QLabel, QPlainTextEdit

from liandu_desk.services.communities import issues as issue_service
from liandu_desk.services.communities.inspections import list_inspections
from liandu_desk.ui.communities import pages
from liandu_desk.ui.communities.forms import FormDialog
from liandu_desk.ui.communities.inspection import InspectionDialog


def test_inspection_with_a_veto_then_report_and_reinspection(first_start, qtbot, monkeypatch) -> None:
    ctx = first_start  # a database made through the first start, its administrator logged in
    with ctx.session_scope() as s:
        community = make_community(s, "丽阳花园", make_company(s))
    dialog = InspectionDialog(ctx, community)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.sheet.rows[0].editor.hasFocus())
    qtbot.keyClicks(dialog.sheet.rows[0].editor, "2")
    veto = next(r for r in dialog.sheet.rows if r.item.veto)
    veto.editor.setFocus()
    qtbot.keyClick(veto.editor, Qt.Key.Key_Space)
    qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    with ctx.session_scope() as s:
        (inspection,) = list_inspections(s, community_id=community)
    assert inspection.vetoed and inspection.issues == 2

    page = pages.IssuePage(ctx)
    qtbot.addWidget(page)
    page.refresh()
    assert len(page.model.rows) == 2
    first = page.model.rows[0]
    page.table.selectRow(0)
    named: list[str] = []

    def fill_and_save(form: FormDialog) -> int:  # the clerk reads which issue, fills the form, presses Enter
        named.append(" ".join(label.text() for label in form.findChildren(QLabel)))
        for date in form.findChildren(QDateEdit):
            date.setDate(QDate.currentDate())
        evidence = form.findChildren(QPlainTextEdit)
        if evidence:
            evidence[0].setPlainText("已补齐公示栏内容并拍照留存")
        form.show()
        qtbot.keyClick(form.focusWidget() or form, Qt.Key.Key_Return)
        return form.result()

    monkeypatch.setattr(FormDialog, "exec", fill_and_save)
    page.report()
    assert f"问题 #{first.id}" in named[-1] and "当前：待整改" in named[-1]
    page.table.selectRow(page.model.row_index(first.id))  # the list kept its order; select the same issue
    monkeypatch.setattr(
        FormDialog,
        "exec",
        lambda form: (form.findChild(QComboBox).setCurrentIndex(0), fill_and_save(form))[1],
    )
    page.reinspect()
    assert f"问题 #{first.id}" in named[-1] and "当前：待复查" in named[-1]
    with ctx.session_scope() as s:
        rows = {r.id: r for r in issue_service.list_issues(s, today=dt.date.today())}
    assert rows[first.id].status == "已销号" and rows[first.id].rectified_on == dt.date.today()
    assert sum(r.status == "已销号" for r in rows.values()) == 1  # only the chosen issue was closed
