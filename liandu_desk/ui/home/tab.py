"""首页: the period's figures against the previous period, charts, work targets, what is due, one search box.

Every part loads in its own background job (figures, charts and targets, due list) so the first parts are on
screen while the stats service is still counting; the recent activity is one button away (操作记录).
"""

from __future__ import annotations

import datetime as dt
import logging
import time

from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from liandu_desk.domain.permissions import Permission, allowed
from liandu_desk.services.as_of import latest_record_date, reference_day
from liandu_desk.services.divisions import list_townships
from liandu_desk.services.documents.calendar import missing_year_warning
from liandu_desk.services.home.figures import (
    PERIOD_KINDS,
    Chart,
    dangerous_by_township,
    period_figures,
    period_of,
    trend,
)
from liandu_desk.services.home.targets import (
    TargetInput,
    create_target,
    retire_target,
    target_input,
    target_progress,
    update_target,
)
from liandu_desk.services.overview import heading_facts
from liandu_desk.services.periods import Period
from liandu_desk.ui.home.charts import BarChart, LineChart
from liandu_desk.ui.home.due import DuePanel
from liandu_desk.ui.home.panels import FigureCards, TargetList
from liandu_desk.ui.kit import ops
from liandu_desk.ui.kit.context import AppContext
from liandu_desk.ui.kit.fit import flow_row
from liandu_desk.ui.kit.ops import Work
from liandu_desk.ui.kit.tab_base import BaseTab

log = logging.getLogger(__name__)
CUSTOM = "自定义"
PARTS = ("figures", "charts", "due")


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _date(edit: QDateEdit) -> dt.date:
    value = edit.date()
    return dt.date(value.year(), value.month(), value.day())


def _date_edit(name: str) -> QDateEdit:
    edit = QDateEdit()
    edit.setObjectName(name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


class HomeTab(BaseTab):
    """The clerk's morning overview of the district."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.as_of: dt.date | None = None
        self.as_of_chosen = False  # the clerk picked 截至; otherwise each load finds the reference day anew
        self.started = 0.0
        self.timings: dict[str, float] = {}
        self._build_controls()
        self.cards = FigureCards()
        self.bar_chart, self.line_chart = BarChart(), LineChart()
        self.bar_chart.setObjectName("townshipChart")
        self.line_chart.setObjectName("trendChart")
        self.targets = TargetList()
        self.targets.activated.connect(self.edit_target)
        self.townships: list = []
        self.due = DuePanel(ctx)
        self.due.loaded.connect(self._due_loaded)
        self._layout()
        QTimer.singleShot(0, self, self._install_shortcut)
        self.follow_changes("house", "elevator_project", "community", "document", "target", "setting")

    def records_changed(self, kind: str, ids: tuple[int, ...]) -> None:
        """Something the overview counts was written: reload the figures, charts and due list (a setting may
        also rename the bureau in the heading)."""
        if not self._loaded_once:
            return
        if not self.as_of_chosen:
            self.as_of = None  # new records (a demo, an import) may move the reference day: find it again
        if kind == "setting" or not self.as_of_chosen:
            self.refresh()
        else:
            self.load_parts()

    # --- building ----------------------------------------------------------------------------------
    def _build_controls(self) -> None:
        self.heading = QLabel()
        self.heading.setObjectName("homeHeading")
        self.heading.setStyleSheet("font-size: 18px; font-weight: bold;")
        self.period_kind = QComboBox()
        self.period_kind.setObjectName("periodKind")
        self.period_kind.addItems([*PERIOD_KINDS, CUSTOM])
        self.period_kind.setCurrentText("本半年")
        self.start_edit, self.end_edit, self.as_of_edit = (
            _date_edit("periodStart"),
            _date_edit("periodEnd"),
            _date_edit("asOf"),
        )
        self.as_of_edit.setToolTip("进度、超期与临期按此日期计算")
        self.note = QLabel()
        self.note.setObjectName("homeNote")
        self.note.setStyleSheet("color: #8a5a00;")
        self.calendar_note = QLabel()
        self.calendar_note.setObjectName("calendarNote")
        self.calendar_note.setWordWrap(True)
        self.calendar_note.setStyleSheet("color: #b00020; font-weight: bold;")
        self.calendar_note.setVisible(False)
        self.search_button = QPushButton("搜索…（Ctrl+K）")
        self.search_button.clicked.connect(self.open_search)
        self.audit_button = QPushButton("最近操作…")
        self.audit_button.setToolTip("操作记录（审计）：谁在何时改了什么")
        self.audit_button.clicked.connect(self.open_audit)
        self.demo_button = QPushButton("载入演示数据")
        self.demo_button.setVisible(False)
        self.period_kind.currentTextChanged.connect(self._period_kind_changed)
        for edit in (self.start_edit, self.end_edit):
            edit.dateChanged.connect(lambda _d: self._custom_changed())
        self.as_of_edit.dateChanged.connect(lambda _d: self._as_of_changed())

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addStretch(1)
        controls = [QLabel("统计期间"), self.period_kind, self.start_edit, QLabel("至"), self.end_edit]
        controls += [QLabel("截至"), self.as_of_edit, self.search_button, self.audit_button, self.demo_button]
        top.addWidget(flow_row(controls), 100)  # wraps onto a second line in a narrow window
        charts = QSplitter(Qt.Orientation.Horizontal)
        charts.addWidget(self.bar_chart)
        charts.addWidget(self.line_chart)
        target_box = QGroupBox("工作目标")
        self.new_target_button = QPushButton("新增目标…")
        self.new_target_button.clicked.connect(self.new_target)
        may_edit = allowed(self.ctx.clerk.role, Permission.EDIT_SETTINGS)
        self.new_target_button.setEnabled(may_edit)
        if not may_edit:
            self.new_target_button.setToolTip(f"需要“{Permission.EDIT_SETTINGS.value}”的权限")
        target_bar = QHBoxLayout()
        target_bar.addWidget(QLabel("双击目标可修改或停用"))
        target_bar.addStretch(1)
        target_bar.addWidget(self.new_target_button)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.targets)
        target_layout = QVBoxLayout(target_box)
        target_layout.addLayout(target_bar)
        target_layout.addWidget(scroll)
        due_box = QGroupBox("超期与临期事项")
        QVBoxLayout(due_box).addWidget(self.due)
        bottom = QSplitter(Qt.Orientation.Horizontal)
        bottom.addWidget(target_box)
        bottom.addWidget(due_box)
        bottom.setSizes([440, 800])
        body = QSplitter(Qt.Orientation.Vertical)
        body.addWidget(charts)
        body.addWidget(bottom)
        body.setSizes([210, 330])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addLayout(top)
        layout.addWidget(self.note)
        layout.addWidget(self.calendar_note)
        layout.addWidget(self.cards)
        layout.addWidget(body, 1)

    def _install_shortcut(self) -> None:
        """Ctrl+K anywhere in the main window opens the search box."""
        shortcut = QShortcut(QKeySequence("Ctrl+K"), self.window())
        shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        shortcut.activated.connect(self.open_search)
        self.search_shortcut = shortcut

    # --- period ------------------------------------------------------------------------------------
    def current_period(self) -> Period:
        kind = self.period_kind.currentText()
        if kind == CUSTOM:
            start, end = _date(self.start_edit), _date(self.end_edit)
            return Period(min(start, end), max(start, end))
        return period_of(kind, self.as_of or dt.date.today())

    def _show_period(self, period: Period) -> None:
        for edit, day in ((self.start_edit, period.start), (self.end_edit, period.end)):
            edit.blockSignals(True)
            edit.setDate(_qdate(day))
            edit.setEnabled(self.period_kind.currentText() == CUSTOM)
            edit.blockSignals(False)

    def _period_kind_changed(self, kind: str) -> None:
        for edit in (self.start_edit, self.end_edit):
            edit.setEnabled(kind == CUSTOM)
        if self.as_of is not None:
            self.load_parts()

    def _custom_changed(self) -> None:
        if self.period_kind.currentText() == CUSTOM and self.as_of is not None:
            self.load_parts()

    def _as_of_changed(self) -> None:
        if self.as_of is not None:
            self.as_of = _date(self.as_of_edit)
            self.as_of_chosen = True
            self.load_parts()

    # --- loading -----------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Load every part at once; until the clerk picks a day, each job finds the reference day itself
        (today, or the newest record of an old database) so no part waits for another."""
        self.started, self.timings = time.perf_counter(), {}

        def start(session):
            heading, latest, townships = heading_facts(session), latest_record_date(session), list_townships(session)
            return heading, latest, townships, missing_year_warning(session, dt.date.today())

        self.load_parts()
        ops.read(self.ctx, start, self._start, key="home.start")

    def _start(self, result) -> None:
        (bureau_name, entered), latest, townships, calendar_warning = result
        self.calendar_note.setText(calendar_warning)
        self.calendar_note.setVisible(bool(calendar_warning))
        self.timings["start"] = time.perf_counter() - self.started if self.started else 0.0
        today = dt.date.today()
        self.heading.setText(f"{bureau_name}　{today.year}年{today.month}月{today.day}日")
        self.demo_button.setVisible(not entered)
        stale = latest is not None and reference_day(latest, today) == latest
        self.note.setText(
            f"库中最新记录日期为{latest:%Y-%m-%d}，首页按该日期统计（可在“截至”中修改）。" if stale else ""
        )
        self.note.setVisible(stale)
        self.townships = townships
        self.due.set_townships(townships)

    def load_parts(self) -> None:
        """Figures, charts with targets, and the due list: three jobs running side by side."""
        fixed, kind = self.as_of, self.period_kind.currentText()
        custom = self.current_period() if kind == CUSTOM else None
        if not self.started:
            self.started, self.timings = time.perf_counter(), {}

        def resolve(session) -> tuple[dt.date, Period]:
            as_of = fixed or reference_day(latest_record_date(session))
            return as_of, custom or period_of(kind, as_of)

        def figures(session):
            as_of, period = resolve(session)
            return as_of, period, period_figures(session, period)

        def charts(session):
            as_of, period = resolve(session)
            return (
                as_of,
                period,
                (dangerous_by_township(session), trend(session, period), target_progress(session, as_of)),
            )

        self.cards.set_rows([])
        ops.read(self.ctx, figures, self._show_figures, key="home.figures")
        ops.read(self.ctx, charts, self._show_charts, key="home.charts")
        self.due.load(fixed)

    def _adopt(self, as_of: dt.date, period: Period) -> None:
        """Take the reference day a job found (first load) and show the period's dates."""
        if self.as_of is None:
            self.as_of = as_of
            self.as_of_edit.blockSignals(True)
            self.as_of_edit.setDate(_qdate(as_of))
            self.as_of_edit.blockSignals(False)
        self._show_period(period)

    def _show_figures(self, result: tuple[dt.date, Period, list]) -> None:
        as_of, period, rows = result
        self._adopt(as_of, period)
        self.cards.set_rows(rows)
        self._part_done("figures")

    def _show_charts(self, result: tuple[dt.date, Period, tuple[Chart, Chart, list]]) -> None:
        as_of, period, (by_town, months, targets) = result
        self._adopt(as_of, period)
        self.bar_chart.set_chart(by_town)
        self.line_chart.set_chart(months)
        self.targets.set_targets(targets)
        self._part_done("charts")

    def _due_loaded(self, _count: int) -> None:
        if self.as_of is None and self.due.as_of is not None:
            self.as_of = self.due.as_of
            self.as_of_edit.blockSignals(True)
            self.as_of_edit.setDate(_qdate(self.as_of))
            self.as_of_edit.blockSignals(False)
        self._part_done("due")

    def _part_done(self, part: str) -> None:
        if self.started:
            self.timings[part] = time.perf_counter() - self.started
        if all(p in self.timings for p in PARTS) and self.started:
            log.info(
                "overview on screen in %.0f ms (%s)",
                self.timings[max(PARTS, key=self.timings.get)] * 1000,
                ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in self.timings.items()),
            )
            self.started = 0.0

    # --- actions -----------------------------------------------------------------------------------
    def open_search(self):
        from liandu_desk.ui.home.search import SearchDialog

        dialog = SearchDialog(self.ctx, self)
        dialog.show()
        dialog.box.setFocus()
        return dialog

    def _target_dialog(self, target_id: int | None = None):
        from liandu_desk.ui.home.targets import TargetDialog

        def save(data: TargetInput) -> Work:
            if target_id is None:
                return lambda session: create_target(session, data)
            return lambda session: update_target(session, target_id, data)

        def retire() -> Work:
            return lambda session: retire_target(session, target_id)

        dialog = TargetDialog(self.townships, save, retire if target_id else None, None, self)
        if target_id is not None:
            dialog.set_busy("正在读取目标……")
            ops.read(self.ctx, lambda session: target_input(session, target_id), dialog.fill, parent=dialog)
        return dialog

    def new_target(self) -> None:
        if self._target_dialog().exec():
            self.load_parts()

    def edit_target(self, target_id: int) -> None:
        if self._target_dialog(target_id).exec():
            self.load_parts()

    def open_audit(self) -> None:
        self.ctx.open_record("audit", 0, self)
