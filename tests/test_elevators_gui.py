"""GUI: the household grid takes a vote from the keyboard and the tally panel updates at once."""

import datetime as dt
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit

from liandu_desk.domain.elevators import VoteChoice
from liandu_desk.services.elevators import households
from liandu_desk.ui.elevators.households_model import COL_AREA, COL_VOTE
from liandu_desk.ui.elevators.tab import ElevatorsTab
from tests.elevators_factories import D0, add_unit, make_project


def _project(db) -> tuple[int, list[int]]:
    with db.session_scope() as s:
        pid = make_project(s)
        ids = add_unit(s, pid)  # 12 flats of 90 ㎡
        for hid in ids[:8]:
            households.set_vote(s, hid, VoteChoice.AGREE, D0)
        for hid in ids[8:11]:
            households.set_vote(s, hid, VoteChoice.OPPOSE, D0)
    return pid, ids


def test_keyboard_vote_updates_tally_and_is_saved(qtbot, ctx, db) -> None:
    pid, ids = _project(db)
    tab = ElevatorsTab(ctx)
    qtbot.addWidget(tab)
    tab.show()
    tab.activate()
    assert tab.model.rowCount() == 1 and tab.model.row_at(0).title == "望湖公寓1幢2单元"
    tab.open_project(pid)
    page = tab.page
    assert page.tally.verdict.text().count("未通过") == 1
    assert page.tally.gap.text() == "同意还差1户、22.5㎡"
    grid, model = page.grid, page.households
    row = next(i for i, r in enumerate(model.rows) if r.id == ids[8])  # 501, opposed
    grid.setFocus()
    grid.setCurrentIndex(model.index(row, COL_VOTE))
    qtbot.keyClick(grid, Qt.Key.Key_1)
    assert model.row_at(row).vote == "同意"
    assert "通过" in page.tally.verdict.text() and "未通过" not in page.tally.verdict.text()
    assert page.tally.cells["agreement_persons"].text().startswith("9/11")
    assert grid.currentIndex().row() == row + 1  # moved down for the next vote
    with db.session_scope() as s:
        history = households.vote_history(s, pid, ids[8])
        assert [(e.old_vote, e.new_vote) for e in history] == [("未表决", "反对"), ("反对", "同意")]
        assert households.project_tally(s, pid).passed


def test_area_typed_then_enter_moves_on_and_bad_area_is_refused(qtbot, ctx, db) -> None:
    pid, ids = _project(db)
    tab = ElevatorsTab(ctx)
    qtbot.addWidget(tab)
    tab.show()
    tab.open_project(pid)
    grid, model = tab.page.grid, tab.page.households
    grid.setFocus()
    grid.setCurrentIndex(model.index(0, COL_AREA))
    qtbot.keyClick(grid, "9")  # typing starts the editor with the first key
    editor = grid.viewport().findChild(QLineEdit) or grid.findChild(QLineEdit)
    assert editor is not None and editor.text() == "9"
    qtbot.keyClicks(editor, "5.5")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # Qt commits an Enter asynchronously
    qtbot.waitUntil(lambda: model.row_at(0).area == Decimal("95.5"))
    assert grid.currentIndex().column() == COL_AREA + 1
    assert tab.page.tally.cells["participation_area"].text().startswith("995.50㎡/1085.50㎡")
    assert not model.setData(model.index(1, COL_AREA), "-3")
    assert "专有面积" in tab.page.status.text()


def test_vote_keys_cycle_and_zero_clears(qtbot, ctx, db) -> None:
    pid, _ids = _project(db)
    tab = ElevatorsTab(ctx)
    qtbot.addWidget(tab)
    tab.open_project(pid)
    grid, model = tab.page.grid, tab.page.households
    grid.setCurrentIndex(model.index(11, COL_VOTE))
    qtbot.keyClick(grid, Qt.Key.Key_Space)
    assert model.row_at(11).vote == "同意"
    qtbot.keyClick(grid, Qt.Key.Key_0)
    assert model.row_at(11).vote == "未表决" and model.row_at(11).voted_on is None
    assert tab.page.page.today == dt.date.today()


def test_mediation_dialog_changes_a_vote_and_page_shows_new_tally(qtbot, ctx, db) -> None:
    from liandu_desk.domain.elevators import DisputeType
    from liandu_desk.services.elevators import disputes
    from liandu_desk.ui.elevators.mediation import MediationDialog

    pid, ids = _project(db)
    with db.session_scope() as s:
        did = disputes.create_dispute(s, pid, DisputeType.SCHEME_CHANGE, "方案变更", dt.date(2021, 3, 1), ids[8:11])
    tab = ElevatorsTab(ctx)
    qtbot.addWidget(tab)
    tab.open_project(pid)
    panel = tab.page.disputes
    assert panel.current().id == did and not panel.sessions.rows
    parties = [h for h in tab.page.page.households if h.id in panel.current().party_ids]
    dialog = MediationDialog(parties, "社区", lambda v: panel.save_session(did, v), tab, dt.date(2021, 3, 10))
    qtbot.addWidget(dialog)
    dialog.place.setText("社区议事厅")
    dialog.mediator.setText("社区调解员")
    dialog.outcome.setText("501业主同意")
    dialog.findChild(QComboBox, "vote_501").setCurrentText("同意")
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted
    panel.changed.emit()
    assert [m.place for m in panel.sessions.rows] == ["社区议事厅"]
    assert "未通过" not in tab.page.tally.verdict.text()
    history = [(e.room, e.old_vote, e.new_vote, e.reason) for e in tab.page.votes.rows if e.room == "501"]
    assert history == [("501", "未表决", "反对", None), ("501", "反对", "同意", "调解后改变表决意见")]


def test_settings_dialog_saves_coefficients_and_refuses_bad_ones(qtbot, ctx, db, monkeypatch) -> None:

    from liandu_desk.services.elevators.config import load_config
    from liandu_desk.ui.elevators.settings_dialog import ElevatorSettingsDialog

    dialog = ElevatorSettingsDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.findChild(QLineEdit, "coef_3").setText("abc")
    dialog.accept()
    assert "楼层分摊系数" in dialog.error_label.text()  # the refusal stays in the form
    assert not dialog.error_label.isHidden()
    dialog.findChild(QLineEdit, "coef_3").setText("0.75")
    dialog.one_owner.setChecked(False)
    dialog.accept()
    with db.session_scope() as s:
        config = load_config(s)
    assert config.coefficient(3) == Decimal("0.75") and not config.one_owner_one_person


def test_enter_opens_project_and_filters_narrow_the_list(qtbot, ctx, db) -> None:
    pid, _ids = _project(db)
    with db.session_scope() as s:
        make_project(s, estate="白云山庄", building="3", unit="1")
    tab = ElevatorsTab(ctx)
    qtbot.addWidget(tab)
    tab.show()
    tab.activate()
    assert [r.title for r in tab.model.rows] == ["望湖公寓1幢2单元", "白云山庄3幢1单元"]
    tab.search.setText("白云")
    tab.refresh()
    assert [r.title for r in tab.model.rows] == ["白云山庄3幢1单元"]
    tab.search.setText("")
    tab.stage.setCurrentIndex(1)  # 1. 意愿征询
    assert len(tab.model.rows) == 2
    tab.table.setFocus()
    tab.table.setCurrentIndex(tab.model.index(0, 0))
    qtbot.keyClick(tab.table, Qt.Key.Key_Return)
    assert tab.stack.currentWidget() is tab.page and tab.page.project_id == pid
    assert tab.page.title.text().startswith("望湖公寓1幢2单元")
    tab.page.back_requested.emit()
    assert tab.stack.currentIndex() == 0


def test_edit_project_dialog_round_trip(qtbot, ctx, db) -> None:
    from liandu_desk.services.elevators.projects import update_project
    from liandu_desk.ui.elevators.project_form import ProjectDialog

    pid, _ids = _project(db)
    tab = ElevatorsTab(ctx)
    qtbot.addWidget(tab)
    tab.open_project(pid)
    page = tab.page.page
    saved = []

    def save(data):  # as the page does: hand back the write, the form runs it as a job
        saved.append(data)
        return lambda session: update_project(session, pid, data, page.version)

    dialog = ProjectDialog([], save, tab)
    qtbot.addWidget(dialog)
    dialog.fill(page)
    assert (dialog.estate.text(), dialog.building.text(), dialog.unit.text()) == ("望湖公寓", "1", "2")
    dialog.budget.setText("500,000")
    dialog.accept()
    tab.page.reload()
    assert saved and tab.page.page.budget == Decimal("500000")
    assert sum(s.amount for s in tab.page.shares.rows) == Decimal("500000")


def test_a_flat_entered_by_mistake_is_deleted_after_asking_one_that_voted_is_kept(qtbot, ctx, db, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    from liandu_desk.domain.elevators import ElevatorHousehold
    from liandu_desk.domain.errors import RuleError

    pid, ids = _project(db)  # ids[11] (602) has not voted
    tab = ElevatorsTab(ctx)
    qtbot.addWidget(tab)
    tab.show()
    tab.open_project(pid)
    page = tab.page
    model = page.households
    asked: list[str] = []
    warned: list[str] = []

    def yes(_parent, _title, text, *args, **kwargs):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", staticmethod(yes))
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda _p, _t, text, *a, **k: warned.append(text)))
    voted_row = next(i for i, r in enumerate(model.rows) if r.id == ids[0])
    page.grid.setCurrentIndex(model.index(voted_row, 0))
    page._delete_household()
    assert warned and "已有表决记录" in warned[0]
    spare = next(i for i, r in enumerate(model.rows) if r.id == ids[11])
    room = model.rows[spare].room
    page.grid.setCurrentIndex(model.index(spare, 0))
    page._delete_household()
    assert f"删除{room}" in asked[-1]
    assert ids[11] not in [r.id for r in model.rows] and model.rowCount() == 11
    with db.session_scope() as s:
        assert s.get(ElevatorHousehold, ids[11]) is None and s.get(ElevatorHousehold, ids[0]) is not None
        try:
            households.delete_household(s, ids[8])  # voted 反对
        except RuleError as exc:
            assert "已有表决记录" in exc.message
        else:
            raise AssertionError("a flat that voted must not be deleted")
