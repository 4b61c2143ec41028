"""The page of one community: its record, star history chart, inspections and open issues."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from liandu_desk.services.communities.inspections import list_inspections
from liandu_desk.services.communities.issues import list_issues
from liandu_desk.services.communities.ratings import star_history
from liandu_desk.services.communities.records import get_community
from liandu_desk.ui.context import AppContext
from liandu_desk.ui.dialogs.community_inspection import InspectionDialog, InspectionViewer
from liandu_desk.ui.models.community_tables import inspection_model, issue_model
from liandu_desk.ui.widgets.community_star_chart import StarChart


def make_table(model, name: str) -> QTableView:
    """A read-only, row-selecting, sortable table over one of the module's models."""
    table = QTableView()
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSortingEnabled(True)
    table.setAlternatingRowColors(True)
    table.verticalHeader().setVisible(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    return table


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
        self.inspection_table = make_table(self.inspections, "communityInspections")
        self.inspection_table.doubleClicked.connect(self._open_inspection)
        self.issue_table = make_table(self.issues, "communityOpenIssues")
        new_button = QPushButton("新增检查(&N)…")
        new_button.clicked.connect(self.new_inspection)
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
        box_layout.addWidget(new_button)
        issues_box = QGroupBox("未销号问题")
        QVBoxLayout(issues_box).addWidget(self.issue_table)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(inspections_box, 1)
        layout.addWidget(issues_box, 1)
        layout.addWidget(buttons)
        self.refresh()

    def refresh(self) -> None:
        with self.ctx.session_scope() as session:
            row = get_community(session, self.community_id)
            history = star_history(session, self.community_id)
            inspections = list_inspections(session, community_id=self.community_id)
            issues = list_issues(session, status="未销号", community_id=self.community_id)
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

    def new_inspection(self) -> None:
        if InspectionDialog(self.ctx, self.community_id, self).exec():
            self.refresh()

    def _open_inspection(self, index) -> None:
        row = self.inspections.row_at(index.row())
        InspectionViewer(self.ctx, row.id, self).exec()
