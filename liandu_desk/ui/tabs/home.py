"""首页: the shared registry at a glance and the latest changes from the audit trail."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableView, QVBoxLayout

from liandu_desk.services import audit as audit_service
from liandu_desk.services.overview import RegistrySummary, registry_summary
from liandu_desk.ui.context import AppContext
from liandu_desk.ui.models.row_table import Column, RowTableModel
from liandu_desk.ui.tabs.base import BaseTab

AUDIT_COLUMNS: tuple[Column[audit_service.AuditRow], ...] = (
    Column("时间", lambda r: r.at.astimezone().strftime("%Y-%m-%d %H:%M:%S"), sort_key=lambda r: r.at),
    Column("操作人", lambda r: r.clerk_name),
    Column("操作", lambda r: r.action_label),
    Column("对象", lambda r: r.table_label),
    Column("编号", lambda r: r.row_id),
    Column("内容", lambda r: r.summary(), tooltip=lambda r: r.summary()),
)


class HomeTab(BaseTab):
    """Overview of the registry and recent activity; offers demo data on an empty database."""

    def __init__(self, ctx: AppContext, parent=None) -> None:
        super().__init__(ctx, parent)
        self.heading = QLabel()
        self.heading.setObjectName("homeHeading")
        self.heading.setStyleSheet("font-size: 20px; font-weight: bold;")
        self.figures = QLabel("正在读取……")
        self.figures.setObjectName("homeFigures")
        self.demo_button = QPushButton("载入演示数据")
        self.demo_button.setVisible(False)
        self.model: RowTableModel[audit_service.AuditRow] = RowTableModel(AUDIT_COLUMNS, self)
        self.table = self._make_table()
        top = QHBoxLayout()
        top.addWidget(self.figures, 1)
        top.addWidget(self.demo_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(top)
        layout.addWidget(QLabel("最近操作（操作记录）："))
        layout.addWidget(self.table, 1)

    def _make_table(self) -> QTableView:
        table = QTableView()
        table.setObjectName("recentActivity")
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSortingEnabled(True)
        table.setAlternatingRowColors(True)
        table.verticalHeader().setVisible(False)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        return table

    def refresh(self) -> None:
        def load(_ctx) -> tuple[RegistrySummary, list[audit_service.AuditRow]]:
            with self.ctx.session_scope() as session:
                return registry_summary(session), audit_service.recent(session, 200)

        self.ctx.jobs.run(load, self._show, key="home.refresh")

    def _show(self, result: tuple[RegistrySummary, list[audit_service.AuditRow]]) -> None:
        summary, rows = result
        today = dt.date.today()
        self.heading.setText(f"{summary.bureau_name}　　{today.year}年{today.month}月{today.day}日")
        self.figures.setText(
            f"行政区划：{summary.townships} 个乡镇（街道），{summary.villages} 个村（社区）　"
            f"人员：{summary.people} 人　用户：{summary.clerks} 人　操作记录：{summary.audit_entries} 条"
        )
        self.demo_button.setVisible(not summary.has_demo_registry)
        self.model.set_rows(rows)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
