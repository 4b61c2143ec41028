"""Forms behave the same everywhere (one kit FormDialog): 保存 is the default button and stays enabled while the form
loads, Enter either saves the record or shows why not (never closes silently), Esc asks before throwing typed input
away, and the first empty field has the focus."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from houses_gui_factories import small_town
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLineEdit, QMessageBox

from liandu_desk.ui.houses.case_forms import ProgressFormDialog
from liandu_desk.ui.houses.house_form import HouseFormDialog
from liandu_desk.ui.houses.owner_forms import ConsentDialog
from liandu_desk.ui.houses.page import HousePageDialog
from liandu_desk.ui.houses.record_forms import ScreeningFormDialog
from liandu_desk.ui.kit.form_dialog import FormDialog


@pytest.fixture
def houses(db) -> dict[str, int]:
    return small_town(db)


def _shown(qtbot, dialog: FormDialog) -> FormDialog:
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _enter(qtbot, dialog: FormDialog) -> None:
    target = dialog.focusWidget() or dialog
    qtbot.keyClick(target, Qt.Key.Key_Return)


FORMS: dict[str, Callable] = {
    "新建房屋": lambda ctx, houses, page: HouseFormDialog(ctx, None),
    "排查": lambda ctx, houses, page: ScreeningFormDialog(ctx, houses["陈小红"], page),
    "整改进展": lambda ctx, houses, page: ProgressFormDialog(ctx, page.cases.current().id, page),
    "电子送达同意": lambda ctx, houses, page: ConsentDialog(ctx, page.data.detail.owner_id, "王芳", page),
}


@pytest.mark.parametrize("name", list(FORMS))
def test_enter_saves_or_says_why_never_closes_silently(ctx, qtbot, db, houses, name) -> None:
    page = HousePageDialog(ctx, houses["王芳"])
    qtbot.addWidget(page)
    dialog = _shown(qtbot, FORMS[name](ctx, houses, page))
    assert dialog.save_button.isDefault() and dialog.save_button.isEnabled()
    assert not dialog.cancel_button.autoDefault()
    _enter(qtbot, dialog)  # nothing typed yet
    saved = dialog.result() == QDialog.DialogCode.Accepted
    explained = dialog.isVisible() and bool(dialog.error_label.text())
    assert saved != explained, f"{name}: saved={saved}, message={dialog.error_label.text()!r}"


def test_enter_while_the_form_loads_waits_instead_of_cancelling(ctx, qtbot) -> None:
    dialog = _shown(qtbot, HouseFormDialog(ctx, None))
    dialog.set_busy("正在读取……")  # as while the township list is still being read
    _enter(qtbot, dialog)
    assert dialog.isVisible()  # not cancelled: Enter waited
    assert dialog.save_button.isEnabled() and dialog.save_button.isDefault()


def test_escape_after_typing_asks_and_keeps_the_input(ctx, qtbot, monkeypatch) -> None:
    asked: list[str] = []
    answer = QMessageBox.StandardButton.No
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda _p, _t, text, *_a: asked.append(text) or answer))
    dialog = _shown(qtbot, HouseFormDialog(ctx, None))
    dialog.fields["地址（门牌）"].setText("下赵村9号")
    qtbot.keyClick(dialog.fields["地址（门牌）"], Qt.Key.Key_Escape)
    assert asked and "尚未保存" in asked[0]
    assert dialog.isVisible() and dialog.fields["地址（门牌）"].text() == "下赵村9号"
    untouched = _shown(qtbot, HouseFormDialog(ctx, None))
    qtbot.keyClick(untouched, Qt.Key.Key_Escape)  # nothing typed: closes without asking
    assert len(asked) == 1 and not untouched.isVisible()


def test_the_first_empty_field_has_the_focus(ctx, qtbot) -> None:
    dialog = _shown(qtbot, HouseFormDialog(ctx, None))
    focused = dialog.focusWidget()
    assert isinstance(focused, QLineEdit) and focused is dialog.fields["地址（门牌）"]


def test_a_refused_service_record_keeps_the_form_open_with_the_reason(ctx, qtbot, db) -> None:
    import datetime as dt

    from documents_factories import dangerous_house

    from liandu_desk.domain.documents import Document
    from liandu_desk.services.documents import lifecycle
    from liandu_desk.services.documents.house_notices import draft_house_notice
    from liandu_desk.ui.documents.serve_dialog import ServeDialog

    with db.session_scope() as session:
        draft = draft_house_notice(session, dangerous_house(session), "测试员")
        lifecycle.issue(session, draft.id, dt.date(2021, 9, 17), "测试员")
    dialog = ServeDialog(ctx, "莲建危改〔2021〕1号", "李秀英")

    def make():
        values, refusal = dialog.values(), dialog.refusal()  # read on the GUI thread, written in the job
        return lambda session: lifecycle.serve(session, draft.id, *values, refusal)

    dialog.make = make
    _shown(qtbot, dialog)
    dialog.method.setCurrentText("留置送达")
    dialog.refusal_reason.setText("拒绝签收")
    _enter(qtbot, dialog)  # no witness
    assert dialog.isVisible() and "见证人" in dialog.error_label.text()
    assert dialog.refusal_reason.text() == "拒绝签收"  # what was typed is still there
    dialog.witness.setText("村委会主任王某")
    _enter(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    with db.session_scope() as session:
        assert session.get(Document, draft.id).status.value == "已送达"
