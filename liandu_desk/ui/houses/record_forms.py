"""Screening (排查) and appraisal (鉴定) forms; an unusual grade/handling pair asks for confirmation, never blocks."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox, QGridLayout, QLineEdit, QWidget

from liandu_desk.domain.houses import HAZARDS, AppraisalStandard, Grade, Handling, ScreeningConclusion
from liandu_desk.services.houses import appraisal, screening
from liandu_desk.ui.kit.context import AppContext
from liandu_desk.ui.kit.forms import HouseFormDialogBase, combo, confirm, date_edit

GRADE_MEANINGS = ("无危险构件", "个别构件危险，不影响主体", "局部危险，局部危房", "整体危险，整幢危房")


class HazardPicker(QWidget):
    """Multi-select of the hazard indicators (隐患情况)."""

    def __init__(self, chosen: tuple[str, ...] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[str, QCheckBox] = {}
        for number, hazard in enumerate(HAZARDS):
            box = QCheckBox(hazard)
            box.setChecked(hazard in chosen)
            self.boxes[hazard] = box
            grid.addWidget(box, number // 3, number % 3)

    def value(self) -> tuple[str, ...]:
        return tuple(h for h, box in self.boxes.items() if box.isChecked())

    def setFocus(self) -> None:
        next(iter(self.boxes.values())).setFocus()


class ScreeningFormDialog(HouseFormDialogBase):
    """Adds a screening record (一房一表) to a house, or corrects one (`record`, saved against its version)."""

    def __init__(self, ctx: AppContext, house_id: int, parent: QWidget | None = None, record: Any = None) -> None:
        super().__init__(ctx, "新增排查记录" if record is None else "修改排查记录", parent)
        self.house_id, self.record = house_id, record
        self.warnings: tuple[str, ...] = ()
        self.add_field("排查日期", date_edit(record.screened_on if record else None))
        self.add_field("排查结论", combo([c.value for c in ScreeningConclusion], record.conclusion if record else None))
        self.add_field("排查人", QLineEdit(record.screener if record else ctx.clerk.name))
        self.add_field("隐患情况", HazardPicker(record.hazards if record else ()))
        self.add_field("备注", QLineEdit(record.note if record else ""))

    def save(self, session, values: dict[str, Any]) -> int:
        data = screening.ScreeningInput(
            screened_on=values["排查日期"],
            conclusion=values["排查结论"],
            screener=values["排查人"],
            hazards=values["隐患情况"],
            note=values["备注"],
        )
        if self.record is not None:
            result = screening.update_screening(session, self.record.id, data, self.record.version)
        else:
            result = screening.add_screening(session, self.house_id, data)
        self.warnings = result.warnings
        return result.id


class AppraisalFormDialog(HouseFormDialogBase):
    """Records an appraisal or re-appraisal (the earlier grades stay), or corrects a typing error in one."""

    def __init__(self, ctx: AppContext, house_id: int, parent: QWidget | None = None, record: Any = None) -> None:
        super().__init__(ctx, "录入鉴定结果" if record is None else "更正鉴定记录", parent)
        self.house_id, self.record = house_id, record
        self.warnings: tuple[str, ...] = ()
        self.add_field("鉴定日期", date_edit(record.appraised_on if record else None))
        self.add_field("鉴定等级", combo([g.value for g in Grade], record.grade if record else None))
        self.add_field("处理类型", combo([h.value for h in Handling], record.handling if record else None, "（无）"))
        self.add_field("鉴定机构", QLineEdit(record.agency if record else ""))
        self.add_field("报告编号", QLineEdit(record.report_no if record else ""))
        standard = getattr(record, "standard", None)
        self.add_field("鉴定标准", combo([s.value for s in AppraisalStandard], standard, "（按房屋类型默认）"))
        self.add_field("防灾措施结论", QLineEdit(getattr(record, "disaster_measures", "") or ""))
        self.fields["防灾措施结论"].setPlaceholderText("农村房屋填写，如：未设置圈梁构造柱，抗震措施不满足要求")
        self.add_field("备注", QLineEdit(record.note if record else ""))
        if record is not None:
            self.add_note("更正只用于录入错误；复鉴请用“录入鉴定”新增一条，原鉴定记录保留在等级历史中。")
        grades = self.fields["鉴定等级"]
        for number, meaning in enumerate(GRADE_MEANINGS):
            grades.setItemText(number, f"{grades.itemData(number)}级（{meaning}）")

    def before_save(self, values: dict[str, Any]) -> bool:
        warnings = appraisal.handling_warnings(values["鉴定等级"], values["处理类型"])
        if not warnings:
            return True
        ok = confirm(self, "请核实鉴定等级与处理类型", "\n".join(warnings) + "\n\n这只是提示。仍要按所填内容保存吗？")
        if not ok:
            self.focus_field("处理类型")
        return ok

    def save(self, session, values: dict[str, Any]) -> int:
        data = appraisal.AppraisalInput(
            appraised_on=values["鉴定日期"],
            grade=values["鉴定等级"],
            agency=values["鉴定机构"],
            report_no=values["报告编号"],
            handling=values["处理类型"],
            note=values["备注"],
            standard=values["鉴定标准"],
            disaster_measures=values["防灾措施结论"],
        )
        if self.record is not None:
            result = appraisal.correct_appraisal(session, self.record.id, data, self.record.version)
        else:
            result = appraisal.add_appraisal(session, self.house_id, data)
        self.warnings = result.warnings
        return result.id
