"""Table models and columns of the 星级小区 screens (communities, leaderboard, issues, lists, companies)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from liandu_desk.services.communities.evaluations import CompanyScore
from liandu_desk.services.communities.inspections import InspectionRow
from liandu_desk.services.communities.issues import IssueRow
from liandu_desk.services.communities.lists import EntryRow
from liandu_desk.services.communities.ratings import LeaderRow
from liandu_desk.services.communities.records import CommunityRow
from liandu_desk.ui.kit.row_table import Column, RowTableModel

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
CENTER = Qt.AlignmentFlag.AlignCenter
UP, DOWN, GREY = QColor("#1a7f37"), QColor("#c00000"), QColor("#888888")
Styler = Callable[[Any], QColor | None]


class StyledTableModel(RowTableModel):
    """A RowTableModel whose columns may colour their text (movement arrows, overdue flags, list kinds)."""

    def __init__(
        self,
        columns: Sequence[Column],
        colours: dict[int, Styler] | None = None,
        row_colour: Styler | None = None,
        parent: Any = None,
    ) -> None:
        super().__init__(columns, parent)
        self.colours = colours or {}
        self.row_colour = row_colour

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and role == Qt.ItemDataRole.ForegroundRole:
            row = self.row_at(index.row())
            styler = self.colours.get(index.column())
            colour = styler(row) if styler else None
            return colour or (self.row_colour(row) if self.row_colour else None)
        if index.isValid() and role == Qt.ItemDataRole.FontRole and index.column() in self.colours:
            font = QFont()
            font.setBold(self.colours[index.column()](self.row_at(index.row())) is not None)
            return font
        return super().data(index, role)


def stars_text(stars: int) -> str:
    return "★" * stars if stars else "—"


def movement_text(row: LeaderRow) -> str:
    """↑3, ↓2, — (same place) or 新 (not ranked in the previous period)."""
    if row.movement is None:
        return "新"
    if row.movement > 0:
        return f"↑{row.movement}"
    if row.movement < 0:
        return f"↓{-row.movement}"
    return "—"


def movement_colour(row: LeaderRow) -> QColor | None:
    if row.movement is None or row.movement == 0:
        return GREY
    return UP if row.movement > 0 else DOWN


COMMUNITY_COLUMNS: tuple[Column[CommunityRow], ...] = (
    Column("小区", lambda r: r.name),
    Column("乡镇（街道）", lambda r: r.township),
    Column("社区", lambda r: r.division),
    Column("类型", lambda r: r.type),
    Column("封闭式物管", lambda r: "是" if r.closed_managed else "否", align=CENTER),
    Column("户数", lambda r: r.households, sort_key=lambda r: r.households, align=RIGHT),
    Column("幢数", lambda r: r.buildings, sort_key=lambda r: r.buildings, align=RIGHT),
    Column("物业企业", lambda r: r.company),
    Column("网格员", lambda r: r.grid_staff),
)

LEADER_COLUMNS: tuple[Column[LeaderRow], ...] = (
    Column("名次", lambda r: r.rank, sort_key=lambda r: r.rank, align=CENTER),
    Column("较上期", movement_text, sort_key=lambda r: r.movement if r.movement is not None else -999, align=CENTER),
    Column("小区", lambda r: r.community),
    Column("类型", lambda r: r.type),
    Column("星级", lambda r: stars_text(r.stars), sort_key=lambda r: r.stars),
    Column("期内平均分", lambda r: f"{r.average:.2f}", sort_key=lambda r: r.average, align=RIGHT),
    Column("检查次数", lambda r: r.inspections, sort_key=lambda r: r.inspections, align=RIGHT),
    Column("上期名次", lambda r: r.previous_rank or "—", sort_key=lambda r: r.previous_rank or 9999, align=CENTER),
    Column("一票否决", lambda r: "是" if r.vetoed else "", align=CENTER),
)


def leader_model(parent: Any = None) -> StyledTableModel:
    return StyledTableModel(
        LEADER_COLUMNS, {1: movement_colour, 8: lambda r: DOWN if r.vetoed else None}, parent=parent
    )


def overdue_text(row: IssueRow) -> str:
    return f"逾期{row.days_overdue}天" if row.overdue else ""


ISSUE_COLUMNS: tuple[Column[IssueRow], ...] = (
    Column("编号", lambda r: r.id, sort_key=lambda r: r.id, align=RIGHT),
    Column("小区", lambda r: r.community),
    Column("问题", lambda r: r.description, tooltip=lambda r: r.description),
    Column("责任方", lambda r: r.responsible),
    Column("发现日期", lambda r: r.found_on, sort_key=lambda r: r.found_on),
    Column("整改期限", lambda r: r.deadline, sort_key=lambda r: r.deadline),
    Column("状态", lambda r: r.status),
    Column("逾期", overdue_text, sort_key=lambda r: r.days_overdue),
    Column("复查未过", lambda r: r.reopen_count or "", sort_key=lambda r: r.reopen_count, align=CENTER),
    Column("销号日期", lambda r: r.rectified_on or "", sort_key=lambda r: r.rectified_on or r.deadline),
    Column("整改佐证", lambda r: r.evidence, tooltip=lambda r: r.evidence),
)


def issue_model(parent: Any = None) -> StyledTableModel:
    return StyledTableModel(ISSUE_COLUMNS, {7: lambda r: DOWN if r.overdue else None}, parent=parent)


INSPECTION_COLUMNS: tuple[Column[InspectionRow], ...] = (
    Column("检查日期", lambda r: r.inspected_on, sort_key=lambda r: r.inspected_on),
    Column("得分", lambda r: f"{r.total:g}", sort_key=lambda r: r.total, align=RIGHT),
    Column("一票否决", lambda r: "是" if r.vetoed else "", align=CENTER),
    Column("问题数", lambda r: r.issues, sort_key=lambda r: r.issues, align=RIGHT),
    Column("检查人员", lambda r: r.inspectors),
    Column("评分模板", lambda r: r.template),
    Column("版本", lambda r: inspection_version_text(r), tooltip=lambda r: r.correction_reason),
)


def inspection_version_text(row: InspectionRow) -> str:
    """第n版, with who recorded it and whether a correction replaced it."""
    text = f"第{row.revision}版" + (f"（{row.recorded_by}录入）" if row.recorded_by else "")
    return text + ("，已更正" if row.superseded_by_id else "")


def inspection_model(parent: Any = None) -> StyledTableModel:
    return StyledTableModel(INSPECTION_COLUMNS, {2: lambda r: DOWN if r.vetoed else None}, parent=parent)


def _entry_status(row: EntryRow) -> str:
    if row.removed:
        return f"已人工移除：{row.removed_reason}"
    if row.manual:
        return f"人工增加：{row.manual_reason}"
    return "按规则生成"


ENTRY_COLUMNS: tuple[Column[EntryRow], ...] = (
    Column("榜单", lambda r: r.list_kind),
    Column("名称", lambda r: r.name),
    Column("上榜理由", lambda r: r.reason, tooltip=lambda r: r.reason),
    Column("依据", lambda r: r.evidence, tooltip=lambda r: r.evidence),
    Column("来源", _entry_status, tooltip=_entry_status),
)


def entry_model(parent: Any = None) -> StyledTableModel:
    def kind_colour(row: EntryRow) -> QColor | None:
        return QColor("#c00000") if row.list_kind == "红榜" else QColor("#000000")

    return StyledTableModel(
        ENTRY_COLUMNS, {0: kind_colour}, row_colour=lambda r: GREY if r.removed else None, parent=parent
    )


def _party(party: str) -> Callable[[CompanyScore], str]:
    return lambda r: f"{r.scores[party]:g}" if party in r.scores else "—"


COMPANY_COLUMNS: tuple[Column[CompanyScore], ...] = (
    Column("物业企业", lambda r: r.name),
    Column("统一社会信用代码", lambda r: r.uscc),
    *(Column(p, _party(p), align=RIGHT) for p in ("业委会", "居委会", "物业协会", "主管部门")),
    Column(
        "综合评价",
        lambda r: "—" if r.weighted is None else f"{r.weighted:.2f}",
        sort_key=lambda r: r.weighted or 0,
        align=RIGHT,
    ),
    Column("评价齐全", lambda r: "是" if r.complete else "缺评价", align=CENTER),
)
