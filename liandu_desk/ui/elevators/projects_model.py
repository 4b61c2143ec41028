"""Column definitions of the elevator screens' read-only tables (projects, shares, disputes, sessions, votes)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from liandu_desk.services.elevators.costs import Share
from liandu_desk.services.elevators.disputes import DisputeRow, MediationRow
from liandu_desk.services.elevators.households import VoteEventRow
from liandu_desk.services.elevators.projects import ProjectRow
from liandu_desk.ui.kit.row_table import Column, RowTableModel

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def _date(value) -> str:
    return value.isoformat() if value else ""


def households_text(row: ProjectRow) -> str:
    """Registered households, and the declared number beside it while they differ (6/12: six of twelve on file)."""
    declared = row.declared_households
    return f"{row.households}/{declared}" if declared and declared != row.households else str(row.households)


PROJECT_COLUMNS: tuple[Column[ProjectRow], ...] = (
    Column("项目（小区·幢·单元）", lambda r: r.title, sort_key=lambda r: r.sort_key),
    Column("社区", lambda r: r.community),
    Column("街道", lambda r: r.township),
    Column("层数", lambda r: r.floors, align=RIGHT),
    Column(
        "户数",
        lambda r: households_text(r),
        sort_key=lambda r: (r.households, r.declared_households),
        align=RIGHT,
        tooltip=lambda r: f"已登记{r.households}户，申报{r.declared_households}户" if r.declared_households else "",
    ),
    Column("当前阶段", lambda r: f"{r.stage_index + 1}. {r.stage}", sort_key=lambda r: r.stage_index),
    Column("阶段开始", lambda r: _date(r.stage_started_on), sort_key=lambda r: r.stage_started_on),
    Column(
        "已用/预期天数",
        lambda r: "已完成" if r.finished else f"{r.days_in_stage}/{r.expected_days}",
        sort_key=lambda r: r.days_in_stage - r.expected_days,
    ),
    Column(
        "提示",
        lambda r: r.flags,
        tooltip=lambda r: "超期：本阶段用时超过预期；停滞：超过预期两倍；纠纷：未结案的纠纷数",
    ),
)

SHARE_COLUMNS: tuple[Column[Share], ...] = (
    Column("房号", lambda s: s.room),
    Column("楼层", lambda s: s.floor, align=RIGHT),
    Column("业主", lambda s: s.owner_name),
    Column("面积(㎡)", lambda s: f"{s.area:.2f}", sort_key=lambda s: s.area, align=RIGHT),
    Column("系数", lambda s: f"{s.coefficient}", sort_key=lambda s: s.coefficient, align=RIGHT),
    Column("分摊金额(元)", lambda s: f"{s.amount:,.2f}", sort_key=lambda s: s.amount, align=RIGHT),
)

DISPUTE_COLUMNS: tuple[Column[DisputeRow], ...] = (
    Column("登记日期", lambda d: _date(d.opened_on), sort_key=lambda d: d.opened_on),
    Column("类型", lambda d: d.type),
    Column("当事方", lambda d: "、".join(d.parties)),
    Column("处理层级", lambda d: d.level),
    Column("状态", lambda d: d.status),
    Column("调解次数", lambda d: len(d.sessions), align=RIGHT),
    Column("描述", lambda d: d.description, tooltip=lambda d: d.description),
)

SESSION_COLUMNS: tuple[Column[MediationRow], ...] = (
    Column("日期", lambda m: _date(m.held_on), sort_key=lambda m: m.held_on),
    Column("层级", lambda m: m.level),
    Column("地点", lambda m: m.place),
    Column("调解人", lambda m: m.mediator),
    Column("参加人员", lambda m: m.attendees, tooltip=lambda m: m.attendees),
    Column("经过", lambda m: m.summary, tooltip=lambda m: m.summary),
    Column("结果", lambda m: m.outcome, tooltip=lambda m: m.outcome),
    Column("下一步", lambda m: m.next_step or ""),
)

VOTE_COLUMNS: tuple[Column[VoteEventRow], ...] = (
    Column("表决日期", lambda e: _date(e.voted_on), sort_key=lambda e: e.voted_on),
    Column("房号", lambda e: e.room),
    Column("业主", lambda e: e.owner_name),
    Column("原意见", lambda e: e.old_vote or ""),
    Column("新意见", lambda e: e.new_vote),
    Column("原因", lambda e: e.reason or ""),
    Column("调解记录", lambda e: "是" if e.mediation_id else ""),
    Column("录入人", lambda e: e.clerk_name),
)


class ProjectTableModel(RowTableModel[ProjectRow]):
    """The project list: flagged rows (overdue, stalled, open disputes) in red."""

    def __init__(self, parent=None) -> None:
        super().__init__(PROJECT_COLUMNS, parent)

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.ForegroundRole and index.isValid():
            row = self.row_at(index.row())
            if row.stalled or row.open_disputes:
                return QBrush(QColor("#b3261e"))
            if row.overdue:
                return QBrush(QColor("#a05a00"))
            return None
        return super().data(index, role)
