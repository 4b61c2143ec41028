"""The page of one community: its record, star history chart, inspections and open issues."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from liandu_desk.services.communities.inspections import InspectionRow, list_inspections
from liandu_desk.services.communities.issues import list_issues
from liandu_desk.services.communities.ratings import star_history
from liandu_desk.services.communities.records import get_community
from liandu_desk.ui.communities.correction import open_correction
from liandu_desk.ui.communities.inspection import InspectionDialog, InspectionViewer
from liandu_desk.ui.communities.star_chart import StarChart
from liandu_desk.ui.communities.tables import inspection_model, issue_model
from liandu_desk.ui.kit import ops
from liandu_desk.ui.kit.context import AppContext
from liandu_desk.ui.kit.document_access import (
    attach_context_menu,
    doc_button,
    draft_denial,
    draft_hint,
    open_or_draft,
    set_state,
)
from liandu_desk.ui.kit.pdf_view import draft_then_open
from liandu_desk.ui.kit.tables import read_only_table


def fit_columns(table: QTableView, max_width: int = 320) -> None:
    table.resizeColumnsToContents()
    for column in range(table.model().columnCount()):
        table.setColumnWidth(column, min(table.columnWidth(column), max_width))


class CommunityPage(QDialog):
    """Everything about one community; 新增检查 opens the scoring form for it."""

    def __init__(self, ctx: AppContext, community_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.community_id = ctx, community_id
        self.resize(1100, 760)
        self.header = QLabel()
        self.header.setObjectName("communityHeader")
        self.header.setWordWrap(True)
        self.chart = StarChart()
        self.chart.setObjectName("starChart")
        self.inspections = inspection_model(self)
        self.issues = issue_model(self)
        self.inspection_table = read_only_table(self.inspections, "communityInspections")
        self.inspection_table.doubleClicked.connect(self._open_inspection)
        self.issue_table = read_only_table(self.issues, "communityOpenIssues")
        new_button = QPushButton("新增检查(&N)…")
        new_button.clicked.connect(self.new_inspection)
        self.correct_button = QPushButton("更正(&E)…")
        self.correct_button.setObjectName("correctInspection")
        self.correct_button.setToolTip("更正所选检查记录（录入人或审核人员）：保存为新版本，原记录保留")
        self.correct_button.clicked.connect(self.correct_inspection)
        self.notice_button = doc_button("整改通知书(&T)…", self.draft_notice)
        self.notice_button.setObjectName("communityNotice")
        self.dossier_button = doc_button("小区案卷(PDF)(&D)…", self.show_dossier)
        self.dossier_button.setObjectName("communityDossier")
        self.dossier_button.setToolTip("小区全部检查评分、问题整改、星级、文书和修改记录的PDF案卷")
        self.inspection_table.selectionModel().currentRowChanged.connect(lambda *_: self._update_document_buttons())
        attach_context_menu(self.inspection_table, lambda: (self.notice_button, self.dossier_button))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(self.header, 2)
        chart_box = QGroupBox("星级评定历史")
        QVBoxLayout(chart_box).addWidget(self.chart)
        top.addWidget(chart_box, 3)
        inspections_box = QGroupBox("检查记录（双击查看评分表）")
        box_layout = QVBoxLayout(inspections_box)
        box_layout.addWidget(self.inspection_table)
        inspection_bar = QHBoxLayout()
        for button in (new_button, self.correct_button, self.notice_button):
            inspection_bar.addWidget(button)
        inspection_bar.addStretch(1)
        inspection_bar.addWidget(self.dossier_button)
        box_layout.addLayout(inspection_bar)
        issues_box = QGroupBox("未销号问题")
        QVBoxLayout(issues_box).addWidget(self.issue_table)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(inspections_box, 1)
        layout.addWidget(issues_box, 1)
        layout.addWidget(buttons)
        self.refresh()

    def refresh(self) -> None:
        community_id = self.community_id
        if not self.header.text():
            self.header.setText("正在读取……")

        def load(session) -> tuple:
            return (
                get_community(session, community_id),
                star_history(session, community_id),
                list_inspections(session, community_id=community_id),
                list_issues(session, status="未销号", community_id=community_id),
            )

        ops.read(self.ctx, load, self._show, key=f"community-page-{community_id}", parent=self)

    def _show(self, found: tuple) -> None:
        row, history, inspections, issues = found
        self.setWindowTitle(f"小区 — {row.name}")
        latest = f"{history[-1].stars}星" if history and history[-1].stars else "未评星"
        self.header.setText(
            f"<h2>{row.name}</h2>{row.township} {row.division}　{row.address}<br>"
            f"类型：{row.type}　{'封闭式物管' if row.closed_managed else '非封闭式'}　"
            f"{row.households}户 / {row.buildings}幢<br>"
            f"物业企业：{row.company or '无'}　网格员：{row.grid_staff or '未分配'}"
            f"<br>当前星级：<b>{latest}</b>　检查{len(inspections)}次　未销号问题{len(issues)}个"
        )
        self.chart.set_points(history)
        self.inspections.set_rows(inspections)
        self.issues.set_rows(issues)
        fit_columns(self.inspection_table)
        fit_columns(self.issue_table)
        if inspections:
            self.inspection_table.selectRow(0)
        self._update_document_buttons()

    def current_inspection(self) -> InspectionRow | None:
        """The inspection selected in the table."""
        index = self.inspection_table.currentIndex()
        return self.inspections.row_at(index.row()) if index.isValid() else None

    def _update_document_buttons(self) -> None:
        row = self.current_inspection()
        why_not = "请先选择一次检查" if row is None else "本次检查没有扣分项，无需发整改通知书"
        possible = row is not None and row.issues > 0  # one issue is raised per deduction or triggered veto
        set_state(self.notice_button, possible, why_not, draft_denial(self.ctx), draft_hint(self.ctx, "小区整改通知书"))

    def draft_notice(self) -> None:
        """Draft the selected inspection's 小区整改通知书 and open its preview (issued from there)."""

        row = self.current_inspection()
        if row is not None and self.notice_button.isEnabled():
            draft = lambda: open_community_notice(self.ctx, row.id, self)  # noqa: E731
            open_or_draft(self.ctx, "小区整改通知书", ("cm_inspection", row.id), draft, self)

    def show_dossier(self) -> None:
        """The community's 案卷 as a PDF preview (read only: allowed in read-only mode too)."""
        from liandu_desk.ui.kit.pdf_view import open_dossier

        open_dossier(self.ctx, "community", self.community_id, self)

    def new_inspection(self) -> None:
        if InspectionDialog(self.ctx, self.community_id, self).exec():
            self.refresh()

    def correct_inspection(self) -> None:
        """更正: the selected inspection in the prefilled form; saving adds a version and refreshes the page."""
        row = self.current_inspection()
        if row is not None:
            open_correction(self.ctx, row.id, self, lambda _detail: self.refresh())

    def _open_inspection(self, index) -> None:
        row = self.inspections.row_at(index.row())
        InspectionViewer(self.ctx, row.id, self).exec()


def open_community_notice(ctx: AppContext, inspection_id: int, parent: QWidget | None = None) -> None:
    """Draft the 小区整改通知书 of an inspection and open its preview."""
    from liandu_desk.services.documents.community_notices import draft_community_notice

    draft_then_open(ctx, lambda s: draft_community_notice(s, inspection_id, ctx.clerk.name), "正在起草", parent)
