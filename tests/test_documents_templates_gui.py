"""文书 → 文书模板: edit a section, the live preview follows, save makes a version; unknown placeholders are
named and block saving; 恢复默认 adds a version; a clerk without the right only looks."""

from __future__ import annotations

import os

import pytest
from documents_factories import pdf_text
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from liandu_desk.services.documents.templates import history
from liandu_desk.ui.documents.templates_dialog import DocumentTemplateDialog
from liandu_desk.ui.main_window import MainWindow

SHOTS = os.environ.get("LIANDU_DOC_SHOTS")  # folder for screenshots when looking at the dialog by eye
NEW_TEXT = "整改完成后请报告{属地}和我局，并于{报送天数}日内报送复查鉴定报告。联系电话：{联系电话}。"


def _text(dialog: DocumentTemplateDialog) -> str:
    return pdf_text(dialog.preview.pdf_bytes).replace("\n", "").replace(" ", "")


def _select_slot(dialog: DocumentTemplateDialog, key: str) -> None:
    labels = [slot.key for slot in dialog.spec.slots]
    dialog.slots.setCurrentRow(labels.index(key))


@pytest.fixture
def dialog(ctx, qtbot) -> DocumentTemplateDialog:
    dialog = DocumentTemplateDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.preview.pdf_bytes.startswith(b"%PDF"))
    return dialog


def test_edit_updates_the_preview_and_save_makes_a_version(ctx, qtbot, dialog) -> None:
    assert dialog.key == "house_notice" and dialog.templates.rowCount() == 8
    assert "核对提示" in _text(dialog) and "尚未核实" in dialog.notes.text()  # the sample cites unverified bases
    dialog.save()  # nothing changed: 保存 stays the default and says why it does not save
    assert dialog.status.text() == "没有修改，无需保存"
    _select_slot(dialog, "报告与后果")
    assert "{联系电话}" in dialog.editor.toPlainText()
    dialog.editor.setPlainText(NEW_TEXT)
    qtbot.waitUntil(lambda: "日内报送复查鉴" in _text(dialog), timeout=5000)
    assert "未保存的修改" in dialog.preview_state.text()
    assert dialog.why_not_saved() == "" and dialog.problems.text() == ""
    if SHOTS:
        qtbot.wait(1500)  # QtPdf renders pages on a thread of its own
        dialog.grab().save(os.path.join(SHOTS, "document-templates.png"))
    dialog.note.setText("按法制科意见修改")
    qtbot.keyClick(dialog.note, Qt.Key.Key_Return)  # Enter in 修改说明 saves
    qtbot.waitUntil(lambda: "已保存为第1版" in dialog.status.text())
    with ctx.session_scope() as session:
        (version,) = history(session, "house_notice")
    assert (version.revision, version.origin, version.note) == (1, "修改", "按法制科意见修改")
    assert version.slots["报告与后果"] == NEW_TEXT
    qtbot.waitUntil(lambda: dialog.versions.rowCount() == 1)
    assert "已保存为第1版" in dialog.status.text() and not dialog.dirty
    assert dialog.templates.row_at(0).version_text == "第1版（修改）"


def test_unknown_placeholder_is_named_and_blocks_saving(qtbot, dialog) -> None:
    _select_slot(dialog, "鉴定事实")
    dialog.editor.setPlainText("你位于{房子地址}的房屋危险性等级为{危险等级}级。")
    assert "未知的占位符{房子地址}" in dialog.problems.text()
    dialog.save()
    assert dialog.status.text() == "文本有问题（见红字），改正后才能保存"
    qtbot.waitUntil(lambda: "【未知占位符：{房子地址}】" in _text(dialog), timeout=5000)
    dialog.revert()
    assert dialog.problems.text() == "" and not dialog.dirty


def test_placeholder_list_inserts_at_the_cursor(dialog) -> None:
    _select_slot(dialog, "标题")
    names = [dialog.placeholders.item(i).text() for i in range(dialog.placeholders.count())]
    assert any(name.startswith("{户主姓名}") for name in names)
    dialog.editor.moveCursor(dialog.editor.textCursor().MoveOperation.End)
    dialog._insert_placeholder(dialog.placeholders.item(0))
    assert dialog.editor.toPlainText() == "危房整改通知书{发文单位}"


def test_reset_to_default_is_a_new_version(ctx, qtbot, dialog, monkeypatch) -> None:
    _select_slot(dialog, "报告与后果")
    dialog.editor.setPlainText(NEW_TEXT)
    dialog.save()
    qtbot.waitUntil(lambda: dialog.versions.rowCount() == 1)
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes))
    dialog.reset_default()
    qtbot.waitUntil(lambda: dialog.versions.rowCount() == 2)
    with ctx.session_scope() as session:
        assert [(v.revision, v.origin) for v in history(session, "house_notice")] == [(2, "恢复默认"), (1, "修改")]
    assert "整改完成后请报告白云街道和我局" in _text(dialog)


def test_another_template_and_an_old_version(ctx, qtbot, dialog) -> None:
    keys = [row.key for row in dialog.templates.rows]
    dialog.template_table.selectRow(keys.index("receipt"))
    qtbot.waitUntil(lambda: dialog.key == "receipt" and "送达回证" in _text(dialog))
    _select_slot(dialog, "栏目_见证人")
    dialog.editor.setPlainText("见证人签字")
    dialog.save()
    qtbot.waitUntil(lambda: dialog.versions.rowCount() == 1)
    dialog.load_version(dialog.versions.row_at(0))
    assert not dialog.dirty
    qtbot.waitUntil(lambda: "见证人签字" in _text(dialog))


def test_a_clerk_without_the_right_only_looks(ctx, qtbot) -> None:
    from dataclasses import replace

    viewer = replace(ctx, clerk=replace(ctx.clerk, role="审核"))
    dialog = DocumentTemplateDialog(viewer)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.preview.pdf_bytes.startswith(b"%PDF"))
    assert dialog.editor.isReadOnly() and not dialog.save_button.isVisibleTo(dialog)
    assert not dialog.reset_button.isEnabled()


def test_the_documents_menu_opens_it(ctx, qtbot, monkeypatch) -> None:
    opened = []
    monkeypatch.setattr(DocumentTemplateDialog, "exec", lambda self: opened.append(self.windowTitle()) or 0)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    menu = next(a.menu() for a in window.menuBar().actions() if a.text().startswith("文书"))
    action = next(a for a in menu.actions() if a.text().startswith("文书模板"))
    action.trigger()
    assert opened == ["文书模板"]
