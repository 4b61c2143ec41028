"""The household grid: fast keyboard entry of areas, owners and votes (type, Enter/Tab moves on; 1/2/3/0 vote)."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from liandu_desk.ui.elevators.households_model import COL_SHAFT, COL_VOTE, VOTE_CYCLE, VOTE_KEYS, HouseholdTableModel

Index = QModelIndex | QPersistentModelIndex


class VoteDelegate(QStyledItemDelegate):
    """A combo box for the vote column (for mouse users; the keyboard uses 1/2/3/0)."""

    def createEditor(self, parent: QWidget, _option: QStyleOptionViewItem, _index: Index) -> QWidget:
        combo = QComboBox(parent)
        combo.addItems([v.value for v in VOTE_CYCLE])
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentText(str(index.data(Qt.ItemDataRole.EditRole)))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)


class HouseholdGrid(QTableView):
    """Spreadsheet-like entry: typing starts editing, Enter and Tab move to the next cell, digits set the vote."""

    def __init__(self, model: HouseholdTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("householdGrid")
        self.setModel(model)
        self.setItemDelegateForColumn(COL_VOTE, VoteDelegate(self))
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setTabKeyNavigation(True)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(24)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)

    def households(self) -> HouseholdTableModel:
        model = self.model()
        assert isinstance(model, HouseholdTableModel)
        return model

    def keyPressEvent(self, event: QKeyEvent) -> None:
        index = self.currentIndex()
        editing = self.state() == QAbstractItemView.State.EditingState
        if index.isValid() and not editing and (self._vote_key(index, event) or self._enter_key(index, event)):
            return
        super().keyPressEvent(event)

    def _vote_key(self, index: QModelIndex, event: QKeyEvent) -> bool:
        if index.column() != COL_VOTE:
            if index.column() == COL_SHAFT and event.key() == Qt.Key.Key_Space:
                row = self.households().row_at(index.row())
                self.households().save(index.row(), "shaft_occupied", not row.shaft_occupied)
                return True
            return False
        text = event.text()
        if text in VOTE_KEYS:
            if self.households().set_vote(index.row(), VOTE_KEYS[text]):
                self.move_down(index)
            return True
        if event.key() == Qt.Key.Key_Space:
            self.households().cycle_vote(index.row())
            return True
        return False

    def _enter_key(self, index: QModelIndex, event: QKeyEvent) -> bool:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if index.column() in (COL_VOTE, COL_SHAFT):
                self.move_down(index)
            else:
                self.edit(index)
            return True
        return False

    def move_down(self, index: QModelIndex) -> None:
        """Next row, same column (entering a column of votes top to bottom)."""
        if index.row() + 1 < self.households().rowCount():
            self.setCurrentIndex(self.households().index(index.row() + 1, index.column()))

    def next_cell(self, index: QModelIndex) -> QModelIndex:
        """The cell after `index`, reading left to right then down."""
        model = self.households()
        column, row = index.column() + 1, index.row()
        if column >= model.columnCount():
            column, row = 0, row + 1
        return model.index(row, column) if row < model.rowCount() else QModelIndex()

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        """After Enter commits a cell, move on to the next one (Tab already does)."""
        current = self.currentIndex()
        super().closeEditor(editor, hint)
        if hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache:
            following = self.next_cell(current)
            if following.isValid():
                self.setCurrentIndex(following)
