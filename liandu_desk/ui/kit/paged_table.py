"""A lazy table model for very large lists: the full ordered id list plus an LRU cache of fetched pages of rows."""

from __future__ import annotations

import logging
from array import array
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from liandu_desk.ui.kit.signals import emit

log = logging.getLogger(__name__)
Row = TypeVar("Row")
Index = QModelIndex | QPersistentModelIndex
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 3
LOADING_TEXT = "…"

Fetcher = Callable[[Sequence[int]], Sequence[Any]]
"""Rows for a page of ids (runs off the GUI thread when a submitter is given)."""
Submitter = Callable[[Callable[[], Any], Callable[[Any], None]], None]
"""Runs `work()` somewhere and calls `done(result)` on the GUI thread (e.g. through the job runner)."""


@dataclass(frozen=True)
class PagedColumn(Generic[Row]):
    """One column: header, display text, the SQL sort key the header click asks for (None: not sortable)."""

    header: str
    text: Callable[[Row], Any]
    sort_key: str | None = None
    width: int = 100
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    foreground: Callable[[Row], Any] | None = None
    tooltip: Callable[[Row], str] | None = None


class PagedTableModel(QAbstractTableModel, Generic[Row]):
    """Holds every id of the current result in order, and only the rows of recently shown pages.

    Sorting and filtering never happen here: a header click emits `sort_requested(key, descending)` and the
    owner re-queries the ids in SQL, then calls `set_ids`. Pages are fetched through `fetch(ids)`; with a
    `submit` function they are fetched off the GUI thread and shown as "…" until they arrive. At most
    `max_in_flight` pages are fetched at once; pages asked for meanwhile (fast scrolling) wait in a bounded
    queue served newest first, so the screen the clerk stopped at is fetched next.
    """

    sort_requested = Signal(str, bool)
    page_loaded = Signal(int)

    def __init__(
        self,
        columns: Sequence[PagedColumn[Row]],
        fetch: Fetcher,
        submit: Submitter | None = None,
        page_size: int = 200,
        max_pages: int = 20,
        max_in_flight: int = 2,
        row_id: Callable[[Row], int] = lambda row: row.id,  # type: ignore[attr-defined]
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self.columns = tuple(columns)
        self._fetch, self._submit, self._row_id = fetch, submit, row_id
        self.page_size, self.max_pages, self.max_in_flight = page_size, max_pages, max_in_flight
        self._ids: array = array("q")
        self._total = 0
        self._pages: OrderedDict[int, list[Row | None]] = OrderedDict()
        self._pending: set[int] = set()
        self._wanted: OrderedDict[int, None] = OrderedDict()
        self._generation = 0
        self._in_data = False
        self.sort_key: str | None = None
        self.descending = False
        self.fetch_count = 0

    # --- contents ------------------------------------------------------------------------------------
    def set_ids(self, ids: Sequence[int], total: int | None = None) -> None:
        """Replace the result (one model reset); cached rows are dropped, pages in flight become stale.

        With `total` larger than len(ids), only the first ids are known yet (a quick first screen): the other rows
        show "…" until `complete_ids` brings the whole list.
        """
        self.beginResetModel()
        self._ids = ids if isinstance(ids, array) else array("q", ids)
        self._total = max(total or 0, len(self._ids))
        self._drop_cache()
        self.endResetModel()

    def complete_ids(self, ids: Sequence[int]) -> None:
        """The whole id list after a partial `set_ids`: same length and same first ids keep the rows shown."""
        ids = ids if isinstance(ids, array) else array("q", ids)
        known = len(self._ids)
        if len(ids) != self._total or ids[:known] != self._ids:
            self.set_ids(ids)
            return
        self._ids = ids
        if known < len(ids):
            emit(self.dataChanged, self.index(known, 0), self.index(len(ids) - 1, len(self.columns) - 1))

    def prime(self, page: int, rows: Sequence[Row]) -> None:
        """Rows of a page read together with the ids (saves a round trip for the first screen)."""
        ids = list(self._ids[page * self.page_size : (page + 1) * self.page_size])
        if ids and len(ids) == min(self.page_size, self._total - page * self.page_size):
            self._deliver(self._generation, page, ids, rows)

    @property
    def complete(self) -> bool:
        """Whether every id of the result is known."""
        return len(self._ids) == self._total

    def invalidate(self) -> None:
        """Forget the cached rows (after an edit) and repaint; the ids stay."""
        self._drop_cache()
        if self._total:
            emit(self.dataChanged, self.index(0, 0), self.index(self._total - 1, len(self.columns) - 1))

    def _drop_cache(self) -> None:
        self._generation += 1
        self._pages.clear()
        self._pending.clear()
        self._wanted.clear()

    @property
    def ids(self) -> Sequence[int]:
        return self._ids

    @property
    def cached_pages(self) -> list[int]:
        """Page numbers held in the cache, least recently used first."""
        return list(self._pages)

    def id_at(self, row: int) -> int | None:
        """The id shown on a row (None while it is not known yet)."""
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, record_id: int) -> int:
        """The row showing an id, or -1."""
        try:
            return self._ids.index(record_id)
        except ValueError:
            return -1

    def row_at(self, row: int) -> Row | None:
        """The row object if its page is cached, else None (and its page is requested)."""
        return self._row(row)

    # --- paging --------------------------------------------------------------------------------------
    def _row(self, row: int) -> Row | None:
        if row >= len(self._ids):
            return None
        page = row // self.page_size
        rows = self._pages.get(page)
        if rows is None:
            self._request(page)
            rows = self._pages.get(page)
            if rows is None:
                return None
        else:
            self._pages.move_to_end(page)
        return rows[row - page * self.page_size]

    def _request(self, page: int) -> None:
        """Fetch a page now, or (with enough pages in flight) queue it: the latest wish is served first."""
        if page in self._pending or min((page + 1) * self.page_size, self._total) > len(self._ids):
            return
        if self._submit is not None and len(self._pending) >= self.max_in_flight:
            self._wanted[page] = None
            self._wanted.move_to_end(page)
            while len(self._wanted) > self.max_pages:
                self._wanted.popitem(last=False)
            return
        self._wanted.pop(page, None)
        ids = list(self._ids[page * self.page_size : (page + 1) * self.page_size])
        generation = self._generation
        self._pending.add(page)
        self.fetch_count += 1
        if self._submit is None:
            self._deliver(generation, page, ids, self._fetch(ids))
        else:
            self._submit(lambda: self._fetch(ids), lambda rows: self._deliver(generation, page, ids, rows))

    def _deliver(self, generation: int, page: int, ids: list[int], rows: Sequence[Row]) -> None:
        if generation != self._generation:
            return
        self._pending.discard(page)
        by_id = {self._row_id(r): r for r in rows}
        self._pages[page] = [by_id.get(i) for i in ids]
        while len(self._pages) > self.max_pages:
            self._pages.popitem(last=False)
        if not self._in_data:
            first = page * self.page_size
            last = min(first + len(ids), len(self._ids)) - 1
            emit(self.dataChanged, self.index(first, 0), self.index(last, len(self.columns) - 1))
        emit(self.page_loaded, page)
        self._next_wanted()

    def _next_wanted(self) -> None:
        while self._wanted and len(self._pending) < self.max_in_flight:
            page, _ = self._wanted.popitem(last=True)
            if page not in self._pages:
                self._request(page)

    # --- Qt model API --------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == ID_ROLE:
            return self.id_at(index.row())
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ForegroundRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.TextAlignmentRole,
            ROW_ROLE,
        ):
            return None
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(column.align)
        self._in_data = True
        try:
            row = self._row(index.row())
        finally:
            self._in_data = False
        return self._role_value(row, column, role)

    @staticmethod
    def _role_value(row: Row | None, column: PagedColumn[Row], role: int) -> Any:
        if role == ROW_ROLE:
            return row
        if row is None:
            return LOADING_TEXT if role == Qt.ItemDataRole.DisplayRole else None
        if role == Qt.ItemDataRole.DisplayRole:
            value = column.text(row)
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.ForegroundRole and column.foreground:
            return column.foreground(row)
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip:
            return column.tooltip(row)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.columns[section].header
        return str(section + 1)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Header click: ask the owner to re-query the ids in SQL with this column's sort key."""
        key = self.columns[column].sort_key
        if key is None:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if (key, descending) == (self.sort_key, self.descending):
            return
        self.sort_key, self.descending = key, descending
        emit(self.sort_requested, key, descending)

    def sort_column(self) -> int:
        """The column whose key is the current sort, or -1."""
        return next((i for i, c in enumerate(self.columns) if c.sort_key and c.sort_key == self.sort_key), -1)
