"""星级小区 tab: communities, 擂台赛 leaderboard, issue tracker, red/black lists, company evaluation, rules."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget

from liandu_desk.services.communities.defaults import ensure_defaults
from liandu_desk.services.communities.inspections import latest_inspection_date
from liandu_desk.services.periods import half_year
from liandu_desk.ui.communities.inspection import InspectionDialog
from liandu_desk.ui.communities.list_pages import CompanyPage, PublicationPage, RulesPage
from liandu_desk.ui.communities.pages import CommunityListPage, IssuePage, LeaderboardPage, Page
from liandu_desk.ui.kit import ops
from liandu_desk.ui.kit.context import AppContext
from liandu_desk.ui.kit.tab_base import BaseTab

FIRST_YEAR = 2019


def half_years(today: dt.date) -> list[tuple[int, int]]:
    """(year, half) from 2019 H1 to the current half-year, newest first."""
    current = (today.year, 1 if today.month <= 6 else 2)
    found = [(y, h) for y in range(FIRST_YEAR, today.year + 1) for h in (1, 2) if (y, h) <= current]
    return list(reversed(found))


class CommunitiesTab(BaseTab):
    """Star-rated communities: inspections, issues, ratings and red/black lists."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.period_box = QComboBox()
        self.period_box.setObjectName("communityPeriod")
        for year, half in half_years(dt.date.today()):
            self.period_box.addItem(f"{year}年{'上' if half == 1 else '下'}半年", f"{year}-{half}")
        self.pages: dict[str, Page] = {
            "小区列表": CommunityListPage(ctx),
            "擂台赛排行": LeaderboardPage(ctx),
            "问题整改": IssuePage(ctx),
            "红黑榜发布": PublicationPage(ctx),
            "物业企业评价": CompanyPage(ctx),
            "评分标准与规则": RulesPage(ctx),
        }
        self.inner = QTabWidget()
        self.inner.setObjectName("communityPages")
        for title, page in self.pages.items():
            self.inner.addTab(page, title)
        inspect = QPushButton("录入检查评分(&I)…")
        inspect.clicked.connect(lambda: InspectionDialog(self.ctx, None, self).exec() and self.refresh())
        bar = QHBoxLayout()
        bar.addWidget(QLabel("统计期间："))
        bar.addWidget(self.period_box)
        bar.addStretch(1)
        bar.addWidget(inspect)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.inner, 1)
        self.period_box.currentIndexChanged.connect(self._period_changed)
        self.inner.currentChanged.connect(lambda _i: self._refresh_page(self.inner.currentWidget()))
        self._initialised = False
        self.follow_changes("community", "setting")

    def refresh(self) -> None:
        if not self._initialised:
            self._initialised = True
            ops.write(self.ctx, self._prepare, self._prepared)
            return
        self._refresh_page(self.inner.currentWidget())

    def _prepare(self, session) -> dt.date | None:
        ensure_defaults(session)
        return latest_inspection_date(session)

    def _prepared(self, latest: dt.date | None) -> None:
        if latest is not None:
            index = self.period_box.findData(f"{latest.year}-{1 if latest.month <= 6 else 2}")
            if index >= 0:
                self.period_box.blockSignals(True)
                self.period_box.setCurrentIndex(index)
                self.period_box.blockSignals(False)
        self._period_changed()

    def current_period(self):
        year, half = self.period_box.currentData().split("-")
        return half_year(int(year), int(half))

    def _period_changed(self, *_args) -> None:
        period = self.current_period()
        for page in self.pages.values():
            page.period = period
        self._refresh_page(self.inner.currentWidget())

    def _refresh_page(self, page: QWidget) -> None:
        if isinstance(page, Page) and page.period is not None:
            page.refresh()

    def show_page(self, title: str) -> None:
        """Switch to a sub-page by its title (used by screenshots and tests)."""
        self.inner.setCurrentWidget(self.pages[title])
