"""The register of documents: search by number, recipient and status; open, serve, follow up, cancel."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from liandu_desk.domain.documents import DocStatus, DocType
from liandu_desk.services.documents.views import DocumentView
from liandu_desk.ui.kit import ops
from liandu_desk.ui.kit.context import AppContext
from liandu_desk.ui.kit.row_table import Column, RowTableModel

ALL = "全部"
COLUMNS: tuple[Column[DocumentView], ...] = (
    Column("文号", lambda r: r.number or "（未编号）"),
    Column("文书", lambda r: r.doc_type),
    Column("受送达人", lambda r: r.recipient),
    Column("状态", lambda r: r.status),
    Column("签发日期", lambda r: r.issued_on),
    Column("整改期限", lambda r: r.deadline),
    Column("送达日期", lambda r: r.served_on),
    Column("送达方式", lambda r: r.served_method),
)


class DocumentRegister(QWidget):
    """Search box, status and type filters, the table, and the lifecycle actions."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("按文号、受送达人或标题查找")
        self.status = QComboBox(self)
        self.status.addItems([ALL, *[s.value for s in DocStatus]])
        self.doc_type = QComboBox(self)
        self.doc_type.addItems([ALL, *[t.value for t in DocType]])
        self.model: RowTableModel[DocumentView] = RowTableModel(COLUMNS, self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(self._open_index)
        self.count = QLabel("", self)
        self._debounce = QTimer(self, singleShot=True, interval=250)
        self._debounce.timeout.connect(self.refresh)
        self.search.textChanged.connect(self._debounce.start)
        self.status.currentIndexChanged.connect(self.refresh)
        self.doc_type.currentIndexChanged.connect(self.refresh)
        self._buttons = {
            "open": QPushButton("预览/打印…", self),
            "serve": QPushButton("登记送达…", self),
            "follow": QPushButton("登记复查…", self),
            "cancel": QPushButton("作废…", self),
        }
        self._buttons["open"].clicked.connect(self.open_selected)
        self._buttons["serve"].clicked.connect(self.serve_selected)
        self._buttons["follow"].clicked.connect(self.follow_up_selected)
        self._buttons["cancel"].clicked.connect(self.cancel_selected)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 2)
        filters.addWidget(QLabel("状态", self))
        filters.addWidget(self.status)
        filters.addWidget(QLabel("文书", self))
        filters.addWidget(self.doc_type)
        actions = QHBoxLayout()
        actions.addWidget(self.count, 1)
        for button in self._buttons.values():
            actions.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self._update_buttons()

    # -- data -------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        from liandu_desk.services.documents.lifecycle import refresh_due
        from liandu_desk.services.documents.views import search_documents
        from liandu_desk.services.integrity import latest_anchor_text

        text = self.search.text()
        status = None if self.status.currentText() == ALL else self.status.currentText()
        doc_type = None if self.doc_type.currentText() == ALL else self.doc_type.currentText()
        write = status in (None, DocStatus.DUE.value, DocStatus.SERVED.value)

        def work(session):
            if write:
                refresh_due(session)  # a deadline passed since: 已送达 becomes 已逾期 before the list is read
            return search_documents(session, text, status, doc_type), latest_anchor_text(session)

        if write:
            ops.write(self.ctx, work, self._loaded, parent=self)
        else:
            ops.read(self.ctx, work, self._loaded, key="document-register", parent=self)

    def _loaded(self, result: tuple[list[DocumentView], str]) -> None:
        rows, anchor = result
        self.model.set_rows(rows)
        self.count.setText(f"共{len(rows)}份　{anchor}".rstrip())
        self._update_buttons()

    def selected(self) -> DocumentView | None:
        indexes = self.table.selectionModel().selectedRows()
        return self.model.row_at(indexes[0].row()) if indexes else None

    def _update_buttons(self, *_args) -> None:
        row = self.selected()
        status = row.status if row else None
        self._buttons["open"].setEnabled(row is not None)
        self._buttons["serve"].setEnabled(status == DocStatus.ISSUED.value)
        self._buttons["follow"].setEnabled(status in (DocStatus.SERVED.value, DocStatus.DUE.value))
        self._buttons["cancel"].setEnabled(status in ("草稿", "已签发", "已送达", "已到期"))

    # -- actions ----------------------------------------------------------------------------------------
    def _open_index(self, index: QModelIndex) -> None:
        self.table.selectRow(index.row())
        self.open_selected()

    def open_selected(self) -> None:
        from liandu_desk.ui.documents.preview import DocumentPreviewDialog

        row = self.selected()
        if row is not None:
            dialog = DocumentPreviewDialog(self.ctx, row.id, self)
            dialog.issued.connect(lambda _id: self.refresh())
            dialog.exec()

    def _write(self, work: Callable, title: str) -> None:
        ops.write(self.ctx, work, lambda _r: self.refresh(), changed="document", title=title, parent=self)

    def _document_text(self, row) -> str:
        return f"{row.number or '（未编号）'}　{row.title}　受送达人：{row.recipient}（当前：{row.status}）"

    def serve_selected(self) -> None:
        from liandu_desk.services.documents.lifecycle import serve
        from liandu_desk.ui.documents.serve_dialog import ServeDialog

        row = self.selected()
        if row is None:
            return
        dialog = ServeDialog(self.ctx, self._document_text(row), row.recipient, self)

        def make():
            (method, day, receiver, receipt), refusal = dialog.values(), dialog.refusal()
            return lambda s: serve(s, row.id, method, day, receiver, receipt, refusal)

        dialog.make = make
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.refresh()

    def follow_up_selected(self) -> None:
        from liandu_desk.services.documents.lifecycle import follow_up
        from liandu_desk.ui.documents.serve_dialog import FollowUpDialog

        row = self.selected()
        if row is None:
            return
        dialog = FollowUpDialog(self.ctx, self._document_text(row), self)

        def make():
            day, result = dialog.values()
            return lambda s: follow_up(s, row.id, day, result)

        dialog.make = make
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.refresh()

    def cancel_selected(self) -> None:
        from liandu_desk.services.documents.lifecycle import cancel
        from liandu_desk.ui.documents.serve_dialog import CancelDialog

        row = self.selected()
        if row is None:
            return
        dialog = CancelDialog(self.ctx, row.number or row.title, self)
        clerk = self.ctx.clerk.name

        def make():
            reason = dialog.value()
            return lambda s: cancel(s, row.id, reason, clerk)

        dialog.make = make
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.refresh()
