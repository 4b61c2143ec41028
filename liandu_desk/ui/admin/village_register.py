"""工具 → 村（社区）名册: the villages and communities of each township, with add, rename, retire and history."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from liandu_desk.domain.permissions import Permission
from liandu_desk.services.division_register import VillageRow, list_register
from liandu_desk.services.divisions import DivisionInfo, list_townships
from liandu_desk.ui.admin.village_forms import (
    AddVillageForm,
    RegisterForm,
    RenameVillageForm,
    RetireVillageForm,
    VillageHistoryDialog,
)
from liandu_desk.ui.kit import ops
from liandu_desk.ui.kit.context import AppContext
from liandu_desk.ui.kit.forms import denial
from liandu_desk.ui.kit.row_table import Column, RowTableModel
from liandu_desk.ui.kit.tables import read_only_table

ID_ROLE = Qt.ItemDataRole.UserRole + 1
CODE_COLUMN = 2
SOURCE_NOTE = (
    "随程序发布的名册取自国家统计局统计用区划代码（村级2021年版，乡镇2023年版）；此后的撤并、更名请在此登记并填写依据。"
)
COLUMNS: tuple[Column[VillageRow], ...] = (
    Column("名称", lambda v: v.name, tooltip=lambda v: f"统计局名称：{v.official_name}" if v.official_name else ""),
    Column("类型", lambda v: v.level),
    Column("统计用区划代码", lambda v: v.code or "（无）"),
    Column("核对状态", lambda v: v.check_status),
    Column("状态", lambda v: v.state, lambda v: (v.valid_to is not None, v.valid_to)),
    Column("房屋", lambda v: v.houses, align=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
    Column("核对来源", lambda v: v.source or ""),
)


class VillageRegisterDialog(QDialog):
    """Townships on the left; the chosen township's villages and communities on the right."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.refusal = denial(ctx, Permission.EDIT_DIVISIONS)
        self.setWindowTitle("村（社区）名册")
        self.resize(1100, 680)
        self.townships = QListWidget()
        self.townships.setObjectName("villageTownships")
        self.townships.setMaximumWidth(200)
        self.townships.currentItemChanged.connect(lambda _cur, _prev: self.refresh())
        self.model: RowTableModel[VillageRow] = RowTableModel(COLUMNS, self)
        self.table = read_only_table(self.model, "villageTable")
        self.table.sortByColumn(CODE_COLUMN, Qt.SortOrder.AscendingOrder)  # the register's own order
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.table.doubleClicked.connect(lambda _index: self.show_history())
        self.show_retired = QCheckBox("显示已撤销的")
        self.show_retired.setChecked(True)
        self.show_retired.toggled.connect(lambda _on: self.refresh())
        self.summary = QLabel("")
        self.add_button = QPushButton("新增…")
        self.rename_button = QPushButton("更名…")
        self.retire_button = QPushButton("撤销…")
        self.history_button = QPushButton("修改记录…")
        self.add_button.clicked.connect(self.add)
        self.rename_button.clicked.connect(self.rename)
        self.retire_button.clicked.connect(self.retire)
        self.history_button.clicked.connect(self.show_history)
        self._layout()
        ops.read(ctx, list_townships, self._show_townships, parent=self, key="village-register-townships")

    def _layout(self) -> None:
        buttons = QHBoxLayout()
        for widget in (self.add_button, self.rename_button, self.retire_button, self.history_button):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        buttons.addWidget(self.show_retired)
        right = QWidget()
        box = QVBoxLayout(right)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(buttons)
        box.addWidget(self.table, 1)
        box.addWidget(self.summary)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.townships)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([180, 900])
        note = QLabel(SOURCE_NOTE + (f"（{self.refusal}，只能查看）" if self.refusal else ""))
        note.setObjectName("villageSourceNote")
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(splitter, 1)

    # -- data -----------------------------------------------------------------------------------------------
    def _show_townships(self, townships: list[DivisionInfo]) -> None:
        self.townships.clear()
        for township in townships:
            item = QListWidgetItem(township.name)
            item.setData(ID_ROLE, township.id)
            self.townships.addItem(item)
        if townships:
            self.townships.setCurrentRow(0)

    def township(self) -> tuple[int, str] | None:
        item = self.townships.currentItem()
        return None if item is None else (int(item.data(ID_ROLE)), item.text())

    def refresh(self) -> None:
        chosen = self.township()
        if chosen is None:
            return
        township_id, _name = chosen
        everything = self.show_retired.isChecked()
        ops.read(
            self.ctx,
            lambda session: list_register(session, township_id, include_retired=everything),
            self._show_villages,
            parent=self,
            key="village-register",
        )

    def _show_villages(self, rows: list[VillageRow]) -> None:
        self.model.set_rows(rows)
        header = self.table.horizontalHeader()
        self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        self.table.resizeColumnsToContents()
        current = [r for r in rows if not r.retired]
        unverified = sum(1 for r in current if r.check_status == "未核实")
        name = (self.township() or (0, ""))[1]
        text = f"{name}：现有村（社区）{len(current)}个"
        self.summary.setText(text + (f"，其中未核实{unverified}个" if unverified else ""))
        self._update_buttons()

    def selected(self) -> VillageRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        village = self.selected()
        may = not self.refusal
        self.add_button.setEnabled(may)
        self.rename_button.setEnabled(may and village is not None and village.valid_to is None)
        self.retire_button.setEnabled(may and village is not None and village.valid_to is None)
        self.history_button.setEnabled(village is not None)
        for button in (self.add_button, self.rename_button, self.retire_button):
            button.setToolTip(self.refusal)

    # -- actions --------------------------------------------------------------------------------------------
    def add(self) -> None:
        chosen = self.township()
        if chosen is not None:
            self._open(AddVillageForm(self.ctx, chosen[0], chosen[1], self))

    def rename(self) -> None:
        village = self.selected()
        if village is not None:
            self._open(RenameVillageForm(self.ctx, village, self))

    def retire(self) -> None:
        village = self.selected()
        if village is not None:
            self._open(RetireVillageForm(self.ctx, village, self))

    def show_history(self) -> None:
        village = self.selected()
        if village is not None:
            VillageHistoryDialog(self.ctx, village, self).exec()

    def _open(self, form: RegisterForm) -> None:
        """Show a form; once it saved, list the township again (the connection ends with this dialog)."""
        form.accepted.connect(self.refresh)
        form.exec()
