"""The batches of the document register: each batch issued together, reprinted byte for byte from its archive."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QAbstractItemView, QFileDialog, QHBoxLayout, QPushButton, QTableView, QVBoxLayout, QWidget

from liandu_desk.services.documents.batch import BatchRow, batch_pdf, list_batches
from liandu_desk.ui.kit import ops
from liandu_desk.ui.kit.context import AppContext
from liandu_desk.ui.kit.errors import show_error
from liandu_desk.ui.kit.row_table import Column, RowTableModel

COLUMNS: tuple[Column[BatchRow], ...] = (
    Column("批次", lambda b: str(b.id)),
    Column("文书类型", lambda b: b.doc_type),
    Column("签发日期", lambda b: b.issued_on.isoformat()),
    Column("签发人", lambda b: b.issued_by),
    Column("份数", lambda b: str(b.count)),
    Column("文号范围", lambda b: f"{b.first_number}至{b.last_number}"),
    Column("存档SHA-256", lambda b: b.sha256[:16]),
)


class BatchRegister(QWidget):
    """批次: the combined PDF of a batch as stored when it was issued (also after a crash before it was saved)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model: RowTableModel[BatchRow] = RowTableModel(COLUMNS, self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.save_button = QPushButton("重印批次（另存合并PDF）…", self)
        self.save_button.clicked.connect(self.save_selected)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def refresh(self) -> None:
        def job(_job_ctx):
            return ops.in_session(self.ctx, lambda session: list_batches(session))()

        self.ctx.jobs.run(job, self._loaded, on_err=lambda e, t: show_error(e, t, self), key="doc.batches")

    def _loaded(self, rows: list[BatchRow]) -> None:
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()

    def selected(self) -> BatchRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def save_selected(self) -> None:
        batch = self.selected()
        if batch is None:
            return
        name, _ = QFileDialog.getSaveFileName(self, "另存批次PDF", f"批次{batch.id}.pdf", "PDF 文件 (*.pdf)")
        if name:
            self.save_to(batch.id, Path(name))

    def save_to(self, batch_id: int, path: Path) -> None:
        from liandu_desk.reports.engine import write_atomic

        def job(_job_ctx):
            return ops.in_session(self.ctx, lambda session: write_atomic(path, batch_pdf(session, batch_id)))()

        self.ctx.jobs.run(job, lambda _p: None, on_err=lambda e, t: show_error(e, t, self), title="正在写入……")
