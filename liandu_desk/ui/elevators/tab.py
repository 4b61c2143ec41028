"""加装电梯 tab: the project list with stage, overdue and dispute flags, and the project page."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from liandu_desk.domain.elevators import STAGES
from liandu_desk.services.as_of import AsOf, resolve_as_of
from liandu_desk.services.divisions import DivisionInfo, list_townships
from liandu_desk.services.elevators.projects import (
    ProjectFilter,
    ProjectInput,
    ProjectRow,
    community_choices,
    create_project,
    list_projects,
)
from liandu_desk.ui.elevators.forms import date_edit, date_of
from liandu_desk.ui.elevators.project_page import ProjectPageWidget
from liandu_desk.ui.elevators.projects_model import ProjectTableModel
from liandu_desk.ui.kit import ops
from liandu_desk.ui.kit.context import AppContext
from liandu_desk.ui.kit.document_access import attach_row_menu
from liandu_desk.ui.kit.fit import CurrentStack, flow_row, kept_together
from liandu_desk.ui.kit.ops import Work
from liandu_desk.ui.kit.row_table import ROW_ROLE
from liandu_desk.ui.kit.tab_base import BaseTab
from liandu_desk.ui.kit.tables import read_only_table


class ElevatorsTab(BaseTab):
    """Elevator retrofits: projects, owner votes, disputes and mediation."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.townships: list[DivisionInfo] = []
        self.model = ProjectTableModel(self)
        self.table = read_only_table(self.model, "projectTable", fit_contents=True, row_height=22)
        self.table.doubleClicked.connect(lambda index: self.open_project(self.model.data(index, ROW_ROLE).id))
        self.table.installEventFilter(self)  # Enter opens the current project
        attach_row_menu(self.table, self._row_entries)
        self.page = ProjectPageWidget(ctx, self)
        self.page.back_requested.connect(self.show_list)
        self.page.changed.connect(lambda: setattr(self, "_list_stale", True))
        self._list_stale = False
        self.stack = CurrentStack()  # the list does not take the project page's height
        self.stack.addWidget(self._list_page())
        self.stack.addWidget(self.page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.stack)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self.refresh)
        self.follow_changes("elevator_project", "setting")

    # --- list page ---------------------------------------------------------------------------------
    def _list_page(self) -> QWidget:
        self.search = QLineEdit()
        self.search.setObjectName("projectSearch")
        self.search.setPlaceholderText("搜索小区或社区名称")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.township = QComboBox()
        self.township.addItem("全部街道（乡镇）", None)
        self.stage = QComboBox()
        self.stage.setObjectName("stageFilter")
        self.stage.addItem("全部阶段", None)
        for i, stage in enumerate(STAGES, start=1):
            self.stage.addItem(f"{i}. {stage.value}", stage.value)
        self.only_overdue = QCheckBox("只看超期/停滞")
        self.only_disputes = QCheckBox("只看有未结纠纷")
        self.as_of = date_edit()
        self.as_of.setObjectName("asOfDate")
        self.as_of.setToolTip("超期按此日期计算（默认今天；库中数据较旧时为数据最新日期）")
        self.as_of_chosen: dt.date | None = None  # None: the shared as-of rule (services.as_of)
        self.as_of_note = QLabel("")
        self.as_of_note.setObjectName("asOfNote")
        for widget in (self.township, self.stage):
            widget.currentIndexChanged.connect(lambda _i: self.refresh())
        for box in (self.only_overdue, self.only_disputes):
            box.toggled.connect(lambda _c: self.refresh())
        self.as_of.dateChanged.connect(self._choose_as_of)
        new = QPushButton("新建项目…")
        new.clicked.connect(self.new_project)
        settings_button = QPushButton("参数设置…")
        settings_button.setToolTip("各阶段预期天数、楼层分摊系数、补助金额、人数口径")
        settings_button.clicked.connect(self.open_settings)
        open_button = QPushButton("打开")
        open_button.clicked.connect(self._open_current)
        self.count = QLabel("")
        self.count.setObjectName("projectCount")
        self.count.setWordWrap(True)
        filters = [self.search, self.township, self.stage, self.only_overdue, self.only_disputes]
        bar = QHBoxLayout()  # both groups wrap onto more lines in a narrow window
        as_of = kept_together([QLabel("截至："), self.as_of])
        bar.addWidget(flow_row([*filters, as_of, self.as_of_note]), 3)
        bar.addWidget(flow_row([new, settings_button, open_button]), 1, Qt.AlignmentFlag.AlignTop)
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        return box

    def current_filter(self) -> ProjectFilter:
        return ProjectFilter(
            self.search.text(),
            self.stage.currentData(),
            self.township.currentData(),
            self.only_overdue.isChecked(),
            self.only_disputes.isChecked(),
        )

    def _choose_as_of(self, _date: object) -> None:
        self.as_of_chosen = date_of(self.as_of)
        self.refresh()

    def refresh(self) -> None:
        self._refresh_list()
        if self.stack.currentWidget() is self.page and self.page.project_id is not None:
            self.page.load(self.page.project_id, self.as_of_chosen or date_of(self.as_of))

    def _refresh_list(self) -> None:
        flt, chosen = self.current_filter(), self.as_of_chosen

        def read(session) -> tuple[list[ProjectRow], list[DivisionInfo], AsOf]:
            as_of = resolve_as_of(session, chosen)
            return list_projects(session, flt, as_of.day), list_townships(session), as_of

        ops.read(self.ctx, read, self._show, key="elevators.list")

    def records_changed(self, kind: str, ids: tuple[int, ...]) -> None:
        """A project or a setting was written (here or in another window): reload the list, now if it is shown,
        else when the clerk goes back to it (the project page reloads itself after its own edits)."""
        if not self._loaded_once:
            return
        if self.stack.currentWidget() is self.page:
            self._list_stale = True
        else:
            self._refresh_list()

    def _show_as_of(self, as_of: AsOf) -> None:
        """The day the list counts against, stated beside the date field."""
        self.as_of.blockSignals(True)
        self.as_of.setDate(QDate(as_of.day.year, as_of.day.month, as_of.day.day))
        self.as_of.blockSignals(False)
        self.as_of_note.setText(as_of.label())

    def _show(self, result: tuple[list[ProjectRow], list[DivisionInfo], AsOf]) -> None:
        rows, townships, as_of = result
        self._show_as_of(as_of)
        if not self.townships and townships:
            self.townships = townships
            for info in townships:
                self.township.addItem(info.name, info.id)
        self.model.set_rows(rows)
        self._list_stale = False
        overdue = sum(r.overdue for r in rows)
        disputes = sum(r.open_disputes > 0 for r in rows)
        text = f"共 {len(rows)} 个项目，其中超期 {overdue} 个、有未结纠纷 {disputes} 个（双击或回车打开）"
        latest = max((r.stage_started_on for r in rows if r.stage_started_on), default=None)
        if latest and (date_of(self.as_of) - latest).days > 180:
            text += f"。最近一次阶段变化在 {latest}，可调整“截至”日期查看当时的超期情况"
        self.count.setText(text)
        if not rows and not any((self.search.text(), self.stage.currentData(), self.township.currentData())):
            self.count.setText("还没有加装电梯项目。点“新建项目…”登记，或在“文件 → 载入演示数据”中载入演示数据。")

    # --- navigation --------------------------------------------------------------------------------
    def _open_current(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self.open_project(self.model.data(index, ROW_ROLE).id)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._open_current()
                return True
        return super().eventFilter(watched, event)

    def _row_entries(self, index) -> list[tuple[str, object]]:
        """Right-click on a project: open it, or show its 案卷 (PDF) straight from the list."""
        from liandu_desk.ui.kit.pdf_view import open_dossier

        project_id = self.model.data(index, ROW_ROLE).id
        return [
            ("打开项目", lambda: self.open_project(project_id)),
            ("项目案卷(PDF)…", lambda: open_dossier(self.ctx, "project", project_id, self)),
        ]

    def open_project(self, project_id: int) -> None:
        self.page.load(project_id, date_of(self.as_of))
        self.stack.setCurrentWidget(self.page)

    def show_list(self) -> None:
        self.stack.setCurrentWidget(self.stack.widget(0))
        if self._list_stale:
            self.refresh()

    def new_project(self) -> None:

        ops.read(self.ctx, community_choices, self._new_project_in, parent=self)

    def _new_project_in(self, communities: list) -> None:
        from liandu_desk.ui.elevators.project_form import ProjectDialog

        created: list[int] = []

        def save(data: ProjectInput) -> Work:
            return lambda session: created.append(create_project(session, data))

        if ProjectDialog(communities, save, self).exec() and created:
            self.refresh()
            self.open_project(created[0])

    def open_settings(self) -> None:
        from liandu_desk.ui.elevators.settings_dialog import ElevatorSettingsDialog

        if ElevatorSettingsDialog(self.ctx, self).exec():
            self.refresh()

    def open_by_title(self, title: str) -> bool:
        """Open a project by its title (e.g. 望湖公寓1幢2单元) if it is in the list."""
        for row in self.model.rows:
            if row.title == title:
                self.open_project(row.id)
                return True
        return False
