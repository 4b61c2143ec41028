"""工具 → 村（社区）名册: the register per township, add, rename, retire and history, all through kit.ops."""

from __future__ import annotations

import os
from pathlib import Path

import conftest
import pytest
from PySide6.QtWidgets import QLineEdit

from liandu_desk.services import audit as audit_service
from liandu_desk.services.clerks import ClerkInfo
from liandu_desk.ui.admin.village_forms import (
    AddVillageForm,
    RegisterForm,
    RenameVillageForm,
    RetireVillageForm,
    VillageHistoryDialog,
)
from liandu_desk.ui.admin.village_register import VillageRegisterDialog
from liandu_desk.ui.kit.context import AppContext

SHOTS = os.environ.get("LIANDU_VILLAGE_SHOTS")  # folder for screenshots when looking at the dialog by eye


@pytest.fixture
def dialog(ctx, qtbot) -> VillageRegisterDialog:
    dialog = VillageRegisterDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _pick(dialog: VillageRegisterDialog, township: str, village: str | None = None) -> None:
    dialog.townships.setCurrentRow([dialog.townships.item(i).text() for i in range(15)].index(township))
    if village is not None:
        dialog.table.selectRow([r.name for r in dialog.model.rows].index(village))


def _fill(form, **values: str) -> None:
    for label, text in values.items():
        widget = form.fields[label]
        assert isinstance(widget, QLineEdit)
        widget.setText(text)


def test_lists_each_township_with_codes_and_no_session_on_the_gui_thread(dialog, tmp_path: Path) -> None:
    before = len(conftest.GUI_SESSIONS)
    _pick(dialog, "紫金街道")
    assert dialog.townships.count() == 15 and dialog.model.rowCount() == 27
    first = dialog.model.rows[0]
    assert (first.name, first.code, first.check_status) == ("永晖社区", "331102001001", "已核实")
    assert dialog.summary.text() == "紫金街道：现有村（社区）27个"
    _pick(dialog, "碧湖镇", "保定村")
    assert dialog.rename_button.isEnabled() and dialog.retire_button.isEnabled()
    assert conftest.GUI_SESSIONS[before:] == []
    shot = Path(SHOTS) if SHOTS else tmp_path
    assert dialog.grab().save(str(shot / "village-register.png"))


def test_add_rename_retire_through_the_forms(ctx, dialog, qtbot, tmp_path: Path, monkeypatch) -> None:
    shown: list[RegisterForm] = []
    monkeypatch.setattr(RegisterForm, "exec", lambda self: shown.append(self) or 0)
    _pick(dialog, "碧湖镇")
    dialog.add()
    form = shown[-1]
    assert isinstance(form, AddVillageForm) and form.windowTitle() == "新增村（社区）— 碧湖镇"
    _fill(form, 名称="保定村")
    form.accept()
    assert form.error_label.text() == "名称：碧湖镇已有“保定村”" and form.result_row is None
    form.show()
    assert form.grab().save(str((Path(SHOTS) if SHOTS else tmp_path) / "village-add-refused.png"))
    _fill(form, 名称="新湖村", 统计用区划代码="331102100299")
    form.accept()
    assert form.result_row is not None and form.result_row.check_status == "未核实"
    assert "新湖村" in [r.name for r in dialog.model.rows]  # the register followed the change
    _pick(dialog, "碧湖镇", "新湖村")
    dialog.rename()
    rename = shown[-1]
    assert isinstance(rename, RenameVillageForm)
    _fill(rename, 名称="新湖社区", 核对来源="莲政发〔2026〕1号")
    rename.accept()
    assert rename.result_row.name == "新湖社区" and rename.result_row.check_status == "已核实"
    assert "新湖社区" in [r.name for r in dialog.model.rows]
    _pick(dialog, "碧湖镇", "新湖社区")
    dialog.retire()
    retire = shown[-1]
    assert isinstance(retire, RetireVillageForm)
    retire.show()
    assert retire.grab().save(str((Path(SHOTS) if SHOTS else tmp_path) / "village-retire.png"))
    retire.accept()
    assert retire.result_row.valid_to is not None
    _pick(dialog, "碧湖镇", "新湖社区")
    assert not dialog.rename_button.isEnabled() and not dialog.retire_button.isEnabled()
    history = VillageHistoryDialog(ctx, dialog.selected(), dialog)
    qtbot.addWidget(history)
    assert [r.action_label for r in history.model.rows] == ["新增", "修改", "修改"]
    history.show()
    assert history.grab().save(str((Path(SHOTS) if SHOTS else tmp_path) / "village-history.png"))
    assert "新湖村 → 新湖社区" in history.model.rows[1].summary()
    with ctx.db.session_scope() as session:
        assert len(audit_service.history(session, "division", retire.result_row.id)) == 3


def test_a_clerk_without_the_right_only_looks(ctx, qtbot) -> None:
    clerk = ClerkInfo(id=ctx.clerk.id, login="li", name="李科员", role="科员", active=True)
    looking = AppContext(db=ctx.db, jobs=ctx.jobs, clerk=clerk)
    dialog = VillageRegisterDialog(looking)
    qtbot.addWidget(dialog)
    _pick(dialog, "碧湖镇", "保定村")
    assert not dialog.add_button.isEnabled() and not dialog.rename_button.isEnabled()
    assert dialog.history_button.isEnabled() and "维护村（社区）名册" in dialog.add_button.toolTip()


def test_the_tools_menu_opens_the_register(ctx, qtbot, monkeypatch) -> None:
    from liandu_desk.ui.main_window import MainWindow

    opened: list[str] = []
    monkeypatch.setattr(VillageRegisterDialog, "exec", lambda self: opened.append(self.windowTitle()) or 0)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    tools = next(a.menu() for a in window.menuBar().actions() if a.text() == "工具(&T)")
    action = next(a for a in tools.actions() if a.text() == "村（社区）名册…")
    action.trigger()
    assert opened == ["村（社区）名册"]
