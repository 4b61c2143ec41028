"""The house page's record sections: screenings, appraisals (grade history), cases with progress, plans,
applications and attachment thumbnails."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from liandu_desk.domain.house_cases import HouseAction
from liandu_desk.services.houses import detail as detail_service
from liandu_desk.ui.kit.row_table import Column, RowTableModel
from liandu_desk.ui.kit.signals import emit


def _day(value: Any) -> str:
    return value.isoformat() if value else ""


def _evidence(case: detail_service.CaseInfo) -> str:
    if case.close_evidence:
        return case.close_evidence
    return f"可销号：{case.available_evidence}" if case.available_evidence else ""


SCREENING_COLUMNS: tuple[Column[detail_service.ScreeningInfo], ...] = (
    Column("排查日期", lambda r: _day(r.screened_on), sort_key=lambda r: r.screened_on),
    Column("排查结论", lambda r: r.conclusion),
    Column("隐患情况", lambda r: "、".join(r.hazards)),
    Column("排查人", lambda r: r.screener),
    Column("备注", lambda r: r.note, tooltip=lambda r: r.note),
)
APPRAISAL_COLUMNS: tuple[Column[detail_service.AppraisalInfo], ...] = (
    Column("鉴定日期", lambda r: _day(r.appraised_on), sort_key=lambda r: r.appraised_on),
    Column("等级", lambda r: f"{r.grade}级", align=Qt.AlignmentFlag.AlignCenter),
    Column("处理类型", lambda r: r.handling or ""),
    Column("鉴定机构", lambda r: r.agency),
    Column("报告编号", lambda r: r.report_no),
    Column("备注", lambda r: r.note, tooltip=lambda r: r.note),
)
CASE_COLUMNS: tuple[Column[detail_service.CaseInfo], ...] = (
    Column("立案日期", lambda r: _day(r.opened_on), sort_key=lambda r: r.opened_on),
    Column("整治措施", lambda r: r.measure),
    Column("来源批次", lambda r: r.batch or ""),
    Column("整改期限", lambda r: _day(r.deadline) + ("（逾期）" if r.overdue else "")),
    Column("状态", lambda r: r.status),
    Column("完成日期", lambda r: _day(r.completed_on)),
    Column("销号日期", lambda r: _day(r.closed_on)),
    Column(
        "销号依据", lambda r: r.close_evidence or (f"可销号：{r.available_evidence}" if r.available_evidence else "")
    ),
    Column("责任人", lambda r: r.responsible),
)
PROGRESS_COLUMNS: tuple[Column[detail_service.ProgressInfo], ...] = (
    Column("日期", lambda r: _day(r.on), sort_key=lambda r: r.on),
    Column("进展情况", lambda r: r.text, tooltip=lambda r: r.text),
    Column("完成比例", lambda r: f"{r.percent}%" if r.percent is not None else ""),
    Column("记录人", lambda r: r.clerk_name),
)
PLAN_COLUMNS: tuple[Column[detail_service.PlanInfo], ...] = (
    Column("制定日期", lambda r: _day(r.opened_on), sort_key=lambda r: r.opened_on),
    Column("责任主体", lambda r: r.responsible_party),
    Column("属地街道", lambda r: r.street),
    Column("解危方式", lambda r: r.method),
    Column("资金来源", lambda r: r.funding),
    Column("过渡管控", lambda r: "、".join(r.interim_controls)),
    Column("期限", lambda r: _day(r.deadline)),
    Column("状态", lambda r: r.status),
    Column("节点", lambda r: "；".join(f"{m.title}（{m.status}）" for m in r.milestones)),
)
APPLICATION_COLUMNS: tuple[Column[detail_service.ApplicationInfo], ...] = (
    Column("申请日期", lambda r: _day(r.applied_on), sort_key=lambda r: r.applied_on),
    Column("申请人", lambda r: r.applicant_name),
    Column("身份证号", lambda r: r.applicant_id_masked),
    Column("年度", lambda r: r.year),
    Column("对象类别", lambda r: r.category),
    Column("改造方式", lambda r: r.measure),
    Column("补助金额（元）", lambda r: "" if r.subsidy_amount is None else f"{r.subsidy_amount:,}"),
    Column("审批状态", lambda r: r.status),
)


class RecordTable(QTableView):
    """A read-only table of one kind of record."""

    def __init__(self, columns: Sequence[Column], name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.model_: RowTableModel = RowTableModel(columns, self)
        self.setModel(self.model_)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(24)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.model_.set_rows(rows)

    def selected(self) -> Any:
        index = self.currentIndex()
        return self.model_.row_at(index.row()) if index.isValid() else None


class CaseSection(QWidget):
    """Cases on top, the selected case's progress entries and close-out hint below."""

    case_selected = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cases = RecordTable(CASE_COLUMNS, "houseCases")
        self.progress = RecordTable(PROGRESS_COLUMNS, "caseProgress")
        self.hint = QLabel("")
        self.hint.setObjectName("caseHint")
        self.hint.setWordWrap(True)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.cases)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.hint)
        lower_layout.addWidget(self.progress)
        splitter.addWidget(lower)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self.cases.selectionModel().currentRowChanged.connect(lambda _cur, _prev: self._show_selected())

    def set_cases(self, cases: Sequence[detail_service.CaseInfo]) -> None:
        """Show the cases and select the newest one."""
        self.cases.set_rows(cases)
        if cases:
            self.cases.selectRow(len(cases) - 1)
        self._show_selected()

    def current(self) -> detail_service.CaseInfo | None:
        return self.cases.selected()

    def _show_selected(self) -> None:
        case = self.current()
        self.progress.set_rows(case.progress if case else ())
        self.hint.setText(case_hint(case))
        emit(self.case_selected, case)


def case_hint(case: detail_service.CaseInfo | None) -> str:
    """One sentence on where the case stands and what is needed to close it out."""
    if case is None:
        return "尚未立案整治。只有鉴定为C级或D级（或列入核查批次）的房屋才能立案。"
    if not case.actions:  # closed out (销号): nothing more can be done to it
        return f"已于{_day(case.closed_on)}销号，依据：{case.close_evidence or '—'}。"
    overdue = f"已超过整改期限（{_day(case.deadline)}）。" if case.overdue else ""
    if HouseAction.CLOSE in case.actions:  # completed: waiting for its close-out
        if case.available_evidence:
            return f"整改已完成，可以销号，依据：{case.available_evidence}。"
        return "整改已完成，但尚无销号依据：需要整改后复鉴为A级或B级，或记录拆除日期。"
    return f"{overdue}案件{case.status}，期限{_day(case.deadline) or '未定'}；整改完成后才能销号。"


class AttachmentStrip(QListWidget):
    """Attachments as thumbnails (images) or file icons, with name, role and photo date."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("houseAttachments")
        self.setViewMode(QListWidget.ViewMode.IconMode)
        self.setIconSize(QSize(128, 128))
        self.setGridSize(QSize(170, 180))
        self.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.setMovement(QListWidget.Movement.Static)
        self.setWordWrap(True)

    def set_attachments(self, attachments: Sequence[Any], thumbnails: dict[int, bytes]) -> None:
        """Attachment infos plus PNG thumbnails by attachment id (missing: a generic file icon)."""
        self.clear()
        file_icon = self.style().standardIcon(self.style().StandardPixmap.SP_FileIcon)
        for info in attachments:
            pixmap = QPixmap()
            icon = QIcon(pixmap) if info.id in thumbnails and pixmap.loadFromData(thumbnails[info.id]) else file_icon
            taken = f"\n拍摄于{info.taken_at:%Y-%m-%d}" if info.taken_at else ""
            item = QListWidgetItem(icon, f"{info.original_name}\n（{info.role}）{taken}")
            item.setData(Qt.ItemDataRole.UserRole, info.id)
            item.setToolTip(f"{info.original_name}\n{info.mime}，{info.size:,} 字节{taken}\n{info.caption}")
            self.addItem(item)
