"""The 危房 list's 导出 button writes the filtered, sorted list to .xlsx with personal data masked."""

from __future__ import annotations

from pathlib import Path

import pytest
from houses_gui_factories import small_town
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from liandu_desk.ui.houses.tab import HousesTab


def test_export_button_writes_the_filtered_list(
    ctx, qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_blocking_message_boxes: list[str]
) -> None:
    small_town(ctx.db)
    tab = HousesTab(ctx)
    qtbot.addWidget(tab)
    tab.activate()
    target = tmp_path / "清单.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(target), ""))
    tab.export_button.click()
    assert target.exists()
    rows = list(load_workbook(target).active.iter_rows(values_only=True))
    owners = {cell for row in rows[1:] for cell in row if isinstance(cell, str)}
    assert len(rows) - 1 == tab.model.rowCount() > 0
    assert {"王芳", "李建国", "张伟", "陈小红"} <= owners
    assert not any(isinstance(c, str) and c.isdigit() and len(c) == 18 for row in rows for c in row)
    assert any("已导出" in text for text in no_blocking_message_boxes)


def test_export_follows_the_on_screen_sort_and_filter_19(
    ctx, qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 19: owner name descending within 碧湖镇 on screen; the workbook has the same rows in the same order."""
    small_town(ctx.db)
    tab = HousesTab(ctx)
    qtbot.addWidget(tab)
    tab.activate()
    bar = tab.filter_bar
    bar.township.setCurrentIndex(bar.township.findText("碧湖镇"))
    tab.table.sortByColumn(4, Qt.SortOrder.DescendingOrder)  # 户主姓名
    model = tab.model
    shown = [model.data(model.index(row, 4)) for row in range(model.rowCount())]
    assert tab.model.descending and sorted(shown, reverse=True) == shown and len(shown) == 3 and "陈小红" not in shown
    target = tmp_path / "排序.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(target), ""))
    tab.export_button.click()
    header, *rows = list(load_workbook(target).active.iter_rows(values_only=True))
    owner, town = header.index("户主姓名"), header.index("乡镇（街道）")
    assert [r[owner] for r in rows] == shown
    assert {r[town] for r in rows} == {"碧湖镇"}
    tab.table.sortByColumn(4, Qt.SortOrder.AscendingOrder)
    tab.export_button.click()
    _header, *rows = list(load_workbook(target).active.iter_rows(values_only=True))
    assert [r[owner] for r in rows] == shown[::-1]
