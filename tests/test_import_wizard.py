"""The import wizard: preview with mapping, validation report, import, cancel and summary."""

from __future__ import annotations

from sqlalchemy import func, select

from liandu_desk.domain.houses import House
from liandu_desk.services.imports.houses import import_houses as real_import
from liandu_desk.ui.houses import import_wizard as wizard_module
from liandu_desk.ui.houses.import_wizard import IGNORED, ImportWizard
from tests.import_factories import HEADERS, good_row, write_xlsx


def house_count(db) -> int:
    with db.session_scope() as s:
        return s.scalar(select(func.count()).select_from(House))


def start(qtbot, ctx, path) -> ImportWizard:
    wizard = ImportWizard(ctx)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.pages[0].path.setText(str(path))
    assert wizard.pages[0].isComplete()
    wizard.next()
    return wizard


def test_wizard_previews_validates_imports_valid_rows_and_summarises(qtbot, ctx, db, tmp_path):
    path = write_xlsx(tmp_path / "in.xlsx", [good_row(1), good_row(2, 层数=0), good_row(3)], total=True)
    wizard = start(qtbot, ctx, path)
    mapping = wizard.pages[1]
    assert mapping.isComplete()
    assert "表头在第4行，数据 3 行" in mapping.info.text()
    assert mapping.samples.rowCount() == 3 and mapping.samples.item(1, 0).text() == "6"
    wizard.next()
    validate = wizard.pages[2]
    assert validate.rejections.rowCount() == 1
    assert [validate.rejections.item(0, c).text() for c in range(2)] == ["6", "层数"]
    assert not validate.isComplete()
    validate.skip.setChecked(True)
    assert validate.isComplete()
    wizard.next()
    assert wizard.pages[3].isComplete() and "导入完成" in wizard.pages[3].info.text()
    wizard.next()
    summary = wizard.pages[4]
    assert summary.links.count() == 2
    assert "新增房屋 2" in summary.info.text()
    assert house_count(db) == 2
    opened = []
    ctx.open_record = lambda kind, record_id: opened.append((kind, record_id))
    summary.open_house(summary.links.item(0))
    assert opened and opened[0][0] == "house"


def test_wizard_maps_an_unknown_header_and_saves_the_mapping(qtbot, ctx, db, tmp_path):
    headers = ["所在乡镇" if h == "乡镇（街道）" else h for h in HEADERS]
    rows = [{("所在乡镇" if k == "乡镇（街道）" else k): v for k, v in good_row(1).items()}]
    wizard = start(qtbot, ctx, write_xlsx(tmp_path / "p.xlsx", rows, headers=headers))
    page = wizard.pages[1]
    assert not page.isComplete() and "乡镇（街道）" in page.info.text()
    combo = page.columns.cellWidget(0, 1)
    assert combo.currentText() == IGNORED
    combo.setCurrentText("乡镇（街道）")
    assert page.isComplete()
    page.save_name.setText("乡镇列改名")
    page.save_mapping()
    wizard.next()
    assert wizard.pages[2].result.rejections == [] and wizard.pages[2].isComplete()
    from liandu_desk.services.import_mappings import load_mapping

    with db.session_scope() as s:
        assert load_mapping(s, "houses", "乡镇列改名")["所在乡镇"] == "乡镇（街道）"


def test_cancel_writes_nothing(qtbot, ctx, db, tmp_path, monkeypatch):
    def cancelled_import(db_, path, options, progress=None, cancelled=None, sheet=None):
        return real_import(db_, path, options, progress, lambda: True, sheet=sheet)

    monkeypatch.setattr(wizard_module, "import_houses", cancelled_import)
    wizard = start(qtbot, ctx, write_xlsx(tmp_path / "in.xlsx", [good_row(1)]))
    wizard.next()
    wizard.next()
    assert "已取消导入，未写入任何数据" in wizard.pages[3].info.text()
    wizard.next()
    assert wizard.pages[4].links.count() == 0
    assert house_count(db) == 0


def test_unreadable_file_is_explained(qtbot, ctx, tmp_path):
    fake = tmp_path / "fake.xlsx"
    fake.write_text("hello")
    wizard = start(qtbot, ctx, fake)
    assert "扩展名不符" in wizard.pages[1].info.text()
    assert not wizard.pages[1].isComplete()
