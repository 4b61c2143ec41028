"""一房一策 plans (draw up, milestones, 解危) for urban buildings; poor-family renovation applications."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QLineEdit, QSpinBox, QWidget

from liandu_desk.domain.house_cases import ApplicationStatus, HouseholdCategory, Measure, MilestoneStatus
from liandu_desk.domain.permissions import Permission, allowed
from liandu_desk.domain.validators import mask_id_number
from liandu_desk.services.houses import applications, plans
from liandu_desk.services.houses.detail import HouseDetail
from liandu_desk.ui.kit import ops
from liandu_desk.ui.kit.context import AppContext
from liandu_desk.ui.kit.forms import HouseFormDialogBase, combo, confirm, date_edit

RENOVATION_MEASURES = (Measure.REPAIR, Measure.DEMOLISH_REBUILD, Measure.REBUILD)


class ControlsPicker(QWidget):
    """Multi-select of the interim controls (临时管控措施)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.boxes = {name: QCheckBox(name) for name in plans.INTERIM_CONTROLS}
        for box in self.boxes.values():
            row.addWidget(box)

    def value(self) -> tuple[str, ...]:
        return tuple(name for name, box in self.boxes.items() if box.isChecked())


class PlanFormDialog(HouseFormDialogBase):
    """Draws up a 一房一策 plan for an urban building; the street defaults to the building's subdistrict."""

    def __init__(self, ctx: AppContext, house: HouseDetail, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "制定一房一策方案", parent)
        self.house = house
        self.add_field("责任主体", QLineEdit(house.owner_name))
        self.add_field("属地街道", combo([house.township]))
        self.add_field("解危方式", combo([m.value for m in Measure]))
        self.add_field("资金来源", QLineEdit())
        self.add_field("临时管控措施", ControlsPicker())
        self.add_field("制定日期", date_edit())
        self.add_field("解危期限", date_edit(optional=True))
        self.add_field("备注", QLineEdit())
        self.fields["责任主体"].setPlaceholderText("产权人或使用人（谁拥有谁负责、谁使用谁负责）")

    def save(self, session, values: dict[str, Any]) -> int:
        data = plans.PlanInput(
            responsible_party=values["责任主体"],
            method=values["解危方式"],
            opened_on=values["制定日期"],
            street_id=self.house.township_id,
            funding=values["资金来源"],
            interim_controls=values["临时管控措施"],
            deadline=values["解危期限"],
            note=values["备注"],
        )
        return plans.create_plan(session, self.house.id, data).id


class ApplicationFormDialog(HouseFormDialogBase):
    """Files a renovation subsidy application for the house's family; eligibility and the subsidy are previewed."""

    def __init__(self, ctx: AppContext, house: HouseDetail, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "困难家庭危房改造申请", parent)
        self.house = house
        self.warnings: tuple[str, ...] = ()
        self._hidden_id = ""
        self.add_field("申请人姓名", QLineEdit(house.owner_name))
        self.add_field("申请人身份证号", self._id_field())
        year = QSpinBox()
        year.setRange(2000, dt.date.today().year + 1)
        year.setValue(dt.date.today().year)
        self.add_field("申报年度", year)
        self.add_field("家庭类别", combo([c.value for c in HouseholdCategory]))
        self.add_field("改造方式", combo([m.value for m in RENOVATION_MEASURES]))
        self.add_field("申报日期", date_edit())
        self.add_field("备注", QLineEdit())
        self.preview = QLabel("")
        self.preview.setObjectName("eligibility")
        self.preview.setWordWrap(True)
        self.form.addRow("审核预览：", self.preview)
        for label in ("申报年度", "家庭类别", "改造方式"):
            signal = getattr(self.fields[label], "valueChanged", None) or self.fields[label].currentIndexChanged
            signal.connect(lambda _value: self.update_preview())
        self.update_preview()

    def _id_field(self) -> QLineEdit:
        edit = QLineEdit()
        if allowed(self.ctx.clerk.role, Permission.VIEW_PERSONAL_DATA):
            edit.setText(self.house.owner_id_number)
        elif self.house.owner_id_number:
            self._hidden_id = self.house.owner_id_number
            edit.setPlaceholderText(f"户主 {mask_id_number(self._hidden_id)}（申请人是户主请留空）")
        return edit

    def update_preview(self) -> None:
        """Eligibility (no house, or a house graded C/D) and the subsidy from the configurable table."""
        values = self.values()
        house_id = self.house.id

        def work(session) -> str:
            check = applications.check_eligibility(session, values["家庭类别"], house_id)
            lookup = applications.subsidy_amount(session, values["申报年度"], values["家庭类别"], values["改造方式"])
            verdict = "符合条件" if check.eligible else "不符合条件"
            return f"{verdict}：{check.reason}。补助标准：{lookup.label}"

        ops.read(self.ctx, work, self.preview.setText, key=f"houses.application.{id(self)}", parent=self)

    def save(self, session, values: dict[str, Any]) -> int:
        data = applications.ApplicationInput(
            applicant_name=values["申请人姓名"],
            applicant_id_number=values["申请人身份证号"] or self._hidden_id,
            township_id=self.house.township_id,
            village_id=self.house.village_id,
            year=values["申报年度"],
            category=values["家庭类别"],
            measure=values["改造方式"],
            applied_on=values["申报日期"],
            house_id=self.house.id,
            note=values["备注"],
        )
        result = applications.submit_application(session, data)
        self.warnings = result.warnings
        return result.id


class DecisionDialog(HouseFormDialogBase):
    """Approves, rejects or marks paid a renovation application (reviewers); saved against its version."""

    def __init__(self, ctx: AppContext, application: Any, parent: QWidget | None = None) -> None:
        super().__init__(ctx, f"审批改造申请 — {application.applicant_name}", parent)
        self.application = application
        self.add_field("审批结果", combo([s.value for s in ApplicationStatus if s != ApplicationStatus.SUBMITTED]))
        self.add_field("审批日期", date_edit())
        amount = "未定" if application.subsidy_amount is None else f"{application.subsidy_amount:,}元"
        self.add_note(f"{application.year}年 {application.category}，{application.measure}，补助标准 {amount}。")

    def before_save(self, values: dict[str, Any]) -> bool:
        return confirm(self, "审批改造申请", f"确定将该申请标记为“{values['审批结果']}”吗？")

    def save(self, session, values: dict[str, Any]) -> int:
        return applications.decide_application(
            session, self.application.id, values["审批结果"], values["审批日期"], self.application.version
        ).id


class ResolvePlanDialog(HouseFormDialogBase):
    """Marks a 一房一策 plan resolved (已解危): a 解危证明 number, or a re-appraisal at A/B on file."""

    def __init__(self, ctx: AppContext, plan: Any, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "解危", parent)
        self.plan = plan
        self.add_field("解危日期", date_edit())
        self.add_field("解危证明", QLineEdit())
        self.fields["解危证明"].setPlaceholderText("解危证明编号；已复鉴为A/B级的可不填")

    def save(self, session, values: dict[str, Any]) -> int:
        return plans.resolve_plan(session, self.plan.id, values["解危日期"], values["解危证明"]).id


class MilestoneFormDialog(HouseFormDialogBase):
    """Adds a milestone (节点) to a 一房一策 plan."""

    def __init__(self, ctx: AppContext, plan: Any, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "新增方案节点", parent)
        self.plan = plan
        self.add_field("节点名称", QLineEdit())
        self.add_field("计划完成", date_edit(optional=True))
        self.fields["节点名称"].setPlaceholderText("如：人员撤离、拆除施工、复鉴")

    def save(self, session, values: dict[str, Any]) -> int:
        return plans.add_milestone(session, self.plan.id, values["节点名称"], values["计划完成"]).id


class MilestoneStatusDialog(HouseFormDialogBase):
    """Moves a milestone of a plan along: 未开始 → 进行中 → 已完成 (with the day it was done)."""

    def __init__(self, ctx: AppContext, plan: Any, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "更新节点状态", parent)
        self.plan = plan
        milestones = QComboBox()
        for m in plan.milestones:
            due = f"，计划{m.due_on}" if m.due_on else ""
            milestones.addItem(f"{m.title}（{m.status}{due}）", m.id)
        pending = [i for i, m in enumerate(plan.milestones) if m.status != MilestoneStatus.DONE.value]
        milestones.setCurrentIndex(pending[0] if pending else 0)  # the first one not done yet
        self.add_field("节点", milestones)
        self.add_field("状态", combo([s.value for s in MilestoneStatus], MilestoneStatus.DONE.value))
        self.add_field("完成日期", date_edit())

    def save(self, session, values: dict[str, Any]) -> int:
        return plans.set_milestone_status(session, values["节点"], values["状态"], values["完成日期"]).id
