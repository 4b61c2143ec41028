"""A table model over a list of plain rows (dataclasses), with declared columns and a row-object role."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from liandu_desk.ui.kit.signals import emit

Row = TypeVar("Row")
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column(Generic[Row]):
    """One column: header, how to get the display text, optional sort key, alignment and tooltip."""

    header: str
    text: Callable[[Row], Any]
    sort_key: Callable[[Row], Any] | None = None
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    tooltip: Callable[[Row], str] | None = None


def row_key(row: Any) -> Any:
    """What identifies a row across refreshes: its `id` (or `key`) attribute, else the row itself."""
    for name in ("id", "key"):
        value = getattr(row, name, None)
        if value is not None:
            return value
    return row


class RowTableModel(QAbstractTableModel, Generic[Row]):
    """For small and medium lists (a few thousand rows): big lists use a paged model instead."""

    def __init__(self, columns: Sequence[Column[Row]], parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = tuple(columns)
        self._rows: list[Row] = []
        self._sort: tuple[int, Qt.SortOrder] | None = None

    def set_rows(self, rows: Sequence[Row]) -> None:
        """Replace every row (one model reset), in the order the clerk last sorted by (a refresh keeps the sort;
        views made by kit.tables keep their selected record by its id)."""
        self.beginResetModel()
        self._rows = self._sorted(list(rows)) if self._sort is not None else list(rows)
        self.endResetModel()

    def row_index(self, key: Any) -> int:
        """The position of the row whose `row_key` is `key`, -1 if none."""
        return next((i for i, row in enumerate(self._rows) if row_key(row) == key), -1)

    def row_at(self, row: int) -> Row:
        return self._rows[row]

    @property
    def rows(self) -> list[Row]:
        return list(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self._rows[index.row()], self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            value = column.text(row)
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(column.align)
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip:
            return column.tooltip(row)
        if role == ROW_ROLE:
            return row
        if role == SORT_ROLE:
            return (column.sort_key or column.text)(row)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.columns[section].header
        return str(section + 1)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in the model (never through a proxy): None values last. A sort the clerk asked for (there were rows)
        is remembered for the next set_rows; the view's initial call on an empty model keeps the service's order."""
        if not self._rows:
            return
        self._sort = (column, order)
        emit(self.layoutAboutToBeChanged)
        self._rows = self._sorted(self._rows)
        emit(self.layoutChanged)

    def _sorted(self, rows: list[Row]) -> list[Row]:
        column, order = self._sort or (0, Qt.SortOrder.AscendingOrder)
        key = self.columns[column].sort_key or self.columns[column].text
        present = [r for r in rows if key(r) is not None]
        missing = [r for r in rows if key(r) is None]
        present.sort(key=key, reverse=order == Qt.SortOrder.DescendingOrder)
        return present + missing
