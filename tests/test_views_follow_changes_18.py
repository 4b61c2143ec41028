"""Issue 18: views follow announced changes and refresh; forms write through kit.ops, stay open on a refusal and
close on success; start-up work runs inside a job."""

from __future__ import annotations

import pytest
from houses_gui_factories import make_house, small_town
from PySide6.QtWidgets import QWidget

from liandu_desk.domain.errors import RuleError
from liandu_desk.services.settings import get_setting
from liandu_desk.ui.kit import ops
from liandu_desk.ui.kit.jobs import inside_job


def test_the_houses_list_reloads_when_houses_are_announced_and_keeps_the_selection(ctx, db, qtbot) -> None:
    from liandu_desk.ui.houses.tab import HousesTab

    small_town(db)
    tab = HousesTab(ctx)
    qtbot.addWidget(tab)
    tab.activate()
    tab.table.selectRow(1)
    kept = tab.current_house_id()
    with db.session_scope() as session:
        make_house(session, "赵六", "下赵村20号", serial=19)
    assert tab.count_label.text() == "共 4 户", "nothing announced yet"
    ctx.changed("house")
    assert tab.count_label.text() == "共 5 户"
    assert tab.current_house_id() == kept


def test_a_tab_stops_following_once_destroyed(ctx, qtbot) -> None:
    heard: list[str] = []
    owner = QWidget()
    ctx.changes.follow(["house"], lambda kind, _ids: heard.append(kind), owner=owner)
    ctx.changed("house")
    owner.deleteLater()
    qtbot.waitUntil(lambda: _deleted(owner))
    ctx.changed("house")
    assert heard == ["house"]


def _deleted(widget: QWidget) -> bool:
    from shiboken6 import isValid

    return not isValid(widget)


def test_the_settings_dialog_reads_in_a_job_keeps_a_refused_value_and_announces_a_saved_one(
    ctx, qtbot, monkeypatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from liandu_desk.ui.admin.settings_dialog import SettingsDialog

    announced: list[str] = []
    ctx.changes.follow(["setting"], lambda kind, _ids: announced.append(kind))
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warnings.append(text))
    dialog = SettingsDialog(ctx)
    qtbot.addWidget(dialog)
    name, prefix = dialog.editors["bureau.name"], dialog.editors["prefix.community_notice"]
    assert name.text() == "丽水市莲都区建设局"
    name.setText("丽水市莲都区住房和城乡建设局")
    prefix.setText("LJ-2021")
    dialog.accept()
    assert dialog.error_label.text().startswith("小区整改通知书文号代字")
    assert not warnings and dialog.result() == 0 and prefix.text() == "LJ-2021" and not announced
    with ctx.session_scope() as session:
        assert get_setting(session, "bureau.name") == "丽水市莲都区建设局", "a refused save writes nothing"
    prefix.setText("莲建社")
    dialog.accept()
    assert announced == ["setting"] and dialog.result() == 1
    with ctx.session_scope() as session:
        assert get_setting(session, "bureau.name") == "丽水市莲都区住房和城乡建设局"


def test_start_up_work_runs_inside_a_job_and_raises_its_refusal(db) -> None:
    assert ops.before_window(db, lambda _session: inside_job()) is True

    def refuse(_session) -> None:
        raise RuleError("账户已锁定")

    with pytest.raises(RuleError, match="账户已锁定"):
        ops.before_window(db, refuse)
