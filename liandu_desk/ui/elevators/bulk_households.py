"""One grid for many households: paste rows from Excel (室号, 面积, 业主, 表决), check every row, save all or none."""

from __future__ import annotations

import datetime as dt
import logging

from PySide6.QtGui import QBrush, QColor, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from liandu_desk.domain.errors import LianduError
from liandu_desk.services.elevators.household_rows import (
    COLUMNS,
    HouseholdRowsError,
    PastedRow,
    add_households,
    split_pasted,
)
from liandu_desk.ui.elevators.forms import date_edit, date_of
from liandu_desk.ui.kit.context import AppContext
from liandu_desk.ui.kit.form_dialog import FormDialog

log = logging.getLogger(__name__)
BLANK_ROWS = 12
BAD = QColor("#f8d7d4")
HINT = (
    "在Excel中选中“室号、专有面积、业主、表决（可空）”四列后复制，点击表格首格按 Ctrl+V 粘贴（可多次粘贴、直接修改）。"
    "楼层按室号推断（301为3层）；表决可填同意、反对、弃权或留空。保存时逐行检查，有一行有误则全部不保存。"
)


class PasteGrid(QTableWidget):
    """A plain grid that takes tab-separated rows from the clipboard at the current cell, growing as needed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(BLANK_ROWS, len(COLUMNS), parent)
        self.setObjectName("bulkHouseholdGrid")
        self.setHorizontalHeaderLabels(list(COLUMNS))
        self.setSelectionMode(QAbstractItemView.SelectionMode.ContiguousSelection)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(90)
        self.verticalHeader().setDefaultSectionSize(24)

    def keyPressEvent(self, event) -> None:
        if event.matches(QKeySequence.StandardKey.Paste):
            self.paste_text(QGuiApplication.clipboard().text())
            return
        if event.matches(QKeySequence.StandardKey.Delete):
            for item in self.selectedItems():
                item.setText("")
            return
        super().keyPressEvent(event)

    def paste_text(self, text: str) -> int:
        """Put the pasted cells from the current cell on (rows added as needed); returns the rows pasted."""
        lines = split_pasted(text)
        if not lines:
            return 0
        start = self.currentIndex()
        top, left = (max(start.row(), 0), max(start.column(), 0)) if start.isValid() else (0, 0)
        if top + len(lines) > self.rowCount():
            self.setRowCount(top + len(lines))
        for r, cells in enumerate(lines):
            for c, value in enumerate(cells[: self.columnCount() - left]):
                self.setItem(top + r, left + c, QTableWidgetItem(value))
        log.info("pasted %d rows into the household grid", len(lines))
        return len(lines)

    def text(self, row: int, column: int) -> str:
        item = self.item(row, column)
        return item.text().strip() if item is not None else ""

    def rows(self) -> list[PastedRow]:
        """The non-empty rows, each with the row number shown beside it."""
        result = []
        for row in range(self.rowCount()):
            cells = [self.text(row, c) for c in range(self.columnCount())]
            if any(cells):
                result.append(PastedRow(*cells, line=row + 1))
        return result

    def mark(self, problems: dict[tuple[int, int], str]) -> None:
        """Colour the wrong cells (keys: 1-based row, column) and explain each in its tooltip; clear the rest."""
        for row in range(self.rowCount()):
            for column in range(self.columnCount()):
                item = self.item(row, column)
                reason = problems.get((row + 1, column))
                if item is None and reason is None:
                    continue
                if item is None:
                    item = QTableWidgetItem("")
                    self.setItem(row, column, item)
                item.setBackground(QBrush(BAD) if reason else QBrush())
                item.setToolTip(reason or "")


class BulkHouseholdDialog(FormDialog):
    """Register many households of a project in one go; `saved` holds the new ids after a successful save."""

    def __init__(self, ctx: AppContext, project_id: int, title: str, parent: QWidget | None = None) -> None:
        super().__init__(f"表格录入住户 — {title}", parent, ctx)
        self.project_id = project_id
        self.saved: list[int] = []
        self.resize(760, 520)
        hint = QLabel(HINT)
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #556;")
        self.grid = PasteGrid(self)
        self.voted_on = self.add_field("表决日期", date_edit())
        paste = QPushButton("从剪贴板粘贴")
        paste.clicked.connect(lambda: self.grid.paste_text(QGuiApplication.clipboard().text()))
        clear = QPushButton("清空")
        clear.clicked.connect(self._clear)
        self.errors = self.error_label
        self.errors.setObjectName("bulkErrors")
        self.save_button.setText("全部保存(Ctrl+S)")
        QShortcut(QKeySequence("Ctrl+S"), self, activated=self.accept)
        tools = QHBoxLayout()
        tools.addWidget(paste)
        tools.addWidget(clear)
        tools.addStretch(1)
        self.body.insertWidget(0, hint)
        self.body.insertLayout(1, tools)
        self.body.insertWidget(2, self.grid, 1)

    def typed(self) -> bool:
        return super().typed() or bool(self.grid.rows())

    def _clear(self) -> None:
        self.grid.clearContents()
        self.grid.setRowCount(BLANK_ROWS)
        self.show_error_text("")

    def accept(self) -> None:
        """Check and save every row in one unit of work on the writer; wrong rows are marked, nothing is saved."""
        if self.busy:
            return
        rows = self.grid.rows()
        if not rows:
            self.show_error_text("表格中没有住户，请先粘贴或录入")
            return
        voted_on: dt.date = date_of(self.voted_on)
        pid = self.project_id
        self.write(
            lambda session: add_households(session, pid, rows, voted_on),
            self._saved,
            changed="elevator_household",
            ids=lambda ids: ids,
            refused=self._refused,
        )

    save = accept

    def _saved(self, ids: list[int]) -> None:
        self.saved = list(ids)
        self.grid.mark({})
        self.show_error_text("")
        self.close_saved()

    def _refused(self, exc: LianduError) -> None:
        if isinstance(exc, HouseholdRowsError):
            self.grid.mark({(p.row, p.column): p.reason for p in exc.problems})
        else:
            self.grid.mark({})
        self.show_error_text(exc.message)
