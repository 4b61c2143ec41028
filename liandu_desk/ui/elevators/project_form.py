"""Dialogs for a project: new project, add a household, correct a stage record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QSpinBox, QWidget

from liandu_desk.domain.errors import ValidationError
from liandu_desk.services.divisions import DivisionInfo
from liandu_desk.services.elevators.projects import ProjectInput
from liandu_desk.ui.elevators.forms import FormDialog, date_edit, date_of
from liandu_desk.ui.kit.ops import Work


def _spin(low: int, high: int, value: int) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low, high)
    spin.setValue(value)
    return spin


class ProjectDialog(FormDialog):
    """A new retrofit project for one building unit."""

    def __init__(
        self,
        communities: list[tuple[str, DivisionInfo]],
        on_save: Callable[[ProjectInput], Work | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("新建加装电梯项目", on_save, parent)
        self.community = QComboBox()
        self.community.addItem("（未选择）", None)
        for label, info in communities:
            self.community.addItem(label, info.id)
        self.estate = QLineEdit()
        self.estate.setPlaceholderText("如：望湖公寓")
        self.building = QLineEdit()
        self.unit = QLineEdit()
        self.floors = _spin(2, 40, 6)
        self.households = _spin(0, 400, 12)
        self.households.setToolTip("单元全部住户数（含尚未登记的）；表决统计以此为分母，0表示未申报")
        self.declared_area = QLineEdit()
        self.declared_area.setObjectName("declaredArea")
        self.declared_area.setPlaceholderText("㎡，单元全部住户专有面积之和（不动产登记），不清楚可不填")
        self.body_name = QLineEdit("单元业主代表（全体业主委托）")
        self.designer = QLineEdit()
        self.installer = QLineEdit()
        self.budget = QLineEdit()
        self.budget.setPlaceholderText("元，如 520000")
        self.started_on = date_edit()
        for label, widget in (
            ("社区", self.community),
            ("小区名称", self.estate),
            ("幢", self.building),
            ("单元", self.unit),
            ("层数", self.floors),
            ("户数", self.households),
            ("单元专有面积总和", self.declared_area),
            ("实施主体", self.body_name),
            ("设计单位", self.designer),
            ("安装单位", self.installer),
            ("预算（元）", self.budget),
            ("意愿征询开始", self.started_on),
        ):
            self.form.addRow(label + "：", widget)
        self.finish_layout()

    def fill(self, page) -> None:
        """Edit mode: the project's current values (the first stage's start date is edited on the timeline)."""
        self.setWindowTitle("修改项目信息")
        index = self.community.findData(page.community_id)
        self.community.setCurrentIndex(max(index, 0))
        self.estate.setText(page.estate)
        self.building.setText(page.building)
        self.unit.setText(page.unit)
        self.floors.setValue(page.floors)
        self.households.setValue(page.planned_households)
        self.body_name.setText(page.implementing_body)
        self.designer.setText(page.designer)
        self.installer.setText(page.installer)
        self.budget.setText("" if page.budget is None else f"{page.budget:.2f}")
        self.declared_area.setText("" if page.declared_area is None else f"{page.declared_area:.2f}")
        self.started_on.setEnabled(False)

    def values(self) -> ProjectInput:
        budget = None
        if self.budget.text().strip():
            try:
                budget = Decimal(self.budget.text().strip().replace(",", ""))
            except InvalidOperation:
                raise ValidationError("预算", "应为金额（元）") from None
        area = None
        if self.declared_area.text().strip():
            try:
                area = Decimal(self.declared_area.text().strip().replace(",", "").replace("㎡", "")).quantize(
                    Decimal("0.01")
                )
            except InvalidOperation:
                raise ValidationError("单元专有面积总和", "应为面积（㎡），最多两位小数") from None
        return ProjectInput(
            self.estate.text(),
            self.building.text().replace("幢", ""),
            self.unit.text().replace("单元", ""),
            self.floors.value(),
            self.community.currentData(),
            self.households.value(),
            self.body_name.text() or None,
            self.designer.text() or None,
            self.installer.text() or None,
            budget,
            date_of(self.started_on),
            declared_area=area,
        )


@dataclass
class HouseholdValues:
    room: str
    floor: int
    area: str
    owner_name: str
    shaft_occupied: bool


class HouseholdDialog(FormDialog):
    """Add a flat to the unit."""

    def __init__(
        self, floors: int, on_save: Callable[[HouseholdValues], Work | None], parent: QWidget | None = None
    ) -> None:
        super().__init__("新增住户", on_save, parent)
        self.room = QLineEdit()
        self.room.setPlaceholderText("如：301")
        self.floor = _spin(1, floors, 1)
        self.area = QLineEdit()
        self.area.setPlaceholderText("㎡，如 89.46")
        self.owner = QLineEdit()
        self.shaft = QCheckBox("电梯井道占用该户专有部分（须经其同意）")
        for label, widget in (
            ("房号", self.room),
            ("楼层", self.floor),
            ("专有面积", self.area),
            ("业主", self.owner),
            ("井道占用", self.shaft),
        ):
            self.form.addRow(label + "：", widget)
        self.finish_layout()

    def values(self) -> HouseholdValues:
        return HouseholdValues(
            self.room.text(), self.floor.value(), self.area.text(), self.owner.text(), self.shaft.isChecked()
        )


@dataclass
class StageRecordValues:
    started_on: dt.date
    completed_on: dt.date | None
    documents: str
    note: str


class StageRecordDialog(FormDialog):
    """Correct a stage's dates, documents and note."""

    def __init__(
        self,
        stage: str,
        started_on: dt.date,
        completed_on: dt.date | None,
        documents: str | None,
        on_save: Callable[[StageRecordValues], Work | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(f"阶段记录：{stage}", on_save, parent)
        self.started_on = date_edit(started_on)
        self.completed_box = QCheckBox("已完成")
        self.completed_box.setChecked(completed_on is not None)
        self.completed_on = date_edit(completed_on or started_on)
        self.completed_on.setEnabled(completed_on is not None)
        self.completed_box.toggled.connect(self.completed_on.setEnabled)
        self.documents = QLineEdit(documents or "")
        self.note = QLineEdit()
        for label, widget in (
            ("开始日期", self.started_on),
            ("状态", self.completed_box),
            ("完成日期", self.completed_on),
            ("材料", self.documents),
            ("备注", self.note),
        ):
            self.form.addRow(label + "：", widget)
        self.finish_layout()

    def values(self) -> StageRecordValues:
        completed = date_of(self.completed_on) if self.completed_box.isChecked() else None
        return StageRecordValues(date_of(self.started_on), completed, self.documents.text(), self.note.text())
