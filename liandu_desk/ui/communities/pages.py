"""Pages of the 星级小区 tab: community list, 擂台赛 leaderboard and the issue tracker."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from liandu_desk.domain.communities import CommunityType
from liandu_desk.domain.permissions import Permission, allowed
from liandu_desk.services.as_of import AsOf, resolve_as_of
from liandu_desk.services.communities import issues as issue_service
from liandu_desk.services.communities.ratings import leaderboard, rate_period
from liandu_desk.services.communities.records import (
    CommunityRow,
    list_communities,
    list_companies,
    list_staff,
    save_community,
)
from liandu_desk.services.divisions import list_children, list_townships
from liandu_desk.services.periods import Period
from liandu_desk.ui.communities.forms import Work, ask_reason, info, issue_report_dialog, issue_text, reinspect_dialog
from liandu_desk.ui.communities.inspection import InspectionDialog
from liandu_desk.ui.communities.page import CommunityPage, fit_columns
from liandu_desk.ui.communities.record_forms import StaffDialog, community_dialog
from liandu_desk.ui.communities.tables import COMMUNITY_COLUMNS, StyledTableModel, issue_model, leader_model
from liandu_desk.ui.kit import ops
from liandu_desk.ui.kit.context import AppContext
from liandu_desk.ui.kit.document_access import attach_row_menu
from liandu_desk.ui.kit.tables import read_only_table

TYPES = tuple(t.value for t in CommunityType)


def type_filter() -> QComboBox:
    box = QComboBox()
    box.addItem("全部类型", None)
    for name in TYPES:
        box.addItem(name, name)
    return box


def period_text(period: Period) -> str:
    return f"{period.start}至{period.end}"


class Page(QWidget):
    """A page of the tab: knows the context and the period chosen at the top of the tab."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.period: Period | None = None

    def set_period(self, period: Period) -> None:
        self.period = period
        self.refresh()

    def refresh(self) -> None:
        """Reload from the database."""


class CommunityListPage(Page):
    """All communities; double-click opens the community page."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.search = QLineEdit()
        self.search.setPlaceholderText("按小区名称查找（输入1个字即可）")
        self.search.setObjectName("communitySearch")
        self.type_box = type_filter()
        self.count = QLabel()
        self.model: StyledTableModel = StyledTableModel(COMMUNITY_COLUMNS, parent=self)
        self.table = read_only_table(self.model, "communityList")
        self.table.doubleClicked.connect(lambda index: self.open_page(self.model.row_at(index.row())))
        attach_row_menu(self.table, self._row_entries)
        open_button, inspect_button = QPushButton("打开小区页(&O)"), QPushButton("录入检查评分(&I)…")
        open_button.clicked.connect(lambda: self._with_selected(self.open_page))
        inspect_button.clicked.connect(self.new_inspection)
        new_button, edit_button, staff_button = (
            QPushButton("新增小区…"),
            QPushButton("编辑小区…"),
            QPushButton("网格员…"),
        )
        new_button.clicked.connect(lambda: self.edit(None))
        edit_button.clicked.connect(lambda: self._with_selected(self.edit))
        staff_button.clicked.connect(self.staff)
        self.search.textChanged.connect(self.refresh)
        self.type_box.currentIndexChanged.connect(self.refresh)
        bar = QHBoxLayout()
        for widget in (
            self.search,
            self.type_box,
            open_button,
            inspect_button,
            new_button,
            edit_button,
            staff_button,
            self.count,
        ):
            bar.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)

    def refresh(self) -> None:
        text, type_ = self.search.text(), self.type_box.currentData()

        ops.read(self.ctx, lambda session: list_communities(session, text, type_), self._show, key="communities.list")

    def _show(self, rows: list[CommunityRow]) -> None:
        self.model.set_rows(rows)
        closed = sum(1 for r in rows if r.closed_managed)
        self.count.setText(f"共{len(rows)}个小区，其中封闭式物管{closed}个")
        fit_columns(self.table)

    def _with_selected(self, action) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            action(self.model.row_at(index.row()))
        else:
            info(self, "提示", "请先在列表中选择一个小区")

    def _row_entries(self, index) -> list[tuple[str, object]]:
        """Right-click on a community: open its page, or show its 案卷 (PDF) straight from the list."""
        from liandu_desk.ui.kit.pdf_view import open_dossier

        row = self.model.row_at(index.row())
        return [
            ("打开小区页", lambda: self.open_page(row)),
            ("小区案卷(PDF)…", lambda: open_dossier(self.ctx, "community", row.id, self)),
        ]

    def open_page(self, row: CommunityRow) -> None:
        CommunityPage(self.ctx, row.id, self).exec()

    def edit(self, row: CommunityRow | None) -> None:
        def choices(session) -> tuple[list, list, list]:
            divisions = [
                (child.id, f"{town.name} {child.name}")
                for town in list_townships(session)
                for child in list_children(session, town.id)
            ]
            companies = [(c.id, c.name) for c in list_companies(session)]
            return divisions, companies, [(s.id, s.name) for s in list_staff(session)]

        ops.read(self.ctx, choices, lambda found: self._edit(row, *found), parent=self)

    def _edit(self, row: CommunityRow | None, divisions: list, companies: list, staff: list) -> None:
        def apply(data: dict) -> Work:
            return lambda session: save_community(session, data, row.id if row else None)

        if community_dialog(self, row, divisions, companies, staff, apply):
            self.refresh()

    def staff(self) -> None:
        StaffDialog(self.ctx, self).exec()

    def new_inspection(self) -> None:
        index = self.table.currentIndex()
        community_id = self.model.row_at(index.row()).id if index.isValid() else None
        InspectionDialog(self.ctx, community_id, self).exec()


class LeaderboardPage(Page):
    """The 擂台赛 ranking of the period, by type, with movement since the previous period."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.type_box = type_filter()
        self.type_box.setObjectName("leaderType")
        self.caption = QLabel()
        self.caption.setObjectName("leaderCaption")
        self.model = leader_model(self)
        self.table = read_only_table(self.model, "leaderboard")
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(
            lambda index: CommunityPage(self.ctx, self.model.row_at(index.row()).community_id, self).exec()
        )
        rate_button = QPushButton("按现行星级标准评定本期星级(&R)")
        rate_button.clicked.connect(self.rate)
        self.type_box.currentIndexChanged.connect(self.refresh)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("类型："))
        bar.addWidget(self.type_box)
        bar.addWidget(self.caption, 1)
        bar.addWidget(rate_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)

    def refresh(self) -> None:
        if self.period is None:
            return
        period, type_ = self.period, self.type_box.currentData()

        ops.read(self.ctx, lambda session: leaderboard(session, period, type_), self._show, key="communities.board")

    def _show(self, rows) -> None:
        previous = self.period.previous()
        up = sum(1 for r in rows if (r.movement or 0) > 0)
        down = sum(1 for r in rows if (r.movement or 0) < 0)
        self.caption.setText(
            f"{period_text(self.period)}　参赛{len(rows)}个小区　"
            f"较上期（{period_text(previous)}）上升{up}个、下降{down}个"
        )
        self.model.set_rows(rows)
        fit_columns(self.table)

    def rate(self) -> None:
        period = self.period

        def done(counts: dict[int, int]) -> None:
            text = "，".join(f"{s}星{n}个" for s, n in sorted(counts.items(), reverse=True) if s) or "没有小区达到星级"
            info(self, "星级评定", f"{period_text(period)}星级评定完成：{text}。")
            self.refresh()

        ops.write(
            self.ctx, lambda session: rate_period(session, period), done, changed="community", title="正在评定星级……"
        )


class IssuePage(Page):
    """Problems found in inspections: filters, overdue flags, rectification reports and re-inspections."""

    STATUSES = ("未销号", "待整改", "待复查", "已销号", "全部")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.status = QComboBox()
        self.status.addItems(self.STATUSES)
        self.overdue = QCheckBox("只看逾期")
        self.summary = QLabel()
        self.model = issue_model(self)
        self.table = read_only_table(self.model, "issueTracker")
        report, recheck = QPushButton("报送整改(&B)…"), QPushButton("复查(&F)…")
        self.reopen_button = QPushButton("撤销销号…")
        self.reopen_button.setToolTip("误销号的问题由审核人员写明原因后撤销（记入操作记录）")
        self.reopen_button.setVisible(allowed(self.ctx.clerk.role, Permission.CLOSE_CASES))
        report.clicked.connect(self.report)
        recheck.clicked.connect(self.reinspect)
        self.reopen_button.clicked.connect(self.reopen)
        self.status.currentIndexChanged.connect(self.refresh)
        self.overdue.toggled.connect(self.refresh)
        bar = QHBoxLayout()
        for widget in (QLabel("状态："), self.status, self.overdue, report, recheck, self.reopen_button):
            bar.addWidget(widget)
        bar.addWidget(self.summary, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)

    def refresh(self) -> None:
        status = self.status.currentText()
        status = None if status == "全部" else status
        overdue = self.overdue.isChecked()

        def load(session) -> tuple[list, AsOf]:
            as_of = resolve_as_of(session)
            return issue_service.list_issues(session, status, overdue, today=as_of.day), as_of

        ops.read(self.ctx, load, self._show, key="communities.issues")

    def _show(self, result: tuple[list, AsOf]) -> None:
        rows, as_of = result
        self.model.set_rows(rows)
        late = sum(1 for r in rows if r.overdue)
        self.summary.setText(f"共{len(rows)}个问题，其中逾期{late}个　{as_of.label()}")
        self.summary.setStyleSheet("color: #c00000;" if late else "")
        fit_columns(self.table)

    def _selected(self):
        index = self.table.currentIndex()
        if not index.isValid():
            info(self, "提示", "请先选择一个问题")
            return None
        return self.model.row_at(index.row())

    def report(self) -> None:
        row = self._selected()
        if row is None:
            return

        def apply(evidence: str, day, photos: list[str]) -> Work:
            return lambda session: issue_service.report_rectification(session, row.id, evidence, day, photos)

        if issue_report_dialog(self, apply, row):
            self.refresh()

    def reopen(self) -> None:
        """A 审核 undoes a close-out made by mistake, with a reason (the issue is named in the dialog)."""
        row = self._selected()
        if row is None:
            return
        if row.status != "已销号":
            info(self, "撤销销号", f"问题 #{row.id} 当前为{row.status}，未销号，无需撤销。")
            return

        def apply(reason: str) -> Work:
            return lambda session: issue_service.reopen_issue(session, row.id, reason)

        prompt = issue_text(row) + "\n撤销后该问题重新待整改，并按今天重新计算整改期限。"
        if ask_reason(self, "撤销销号", prompt, apply):
            self.refresh()

    def reinspect(self) -> None:
        row = self._selected()
        if row is None:
            return

        def apply(day, passed: bool, who: str, note: str, evidence: str) -> Work:
            return lambda session: issue_service.reinspect(session, row.id, day, passed, who, note, evidence)

        if reinspect_dialog(self, self.ctx.clerk.name, apply, row):
            self.refresh()
