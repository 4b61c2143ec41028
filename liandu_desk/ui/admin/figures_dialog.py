"""数据核对状态: the figures no official text has confirmed yet (subsidy, cost-sharing coefficients, star thresholds);
an administrator records the 文号 that verifies one, or withdraws it. Screens and documents say 未核实 until then."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from liandu_desk.domain.permissions import Permission, allowed
from liandu_desk.services import figures
from liandu_desk.ui.kit import ops
from liandu_desk.ui.kit.context import AppContext
from liandu_desk.ui.kit.form_dialog import FormDialog
from liandu_desk.ui.kit.row_table import Column, RowTableModel
from liandu_desk.ui.kit.tables import read_only_table

COLUMNS: tuple[Column[figures.FigureStatus], ...] = (
    Column("数据", lambda f: f.label),
    Column("核对状态", lambda f: f.status),
    Column("核实依据（文号）", lambda f: f.source or "—"),
    Column("记录人", lambda f: f.verified_by or "—"),
    Column("记录日期", lambda f: f.verified_on or "—"),
    Column("说明", lambda f: f.describe(), tooltip=lambda f: f.describe()),
)


class VerifyFigureForm(FormDialog):
    """记录核实文号: the number of the official text that confirms a figure's current value (Enter saves)."""

    def __init__(self, ctx: AppContext, row: figures.FigureStatus, parent: QWidget) -> None:
        super().__init__("记录核实文号", parent, ctx)
        self.key = row.key
        self.add_note(f"核实“{row.label}”当前数值的正式文件文号（如 丽建发〔2021〕12号）。")
        self.number = self.add_field("文号", QLineEdit())

    def accept(self) -> None:
        if self.busy:
            return
        key, source = self.key, self.required_text("文号", "请填写核实所依据的正式文件文号")
        if source is None:
            return
        self.write(lambda s: figures.verify_figure(s, key, source), changed="setting")


class FiguresDialog(QDialog):
    """The 核对状态 of each unverified figure; an administrator verifies (文号) or withdraws a verification."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("数据核对状态")
        self.resize(820, 320)
        self.model: RowTableModel[figures.FigureStatus] = RowTableModel(COLUMNS, self)
        self.table: QTableView = read_only_table(self.model, "figureTable", fit_contents=True)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        may = allowed(ctx.clerk.role, Permission.EDIT_SETTINGS)
        note = QLabel(
            "以下数值尚无正式文件核实时，使用它们的页面和文书均标注“未核实”。管理员取得正式文件后，在此记录其文号；"
            "此后修改数值会使其重新变为未核实。" + ("" if may else "\n只有管理员可以记录核实文号。")
        )
        note.setWordWrap(True)
        self.verify_button = QPushButton("记录核实文号…")
        self.verify_button.clicked.connect(self.verify)
        self.withdraw_button = QPushButton("撤销核实")
        self.withdraw_button.clicked.connect(self.withdraw)
        for button in (self.verify_button, self.withdraw_button):
            button.setAutoDefault(False)
            button.setVisible(may)
        close = QPushButton("关闭")
        close.clicked.connect(self.reject)
        bar = QHBoxLayout()
        bar.addWidget(self.verify_button)
        bar.addWidget(self.withdraw_button)
        bar.addStretch(1)
        bar.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.table, 1)
        layout.addLayout(bar)
        ctx.changes.follow(["setting"], lambda _kind, _ids: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        ops.read(self.ctx, figures.figure_statuses, self._show, parent=self, key="figures")

    def _show(self, rows: list[figures.FigureStatus]) -> None:
        keep = self.selected()
        self.model.set_rows(rows)
        index = next((i for i, r in enumerate(rows) if keep is not None and r.key == keep.key), 0 if rows else -1)
        if index >= 0:
            self.table.selectRow(index)
        self._update_buttons()

    def selected(self) -> figures.FigureStatus | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def _update_buttons(self) -> None:
        row = self.selected()
        self.verify_button.setEnabled(row is not None)
        self.withdraw_button.setEnabled(row is not None and bool(row.source))

    def verify(self) -> None:
        row = self.selected()
        if row is None:
            return
        VerifyFigureForm(self.ctx, row, self).exec()

    def withdraw(self) -> None:
        row = self.selected()
        if row is None:
            return
        question = f"撤销“{row.label}”的核实记录（{row.source}）？撤销后标注为未核实。"
        if QMessageBox.question(self, "撤销核实", question) == QMessageBox.StandardButton.Yes:
            key = row.key
            ops.write(self.ctx, lambda s: figures.withdraw_verification(s, key), changed="setting", parent=self)
