"""The 危房 workflow driven as a clerk would, on the real widgets of a fresh database made through the first start:
new house → 排查 → 鉴定C → 立案 → numbered 整改通知书 → 进展 → 完成 → 复鉴B → 销号; a 科员 is refused 签发 and 销号
with the reason shown."""

from __future__ import annotations

import dataclasses
import datetime as dt

from conftest import FIRST_START_PASSWORD as PASSWORD
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialog, QMessageBox

from liandu_desk.domain.permissions import Permission
from liandu_desk.services.clerks import add_clerk
from liandu_desk.services.houses import detail as detail_service
from liandu_desk.ui.documents.preview import DocumentPreviewDialog
from liandu_desk.ui.houses import case_forms, record_forms
from liandu_desk.ui.houses.tab import HousesTab
from liandu_desk.ui.kit import forms


def _latest_form(parent: QDialog, kind: type) -> QDialog:
    found = [d for d in parent.findChildren(kind) if d.isVisible()]
    assert found, f"no {kind.__name__} is open"
    return found[-1]


def test_a_house_from_screening_to_close_out(first_start, qtbot, monkeypatch) -> None:
    ctx = first_start
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *_a, **_k: QMessageBox.StandardButton.Yes))
    for module in (forms, case_forms, record_forms):  # the clerk answers 是 to every confirmation
        monkeypatch.setattr(module, "confirm", lambda *_a: True)
    tab = HousesTab(ctx)
    qtbot.addWidget(tab)
    tab.activate()

    form = tab.new_house()
    f = form.fields
    f["乡镇（街道）"].setCurrentIndex(f["乡镇（街道）"].findText("峰源乡"))
    f["地址（门牌）"].setText("峰源村18号")
    f["户主姓名"].setText("叶土根")
    qtbot.keyClicks(f["层数"], "2")
    qtbot.keyClick(f["户主姓名"], Qt.Key.Key_Return)  # Enter saves
    assert form.result() == QDialog.DialogCode.Accepted, form.error_label.text()
    page = tab.house_page
    house_id = page.house_id

    def through(button, kind_name: str, fill) -> None:
        button.click()
        kind = getattr(record_forms, kind_name, None) or getattr(case_forms, kind_name)
        dialog = _latest_form(page, kind)
        fill(dialog.fields)
        dialog.accept()
        assert dialog.result() == QDialog.DialogCode.Accepted, dialog.error_label.text()

    through(page.screening_button, "ScreeningFormDialog", lambda f: f["排查日期"].setDate(QDate(2021, 3, 5)))

    def grade(letter: str, handling: str, day: QDate):
        def fill(f) -> None:
            f["鉴定日期"].setDate(day)
            f["鉴定等级"].setCurrentIndex(f["鉴定等级"].findData(letter))
            f["处理类型"].setCurrentIndex(f["处理类型"].findData(handling))
            f["鉴定机构"].setText("丽水市房屋安全鉴定所")

        return fill

    through(page.appraisal_button, "AppraisalFormDialog", grade("C", "处理使用", QDate(2021, 3, 20)))
    assert "C级" in page.header.text()
    through(page.case_button, "CaseFormDialog", lambda f: f["立案日期"].setDate(QDate(2021, 3, 25)))

    issued: list[str] = []

    def preview_exec(preview: DocumentPreviewDialog) -> int:
        preview.issue_date.setDate(QDate(2021, 4, 1))
        preview.issue_button.click()  # asks (answered yes) and issues: a number and frozen PDF
        issued.append(preview.header.text())
        return 0

    monkeypatch.setattr(DocumentPreviewDialog, "exec", preview_exec)
    page.notice_action.trigger()
    assert issued and "莲建危改〔2021〕1号" in issued[0] and "已签发" in issued[0]

    def progress(f) -> None:
        f["进展日期"].setDate(QDate(2021, 5, 10))
        f["进展情况"].setText("已完成屋面加固")

    through(page.progress_button, "ProgressFormDialog", progress)
    through(page.complete_button, "CompleteCaseDialog", lambda f: f["完成日期"].setDate(QDate(2021, 5, 20)))
    through(page.appraisal_button, "AppraisalFormDialog", grade("B", "观察使用", QDate(2021, 5, 28)))
    through(page.close_button, "CloseCaseDialog", lambda f: f["销号日期"].setDate(QDate(2021, 6, 1)))

    with ctx.session_scope() as session:
        house = detail_service.house_detail(session, house_id)
    assert [a.grade for a in house.appraisals] == ["C", "B"]
    assert (house.cases[0].status, house.cases[0].closed_on) == ("已销号", dt.date(2021, 6, 1))
    assert page.timeline.lines()[-1] == "2021-06-01 销号 销号"


def test_a_clerk_is_refused_issuing_and_close_out_with_the_reason_shown(first_start, qtbot, monkeypatch) -> None:
    ctx = first_start
    with ctx.session_scope() as session:
        clerk = add_clerk(session, "yezhen", "叶珍", "科员", PASSWORD)
    mine = dataclasses.replace(ctx, clerk=clerk)
    from documents_factories import dangerous_house

    with ctx.session_scope() as session:
        house = dangerous_house(session)
    page = HousesTab(mine)
    qtbot.addWidget(page)
    page.open_house(house)
    house_page = page.house_page
    assert not house_page.close_button.isEnabled()
    assert house_page.close_button.toolTip() == f"叶珍没有“{Permission.CLOSE_CASES.value}”的权限"
    shown: list[DocumentPreviewDialog] = []
    monkeypatch.setattr(DocumentPreviewDialog, "exec", lambda preview: shown.append(preview) or 0)
    house_page.notice_action.trigger()  # a 科员 drafts …
    preview = shown[-1]
    assert not preview.issue_button.isEnabled()  # … but may not issue, and is told why
    assert preview.issue_button.toolTip() == "签发需要审核人员或管理员权限"
