"""The import dialog for appraisals, property companies and communities: check, then import, from the 文件 menu."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox
from sqlalchemy import func, select

from liandu_desk.domain.communities import PropertyCompany
from liandu_desk.domain.houses import Appraisal, House
from liandu_desk.io.reader import read_sheet
from liandu_desk.services.imports.houses import import_houses
from liandu_desk.ui.admin.record_import import RecordImportDialog
from tests.import_factories import good_row, write_xlsx
from tests.test_import_appraisals import HEADERS as APPRAISAL_HEADERS
from tests.test_import_appraisals import appraisal
from tests.test_import_communities import COMPANY_HEADERS, company


def count(db, model) -> int:
    with db.session_scope() as s:
        return s.scalar(select(func.count()).select_from(model))


def open_dialog(qtbot, ctx, kind: str, path, written: list | None = None) -> RecordImportDialog:
    dialog = RecordImportDialog(ctx, kind, on_written=(lambda: written.append(True)) if written is not None else None)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.check_button.isEnabled() and not dialog.import_button.isEnabled()
    dialog.path.setText(str(path))
    return dialog


def answer_yes(monkeypatch, asked: list[str]) -> None:
    def yes(_parent, _title, text, *args, **kwargs):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", staticmethod(yes))


def test_appraisals_are_checked_then_the_valid_rows_imported(qtbot, ctx, db, tmp_path, monkeypatch):
    import_houses(db, write_xlsx(tmp_path / "houses.xlsx", [good_row(i) for i in (1, 2)]))
    rows = [appraisal(1), appraisal(2, 鉴定等级="E"), appraisal(9)]  # E: no such grade; 9: no such house
    path = write_xlsx(tmp_path / "a.xlsx", rows, headers=APPRAISAL_HEADERS)
    written: list = []
    dialog = open_dialog(qtbot, ctx, "appraisals", path, written)
    dialog.check()
    model = dialog.rejection_model
    assert [(model.row_at(i).row, model.row_at(i).column) for i in range(model.rowCount())] == [
        (6, "鉴定等级"),
        (7, "详细地址"),
    ]
    assert "有效 1 行，拒绝 2 行" in dialog.info.text() and count(db, Appraisal) == 0
    assert not dialog.import_button.isEnabled()  # all or nothing unless the clerk says otherwise
    dialog.skip.setChecked(True)
    assert dialog.import_button.isEnabled()
    asked: list[str] = []
    answer_yes(monkeypatch, asked)
    dialog.start_import()
    assert "写入 1 行" in asked[0]
    assert count(db, Appraisal) == 1 and written == [True]
    assert "新增鉴定记录 1" in dialog.info.text()
    assert not dialog.import_button.isEnabled()  # imported once; check again to import again
    with db.session_scope() as s:
        assert s.scalar(select(House.latest_grade).where(House.address == "梅田村1号")) == "C"


def test_saying_no_writes_nothing_and_a_new_file_needs_a_new_check(qtbot, ctx, db, tmp_path, no_blocking_message_boxes):
    path = write_xlsx(tmp_path / "c.xlsx", [company(1), company(2)], headers=COMPANY_HEADERS)
    dialog = open_dialog(qtbot, ctx, "companies", path)
    dialog.check()
    assert dialog.import_button.isEnabled() and dialog.rejection_model.rowCount() == 0
    dialog.start_import()  # the autouse fixture answers No
    assert any("写入 2 行" in text for text in no_blocking_message_boxes)
    assert count(db, PropertyCompany) == 0
    dialog.path.setText(str(tmp_path / "other.xlsx"))
    assert not dialog.import_button.isEnabled()


def test_an_unreadable_file_is_reported_in_chinese(qtbot, ctx, tmp_path):
    bad = tmp_path / "not-a-workbook.xlsx"
    bad.write_text("这不是表格", encoding="utf-8")
    dialog = open_dialog(qtbot, ctx, "communities", bad)
    dialog.check()
    assert "color:#b00" in dialog.info.text() and not dialog.import_button.isEnabled()


def test_blank_templates_and_the_rejection_report(qtbot, ctx, db, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    path = write_xlsx(tmp_path / "c.xlsx", [company(1), company(2, 企业名称=None)], headers=COMPANY_HEADERS)
    dialog = open_dialog(qtbot, ctx, "companies", path)
    targets = iter([str(tmp_path / "template.xlsx"), str(tmp_path / "rejected.xlsx")])
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (next(targets), "")))
    dialog.save_template()
    template = read_sheet(tmp_path / "template.xlsx")
    assert "企业名称" in template.rows[1] and "统一社会信用代码" in template.rows[1]
    dialog.check()
    dialog.export_report()
    report = read_sheet(tmp_path / "rejected.xlsx")
    assert "错误原因" in report.rows[0]
    assert any("不能为空" in str(cell) for row in report.rows[1:] for cell in row)


def test_the_file_menu_offers_every_import(qtbot, ctx):
    from liandu_desk.ui.main_window import MainWindow

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    texts = [a.text() for a in window.menuBar().actions()[0].menu().actions()]
    for text in ("导入鉴定结果…", "导入物业服务企业名录…", "导入物业小区名录…"):
        assert text in texts
