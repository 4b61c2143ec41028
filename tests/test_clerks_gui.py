"""人员与权限 and 修改密码 in the GUI: an administrator adds, edits, disables, unlocks and resets clerks by typing and
pressing Enter; every change is in the database and the audit trail; others only look; a clerk changes their own
password; 切换用户 logs out."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from liandu_desk.domain.errors import LianduError
from liandu_desk.services import audit
from liandu_desk.services import clerks as clerk_service
from liandu_desk.ui.admin.clerks import ChangePasswordDialog, ClerkAdminDialog, ClerkDialog, ResetPasswordDialog
from liandu_desk.ui.kit.context import AppContext

PASSWORD = "Liandu-2026"


@pytest.fixture
def admin_dialog(ctx, qtbot) -> ClerkAdminDialog:
    dialog = ClerkAdminDialog(ctx)
    qtbot.addWidget(dialog)
    return dialog


def _add_through_the_form(ctx, qtbot, login: str, name: str, role: str) -> None:
    form = ClerkDialog(ctx)
    qtbot.addWidget(form)
    form.show()  # Enter presses the default button of a shown dialog
    qtbot.keyClicks(form.login, login)
    form.name.setText(name)  # typed Chinese goes through an input method, not key events
    form.role.setCurrentIndex(form.role.findData(role))
    qtbot.keyClicks(form.password, PASSWORD)
    qtbot.keyClicks(form.repeat, PASSWORD)
    qtbot.keyClick(form.repeat, Qt.Key.Key_Return)
    assert form.result() == form.DialogCode.Accepted, form.error.text()


def test_an_administrator_adds_a_clerk_who_can_then_log_in(ctx, qtbot, admin_dialog) -> None:
    _add_through_the_form(ctx, qtbot, "wangfang", "王芳", "科员")
    assert [r.login for r in admin_dialog.model.rows if r.name == "王芳"] == ["wangfang"]  # the list followed
    with ctx.session_scope() as session:
        clerk = clerk_service.authenticate(session, "wangfang", PASSWORD)
        entries = audit.history(session, "clerk", clerk.id)
    assert clerk.role == "科员" and entries[0].action == "insert"


def test_a_refusal_keeps_the_form_open_with_its_reason(ctx, qtbot) -> None:
    form = ClerkDialog(ctx)
    qtbot.addWidget(form)
    form.show()  # Enter presses the default button of a shown dialog
    qtbot.keyClicks(form.login, "li")
    form.name.setText("李")
    qtbot.keyClicks(form.password, PASSWORD)
    qtbot.keyClicks(form.repeat, PASSWORD + "x")
    qtbot.keyClick(form.repeat, Qt.Key.Key_Return)
    assert form.result() != form.DialogCode.Accepted and "两次输入的密码不一致" in form.error.text()
    form.repeat.setText(PASSWORD)
    form.name.setText("")
    form.accept()
    assert form.error.text() and form.result() != form.DialogCode.Accepted
    with ctx.session_scope() as session:
        assert "li" not in [c.login for c in clerk_service.list_clerks(session)]


def test_edit_disable_unlock_and_reset(ctx, qtbot, admin_dialog, monkeypatch) -> None:
    _add_through_the_form(ctx, qtbot, "zhaoli", "赵丽", "科员")
    row = next(r for r in admin_dialog.model.rows if r.login == "zhaoli")
    edit = ClerkDialog(ctx, row)
    qtbot.addWidget(edit)
    edit.show()  # Enter presses the default button of a shown dialog
    edit.role.setCurrentIndex(edit.role.findData("审核"))
    qtbot.keyClick(edit.name, Qt.Key.Key_Return)
    with ctx.session_scope() as session:
        for _ in range(5):
            with pytest.raises(LianduError):
                clerk_service.authenticate(session, "zhaoli", "wrong-password")
    admin_dialog.refresh()
    admin_dialog.table.selectRow(next(i for i, r in enumerate(admin_dialog.model.rows) if r.login == "zhaoli"))
    assert admin_dialog.buttons["unlock"].isEnabled()
    admin_dialog.buttons["unlock"].click()
    reset = ResetPasswordDialog(ctx, admin_dialog.selected())
    qtbot.addWidget(reset)
    reset.show()  # Enter presses the default button of a shown dialog
    qtbot.keyClicks(reset.password, "New-Pass-2026")
    qtbot.keyClicks(reset.repeat, "New-Pass-2026")
    qtbot.keyClick(reset.repeat, Qt.Key.Key_Return)
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *_a, **_k: QMessageBox.StandardButton.Yes))
    admin_dialog.buttons["toggle"].click()
    with ctx.session_scope() as session:
        rows = {r.login: r for r in clerk_service.clerk_rows(session)}
        assert rows["zhaoli"].role == "审核" and not rows["zhaoli"].active and rows["zhaoli"].state == "正常"
        with pytest.raises(LianduError, match="停用"):
            clerk_service.authenticate(session, "zhaoli", "New-Pass-2026")


def test_the_last_administrator_cannot_be_disabled(ctx, qtbot, admin_dialog, monkeypatch, no_blocking_message_boxes):
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *_a, **_k: QMessageBox.StandardButton.Yes))
    admin_dialog.table.selectRow(next(i for i, r in enumerate(admin_dialog.model.rows) if r.role == "管理员"))
    admin_dialog.buttons["toggle"].click()
    assert any("最后一个管理员" in text for text in no_blocking_message_boxes)
    with ctx.session_scope() as session:
        assert all(r.active for r in clerk_service.clerk_rows(session) if r.role == "管理员")


def test_a_clerk_only_looks_and_changes_their_own_password(ctx, qtbot) -> None:
    with ctx.session_scope() as session:
        clerk = clerk_service.add_clerk(session, "sunmin", "孙敏", "科员", PASSWORD)
    own = AppContext(db=ctx.db, jobs=ctx.jobs, clerk=clerk, router=ctx.router, changes=ctx.changes)
    dialog = ClerkAdminDialog(own)
    qtbot.addWidget(dialog)
    assert not any(button.isVisibleTo(dialog) for button in dialog.buttons.values())
    assert "只有管理员可以修改人员" in dialog.note.text()
    if not ctx.db.is_sqlite:
        pytest.skip("on a server a clerk changes the password of the login they connected with (test_server_logins)")
    change = ChangePasswordDialog(own)
    qtbot.addWidget(change)
    change.show()  # Enter presses the default button of a shown dialog
    qtbot.keyClicks(change.old, PASSWORD)
    qtbot.keyClicks(change.password, "Sun-Min-2026")
    qtbot.keyClicks(change.repeat, "Sun-Min-2026")
    qtbot.keyClick(change.repeat, Qt.Key.Key_Return)
    assert change.result() == change.DialogCode.Accepted, change.error.text()
    with ctx.session_scope() as session:
        assert clerk_service.authenticate(session, "sunmin", "Sun-Min-2026").login == "sunmin"


def test_switch_user_closes_the_window_for_the_next_login(ctx, qtbot, monkeypatch) -> None:
    from liandu_desk.ui.main_window import MainWindow

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *_a, **_k: QMessageBox.StandardButton.Yes))
    menu_texts = [a.text() for m in window.menuBar().actions() for a in m.menu().actions()]
    assert {"人员与权限…", "修改密码…", "切换用户/注销…"} <= set(menu_texts)
    window.switch_user()
    assert not window.isVisible()
    assert window.switch_requested == ctx.db.is_sqlite  # a server login is the connection's: a new start logs in
