"""导入年度安排: a year's holidays from a holiday-cn JSON file or typed from the notice, changes shown before saving."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from liandu_desk.services.documents.calendar_import import (
    YearArrangement,
    diff_year,
    import_year,
    parse_holiday_cn,
    parse_ranges_text,
)
from liandu_desk.ui.kit import ops
from liandu_desk.ui.kit.context import AppContext
from liandu_desk.ui.kit.errors import show_error

EXAMPLE = "元旦 2027-01-01\n春节 2027-02-05 2027-02-11\n上班 2027-02-13 春节"
MAX_LINES_SHOWN = 40


class HolidayImportDialog(QDialog):
    """Type the year's arrangement (or load a file), see what changes, then save it."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("导入年度安排")
        self.resize(560, 460)
        self.year = QSpinBox(self)
        self.year.setRange(2000, 2100)
        self.year.setValue(dt.date.today().year + 1)
        self.source = QLineEdit(self)
        self.source.setPlaceholderText("国务院办公厅关于××××年部分节假日安排的通知（文号）")
        self.lines = QPlainTextEdit(self)
        self.lines.setPlaceholderText(f"每行一项，例如：\n{EXAMPLE}")
        self.file_button = QPushButton("从文件导入（holiday-cn JSON）…", self)
        self.file_button.clicked.connect(self.choose_file)
        buttons = QDialogButtonBox(self)
        self.save_button = buttons.addButton("预览变化并保存…", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.setDefault(True)
        buttons.accepted.connect(self.preview_and_save)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("年份", self.year)
        form.addRow("依据文件", self.source)
        form.addRow("放假与调休", self.lines)
        layout = QVBoxLayout(self)
        layout.addLayout(form, 1)
        layout.addWidget(self.file_button)
        layout.addWidget(buttons)

    def arrangement(self) -> YearArrangement:
        """The arrangement as typed (ValidationError when a line is malformed)."""
        return parse_ranges_text(self.year.value(), self.lines.toPlainText(), self.source.text())

    def choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "选择节假日安排文件", "", "JSON 文件 (*.json)")
        if name:
            self.load_file(Path(name))

    def load_file(self, path: Path) -> None:
        try:
            arrangement = parse_holiday_cn(path.read_bytes(), self.source.text())
        except Exception as exc:  # a malformed file or an unreadable path: shown, nothing saved
            show_error(exc, "", self)
            return
        self.confirm_and_save(arrangement)

    def preview_and_save(self) -> None:
        try:
            arrangement = self.arrangement()
        except Exception as exc:
            show_error(exc, "", self)
            return
        self.confirm_and_save(arrangement)

    def confirm_and_save(self, arrangement: YearArrangement) -> None:
        def job(_job_ctx):
            return ops.in_session(self.ctx, lambda session: diff_year(session, arrangement))()

        self.ctx.jobs.run(job, lambda diff: self._confirm(arrangement, diff), on_err=self._failed, key="holiday.diff")

    def _confirm(self, arrangement: YearArrangement, diff) -> None:
        lines = diff.lines()
        shown = "\n".join(lines[:MAX_LINES_SHOWN]) + (f"\n……共{len(lines)}项" if len(lines) > MAX_LINES_SHOWN else "")
        answer = QMessageBox.question(
            self,
            "确认导入",
            f"{arrangement.year}年安排（依据：{arrangement.source}）将作如下变化：\n\n{shown}\n\n保存吗？",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return

        def job(_job_ctx):
            return ops.in_session(self.ctx, lambda session: import_year(session, arrangement))()

        self.ctx.jobs.run(job, lambda _diff: self.accept(), on_err=self._failed, write=True, key="holiday.save")

    def _failed(self, exc: BaseException, trace: str) -> None:
        show_error(exc, trace, self)
