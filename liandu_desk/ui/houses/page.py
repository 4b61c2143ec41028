"""The house page: facts and owner, the timeline next to the audit trail, every record, and the case actions."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from liandu_desk.domain.house_cases import HouseAction
from liandu_desk.domain.permissions import Permission
from liandu_desk.ui.houses.owner_forms import ConsentDialog, RevealForm
from liandu_desk.ui.houses.page_data import HousePageData, header_html, load_page
from liandu_desk.ui.houses.page_files import AttachmentActions
from liandu_desk.ui.houses.sections import (
    APPLICATION_COLUMNS,
    APPRAISAL_COLUMNS,
    PLAN_COLUMNS,
    SCREENING_COLUMNS,
    AttachmentStrip,
    CaseSection,
    RecordTable,
)
from liandu_desk.ui.houses.timeline import AuditTrailView, TimelineView
from liandu_desk.ui.kit import ops, pdf_view
from liandu_desk.ui.kit.context import AppContext
from liandu_desk.ui.kit.fit import flow_row
from liandu_desk.ui.kit.forms import HouseFormDialogBase, denial, run_confirmed_action
from liandu_desk.ui.kit.pdf_view import draft_then_open
from liandu_desk.ui.kit.signals import emit

log = logging.getLogger(__name__)
OPEN_VERIFICATIONS = ("待核实", "确认")


class HousePageDialog(AttachmentActions, QDialog):
    """One house's whole history; every change re-reads the page and emits `changed` for the list."""

    changed = Signal()

    def __init__(self, ctx: AppContext, house_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.house_id = house_id
        self.data: HousePageData | None = None
        self._shown_once = False
        self.setWindowTitle(f"房屋案卷 — 编号{house_id}")
        self.resize(1180, 780)
        self.header = QLabel("正在读取……")
        self.header.setObjectName("houseHeader")
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message = QLabel("")
        self.message.setObjectName("houseMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #1e8449;")
        self.message.setVisible(False)
        self.timeline = TimelineView()
        self.audit = AuditTrailView()
        self._build_sections()
        self._build_buttons()
        self._build_layout()
        self.reload()

    # --- construction --------------------------------------------------------------------------------
    def _build_sections(self) -> None:
        self.sections = QTabWidget()
        self.sections.setObjectName("houseSections")
        self.screenings = RecordTable(SCREENING_COLUMNS, "houseScreenings")
        self.appraisals = RecordTable(APPRAISAL_COLUMNS, "houseAppraisals")
        self.cases = CaseSection()
        self.plans = RecordTable(PLAN_COLUMNS, "housePlans")
        self.applications = RecordTable(APPLICATION_COLUMNS, "houseApplications")
        self.attachments = AttachmentStrip()
        for widget in (self.screenings, self.appraisals, self.cases, self.plans, self.applications, self.attachments):
            self.sections.addTab(widget, "")
        self.cases.case_selected.connect(lambda _case: self._update_buttons())
        self.screenings.doubleClicked.connect(lambda _index: self.edit_screening())
        self.appraisals.doubleClicked.connect(lambda _index: self.correct_appraisal())
        self.cases.cases.doubleClicked.connect(lambda _index: self.edit_case())
        self.plans.doubleClicked.connect(lambda _index: self.advance_plan())
        self.plans.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        self.applications.doubleClicked.connect(lambda _index: self.decide_application())
        self.plans.setToolTip("双击：实施中的方案登记解危；已解危的方案销号")
        self.applications.setToolTip("双击审批（需要审批补助的权限）")
        self.attachments.itemActivated.connect(lambda item: self.open_attachment(item.data(Qt.ItemDataRole.UserRole)))
        self.cases.cases.setToolTip("双击修改措施、期限和责任人（已销号的案件不能修改）")
        self.screenings.setToolTip("双击修改排查记录")
        self.appraisals.setToolTip("双击更正录入错误（复鉴请新增鉴定）")

    def _button(self, text: str, slot, tip: str = "") -> QPushButton:
        button = QPushButton(text)
        button.setToolTip(tip)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    def _build_buttons(self) -> None:
        self.edit_button = self._button("编辑房屋", self.edit_house)
        self.screening_button = self._button("新增排查", self.add_screening)
        self.appraisal_button = self._button("录入鉴定", self.add_appraisal, "复鉴也在此录入，旧的鉴定记录保留")
        self.case_button = self._button("立案整治", self.open_case)
        self.progress_button = self._button("添加进展", self.add_progress)
        self.complete_button = self._button("整改完成", self.complete_case)
        self.close_button = self._button("销号", self.close_case, "需要复鉴A/B级或已记录拆除")
        self.plan_button = self._button("一房一策", self.add_plan, "为城镇危房制定解危方案")
        self.application_button = self._button("改造申请", self.add_application, "困难家庭农村危房改造补助申请")
        self.attach_button = self._button("添加附件…", self.add_attachment)
        self.milestone_button = QPushButton("方案节点")
        self.milestone_button.setAutoDefault(False)
        self.milestone_button.setToolTip("选中一个一房一策方案后，新增节点或更新节点状态")
        milestones = QMenu(self.milestone_button)
        milestones.addAction("新增节点…", self.add_milestone)
        self.milestone_status_action = milestones.addAction("更新节点状态…", self.update_milestone)
        self.milestone_button.setMenu(milestones)
        self.documents_button = QPushButton("文书")
        self.documents_button.setAutoDefault(False)
        self.documents_button.setToolTip("整改通知书和房屋案卷（PDF，可预览、打印）")
        menu = QMenu(self.documents_button)
        self.notice_action = menu.addAction("起草危房整改通知书…", self.draft_notice)
        self.dossier_action = menu.addAction("查看房屋案卷（PDF）…", self.show_dossier)
        menu.addSeparator()
        self.reveal_action = menu.addAction("查看户主完整身份证号和电话…", self.reveal_owner)
        self.consent_action = menu.addAction("登记户主同意电子送达…", self.record_consent)
        self.documents_button.setMenu(menu)
        self.exit_button = self._button("关闭", self.reject)

    def _build_layout(self) -> None:
        row = [
            self.edit_button,
            self.screening_button,
            self.appraisal_button,
            self.case_button,
            self.progress_button,
            self.complete_button,
            self.close_button,
            self.plan_button,
            self.milestone_button,
            self.application_button,
            self.attach_button,
            self.documents_button,
        ]
        buttons = QHBoxLayout()  # the row wraps onto a second line in a narrow window
        buttons.addWidget(flow_row(row), 1)
        buttons.addWidget(self.exit_button, 0, Qt.AlignmentFlag.AlignTop)
        history = QSplitter(Qt.Orientation.Horizontal)
        history.addWidget(self._boxed("办理时间线（排查 → 鉴定 → 整治 → 销号）", self.timeline))
        self.audit_empty = QLabel("暂无操作记录：批量导入或演示生成的数据没有逐条操作记录，此后的修改会记录在这里。")
        self.audit_empty.setWordWrap(True)
        self.audit_empty.setStyleSheet("color: #667;")
        history.addWidget(self._boxed("操作记录", self.audit, self.audit_empty))
        history.setSizes([620, 560])
        body = QSplitter(Qt.Orientation.Vertical)
        body.addWidget(history)
        body.addWidget(self.sections)
        body.setSizes([300, 380])
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(body, 1)

    @staticmethod
    def _boxed(title: str, *widgets: QWidget) -> QGroupBox:
        box = QGroupBox(title)
        box_layout = QVBoxLayout(box)
        box_layout.setContentsMargins(4, 4, 4, 4)
        for widget in widgets:
            box_layout.addWidget(widget)
        return box

    # --- loading -------------------------------------------------------------------------------------
    def reload(self) -> None:
        house_id = self.house_id

        ops.read(self.ctx, lambda session: load_page(session, house_id), self._show, key=f"houses.page.{house_id}")

    def _show(self, data: HousePageData) -> None:
        self.data = data
        d = data.detail
        self.setWindowTitle(f"房屋案卷 — {d.owner_name} {d.township}{d.village}{d.address}")
        self.header.setText(header_html(d))
        self.timeline.set_events(d.timeline)
        self.audit.set_rows(data.audit)
        self.audit_empty.setVisible(not data.audit)
        self.screenings.set_rows(d.screenings)
        self.appraisals.set_rows(d.appraisals)
        self.cases.set_cases(d.cases)
        self.plans.set_rows(d.plans)
        self.applications.set_rows(d.applications)
        self.attachments.set_attachments(d.attachments, data.thumbnails)
        counts = (
            len(d.screenings),
            len(d.appraisals),
            len(d.cases),
            len(d.plans),
            len(d.applications),
            len(d.attachments),
        )
        titles = ("排查记录", "鉴定记录（等级历史）", "整治案件", "一房一策", "改造申请", "附件")
        for number, (title, count) in enumerate(zip(titles, counts, strict=True)):
            self.sections.setTabText(number, f"{title}（{count}）")
        if self.data is not None and not self._shown_once:
            self._shown_once = True
            busiest = 2 if d.cases else 1 if d.appraisals else 0
            self.sections.setCurrentIndex(busiest)
        self._update_buttons()

    def _update_buttons(self) -> None:
        case = self.cases.current()
        house = self.data.detail.actions if self.data else frozenset()
        on_case = case.actions if case else frozenset()
        plan = self.plans.selected()
        on_plan = plan.actions if plan else frozenset()
        edit_denied, close_denied = denial(self.ctx, Permission.EDIT_CASES), denial(self.ctx, Permission.CLOSE_CASES)
        states = (
            (self.edit_button, self.data is not None, edit_denied),
            (self.screening_button, self.data is not None, edit_denied),
            (self.appraisal_button, self.data is not None, edit_denied),
            (self.attach_button, self.data is not None, edit_denied),
            (self.case_button, HouseAction.OPEN_CASE in house, edit_denied),
            (self.progress_button, HouseAction.ADD_PROGRESS in on_case, edit_denied),
            (self.complete_button, HouseAction.COMPLETE in on_case, edit_denied),
            (self.close_button, HouseAction.CLOSE in on_case, close_denied),
            (self.plan_button, HouseAction.ADD_PLAN in house, edit_denied),
            (self.milestone_button, HouseAction.ADD_MILESTONE in on_plan, edit_denied),
            (self.application_button, HouseAction.APPLY in house, edit_denied),
        )
        self.milestone_status_action.setEnabled(plan is not None and bool(plan.milestones))
        self.notice_action.setEnabled(self.data is not None and not denial(self.ctx, Permission.DRAFT_NOTICES))
        self.dossier_action.setEnabled(self.data is not None)
        owner = self.data.detail.owner_id if self.data else None
        self.reveal_action.setEnabled(owner is not None and not denial(self.ctx, Permission.VIEW_PERSONAL_DATA))
        self.consent_action.setEnabled(owner is not None and not denial(self.ctx, Permission.EDIT_CASES))
        for button, possible, denied in states:
            button.setEnabled(possible and not denied)
            if denied:
                button.setToolTip(denied)

    # --- actions -------------------------------------------------------------------------------------
    def _after_save(self, text: str, warnings: tuple[str, ...] = ()) -> None:
        extra = "　提示：" + "；".join(warnings) if warnings else ""
        self.message.setText(text + extra)
        self.message.setVisible(True)
        self.reload()
        emit(self.changed)

    def _run_form(self, dialog: HouseFormDialogBase, done_text: str) -> HouseFormDialogBase:
        dialog.saved.connect(lambda _id: self._after_save(done_text, tuple(getattr(dialog, "warnings", ()))))
        dialog.open()
        return dialog

    def edit_house(self) -> HouseFormDialogBase:
        from liandu_desk.ui.houses.house_form import HouseFormDialog

        return self._run_form(HouseFormDialog(self.ctx, self.house_id, self), "房屋信息已保存。")

    def add_screening(self) -> HouseFormDialogBase:
        from liandu_desk.ui.houses.record_forms import ScreeningFormDialog

        return self._run_form(ScreeningFormDialog(self.ctx, self.house_id, self), "排查记录已保存。")

    def add_appraisal(self) -> HouseFormDialogBase:
        from liandu_desk.ui.houses.record_forms import AppraisalFormDialog

        return self._run_form(AppraisalFormDialog(self.ctx, self.house_id, self), "鉴定结果已保存。")

    def edit_screening(self) -> HouseFormDialogBase | None:
        from liandu_desk.ui.houses.record_forms import ScreeningFormDialog

        record = self.screenings.selected()
        if record is None:
            return None
        return self._run_form(ScreeningFormDialog(self.ctx, self.house_id, self, record), "排查记录已修改。")

    def correct_appraisal(self) -> HouseFormDialogBase | None:
        from liandu_desk.ui.houses.record_forms import AppraisalFormDialog

        record = self.appraisals.selected()
        if record is None:
            return None
        return self._run_form(AppraisalFormDialog(self.ctx, self.house_id, self, record), "鉴定记录已更正。")

    def open_case(self) -> HouseFormDialogBase:
        from liandu_desk.ui.houses.case_forms import CaseFormDialog

        batches = (
            [b.name for b in self.data.detail.batches if b.verification in OPEN_VERIFICATIONS] if self.data else []
        )
        return self._run_form(CaseFormDialog(self.ctx, self.house_id, batches, self), "已立案整治。")

    def edit_case(self) -> HouseFormDialogBase | None:
        from liandu_desk.ui.houses.case_forms import CaseFormDialog

        case = self.cases.current()
        if case is None or denial(self.ctx, Permission.EDIT_CASES):
            return None
        return self._run_form(CaseFormDialog(self.ctx, self.house_id, (), self, case), "整治案件已修改。")

    def add_progress(self) -> HouseFormDialogBase | None:
        from liandu_desk.ui.houses.case_forms import ProgressFormDialog

        case = self.cases.current()
        return self._run_form(ProgressFormDialog(self.ctx, case.id, self), "整改进展已保存。") if case else None

    def complete_case(self) -> HouseFormDialogBase | None:
        from liandu_desk.ui.houses.case_forms import CompleteCaseDialog

        case = self.cases.current()
        if case is None:
            return None
        return self._run_form(CompleteCaseDialog(self.ctx, case.id, case.version, case.measure, self), "已整改完成。")

    def close_case(self) -> HouseFormDialogBase | None:
        from liandu_desk.ui.houses.case_forms import CloseCaseDialog

        case = self.cases.current()
        if case is None:
            return None
        dialog = CloseCaseDialog(self.ctx, case.id, case.version, self, case.available_evidence)
        return self._run_form(dialog, "已销号。")

    def add_plan(self) -> HouseFormDialogBase | None:
        from liandu_desk.ui.houses.plan_forms import PlanFormDialog

        return (
            self._run_form(PlanFormDialog(self.ctx, self.data.detail, self), "一房一策方案已保存。")
            if self.data
            else None
        )

    def add_milestone(self) -> HouseFormDialogBase | None:
        from liandu_desk.ui.houses.plan_forms import MilestoneFormDialog

        plan = self.plans.selected()
        return self._run_form(MilestoneFormDialog(self.ctx, plan, self), "方案节点已添加。") if plan else None

    def update_milestone(self) -> HouseFormDialogBase | None:
        from liandu_desk.ui.houses.plan_forms import MilestoneStatusDialog

        plan = self.plans.selected()
        if plan is None or not plan.milestones:
            return None
        return self._run_form(MilestoneStatusDialog(self.ctx, plan, self), "节点状态已更新。")

    def add_application(self) -> HouseFormDialogBase | None:
        from liandu_desk.ui.houses.plan_forms import ApplicationFormDialog

        if self.data is None:
            return None
        return self._run_form(ApplicationFormDialog(self.ctx, self.data.detail, self), "改造申请已提交。")

    def advance_plan(self) -> HouseFormDialogBase | None:
        """An open plan is resolved (解危) with its evidence; a resolved one is closed out after confirmation."""
        from liandu_desk.services.houses import plans as plan_service
        from liandu_desk.ui.houses.plan_forms import ResolvePlanDialog

        plan = self.plans.selected()
        if plan is None or denial(self.ctx, Permission.EDIT_CASES):
            return None
        if HouseAction.CLOSE_PLAN in plan.actions:
            question = ("一房一策销号", "销号后该方案不能再修改，此操作不可撤销。确定销号吗？")
            run_confirmed_action(
                self.ctx,
                self,
                question,
                lambda session: plan_service.close_plan(session, plan.id),
                lambda _r: self._after_save("一房一策方案已销号。"),
                changed="house",
                ids=lambda _r: (self.house_id,),
            )
            return None
        if HouseAction.ADD_MILESTONE not in plan.actions:  # closed out: nothing more to record
            return None
        return self._run_form(ResolvePlanDialog(self.ctx, plan, self), "已登记解危。")

    def decide_application(self) -> HouseFormDialogBase | None:
        from liandu_desk.ui.houses.plan_forms import DecisionDialog

        application = self.applications.selected()
        if application is None or denial(self.ctx, Permission.APPROVE_SUBSIDIES):
            return None
        return self._run_form(DecisionDialog(self.ctx, application, self), "审批结果已保存。")

    def draft_notice(self) -> None:
        """The 危房整改通知书 of this house: drafted, previewed, issued from the preview (documents module)."""
        open_house_notice(self.ctx, self.house_id, self)

    def reveal_owner(self) -> None:
        """A permitted clerk sees the owner's full ID number and phone after giving a purpose; the view is audited."""
        owner = self.data.detail.owner_id if self.data else None
        if owner is None:
            return
        RevealForm(self.ctx, owner, self.data.detail.owner_name, self._show_contact, self).exec()

    def record_consent(self) -> QDialog | None:
        """Record the owner's written consent to 电子送达 (address and date): only then does a 送达回证 offer it."""
        owner = self.data.detail.owner_id if self.data else None
        if owner is None:
            return None
        dialog = ConsentDialog(self.ctx, owner, self.data.detail.owner_name, self)
        dialog.saved.connect(lambda: self._after_save("已登记电子送达同意。"))
        dialog.open()
        return dialog

    def _show_contact(self, contact) -> None:
        text = f"户主：{contact.name}\n身份证号：{contact.id_number or '未登记'}\n联系电话：{contact.phone or '未登记'}"
        QMessageBox.information(self, "户主完整信息（本次查看已记入操作记录）", text)

    def show_dossier(self) -> None:
        """The house's whole 案卷 as a PDF preview (documents module)."""
        pdf_view.open_dossier(self.ctx, "house", self.house_id, self)


def open_house_notice(ctx: AppContext, house_id: int, parent: QWidget | None = None) -> None:
    """Draft (or refresh the draft of) a house's 危房整改通知书 and open its preview, from which it is issued."""
    from liandu_desk.services.documents.house_notices import draft_house_notice

    draft_then_open(ctx, lambda s: draft_house_notice(s, house_id, ctx.clerk.name), "正在起草整改通知书", parent)
