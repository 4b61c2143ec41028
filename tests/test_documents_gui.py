"""Document GUI: preview a draft, issue it from the dialog, the register lists and filters it, summary dialog."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from documents_factories import dangerous_house

from liandu_desk.services.documents.house_notices import draft_house_notice
from liandu_desk.ui.documents.preview import DocumentPreviewDialog
from liandu_desk.ui.documents.register_dialog import DocumentRegisterDialog
from liandu_desk.ui.documents.summary_dialog import SummaryDialog
from liandu_desk.ui.kit.pdf_view import HAVE_QTPDF

D = dt.date
SHOTS = os.environ.get("LIANDU_DOC_SHOTS")  # folder for screenshots when looking at the dialogs by eye


def _shot(widget, name: str) -> None:
    if SHOTS:
        widget.grab().save(os.path.join(SHOTS, name))


@pytest.fixture
def draft_id(ctx) -> int:
    with ctx.session_scope() as session:
        return draft_house_notice(session, dangerous_house(session), "测试员").id


def test_preview_then_issue_from_the_dialog(ctx, qtbot, draft_id) -> None:
    dialog = DocumentPreviewDialog(ctx, draft_id)
    qtbot.addWidget(dialog)
    dialog.show()
    assert "未分配文号" in dialog.header.text() and "草稿" in dialog.header.text()
    assert dialog.issue_button.isVisible() and dialog.issue_button.isEnabled()
    assert dialog.preview.pdf_bytes.startswith(b"%PDF")
    if HAVE_QTPDF:
        assert dialog.preview.page_count() == 3
    _shot(dialog, "document-preview-draft.png")
    dialog.issue(D(2021, 9, 17))
    assert "莲建危改〔2021〕1号" in dialog.header.text() and "已签发" in dialog.header.text()
    assert not dialog.issue_button.isVisible()
    _shot(dialog, "document-preview-issued.png")


def test_register_lists_filters_and_serves(ctx, qtbot, draft_id, monkeypatch) -> None:
    DocumentPreviewDialog(ctx, draft_id).issue(D(2021, 9, 17))
    dialog = DocumentRegisterDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    register = dialog.register
    assert register.model.rowCount() == 1
    assert register.model.row_at(0).number == "莲建危改〔2021〕1号"
    register.search.setText("没有这个人")
    register.refresh()
    assert register.model.rowCount() == 0
    register.search.setText("秀英")
    register.status.setCurrentText("已签发")
    register.refresh()
    assert register.model.rowCount() == 1
    register.table.selectRow(0)
    assert register._buttons["serve"].isEnabled() and not register._buttons["follow"].isEnabled()
    from liandu_desk.services.documents import lifecycle

    register._write(lambda s: lifecycle.serve(s, draft_id, "直接送达", D(2021, 9, 18), "李秀英"), "送达")
    register.status.setCurrentText("全部")
    register.refresh()
    assert register.model.row_at(0).status in ("已送达", "已到期")
    _shot(dialog, "document-register.png")


def test_summary_dialog_generates_a_pdf(ctx, qtbot) -> None:
    dialog = SummaryDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.set_period(D(2021, 1, 1), D(2021, 6, 30))
    dialog.generate()
    assert dialog.preview.pdf_bytes.startswith(b"%PDF")
    assert dialog.warning.text() == ""


def test_batch_dialog_issues_with_progress_and_cancel(ctx, qtbot, tmp_path) -> None:
    from liandu_desk.services.documents.numbering import list_numbers
    from liandu_desk.ui.documents.batch_dialog import BatchNoticeDialog

    with ctx.session_scope() as session:
        for i in range(3):
            dangerous_house(session, owner=f"户主{i}", address=f"下河村{i + 1}号")
    dialog = BatchNoticeDialog(ctx)
    qtbot.addWidget(dialog)
    assert dialog.township.findText("碧湖镇") >= 0
    dialog.township.setCurrentText("碧湖镇")
    dialog.issue.setChecked(True)
    dialog.issued_on.setDate(dialog.issued_on.date().fromString("2021-09-17", "yyyy-MM-dd"))
    request = dialog.request()
    assert request.division == "碧湖镇" and request.issue and request.grades == ("C", "D")

    from liandu_desk.services.documents.batch import run_batch

    with pytest.raises(Exception, match="已取消"):
        run_batch(ctx.db, request, tmp_path / "cancelled.pdf", cancelled=lambda: True)
    assert not (tmp_path / "cancelled.pdf").exists()
    with ctx.session_scope() as session:
        assert list_numbers(session) == []  # cancelled inside the transaction: no number taken
    dialog.run(request, tmp_path / "batch.pdf")
    assert dialog.result.count == 3 and dialog.result.first_number == "莲建危改〔2021〕1号"
    assert "已生成3份" in dialog.status.text()
    assert (tmp_path / "batch.pdf").read_bytes().startswith(b"%PDF")


def test_holiday_dialog_lists_and_edits_the_calendar(ctx, qtbot, monkeypatch) -> None:
    from PySide6.QtCore import QDate, Qt

    from liandu_desk.ui.documents.holidays import HolidayDialog, HolidayForm

    dialog = HolidayDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.year.setValue(2021)
    days = {row.day: row for row in dialog.model.rows}
    assert days[D(2021, 10, 9)].kind == "调休上班" and days[D(2021, 10, 1)].name == "国庆节"
    dialog.year.setValue(2031)
    assert dialog.model.rowCount() == 0

    def fill(form) -> int:  # the clerk types the day and presses Enter
        form.show()
        form.day.setDate(QDate(2031, 10, 1))
        form.name.setText("国庆节")
        qtbot.keyClick(form.name, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: form.result() == 1)
        return form.result()

    monkeypatch.setattr(HolidayForm, "exec", fill)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert [(r.day, r.kind, r.name) for r in dialog.model.rows] == [(D(2031, 10, 1), "放假", "国庆节")]
    _shot(dialog, "document-holidays.png")


def test_entry_points_open_previews(ctx, qtbot, monkeypatch) -> None:
    from liandu_desk.ui.documents import preview
    from liandu_desk.ui.houses.page import open_house_notice
    from liandu_desk.ui.kit import pdf_view

    shown: list[str] = []
    monkeypatch.setattr(preview.DocumentPreviewDialog, "exec", lambda self: shown.append(self.header.text()))
    monkeypatch.setattr(pdf_view.PdfPreviewDialog, "exec", lambda self: shown.append(self.windowTitle()))
    with ctx.session_scope() as session:
        house = dangerous_house(session)
    open_house_notice(ctx, house)  # drafts, then opens the draft through ctx.open_record("document", …)
    pdf_view.open_dossier(ctx, "house", house)
    assert "危房整改通知书" in shown[0] and "草稿" in shown[0]
    assert shown[1] == "案卷_house_1"
