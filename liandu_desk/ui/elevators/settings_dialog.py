"""加装电梯参数: expected days per stage, floor coefficients, subsidy per unit, the headcount rule (all unverified)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox, QGridLayout, QGroupBox, QLabel, QLineEdit, QSpinBox, QWidget

from liandu_desk.domain.elevators import STAGES
from liandu_desk.services import settings as settings_service
from liandu_desk.services.elevators import config as ev
from liandu_desk.ui.elevators.forms import FormDialog
from liandu_desk.ui.kit import ops
from liandu_desk.ui.kit.context import AppContext
from liandu_desk.ui.kit.ops import Work

MAX_FLOOR = 12


class ElevatorSettingsDialog(FormDialog):
    """Edits the module's declared settings; labels say which figures are estimates."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        self.ctx = ctx
        super().__init__("加装电梯参数", self._save, parent)
        self.changed = "setting"
        self.loading = QLabel("正在读取……")
        self.body.insertWidget(0, self.loading)
        self.set_busy("正在读取……")  # 保存 stays the default button; Enter waits for the figures
        self.finish_layout()
        ops.read(ctx, ev.load_config, self._fill, parent=self)

    def _fill(self, current: ev.ElevatorConfig) -> None:
        """The stored figures have been read: build the editors."""
        self.loading.setText("以下数值均未经丽水正式文件核实（估计值或外地参考示例），请按本地实际调整。")
        self.loading.setWordWrap(True)
        self.loading.setStyleSheet("color: #a05a00;")
        self.days: dict[str, QSpinBox] = {}
        days_box = QGroupBox(ev.LABEL_STAGE_DAYS)
        days_grid = QGridLayout(days_box)
        for i, stage in enumerate(STAGES):
            spin = QSpinBox()
            spin.setRange(1, 3650)
            spin.setSuffix(" 天")
            spin.setValue(current.expected_days(stage))
            spin.setObjectName(f"days_{i}")
            self.days[stage.value] = spin
            days_grid.addWidget(QLabel(f"{i + 1}. {stage.value}"), i // 2, (i % 2) * 2)
            days_grid.addWidget(spin, i // 2, (i % 2) * 2 + 1)
        self.coefficients: dict[int, QLineEdit] = {}
        coef_box = QGroupBox(ev.LABEL_COEFFICIENTS + "；留空的楼层沿用其下方最近一层的系数")
        coef_grid = QGridLayout(coef_box)
        for floor in range(1, MAX_FLOOR + 1):
            edit = QLineEdit(str(current.coefficients[floor]) if floor in current.coefficients else "")
            edit.setObjectName(f"coef_{floor}")
            edit.setMaximumWidth(70)
            self.coefficients[floor] = edit
            coef_grid.addWidget(QLabel(f"{floor}层"), (floor - 1) // 6, ((floor - 1) % 6) * 2)
            coef_grid.addWidget(edit, (floor - 1) // 6, ((floor - 1) % 6) * 2 + 1)
        self.subsidy = QSpinBox()
        self.subsidy.setRange(0, 10_000_000)
        self.subsidy.setSingleStep(1000)
        self.subsidy.setSuffix(" 元")
        self.subsidy.setValue(int(current.subsidy_per_unit))
        self.one_owner = QCheckBox(ev.LABEL_ONE_OWNER)
        self.one_owner.setChecked(current.one_owner_one_person)
        self.body.insertWidget(1, days_box)
        self.body.insertWidget(2, coef_box)
        self.form.addRow(ev.LABEL_SUBSIDY + "：", self.subsidy)
        self.form.addRow(self.one_owner)
        self.set_busy("")

    def values(self) -> dict[str, Any]:
        coefficients = {str(f): e.text().strip() for f, e in self.coefficients.items() if e.text().strip()}
        return {
            ev.SETTING_STAGE_DAYS: {stage: spin.value() for stage, spin in self.days.items()},
            ev.SETTING_COEFFICIENTS: coefficients,
            ev.SETTING_SUBSIDY: self.subsidy.value(),
            ev.SETTING_ONE_OWNER_ONE_PERSON: self.one_owner.isChecked(),
        }

    def _save(self, values: dict[str, Any]) -> Work:
        return lambda session: settings_service.save_settings(session, values)
