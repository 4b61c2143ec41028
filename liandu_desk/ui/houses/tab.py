"""危房 tab: the house list (filters, search, SQL sort, live count) over a paged model; opens the house page."""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from liandu_desk.domain.permissions import Permission
from liandu_desk.services.as_of import resolve_as_of
from liandu_desk.services.houses import listing
from liandu_desk.ui.houses.export import export_house_list
from liandu_desk.ui.houses.filter_bar import HouseFilterBar
from liandu_desk.ui.houses.list_model import (
    FirstScreen,
    FullResult,
    ListQuery,
    first_screen,
    full_result,
    make_house_list_model,
)
from liandu_desk.ui.kit import ops
from liandu_desk.ui.kit.context import AppContext
from liandu_desk.ui.kit.empty_state import EmptyState
from liandu_desk.ui.kit.forms import denial
from liandu_desk.ui.kit.signals import emit
from liandu_desk.ui.kit.tab_base import BaseTab

log = logging.getLogger(__name__)
FIRST_SCREEN_ROWS = 200


class HouseTableView(QTableView):
    """The list view: Enter opens the current house (double-click too, wired by the tab)."""

    open_requested = Signal(int)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            emit(self.open_requested, self.currentIndex().row())
            return
        super().keyPressEvent(event)


class HousesTab(BaseTab):
    """Dangerous houses: screening, appraisal, rectification, close-out."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.model = make_house_list_model(ctx, self)
        self.model.sort_key = "id"
        self.filter_bar = HouseFilterBar()
        self.count_label = QLabel("")
        self.count_label.setObjectName("houseCount")
        self.count_label.setStyleSheet("font-weight: bold;")
        self.batch_label = QLabel("")
        self.batch_label.setObjectName("batchFigures")
        self.batch_label.setWordWrap(True)
        self.batch_label.setStyleSheet("color: #7d3c98;")
        self.batch_label.setVisible(False)
        self.timing_label = QLabel("")
        self.timing_label.setStyleSheet("color: #667;")
        self.as_of_label = QLabel("")
        self.as_of_label.setObjectName("asOfNote")
        self.as_of_label.setToolTip("超期按此日期计算：今天，库中数据较旧时为数据最新日期")
        self.table = self._make_table()
        self.empty_state = EmptyState(
            "还没有房屋记录",
            "这里将列出农村和城镇房屋的排查、鉴定（A–D级）、整治和销号记录。"
            "可以点击“新建房屋”逐户录入，或从“文件”菜单载入演示数据。",
            ("新建房屋", self.new_house),
        )
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty_state)
        self.house_page = None
        self._started = 0.0
        self._generation = 0
        self._keep: int | None = None
        self._build_layout()
        self._connect()
        self.follow_changes("house")

    # --- construction --------------------------------------------------------------------------------
    def _make_table(self) -> HouseTableView:
        table = HouseTableView()
        table.setObjectName("houseTable")
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        table.verticalHeader().setDefaultSectionSize(24)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for number, column in enumerate(self.model.columns):
            table.setColumnWidth(number, column.width)
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        table.setSortingEnabled(True)
        return table

    def _build_layout(self) -> None:
        self.new_button = QPushButton("新建房屋")
        self.new_button.setToolTip("录入一户新的房屋（Ctrl+N）")
        self.open_button = QPushButton("打开")
        self.open_button.setToolTip("打开所选房屋的案卷（回车或双击）")
        self.clear_button = QPushButton("清除筛选")
        self.export_button = QPushButton("导出…")
        self.export_button.setToolTip("按当前筛选和排序导出为 Excel（身份证号、电话已脱敏）")
        top = QHBoxLayout()
        title = QLabel("危房案卷")
        title.setStyleSheet("font-size: 16px; font-weight: bold;")
        top.addWidget(title)
        top.addStretch(1)
        for button in (self.new_button, self.open_button, self.export_button, self.clear_button):
            top.addWidget(button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label)
        bottom.addWidget(self.as_of_label)
        bottom.addStretch(1)
        bottom.addWidget(self.timing_label)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.batch_label)
        layout.addWidget(self.stack, 1)
        layout.addLayout(bottom)

    def _connect(self) -> None:
        self.filter_bar.changed.connect(self.reload)
        self.model.sort_requested.connect(lambda _key, _desc: self.reload())
        self.table.horizontalHeader().sortIndicatorChanged.connect(self._keep_sort_indicator)
        self.table.doubleClicked.connect(lambda index: self.open_row(index.row()))
        self.table.open_requested.connect(self.open_row)
        self.new_button.clicked.connect(self.new_house)
        self.open_button.clicked.connect(lambda: self.open_row(self.table.currentIndex().row()))
        self.clear_button.clicked.connect(self.filter_bar.reset)
        self.export_button.clicked.connect(self.export_list)
        self.filter_bar.search.leave_down.connect(self.table.setFocus)
        QShortcut(QKeySequence.StandardKey.Find, self, self._focus_search)
        QShortcut(QKeySequence.StandardKey.New, self, self.new_house)

    def _keep_sort_indicator(self, column: int, _order: Qt.SortOrder) -> None:
        """A column the service cannot sort by leaves the indicator on the current sort column."""
        if self.model.columns[column].sort_key is not None:
            return
        header = self.table.horizontalHeader()
        order = Qt.SortOrder.DescendingOrder if self.model.descending else Qt.SortOrder.AscendingOrder
        header.blockSignals(True)
        header.setSortIndicator(max(self.model.sort_column(), 0), order)
        header.blockSignals(False)

    def _focus_search(self) -> None:
        self.filter_bar.search.setFocus()
        self.filter_bar.search.selectAll()

    # --- loading -------------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Reload the filter choices and the list (F5)."""
        self._update_new_button()
        self._load_options()
        self._load_as_of()
        self.model.invalidate()
        self.reload()

    def _load_options(self) -> None:
        ops.read(self.ctx, listing.filter_options, self.filter_bar.set_options, key="houses.options")

    def _load_as_of(self) -> None:
        """State the day overdue is counted against (the listing service applies the same rule)."""
        ops.read(self.ctx, resolve_as_of, lambda as_of: self.as_of_label.setText(as_of.label()), key="houses.as_of")

    def current_filter(self) -> listing.HouseFilter:
        """The filter the bar shows, as the listing service takes it (overdue as of the shared as-of day)."""
        return listing.HouseFilter(**self.filter_bar.values())

    def reload(self) -> None:
        """Re-query the ordered ids in SQL (filter, search, sort) off the GUI thread; older queries are dropped.

        An unselective reload of a big table first shows the count (and the first screen when the service can
        limit), then the whole id list; selective filters and searches return few ids and come in one step.
        """
        self._generation += 1
        query = ListQuery(self._generation, self.current_filter(), self.model.sort_key or "id", self.model.descending)
        self._keep = self.current_house_id() if self._keep is None else self._keep
        self.count_label.setText("正在查询……")
        self._started = time.perf_counter()
        if query.filter.is_selective:
            self._load_full(query)
        else:
            first = lambda session: first_screen(session, query, FIRST_SCREEN_ROWS)  # noqa: E731
            ops.read(self.ctx, first, self._show_first, key="houses.first")

    def _load_full(self, query: ListQuery) -> None:
        ops.read(self.ctx, lambda session: full_result(session, query), self._show_full, key="houses.ids")

    def _show_first(self, first: FirstScreen) -> None:
        """Count and first screen are on show; only now the whole id list is read (not competing with them)."""
        if first.query.generation != self._generation:
            return
        self.model.set_ids(first.head, total=first.total)
        if first.rows:
            self.model.prime(0, first.rows)
        self.count_label.setText(f"共 {first.total:,} 户")
        self.timing_label.setText(f"首屏 {self._elapsed_ms():.0f} 毫秒")
        self._show_stack(first.total)
        if first.head:
            self.table.selectRow(0)
        self._load_full(first.query)

    def _show_full(self, result: FullResult) -> None:
        if result.query.generation != self._generation:
            return
        if self.model.complete or self.model.rowCount() != len(result.ids):
            self.model.set_ids(result.ids)
        else:
            self.model.complete_ids(result.ids)
        self.batch_label.setText(result.batch_text)
        self.batch_label.setVisible(bool(result.batch_text))
        self.count_label.setText(f"共 {len(result.ids):,} 户")
        self.timing_label.setText(f"查询用时 {self._elapsed_ms():.0f} 毫秒")
        self._show_stack(len(result.ids))
        keep, self._keep = self._keep, None
        if result.ids:
            row = max(self.model.row_of(keep) if keep is not None else 0, 0)
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))

    def _elapsed_ms(self) -> float:
        return (time.perf_counter() - self._started) * 1000

    def _update_new_button(self) -> None:
        denied = denial(self.ctx, Permission.EDIT_CASES)
        for button in (self.new_button, self.empty_state.button):
            if button is not None:
                button.setEnabled(not denied)
                button.setToolTip(denied or "录入一户新的房屋（Ctrl+N）")

    def _show_stack(self, total: int) -> None:
        empty = not total and self.filter_bar.is_default()
        self.stack.setCurrentWidget(self.empty_state if empty else self.table)
        self.filter_bar.setEnabled(not empty)

    # --- actions -------------------------------------------------------------------------------------
    def export_list(self) -> None:
        """Export what the list shows: the bar's filter, the column sorted on and its direction."""
        export_house_list(self.ctx, self, self.current_filter(), self.model.sort_key or "id", self.model.descending)

    def current_house_id(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.id_at(index.row()) if index.isValid() else None

    def open_row(self, row: int) -> None:
        house_id = self.model.id_at(row)
        if house_id is not None:
            self.open_house(house_id)

    def open_house(self, house_id: int) -> None:
        """Show the house page (one at a time); edits there refresh the list."""
        from liandu_desk.ui.houses.page import HousePageDialog

        if self.house_page is not None:
            self.house_page.close()
        self.house_page = HousePageDialog(self.ctx, house_id, self)
        self.house_page.changed.connect(self._after_edit)
        self.house_page.show()

    def new_house(self):
        """Open the new-house form; once saved, the list reloads and the new house's page opens."""
        from liandu_desk.ui.houses.house_form import HouseFormDialog

        if denial(self.ctx, Permission.EDIT_CASES):
            return None
        dialog = HouseFormDialog(self.ctx, None, self)
        dialog.saved.connect(self._house_created)
        dialog.open()
        return dialog

    def _house_created(self, house_id: int) -> None:
        self.refresh()
        self.open_house(house_id)

    def _after_edit(self) -> None:
        self._load_options()
        self._load_as_of()
        self.model.invalidate()
        self.reload()

    def records_changed(self, kind: str, ids: tuple[int, ...]) -> None:
        """Houses were written (a form, a page, an import): reload the list, keeping the selection and sort."""
        if self._loaded_once:
            self._after_edit()
