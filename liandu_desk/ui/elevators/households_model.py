"""Editable table model of a unit's households: room, floor, area, owner, shaft flag and vote."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from liandu_desk.domain.elevators import VoteChoice
from liandu_desk.services.elevators.households import HouseholdRow
from liandu_desk.ui.kit.signals import emit

Index = QModelIndex | QPersistentModelIndex
COL_ROOM, COL_FLOOR, COL_AREA, COL_OWNER, COL_SHAFT, COL_VOTE = range(6)
HEADERS = ("房号", "楼层", "专有面积(㎡)", "业主", "井道占用", "表决（1同意 2反对 3弃权 0未表决）")
VOTE_KEYS = {"1": VoteChoice.AGREE, "2": VoteChoice.OPPOSE, "3": VoteChoice.ABSTAIN, "0": VoteChoice.NONE}
VOTE_CYCLE = (VoteChoice.AGREE, VoteChoice.OPPOSE, VoteChoice.ABSTAIN, VoteChoice.NONE)
VOTE_COLOURS = {"同意": "#dff3e3", "反对": "#f8dcdc", "弃权": "#fdf1d6", "未表决": "#ffffff"}
FIELD_OF_COLUMN = {COL_ROOM: "room", COL_FLOOR: "floor", COL_AREA: "area", COL_OWNER: "owner_name"}

# save(row, field, value, saved, refused): writes the edit (as a job) and calls saved(the saved row), or
# refused(the Chinese reason) when the service refuses it.
Saver = Callable[[HouseholdRow, str, Any, Callable[[HouseholdRow], None], Callable[[str], None]], None]


class HouseholdTableModel(QAbstractTableModel):
    """Holds HouseholdRow objects; every edit goes through `saver` (a service call) before it is shown."""

    edited = Signal()  # after any saved edit: the tally panel recomputes
    edit_failed = Signal(str)

    def __init__(self, saver: Saver | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[HouseholdRow] = []
        self.saver = saver

    def set_rows(self, rows: list[HouseholdRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    @property
    def rows(self) -> list[HouseholdRow]:
        return list(self._rows)

    def row_at(self, row: int) -> HouseholdRow:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return HEADERS[section] if orientation == Qt.Orientation.Horizontal else str(section + 1)

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == COL_SHAFT:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base | Qt.ItemFlag.ItemIsEditable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self._rows[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._text(row, column, role == Qt.ItemDataRole.EditRole)
        if role == Qt.ItemDataRole.CheckStateRole and column == COL_SHAFT:
            return Qt.CheckState.Checked if row.shaft_occupied else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.BackgroundRole and column == COL_VOTE:
            return QBrush(QColor(VOTE_COLOURS.get(row.vote, "#ffffff")))
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (COL_FLOOR, COL_AREA):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column == COL_VOTE:
            return "按 1 同意、2 反对、3 弃权、0 未表决，空格键依次切换"
        return None

    @staticmethod
    def _text(row: HouseholdRow, column: int, editing: bool) -> Any:
        if column == COL_ROOM:
            return row.room
        if column == COL_FLOOR:
            return row.floor if editing else str(row.floor)
        if column == COL_AREA:
            return f"{row.area:.2f}"
        if column == COL_OWNER:
            return row.owner_name
        if column == COL_SHAFT:
            return "是" if row.shaft_occupied else ""
        return row.vote

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid():
            return False
        column = index.column()
        if role == Qt.ItemDataRole.CheckStateRole and column == COL_SHAFT:
            checked = Qt.CheckState(value) == Qt.CheckState.Checked if not isinstance(value, bool) else value
            return self.save(index.row(), "shaft_occupied", checked)
        if role != Qt.ItemDataRole.EditRole:
            return False
        if column == COL_VOTE:
            return self.save(index.row(), "vote", VoteChoice(value))
        field = FIELD_OF_COLUMN.get(column)
        if field is None:
            return False
        current = self._text(self._rows[index.row()], column, True)
        if str(value).strip() == str(current):
            return False
        return self.save(index.row(), field, value)

    def save(self, row: int, field: str, value: Any) -> bool:
        """Save one field through the service (or locally when no saver); the row shows the saved value once
        the write has committed. False when it was refused at once (a synchronous runner)."""
        old = self._rows[row]
        if self.saver is None:
            self._saved(replace(old, **{field: value}))
            return True
        outcome: list[bool] = []

        def refused(message: str) -> None:
            outcome.append(False)
            emit(self.edit_failed, message)

        self.saver(old, field, value, self._saved, refused)
        return outcome != [False]

    def _saved(self, new: HouseholdRow) -> None:
        """Show a saved row (found by id: the list may have been reloaded meanwhile) and tell listeners."""
        row = next((i for i, r in enumerate(self._rows) if r.id == new.id), None)
        if row is None:
            return
        self._rows[row] = new
        emit(self.dataChanged, self.index(row, 0), self.index(row, len(HEADERS) - 1))
        emit(self.edited)

    def set_vote(self, row: int, vote: VoteChoice) -> bool:
        return self.save(row, "vote", vote)

    def cycle_vote(self, row: int) -> bool:
        current = VoteChoice(self._rows[row].vote)
        return self.set_vote(row, VOTE_CYCLE[(VOTE_CYCLE.index(current) + 1) % len(VOTE_CYCLE)])
