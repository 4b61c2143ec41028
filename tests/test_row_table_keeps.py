"""A refreshed list keeps the clerk's sort and the selected record (by its id), so an action never lands on
whatever row happens to sit where the chosen one was."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt

from liandu_desk.ui.kit.row_table import Column, RowTableModel
from liandu_desk.ui.kit.tables import read_only_table


@dataclass(frozen=True)
class Issue:
    id: int
    community: str


COLUMNS = (Column("编号", lambda r: r.id), Column("小区", lambda r: r.community))
BEFORE = [Issue(771, "南明家园"), Issue(1490, "万象新村"), Issue(12, "白云山庄")]


def test_refresh_keeps_sort_and_selection(qtbot) -> None:
    model: RowTableModel[Issue] = RowTableModel(COLUMNS)
    table = read_only_table(model, "issues")
    qtbot.addWidget(table)
    model.set_rows(BEFORE)
    assert [r.id for r in model.rows] == [771, 1490, 12]  # the service's order until the clerk sorts
    table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    table.selectRow(model.row_index(1490))
    chosen = model.row_at(table.currentIndex().row())
    after = [Issue(5, "中山花园"), *BEFORE[::-1]]  # reloaded in another order, with a new row
    model.set_rows(after)
    assert [r.community for r in model.rows] == sorted(r.community for r in after)
    assert model.row_at(table.currentIndex().row()) == chosen == Issue(1490, "万象新村")


def test_a_vanished_record_leaves_nothing_selected(qtbot) -> None:
    model: RowTableModel[Issue] = RowTableModel(COLUMNS)
    table = read_only_table(model, "issues")
    qtbot.addWidget(table)
    model.set_rows(BEFORE)
    table.selectRow(0)
    model.set_rows(BEFORE[1:])
    assert not table.currentIndex().isValid() and not table.selectionModel().hasSelection()
