"""The half-year work summary: pick a period, generate it in the background, preview, print or save it."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QComboBox, QDateEdit, QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from liandu_desk.ui.kit import ops
from liandu_desk.ui.kit.context import AppContext
from liandu_desk.ui.kit.errors import show_error
from liandu_desk.ui.kit.pdf_view import DocumentPreview


def _presets(today: dt.date) -> list[tuple[str, dt.date, dt.date]]:
    items = []
    for year in range(today.year, 2020, -1):
        items.append((f"{year}年上半年", dt.date(year, 1, 1), dt.date(year, 6, 30)))
        items.append((f"{year}年下半年", dt.date(year, 7, 1), dt.date(year, 12, 31)))
    return [i for i in items if i[1] <= today]


class SummaryDialog(QDialog):
    """工作总结: every figure comes from the stats service."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("工作总结")
        self.resize(860, 920)
        self.preset = QComboBox(self)
        self._presets = _presets(dt.date.today())
        self.preset.addItems([p[0] for p in self._presets] + ["自定义"])
        self.date_from, self.date_to = QDateEdit(self), QDateEdit(self)
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.preset.currentIndexChanged.connect(self._apply_preset)
        self.generate_button = QPushButton("生成", self)
        self.generate_button.clicked.connect(self.generate)
        self.warning = QLabel("", self)
        self.preview = DocumentPreview(self)
        bar = QHBoxLayout()
        for widget in (QLabel("期间", self), self.preset, self.date_from, QLabel("至", self), self.date_to):
            bar.addWidget(widget)
        bar.addWidget(self.generate_button)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.warning)
        layout.addWidget(self.preview, 1)
        self._apply_preset(0)

    def _apply_preset(self, index: int) -> None:
        if 0 <= index < len(self._presets):
            _, start, end = self._presets[index]
            self.date_from.setDate(QDate(start.year, start.month, start.day))
            self.date_to.setDate(QDate(end.year, end.month, end.day))

    def set_period(self, start: dt.date, end: dt.date) -> None:
        self.preset.setCurrentIndex(self.preset.count() - 1)
        self.date_from.setDate(QDate(start.year, start.month, start.day))
        self.date_to.setDate(QDate(end.year, end.month, end.day))

    def generate(self) -> None:
        from liandu_desk.reports.engine import render_parts
        from liandu_desk.reports.summary import summary_parts
        from liandu_desk.services.documents.summary_data import check_totals, summary_facts
        from liandu_desk.services.documents.templates import wordings
        from liandu_desk.services.periods import Period

        period = Period(self.date_from.date().toPython(), self.date_to.date().toPython())

        def job(job_ctx):
            job_ctx.progress(0, 2, "统计")
            facts, texts = ops.in_session(
                self.ctx, lambda session: (summary_facts(session, period), wordings(session, ("summary",), strict=True))
            )()
            job_ctx.progress(1, 2, "排版")
            return render_parts(summary_parts(facts, texts)), check_totals(facts)

        self.ctx.jobs.run(
            job,
            self._done,
            on_err=lambda e, t: show_error(e, t, self),
            key="summary",
            title="正在生成工作总结",
            widgets=[self.generate_button],
            parent=self,
        )

    def _done(self, result) -> None:
        data, problems = result
        self.warning.setText("；".join(problems))
        start, end = self.date_from.date().toPython(), self.date_to.date().toPython()
        self.preview.set_pdf(data, f"工作总结_{start:%Y%m%d}-{end:%Y%m%d}.pdf")
