"""The read-only list table every screen uses: whole-row selection, sortable headers, no editing."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from liandu_desk.ui.kit.row_table import row_key


def read_only_table(
    model: QAbstractItemModel, name: str, *, fit_contents: bool = False, row_height: int | None = None
) -> QTableView:
    """A sortable, row-selecting, non-editable table named `name` (columns fit their contents if asked)."""
    table = QTableView()
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSortingEnabled(True)
    table.setAlternatingRowColors(True)
    table.verticalHeader().setVisible(False)
    if row_height is not None:
        table.verticalHeader().setDefaultSectionSize(row_height)
    header = table.horizontalHeader()
    mode = QHeaderView.ResizeMode.ResizeToContents if fit_contents else QHeaderView.ResizeMode.Interactive
    header.setSectionResizeMode(mode)
    header.setStretchLastSection(True)
    keep_selection(table)
    return table


def keep_selection(table: QTableView) -> None:
    """Across a model reset (a refresh), select again the record that was selected, found by its key: the clerk
    never acts on whatever row happens to sit where theirs was."""
    model = table.model()
    if not hasattr(model, "row_index"):
        return
    kept: list[Any] = []

    def remember() -> None:
        index = table.currentIndex()
        kept[:] = [row_key(model.row_at(index.row()))] if index.isValid() else []

    def restore() -> None:
        if not kept:
            return
        position = model.row_index(kept[0])
        if position >= 0:
            table.selectRow(position)
        else:
            table.clearSelection()
            table.setCurrentIndex(QModelIndex())

    model.modelAboutToBeReset.connect(remember)
    model.modelReset.connect(restore)
