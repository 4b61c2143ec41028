"""When a save meets a newer version: show the clerk's input beside what is now stored, and let them choose."""

from __future__ import annotations

from PySide6.QtGui import QBrush, QColor, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from liandu_desk.domain.errors import ConflictError
from liandu_desk.services import audit as audit_service
from liandu_desk.ui.kit import ops
from liandu_desk.ui.kit.context import AppContext

KEEP_MINE = 1
RELOAD = 0
_DIFF = QBrush(QColor("#fde2e2"))


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    return "" if value is None else str(value)


class ConflictDialog(QDialog):
    """Field | 我的输入 | 数据库中的当前值, differences highlighted; 保留我的输入 or 载入最新内容."""

    def __init__(
        self,
        ctx: AppContext,
        conflict: ConflictError,
        mine: dict[str, object],
        labels: dict[str, str] | None = None,
        parent: QWidget | None = None,
        can_keep: bool = True,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("保存冲突")
        self.resize(760, 460)
        self.mine = mine
        self.can_keep = can_keep
        self.header = QLabel("正在读取……")
        self.header.setObjectName("conflictHeadline")
        self.header.setWordWrap(True)
        self.table = self._table(mine, labels or {})
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.table, 1)
        layout.addLayout(self._buttons())
        table, row_id = conflict.table, conflict.row_id

        def stored(session) -> tuple[dict | None, audit_service.AuditRow | None]:
            return audit_service.current_values(session, table, row_id), audit_service.last_change(
                session, table, row_id
            )

        ops.read(ctx, stored, self._show_stored, parent=self)

    def _show_stored(self, stored: tuple[dict | None, audit_service.AuditRow | None]) -> None:
        theirs, last = stored
        self.header.setText(self._headline(theirs, last))
        for row, key in enumerate(self.mine):
            text = _text((theirs or {}).get(key))
            self.table.setItem(row, 2, QTableWidgetItem(text))
            if self.table.item(row, 1).text() != text:
                for column in range(3):
                    self.table.item(row, column).setBackground(_DIFF)
        self.keep.setEnabled(theirs is not None and self.can_keep)

    @staticmethod
    def _headline(theirs: dict | None, last: audit_service.AuditRow | None) -> str:
        if theirs is None:
            return "您正在保存的记录已被其他人删除。您的输入列在下面，可复制后另行录入。"
        who = f"{last.clerk_name}于{last.at.astimezone():%Y-%m-%d %H:%M}" if last else "其他人"
        return f"您打开这条记录之后，{who}保存了新的内容。下表对照您的输入和数据库中的当前值（不同之处标红）。"

    def _table(self, mine: dict[str, object], labels: dict[str, str]) -> QTableWidget:
        table = QTableWidget(len(mine), 3)
        table.setObjectName("conflictTable")
        table.setHorizontalHeaderLabels(["字段", "我的输入", "数据库中的当前值"])
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().setVisible(False)
        for row, (key, value) in enumerate(mine.items()):
            for column, text in enumerate((labels.get(key, key), _text(value), "")):
                table.setItem(row, column, QTableWidgetItem(text))
        return table

    def _buttons(self) -> QHBoxLayout:
        copy = QPushButton("复制我的输入")
        copy.clicked.connect(self.copy_mine)
        self.keep = keep = QPushButton("保留我的输入，在最新版本上再次保存")
        keep.setEnabled(False)
        keep.clicked.connect(lambda: self.done(KEEP_MINE))
        reload = QPushButton("放弃我的输入，载入最新内容")
        reload.clicked.connect(lambda: self.done(RELOAD))
        row = QHBoxLayout()
        row.addWidget(copy)
        row.addStretch(1)
        row.addWidget(keep)
        row.addWidget(reload)
        return row

    def copy_mine(self) -> None:
        """Put the clerk's input on the clipboard, one 'field: value' per line."""
        lines = [
            f"{self.table.item(r, 0).text()}：{self.table.item(r, 1).text()}" for r in range(self.table.rowCount())
        ]
        QGuiApplication.clipboard().setText("\n".join(lines))
