"""Record forms of the 星级小区 module: a community (division, type, company, grid staff) and the grid staff list."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from liandu_desk.domain.communities import CommunityType
from liandu_desk.services.communities.records import CommunityRow, StaffRow, list_staff, save_staff
from liandu_desk.ui.communities.forms import FormDialog, Work
from liandu_desk.ui.kit import ops
from liandu_desk.ui.kit.context import AppContext


def _combo(options: list[tuple[int | None, str]], current: int | None) -> QComboBox:
    box = QComboBox()
    for value, text in options:
        box.addItem(text, value)
    box.setCurrentIndex(max(box.findData(current), 0) if current is not None else 0)
    return box


def _count(value: int) -> QSpinBox:
    box = QSpinBox()
    box.setRange(0, 100000)
    box.setValue(value)
    return box


def community_dialog(
    parent: QWidget | None,
    row: CommunityRow | None,
    divisions: list[tuple[int, str]],
    companies: list[tuple[int, str]],
    staff: list[tuple[int, str]],
    apply: Callable[[dict], Work],
) -> bool:
    """New or edited community; the service validates names and counts."""
    dialog = FormDialog("编辑小区" if row else "新增小区", parent)
    name = QLineEdit(row.name if row else "")
    division = _combo([(None, "（未指定）"), *divisions], row.division_id if row else None)
    address = QLineEdit(row.address if row else "")
    households, buildings = _count(row.households if row else 0), _count(row.buildings if row else 0)
    closed = QCheckBox("封闭式物管小区")
    closed.setChecked(row.closed_managed if row else True)
    kind = QComboBox()
    kind.addItems([t.value for t in CommunityType])
    kind.setCurrentText(row.type if row else CommunityType.BASIC.value)
    company = _combo([(None, "（无物业 / 自管）"), *companies], row.company_id if row else None)
    grid = _combo([(None, "（未分配）"), *staff], row.grid_staff_id if row else None)
    for label, widget in (
        ("小区名称：", name),
        ("所属社区：", division),
        ("地址：", address),
        ("户数：", households),
        ("幢数：", buildings),
        ("", closed),
        ("小区类型：", kind),
        ("物业企业：", company),
        ("网格员：", grid),
    ):
        dialog.form.addRow(label, widget)
    dialog.on_save = lambda: apply(
        {
            "name": name.text(),
            "division_id": division.currentData(),
            "address": address.text(),
            "households": households.value(),
            "buildings": buildings.value(),
            "closed_managed": closed.isChecked(),
            "type": kind.currentText(),
            "company_id": company.currentData(),
            "grid_staff_id": grid.currentData(),
        }
    )
    return dialog.exec() == QDialog.DialogCode.Accepted


class StaffDialog(QDialog):
    """The grid staff with the number of communities assigned to each; add a member."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("网格员")
        self.resize(420, 520)
        self.ctx = ctx
        self.list = QListWidget()
        self.summary = QLabel("正在读取……")
        button = QPushButton("新增网格员(&N)…")
        button.clicked.connect(self.new_staff)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.list, 1)
        layout.addWidget(button)
        layout.addWidget(buttons)
        self.reload()

    def reload(self) -> None:
        ops.read(self.ctx, list_staff, self._show, key="communities.staff", parent=self)

    def _show(self, rows: list[StaffRow]) -> None:
        self.list.clear()
        for row in rows:
            self.list.addItem(f"{row.name}　{row.phone}　负责{row.communities}个小区")
        assigned = sum(1 for r in rows if r.communities)
        self.summary.setText(f"共{len(rows)}名网格员，其中{assigned}名已分配小区（在小区信息中分配）")

    def new_staff(self) -> None:
        form = FormDialog("新增网格员", self)
        name, phone = QLineEdit(), QLineEdit()
        form.form.addRow("姓名：", name)
        form.form.addRow("电话：", phone)
        form.on_save = lambda: partial(save_staff, name=name.text(), phone=phone.text())
        if form.exec():
            self.reload()
