"""GUI: many households pasted from Excel into one grid, checked row by row and saved all or nothing; the tally
warns about declared households not registered; open disputes hold the stage; the dispute form shows current votes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QListWidget

from liandu_desk.domain.elevators import DisputeType, ElevatorProject, ElevatorStage, VoteChoice
from liandu_desk.domain.errors import ValidationError
from liandu_desk.services.elevators import disputes, households, projects
from liandu_desk.services.elevators.household_rows import PastedRow, add_households, parse_pasted
from liandu_desk.ui.elevators.advance_dialog import AdvanceDialog, open_disputes
from liandu_desk.ui.elevators.bulk_households import BulkHouseholdDialog
from liandu_desk.ui.elevators.households_model import COL_VOTE
from liandu_desk.ui.elevators.tab import ElevatorsTab
from liandu_desk.ui.kit import ops
from tests.elevators_factories import D0, add_unit, make_project

BAD_PASTE = (
    "室号\t专有面积\t业主\t表决\r\n"
    "101\t89.46\t王建国\t同意\r\n"
    "102\t九十\t李秀英\t\r\n"
    "201\t90.1\t\t同意\r\n"
    "101\t88\t赵六\t反对\r\n"
    "901\t90\t钱七\t\r\n"
    "202\t90\t孙八\t可以\r\n"
)
GOOD_PASTE = "".join(
    f"{f}0{d}\t{90 + d}.5\t业主{f}0{d}\t{'同意' if f > 1 else ''}\n" for f in range(1, 4) for d in (1, 2)
)


def _declared_project(db, planned: int = 12, area: str | None = None) -> int:
    with db.session_scope() as s:
        pid = make_project(s)
        project = s.get(ElevatorProject, pid)
        project.planned_households = planned
        project.declared_area = Decimal(area) if area else None
    return pid


def _rooms(db, pid: int) -> list[tuple[str, int, str, str]]:
    with db.session_scope() as s:
        return [(r.room, r.floor, f"{r.area}", r.vote) for r in households.list_households(s, pid)]


def test_pasted_rows_are_checked_row_by_row_and_saved_all_or_nothing(qtbot, ctx, db, monkeypatch, tmp_path) -> None:
    pid = _declared_project(db, 12, "1086")
    tab = ElevatorsTab(ctx)
    qtbot.addWidget(tab)
    tab.show()
    tab.open_project(pid)
    page = tab.page
    seen: list[BulkHouseholdDialog] = []

    def drive(dialog: BulkHouseholdDialog) -> int:
        qtbot.addWidget(dialog)
        dialog.show()
        seen.append(dialog)
        grid = dialog.grid
        grid.setFocus()
        grid.setCurrentCell(0, 0)
        QGuiApplication.clipboard().setText(BAD_PASTE)
        qtbot.keyClick(grid, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
        assert grid.text(0, 0) == "101" and grid.text(5, 3) == "可以"  # the header row is not pasted
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        errors = dialog.errors.text()
        assert errors.startswith("住户表格：5处有误，均未保存")
        for line in (
            "第2行 专有面积：“九十”不是数字",
            "第3行 业主：不能为空",
            "第4行 室号：101与第1行重复",
            "第5行 室号：901在9层，本单元只有6层",
            "第6行 表决：“可以”应为同意、反对、弃权或留空",
        ):
            assert line in errors
        assert grid.item(2, 2).toolTip() == "不能为空" and grid.item(0, 0).toolTip() == ""
        stored: list = []  # read as widgets do (in a job), since this runs inside the page's handler
        ops.read(ctx, lambda session: households.list_households(session, pid), stored.append)
        assert stored == [[]]  # nothing saved, not even the good row
        dialog.grab().save(str(tmp_path / "bulk_errors.png"))
        dialog._clear()
        grid.setCurrentCell(0, 0)
        QGuiApplication.clipboard().setText(GOOD_PASTE)
        qtbot.keyClick(grid, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(BulkHouseholdDialog, "exec", drive)
    page.bulk_households()
    assert seen and seen[0].errors.text() == "" and len(seen[0].saved) == 6
    rooms = _rooms(db, pid)
    assert [r[:3] for r in rooms[:2]] == [("101", 1, "91.50"), ("102", 1, "92.50")]
    assert [r[3] for r in rooms] == ["未表决", "未表决", "同意", "同意", "同意", "同意"]
    with db.session_scope() as s:
        history = households.vote_history(s, pid)
        assert {e.reason for e in history} == {"表格批量录入"} and len(history) == 4
    assert page.households.rowCount() == 6  # the page reloaded
    assert "尚有6户未登记" in page.tally.warnings.text() and page.tally.warnings.isVisible()


def test_twelve_declared_six_registered_all_agreeing_shows_not_passed_with_a_warning(qtbot, ctx, db) -> None:
    pid = _declared_project(db, 12)
    with db.session_scope() as s:
        for hid in add_unit(s, pid, floors=3):
            households.set_vote(s, hid, VoteChoice.AGREE, D0)
    tab = ElevatorsTab(ctx)
    qtbot.addWidget(tab)
    tab.show()
    tab.open_project(pid)
    panel = tab.page.tally
    assert "未通过" in panel.verdict.text()
    assert panel.warnings.isVisible()
    assert "申报12户，已登记6户，尚有6户未登记，按未表决计入分母" in panel.warnings.text()
    assert "未填写单元专有面积总和" in panel.warnings.text()
    assert panel.cells["participation_persons"].text().startswith("6/12")
    assert panel.cells["participation_area"].text() == "540.00㎡/总面积未知（无法核算）"
    assert panel.gap.text().startswith("专有面积总数无法核算：6户未登记")
    grid, model = tab.page.grid, tab.page.households  # a live edit recomputes over the declared unit too
    grid.setCurrentIndex(model.index(0, COL_VOTE))
    qtbot.keyClick(grid, Qt.Key.Key_2)
    assert "尚有6户未登记" in panel.warnings.text() and "未通过" in panel.verdict.text()


def _voted(db) -> tuple[int, list[int]]:
    with db.session_scope() as s:
        pid = make_project(s)
        ids = add_unit(s, pid)
        for hid in ids:
            households.set_vote(s, hid, VoteChoice.AGREE, D0)
        projects.advance_stage(s, pid, dt.date(2021, 2, 1))
        disputes.create_dispute(s, pid, DisputeType.LIGHT, "二楼采光", dt.date(2021, 2, 10), ids[2:3])
    return pid, ids


def test_advance_dialog_refuses_while_a_dispute_is_open_then_takes_a_reviewers_reason(qtbot, ctx, db) -> None:
    pid, _ids = _voted(db)
    tab = ElevatorsTab(ctx)
    qtbot.addWidget(tab)
    tab.open_project(pid)
    held = open_disputes(tab.page.page.disputes)
    assert [d.type for d in held] == ["采光/日照"]
    dialog = AdvanceDialog(ctx, pid, ElevatorStage.VOTE, ElevatorStage.DESIGN, held, tab, dt.date(2021, 3, 1))
    qtbot.addWidget(dialog)
    assert "尚有1件纠纷未化解：采光/日照（待调解）" in dialog.warning.text()
    dialog.accept()
    assert "不能进入“方案设计”" in dialog.errors.text() and dialog.result() == 0
    with db.session_scope() as s:
        assert projects.get_project(s, pid).current_stage == ElevatorStage.VOTE
    dialog.reason.setPlainText("采光分析已论证，社区同意先行设计")
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted
    with db.session_scope() as s:
        assert projects.get_project(s, pid).current_stage == ElevatorStage.DESIGN
    tab.page.reload()
    design = tab.page.timeline.boxes[2]
    assert "纠纷未化解时经审核推进（测试员：采光分析已论证，社区同意先行设计（未结纠纷：采光/日照" in design.toolTip()


def test_dispute_form_lists_the_votes_entered_since_the_page_loaded(qtbot, ctx, db, monkeypatch) -> None:
    from liandu_desk.ui.elevators.mediation import DisputeDialog

    with db.session_scope() as s:
        pid = make_project(s)
        add_unit(s, pid, floors=2)
    tab = ElevatorsTab(ctx)
    qtbot.addWidget(tab)
    tab.open_project(pid)
    grid, model = tab.page.grid, tab.page.households
    grid.setCurrentIndex(model.index(0, COL_VOTE))
    qtbot.keyClick(grid, Qt.Key.Key_1)
    qtbot.keyClick(grid, Qt.Key.Key_2)
    shown: list[str] = []

    def capture(dialog: DisputeDialog) -> int:
        parties = dialog.findChild(QListWidget, "disputeParties")
        shown.extend(parties.item(i).text() for i in range(parties.count()))
        return 0

    monkeypatch.setattr(DisputeDialog, "exec", capture)
    tab.page.disputes.buttons["new"].click()
    assert shown[:3] == ["101 业主101（同意）", "102 业主102（反对）", "201 业主201（未表决）"]


def test_project_form_records_the_units_total_area(qtbot) -> None:
    from liandu_desk.ui.elevators.project_form import ProjectDialog

    dialog = ProjectDialog([], lambda _values: None)
    qtbot.addWidget(dialog)
    dialog.estate.setText("望湖公寓")
    dialog.building.setText("1")
    dialog.unit.setText("2")
    dialog.declared_area.setText("1,086.5㎡")
    values = dialog.values()
    assert values.planned_households == 12 and values.declared_area == Decimal("1086.50")
    dialog.declared_area.setText("很大")
    with pytest.raises(ValidationError, match="单元专有面积总和"):
        dialog.values()


def test_parse_pasted_handles_excel_quirks() -> None:
    text = '室号\t面积\t业主\r\n301\t 89.5 \t"张\t三"\r\n\r\n302\t90\n'
    assert parse_pasted(text) == [PastedRow("301", "89.5", "张\t三"), PastedRow("302", "90", "")]


@pytest.mark.parametrize("room", ["1", "30", "A01", "10001"])
def test_room_numbers_that_name_no_floor_are_refused(db, room: str) -> None:
    from liandu_desk.services.elevators.household_rows import HouseholdRowsError

    pid = _declared_project(db, 0)
    with pytest.raises(HouseholdRowsError, match=f"第1行 室号：“{room}”应为楼层加两位门牌号"), db.session_scope() as s:
        add_households(s, pid, [PastedRow(room, "90", "张三")])


def test_enter_in_the_grid_finishes_the_cell_and_goes_down_a_row_without_saving(qtbot, ctx, db) -> None:
    pid = _declared_project(db, 12, "1086")
    dialog = BulkHouseholdDialog(ctx, pid, "望湖公寓1幢2单元")
    qtbot.addWidget(dialog)
    dialog.show()
    grid = dialog.grid
    grid.setFocus()
    grid.setCurrentCell(0, 0)
    qtbot.keyClick(grid, Qt.Key.Key_1)  # typing on a cell opens its editor, as in Excel
    assert grid.state() == grid.State.EditingState
    editor = grid.viewport().focusWidget() or dialog.focusWidget()
    qtbot.keyClicks(editor, "01")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # Enter while typing a cell finishes the cell, never the form
    qtbot.waitUntil(lambda: grid.state() != grid.State.EditingState)
    assert dialog.isVisible() and dialog.result() == 0 and not dialog.error_label.text()
    assert grid.text(0, 0) == "101"
    grid.setFocus()  # where a real window puts it back when the cell editor closes
    qtbot.keyClick(grid, Qt.Key.Key_Return)  # then Enter goes down a row, as in Excel; still nothing saved
    assert grid.currentRow() == 1 and dialog.isVisible()
    qtbot.keyClick(grid, Qt.Key.Key_Return)
    assert grid.currentRow() == 2 and dialog.isVisible()
    assert _rooms(db, pid) == []
