"""Issue 19 GUI: 更正 on the community page opens the scoring form prefilled; saving writes a new version, the page
shows it, a clerk who is neither the author nor a 审核 is refused in Chinese."""

from __future__ import annotations

import dataclasses
import datetime as dt

from communities_factories import make_community
from PySide6.QtCore import Qt

from liandu_desk.services.communities.inspections import ScoreInput, list_inspections, record_inspection
from liandu_desk.services.communities.templates import current_template
from liandu_desk.storage import ClerkRef, Database
from liandu_desk.ui.communities.correction import CorrectionDialog
from liandu_desk.ui.communities.page import CommunityPage
from liandu_desk.ui.kit.context import AppContext

DAY = dt.date(2021, 3, 1)


def _inspected(db: Database) -> tuple[int, int]:
    """科员甲 deducts 2 points on the first item."""
    with db.session_scope() as s:
        community = make_community(s, "南明家园")
        first_item = next(i.id for i in current_template(s).items if not i.veto)
    author = Database(db.url, clerk=ClerkRef(2, "科员甲", "c2", "科员"))
    with author.session_scope() as s:
        record_inspection(s, community, DAY, "张三", [ScoreInput(first_item, 2, note="楼道堆物")])
    return community, first_item


def _correct(page: CommunityPage, qtbot, deduction: str, reason: str) -> CorrectionDialog:
    page.inspection_table.selectRow(0)
    qtbot.mouseClick(page.correct_button, Qt.MouseButton.LeftButton)
    dialog = page.findChild(CorrectionDialog)
    assert isinstance(dialog, CorrectionDialog)
    qtbot.addWidget(dialog)
    row = dialog.sheet.rows[0]
    assert row.editor.text() == "2" and row.note.text() == "楼道堆物"  # prefilled from the saved version
    assert dialog.inspectors.text() == "张三"
    row.editor.setText(deduction)
    dialog.reason.setText(reason)  # typed Chinese goes through an input method, not key events
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)  # Enter saves
    return dialog


def test_correct_button_saves_a_new_version_and_the_page_shows_it(ctx, qtbot, db) -> None:
    community, _item = _inspected(db)
    page = CommunityPage(ctx, community)
    qtbot.addWidget(page)
    page.show()
    assert page.inspections.data(page.inspections.index(0, 6)) == "第1版（科员甲录入）"
    dialog = _correct(page, qtbot, "0.5", "复核后改为扣0.5分")
    assert dialog.saved is not None and not dialog.isVisible()
    with db.session_scope() as s:
        rows = list_inspections(s, community_id=community, include_superseded=True)
    assert [(r.revision, r.total, r.superseded_by_id is None) for r in rows] == [(2, 99.5, True), (1, 98.0, False)]
    assert page.inspections.rowCount() == 1
    assert page.inspections.data(page.inspections.index(0, 1)) == "99.5"
    assert page.inspections.data(page.inspections.index(0, 6)) == "第2版（科员甲录入）"


def test_another_clerk_is_refused_in_chinese_and_nothing_is_saved(ctx, qtbot, db, no_blocking_message_boxes) -> None:
    community, _item = _inspected(db)
    other = AppContext(
        db=Database(db.url, clerk=ClerkRef(3, "科员乙", "c3", "科员")),
        jobs=ctx.jobs,
        clerk=dataclasses.replace(ctx.clerk, id=3, login="c3", name="科员乙", role="科员"),
    )
    page = CommunityPage(other, community)
    qtbot.addWidget(page)
    page.show()
    dialog = _correct(page, qtbot, "0", "改分")
    assert dialog.saved is None and dialog.isVisible()
    assert "只有录入人或审核人员可以更正" in dialog.error_label.text() and dialog.error_label.isVisibleTo(dialog)
    with db.session_scope() as s:
        rows = list_inspections(s, community_id=community, include_superseded=True)
    assert [(r.revision, r.total) for r in rows] == [(1, 98.0)]
