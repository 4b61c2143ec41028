"""The project page: header, stage timeline, household grid with the live tally, cost shares, disputes and votes."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from liandu_desk.domain.elevators import STAGE_INDEX, STAGES, ElevatorStage, VoteChoice
from liandu_desk.domain.errors import LianduError
from liandu_desk.domain.permissions import Permission, allowed
from liandu_desk.services.elevators import households as household_service
from liandu_desk.services.elevators.costs import ShareInput, share_costs
from liandu_desk.services.elevators.pages import ProjectPage, load_project_page
from liandu_desk.services.elevators.tally import compute_tally
from liandu_desk.services.figures import COEFFICIENTS_LABEL, SUBSIDY_LABEL
from liandu_desk.ui.elevators.disputes import DisputePanel
from liandu_desk.ui.elevators.household_grid import HouseholdGrid
from liandu_desk.ui.elevators.households_model import HouseholdTableModel
from liandu_desk.ui.elevators.projects_model import SHARE_COLUMNS, VOTE_COLUMNS
from liandu_desk.ui.elevators.tally_panel import TallyPanel
from liandu_desk.ui.elevators.timeline import StageTimeline
from liandu_desk.ui.kit import ops
from liandu_desk.ui.kit.context import AppContext
from liandu_desk.ui.kit.document_access import doc_button, set_state
from liandu_desk.ui.kit.fit import HorizontalStrip, flow_row
from liandu_desk.ui.kit.ops import Work
from liandu_desk.ui.kit.row_table import RowTableModel
from liandu_desk.ui.kit.signals import emit
from liandu_desk.ui.kit.tables import read_only_table

log = logging.getLogger(__name__)
GRID_HINT = (
    "键盘录入：直接输入后按 Enter 或 Tab 到下一格；表决列按 1 同意、2 反对、3 弃权、0 未表决（自动下移），空格切换。"
)


class ProjectPageWidget(QWidget):
    """One project; `load(project_id)` reads it through the job runner, edits go through the services."""

    back_requested = Signal()
    changed = Signal()  # something was saved: the list should refresh

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.page: ProjectPage | None = None
        self.project_id: int | None = None
        self.as_of: dt.date | None = None
        self.title = QLabel("")
        self.title.setObjectName("projectTitle")
        self.title.setStyleSheet("font-size: 18px; font-weight: bold;")
        self.info = QLabel("")
        self.info.setObjectName("projectInfo")
        self.info.setWordWrap(True)
        self.timeline = StageTimeline()
        self.timeline.step_activated.connect(self._edit_stage)
        self.households = HouseholdTableModel(self._save_household, self)
        self.households.edited.connect(self._recompute)
        self.households.edit_failed.connect(self._edit_failed)
        self.grid = HouseholdGrid(self.households)
        self.tally = TallyPanel()
        self.shares = RowTableModel(SHARE_COLUMNS, self)
        self.share_title = QLabel("费用分摊")
        self.disputes = DisputePanel(ctx, self)
        self.disputes.changed.connect(self.reload)
        self.votes = RowTableModel(VOTE_COLUMNS, self)
        self.status = QLabel("")
        self.status.setObjectName("gridStatus")
        self.status.setStyleSheet("color: #b3261e;")
        self._build()

    # --- layout ------------------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.addLayout(self._header())
        layout.addWidget(self.info)
        layout.addWidget(HorizontalStrip(self.timeline))  # twelve stages scroll sideways in a narrow window
        upper = QSplitter(Qt.Orientation.Horizontal)
        upper.addWidget(self._grid_box())
        upper.addWidget(self._right_box())
        upper.setStretchFactor(0, 3)
        upper.setStretchFactor(1, 2)
        lower = QTabWidget()
        lower.setObjectName("projectLowerTabs")
        lower.addTab(self.disputes, "纠纷与调解")
        lower.addTab(read_only_table(self.votes, "voteHistory", fit_contents=True, row_height=22), "表决记录（含改票）")
        outer = QSplitter(Qt.Orientation.Vertical)
        outer.addWidget(upper)
        outer.addWidget(lower)
        outer.setStretchFactor(0, 3)
        outer.setStretchFactor(1, 2)
        layout.addWidget(outer, 1)

    def _header(self) -> QHBoxLayout:
        row = QHBoxLayout()
        back = QPushButton("← 返回列表")
        back.setToolTip("返回项目列表（Alt+←）")
        back.clicked.connect(self.back_requested)
        QShortcut(QKeySequence("Alt+Left"), self, self.back_requested.emit)
        self.advance_button = QPushButton("完成本阶段…")
        self.advance_button.clicked.connect(self._advance)
        self.add_button = QPushButton("新增住户…")
        self.add_button.clicked.connect(self._add_household)
        self.bulk_button = QPushButton("表格录入住户…")
        self.bulk_button.setObjectName("bulkHouseholds")
        self.bulk_button.setToolTip("从Excel粘贴多户（室号、面积、业主、表决），逐行检查后一次保存")
        self.bulk_button.clicked.connect(self.bulk_households)
        self.delete_button = QPushButton("删除选中住户…")
        self.delete_button.setObjectName("deleteHousehold")
        self.delete_button.setToolTip("删除录错的住户（已表决或涉及纠纷的住户不能删除）")
        self.delete_button.clicked.connect(self._delete_household)
        self.subsidy_button = QPushButton("申领补助…")
        self.subsidy_button.clicked.connect(self._subsidy)
        self.edit_button = QPushButton("项目信息…")
        self.edit_button.clicked.connect(self._edit_project)
        self.dossier_button = doc_button("项目案卷(PDF)…", self.show_dossier)
        self.dossier_button.setObjectName("projectDossier")
        self.dossier_button.setEnabled(False)
        self.title.setWordWrap(True)
        row.addWidget(back, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.title, 1)
        buttons = [
            self.edit_button,
            self.add_button,
            self.bulk_button,
            self.advance_button,
            self.subsidy_button,
            self.dossier_button,
        ]
        row.addWidget(flow_row(buttons), 1)  # the buttons wrap onto a second line in a narrow window
        return row

    def _grid_box(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        hint = QLabel(GRID_HINT)
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #556;")
        layout.addWidget(QLabel("<b>住户与表决</b>"))
        layout.addWidget(hint)
        layout.addWidget(self.grid, 1)
        below = QHBoxLayout()
        below.addWidget(self.status, 1)
        below.addWidget(self.delete_button)
        layout.addLayout(below)
        return box

    def _right_box(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tally)
        layout.addWidget(self.share_title)
        layout.addWidget(read_only_table(self.shares, "costShares", fit_contents=True, row_height=22), 1)
        return box

    # --- loading -----------------------------------------------------------------------------------
    def load(self, project_id: int, as_of: dt.date | None = None) -> None:
        self.project_id, self.as_of = project_id, as_of

        ops.read(
            self.ctx,
            lambda session: load_project_page(session, project_id, as_of),
            self.show_page,
            key="elevators.page",
        )

    def reload(self) -> None:
        if self.project_id is not None:
            self.load(self.project_id, self.as_of)
            emit(self.changed)

    def show_page(self, page: ProjectPage) -> None:
        self.page = page
        self.title.setText(f"{page.title}　　当前阶段：{page.stage}")
        budget = f"{page.budget:,.2f}元" if page.budget is not None else "未填"
        subsidy = "未申领"
        if page.subsidy:
            subsidy = f"已申领{page.subsidy.amount:,.0f}元（{page.subsidy.claimed_on}）" + (
                f"，{page.subsidy.paid_on}已拨付" if page.subsidy.paid_on else "，待拨付"
            )
        self.info.setText(
            f"{page.township} {page.community}　{page.floors}层　实施主体：{page.implementing_body}　"
            f"设计：{page.designer}　安装：{page.installer}　预算：{budget}　补助：{subsidy}"
            f"{page.config.unverified_mark(SUBSIDY_LABEL)}" + (f"\n备注：{page.note}" if page.note else "")
        )
        self.timeline.show_steps(page.timeline)
        self.households.set_rows(list(page.households))
        self.tally.show_tally(page.tally)
        self._show_shares()
        self.disputes.show_disputes(page)
        self.votes.set_rows(list(page.votes))
        self.advance_button.setEnabled(page.stage != ElevatorStage.SUBSIDY.value)
        claimed = page.subsidy is not None
        self.subsidy_button.setText("登记拨付…" if claimed else "申领补助…")
        may_pay = allowed(self.ctx.clerk.role, Permission.APPROVE_SUBSIDIES)
        self.subsidy_button.setEnabled(page.archive_done and not (claimed and (page.subsidy.paid_on or not may_pay)))
        self.subsidy_button.setToolTip("" if page.archive_done else "档案移交完成后才能申领补助")
        set_state(self.dossier_button, True, "", hint="项目全部记录、文书和修改记录的PDF案卷")
        self.status.setText("")

    def _show_shares(self) -> None:
        page = self.page
        if page is None:
            return
        flats = [ShareInput(r.room, r.floor, r.area, r.owner_name) for r in self.households.rows]
        try:
            rows = share_costs(page.budget, flats, page.config) if page.budget is not None and flats else []
        except LianduError:
            rows = []
        self.shares.set_rows(rows)
        coefficients = "，".join(f"{f}层{c}" for f, c in sorted(page.config.coefficients.items()))
        total = f"{page.budget:,.2f}元" if page.budget is not None else "未填预算"
        mark = page.config.unverified_mark(COEFFICIENTS_LABEL)
        self.share_title.setText(
            f"<b>费用分摊</b>（总额{total}，按楼层系数×面积，精确到分且合计等于总额；系数：{coefficients}，"
            "参考示例，可在设置中调整）" + (f"<br/><span style='color:#c00000'>{mark}</span>" if mark else "")
        )
        self.share_title.setWordWrap(True)

    # --- edits -------------------------------------------------------------------------------------
    def _save_household(
        self,
        row: household_service.HouseholdRow,
        field: str,
        value: Any,
        saved: Callable[[household_service.HouseholdRow], None],
        refused: Callable[[str], None],
    ) -> None:
        on = self.as_of or dt.date.today()

        def work(session) -> household_service.HouseholdRow:
            if field == "vote":
                return household_service.set_vote(session, row.id, value, on, "窗口录入", version=row.version)
            return household_service.update_household(session, row.id, version=row.version, **{field: value})

        project_id = self.project_id
        ops.write(
            self.ctx,
            work,
            saved,
            changed="elevator_project",
            ids=lambda _row: (project_id,) if project_id is not None else (),
            parent=self,
            refused=lambda exc: refused(exc.message),
        )

    def _recompute(self) -> None:
        """Live tally and shares from the grid's rows (no database round trip)."""
        if self.page is None:
            return
        rows = self.households.rows
        tally = compute_tally(
            household_service.ballots_of(rows), self.page.config.one_owner_one_person, self.page.declared
        )
        self.tally.show_tally(tally)
        self._show_shares()
        self.status.setText("")
        emit(self.changed)

    def _edit_failed(self, message: str) -> None:
        self.status.setText(message)

    def _advance(self) -> None:
        from liandu_desk.ui.elevators.advance_dialog import AdvanceDialog, open_disputes

        if self.page is None:
            return
        current = ElevatorStage(self.page.stage)
        following = STAGES[STAGE_INDEX[current] + 1]
        disputes = open_disputes(self.page.disputes)
        dialog = AdvanceDialog(self.ctx, self.page.id, current, following, disputes, self, self.as_of)
        if dialog.exec():
            self.reload()

    def bulk_households(self) -> None:
        """Many households at once, pasted from Excel; the page reloads after they are saved."""
        from liandu_desk.ui.elevators.bulk_households import BulkHouseholdDialog

        if self.page is not None and BulkHouseholdDialog(self.ctx, self.page.id, self.page.title, self).exec():
            self.reload()

    def _edit_stage(self, step) -> None:
        from liandu_desk.services.elevators.projects import update_stage_record
        from liandu_desk.ui.elevators.project_form import StageRecordDialog

        def save(v) -> Work:
            return lambda session: update_stage_record(
                session, step.record_id, v.started_on, v.completed_on, v.documents or None, v.note or None
            )

        dialog = StageRecordDialog(step.stage, step.started_on, step.completed_on, step.documents, save, self)
        if dialog.exec():
            self.reload()

    def _add_household(self) -> None:
        from liandu_desk.ui.elevators.project_form import HouseholdDialog

        if self.page is None:
            return

        project_id = self.page.id

        def save(values) -> Work:
            return lambda session: household_service.add_household(
                session, project_id, values.room, values.floor, values.area, values.owner_name, values.shaft_occupied
            )

        if HouseholdDialog(self.page.floors, save, self).exec():
            self.reload()

    def _delete_household(self) -> None:
        """Delete the selected flat after asking (the service refuses one that has voted or is in a dispute)."""
        from PySide6.QtWidgets import QMessageBox

        index = self.grid.currentIndex()
        if self.page is None or not index.isValid():
            QMessageBox.information(self, "删除住户", "请先在表格中选中要删除的住户。")
            return
        row = self.households.row_at(index.row())
        question = f"删除{row.room}（{row.owner_name}）？删除会记入修改记录。"
        if QMessageBox.question(self, "删除住户", question) != QMessageBox.StandardButton.Yes:
            return
        ops.write(
            self.ctx,
            lambda session: household_service.delete_household(session, row.id, row.version),
            lambda _result: self.reload(),
            changed="elevator_project",
            ids=lambda _result: (self.page.id,),
            parent=self,
            refused=lambda exc: QMessageBox.warning(self, "不能删除", exc.message),
        )

    def _subsidy(self) -> None:
        """Claim the subsidy (after 档案移交), or record its payout once claimed; asks first."""
        from PySide6.QtWidgets import QMessageBox

        from liandu_desk.services.elevators.subsidy import claim_subsidy, mark_paid

        if self.page is None:
            return
        day, project_id = self.as_of or dt.date.today(), self.page.id
        if self.page.subsidy is None:
            amount = self.page.config.subsidy_per_unit
            mark = self.page.config.unverified_mark(SUBSIDY_LABEL)
            question = f"为{self.page.title}登记补助申领{amount:,.0f}元（每台补助额可在参数设置中调整）？{mark}"
            action = lambda s: claim_subsidy(s, project_id, day)  # noqa: E731
        else:
            question = f"登记{self.page.title}的补助已于{day}拨付？"
            action = lambda s: mark_paid(s, project_id, day)  # noqa: E731
        if QMessageBox.question(self, "补助", question) != QMessageBox.StandardButton.Yes:
            return
        ops.write(
            self.ctx,
            action,
            lambda _result: self.reload(),
            changed="elevator_project",
            ids=lambda _result: (project_id,),
            parent=self,
            widgets=[self.subsidy_button],
            refused=lambda exc: QMessageBox.warning(self, "无法登记", exc.message),
        )

    def _edit_project(self) -> None:
        from liandu_desk.services.elevators.projects import community_choices

        page = self.page
        if page is None:
            return
        ops.read(
            self.ctx, community_choices, lambda communities: self._edit_project_with(page, communities), parent=self
        )

    def _edit_project_with(self, page: ProjectPage, communities: list) -> None:
        from liandu_desk.services.elevators.projects import update_project
        from liandu_desk.ui.elevators.project_form import ProjectDialog

        def save(data) -> Work:
            return lambda session: update_project(session, page.id, data, page.version)

        dialog = ProjectDialog(communities, save, self)
        dialog.fill(page)
        if dialog.exec():
            self.reload()

    def show_dossier(self) -> None:
        """The project's 案卷 as a PDF preview (read only: allowed in read-only mode too)."""
        from liandu_desk.ui.kit.pdf_view import open_dossier

        if self.page is not None:
            open_dossier(self.ctx, "project", self.page.id, self)

    def enter_vote(self, room: str, vote: VoteChoice) -> None:
        """Select a room's vote cell (used by tests and keyboard shortcuts)."""
        for i, row in enumerate(self.households.rows):
            if row.room == room:
                self.grid.setCurrentIndex(self.households.index(i, 5))
                self.households.set_vote(i, vote)
                return
