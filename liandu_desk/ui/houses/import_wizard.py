"""导入向导: choose a file → preview and map columns → validation report → import with progress/cancel → summary."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from liandu_desk.io.preview import FilePreview, preview_file, required_headers, template_headers
from liandu_desk.io.template import write_house_template
from liandu_desk.services.divisions import list_townships
from liandu_desk.services.import_mappings import list_mappings, load_mapping, save_mapping
from liandu_desk.services.imports.house_writer import ImportCancelled
from liandu_desk.services.imports.houses import ImportOptions, ImportResult, import_houses
from liandu_desk.ui.kit import ops
from liandu_desk.ui.kit.context import AppContext
from liandu_desk.ui.kit.import_parts import FILE_FILTER, NO_MAPPING, check_summary, export_rejections
from liandu_desk.ui.kit.jobs import JobCancelled
from liandu_desk.ui.kit.signals import emit

log = logging.getLogger(__name__)
TARGET = "houses"
IGNORED = "（忽略此列）"
MAX_LINKS = 500
TEMPLATE_NAME = "农村房屋排查导入模板.xlsx"


def _table(headers: list[str], parent: QWidget) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    table.horizontalHeader().setStretchLastSection(True)
    table.verticalHeader().setVisible(False)
    return table


def _fill(table: QTableWidget, rows: list[list[Any]]) -> None:
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.setItem(r, c, QTableWidgetItem("" if value is None else str(value)))


class FilePage(QWizardPage):
    """Step 1: the file, and a saved column mapping if the layout is not the default template."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.wiz = wizard
        self.setTitle("选择文件")
        self.setSubTitle("支持 .xlsx、.xls、.csv（UTF-8 或 GB18030）。默认格式见空白模板。")
        self.path = QLineEdit(self)
        self.path.setPlaceholderText("选择要导入的农村房屋排查表")
        self.path.textChanged.connect(self.completeChanged)
        browse = QPushButton("浏览…", self)
        browse.clicked.connect(self.browse)
        self.mapping = QComboBox(self)
        template = QPushButton("下载空白模板…", self)
        template.clicked.connect(self.save_template)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        form = QFormLayout(self)
        form.addRow("文件", row)
        form.addRow("列映射", self.mapping)
        form.addRow("", template)
        self.saved_mapping: dict[str, str] = {}
        self.reading = False
        self.mapping.currentIndexChanged.connect(self._read_mapping)

    def initializePage(self) -> None:
        self.mapping.clear()
        self.mapping.addItem("正在读取……")
        self._reading(True)
        ops.read(self.wiz.ctx, lambda session: list_mappings(session, TARGET), self._show_mappings, parent=self)

    def _show_mappings(self, names: list[str]) -> None:
        self.mapping.blockSignals(True)
        self.mapping.clear()
        self.mapping.addItems([NO_MAPPING, *names])
        self.mapping.blockSignals(False)
        self._reading(False)

    def _read_mapping(self, index: int) -> None:
        """A saved column mapping was chosen: read it now, so 下一步 can use it."""
        self.saved_mapping = {}
        if index <= 0 or self.reading:
            return
        name = self.mapping.currentText()
        self._reading(True)
        ops.read(
            self.wiz.ctx,
            lambda session: load_mapping(session, TARGET, name),
            self._mapping_read,
            key="import-mapping",
            parent=self,
        )

    def _mapping_read(self, mapping: dict[str, str]) -> None:
        self.saved_mapping = mapping
        self._reading(False)

    def _reading(self, reading: bool) -> None:
        self.reading = reading
        emit(self.completeChanged)

    def browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择导入文件", "", FILE_FILTER)
        if path:
            self.path.setText(path)

    def save_template(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "保存空白模板", "农村房屋排查导入模板.xlsx", "Excel 工作簿 (*.xlsx)"
        )
        if path:
            ops.read(
                self.wiz.ctx,
                lambda session: [t.name for t in list_townships(session)],
                lambda townships: write_house_template(path, townships),
                parent=self,
            )

    def isComplete(self) -> bool:
        return bool(self.path.text().strip()) and not self.reading

    def validatePage(self) -> bool:
        self.wiz.path = Path(self.path.text().strip())
        self.wiz.mapping = dict(self.saved_mapping) if self.mapping.currentIndex() > 0 else {}
        return True


class MappingPage(QWizardPage):
    """Step 2: the header row found, which template column each file column fills, and the first rows."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.wiz = wizard
        self.preview: FilePreview | None = None
        self.setTitle("预览与列映射")
        self.info = QLabel("正在读取文件…", self)
        self.info.setWordWrap(True)
        self.columns = _table(["文件中的列", "对应模板列", "示例"], self)
        self.samples = _table([], self)
        self.save_name = QLineEdit(self)
        self.save_name.setPlaceholderText("映射名称，如：省平台导出")
        save = QPushButton("保存映射", self)
        save.clicked.connect(self.save_mapping)
        row = QHBoxLayout()
        row.addWidget(QLabel("保存为", self))
        row.addWidget(self.save_name, 1)
        row.addWidget(save)
        layout = QVBoxLayout(self)
        layout.addWidget(self.info)
        layout.addWidget(self.columns, 3)
        layout.addLayout(row)
        layout.addWidget(QLabel("前20行", self))
        layout.addWidget(self.samples, 2)

    def initializePage(self) -> None:
        self.preview = None
        self.info.setText("正在读取文件…")
        path, mapping = self.wiz.path, dict(self.wiz.mapping)
        self.wiz.ctx.jobs.run(
            lambda _ctx: preview_file(path, mapping),
            self.show_preview,
            on_err=self.show_error,
            key="import-preview",
            title="正在读取文件…",
            parent=self,
        )

    def show_error(self, exc: BaseException, _trace: str) -> None:
        self.info.setText(f"<span style='color:#b00'>无法读取：{getattr(exc, 'message', exc)}</span>")

    def show_preview(self, found: tuple[FilePreview, Any]) -> None:
        self.preview, self.wiz.sheet = found
        choices = [IGNORED, *template_headers()]
        self.columns.setRowCount(len(self.preview.columns))
        for r, column in enumerate(self.preview.columns):
            self.columns.setItem(r, 0, QTableWidgetItem(column.source))
            combo = QComboBox(self.columns)
            combo.addItems(choices)
            combo.setCurrentText(column.target or IGNORED)
            combo.currentTextChanged.connect(self.mapping_changed)
            self.columns.setCellWidget(r, 1, combo)
            self.columns.setItem(r, 2, QTableWidgetItem("、".join(s for s in column.samples if s)[:60]))
        self.columns.resizeColumnsToContents()
        self.columns.setColumnWidth(1, max(self.columns.columnWidth(1), 170))
        width = max((len(cells) for _, cells in self.preview.sample_rows), default=0)
        self.samples.setColumnCount(width + 1)
        headers = ["行号", *[c.source for c in self.preview.columns]][: width + 1]
        self.samples.setHorizontalHeaderLabels(headers + [""] * (width + 1 - len(headers)))
        _fill(self.samples, [[n, *cells] for n, cells in self.preview.sample_rows])
        self.mapping_changed()

    def chosen(self) -> dict[str, str]:
        """Source header → template header as currently chosen."""
        result: dict[str, str] = {}
        if self.preview is None:
            return result
        for r, column in enumerate(self.preview.columns):
            target = self.columns.cellWidget(r, 1).currentText()
            if target != IGNORED:
                result[column.source] = target
        return result

    def missing(self) -> list[str]:
        targets = set(self.chosen().values())
        return [h for h in required_headers() if h not in targets]

    def mapping_changed(self, *_args: Any) -> None:
        if self.preview is None:
            return
        missing = self.missing()
        text = f"{self.preview.file_name}：表头在第{self.preview.header_row}行，数据 {self.preview.data_rows} 行。"
        if missing:
            text += f"<br><span style='color:#b00'>缺少必填列：{'、'.join(missing)}（请在“对应模板列”中指定）</span>"
        self.info.setText(text)
        emit(self.completeChanged)

    def save_mapping(self) -> None:
        name, chosen = self.save_name.text().strip(), self.chosen()
        ops.write(
            self.wiz.ctx,
            lambda session: save_mapping(session, TARGET, name, chosen),
            lambda _result: self.info.setText(self.info.text() + f"<br>已保存映射“{name}”。"),
            parent=self,
        )

    def isComplete(self) -> bool:
        return self.preview is not None and not self.missing()

    def validatePage(self) -> bool:
        self.wiz.mapping = self.chosen()
        return True


class ValidatePage(QWizardPage):
    """Step 3: every row checked, nothing written yet; rejected rows listed and exportable."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.wiz = wizard
        self.result: ImportResult | None = None
        self.setTitle("校验结果")
        self.info = QLabel("正在校验…", self)
        self.info.setWordWrap(True)
        self.rejections = _table(["行号", "列", "原因"], self)
        self.skip = QCheckBox("跳过被拒绝的行，只导入有效行", self)
        self.skip.toggled.connect(self.completeChanged)
        self.export = QPushButton("导出被拒绝的行…", self)
        self.export.clicked.connect(self.export_report)
        row = QHBoxLayout()
        row.addWidget(self.skip, 1)
        row.addWidget(self.export)
        layout = QVBoxLayout(self)
        layout.addWidget(self.info)
        layout.addWidget(self.rejections, 1)
        layout.addLayout(row)

    def initializePage(self) -> None:
        self.result = None
        self.skip.setChecked(False)
        path, sheet, mapping, db = self.wiz.path, self.wiz.sheet, dict(self.wiz.mapping), self.wiz.ctx.db
        options = ImportOptions(dry_run=True, mapping=mapping)
        self.wiz.ctx.jobs.run(
            lambda _ctx: import_houses(db, path, options, sheet=sheet),
            self.show_result,
            on_err=lambda exc, _t: self.info.setText(f"无法校验：{getattr(exc, 'message', exc)}"),
            key="import-validate",
            title="正在校验…",
            parent=self,
        )

    def show_result(self, result: ImportResult) -> None:
        self.result = result
        rejected, valid = len(result.rejected_rows), len(result.valid_rows)
        self.info.setText(check_summary(result))
        _fill(self.rejections, [[r.row, r.column, r.reason] for r in result.rejections])
        self.rejections.resizeColumnsToContents()
        self.skip.setEnabled(bool(rejected and valid))
        self.export.setEnabled(bool(rejected))
        emit(self.completeChanged)

    def export_report(self) -> None:
        export_rejections(self, self.result)

    def isComplete(self) -> bool:
        r = self.result
        return r is not None and bool(r.valid_rows) and (not r.rejected_rows or self.skip.isChecked())

    def validatePage(self) -> bool:
        self.wiz.skip_invalid = self.skip.isChecked()
        return True


class ImportPage(QWizardPage):
    """Step 4: the write, in one transaction, with a progress bar and a cancel button (cancel writes nothing)."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.wiz = wizard
        self.done = False
        self.job = None
        self.setTitle("导入")
        self.info = QLabel("", self)
        self.bar = QProgressBar(self)
        self.cancel = QPushButton("取消导入", self)
        self.cancel.clicked.connect(self.cancel_import)
        layout = QVBoxLayout(self)
        layout.addWidget(self.info)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)

    def initializePage(self) -> None:
        self.done = False
        self.wiz.result = None
        self.info.setText("正在导入…（所有行在一个事务中写入，取消则不写入任何数据）")
        self.bar.setRange(0, 8)
        self.bar.setValue(0)
        self.cancel.setEnabled(True)
        path, sheet, db = self.wiz.path, self.wiz.sheet, self.wiz.ctx.db
        options = ImportOptions(skip_invalid=self.wiz.skip_invalid, mapping=dict(self.wiz.mapping))

        def work(job_ctx) -> ImportResult | None:
            try:
                return import_houses(db, path, options, job_ctx.progress, job_ctx.cancelled, sheet=sheet)
            except (ImportCancelled, JobCancelled):
                return None

        self.job = self.wiz.ctx.jobs.run(
            work,
            self.finished,
            on_err=self.failed,
            on_progress=self.progressed,
            key="import-write",
            write=True,
            parent=self,
        )

    def progressed(self, done: int, total: int, text: str) -> None:
        self.bar.setRange(0, total)
        self.bar.setValue(done)
        self.info.setText(f"正在导入：{text}")

    def cancel_import(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.cancel.setEnabled(False)

    def finished(self, result: ImportResult | None) -> None:
        self.done = True
        self.cancel.setEnabled(False)
        self.wiz.result = result
        if result is None:
            self.info.setText("已取消导入，未写入任何数据。")
        else:
            self.bar.setValue(self.bar.maximum())
            self.info.setText("导入完成。")
            self.wiz.ctx.changed("house")
        emit(self.completeChanged)

    def failed(self, exc: BaseException, _trace: str) -> None:
        self.done = True
        self.cancel.setEnabled(False)
        self.info.setText(f"<span style='color:#b00'>导入失败，未写入任何数据：{getattr(exc, 'message', exc)}</span>")
        emit(self.completeChanged)

    def isComplete(self) -> bool:
        return self.done


class SummaryPage(QWizardPage):
    """Step 5: what was written, with the new houses listed (double-click opens one)."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.wiz = wizard
        self.setTitle("导入结果")
        self.info = QLabel("", self)
        self.info.setWordWrap(True)
        self.links = QListWidget(self)
        self.links.itemActivated.connect(self.open_house)
        layout = QVBoxLayout(self)
        layout.addWidget(self.info)
        layout.addWidget(QLabel("新增的房屋（双击打开）", self))
        layout.addWidget(self.links, 1)

    def initializePage(self) -> None:
        result = self.wiz.result
        self.links.clear()
        if result is None:
            self.info.setText("未写入任何数据。")
            return
        self.info.setText("<br>".join(result.summary_lines()))
        counts = result.counts
        for house_id, label in list(zip(counts.new_house_ids, counts.new_house_labels, strict=False))[:MAX_LINKS]:
            item = QListWidgetItem(f"#{house_id}  {label}", self.links)
            item.setData(Qt.ItemDataRole.UserRole, house_id)

    def open_house(self, item: QListWidgetItem) -> None:
        self.wiz.ctx.open_record("house", int(item.data(Qt.ItemDataRole.UserRole)))


class ImportWizard(QWizard):
    """导入农村房屋排查表."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.path = Path()
        self.mapping: dict[str, str] = {}
        self.sheet = None
        self.skip_invalid = False
        self.result: ImportResult | None = None
        self.setWindowTitle("导入农村房屋排查表")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setButtonText(QWizard.WizardButton.NextButton, "下一步")
        self.setButtonText(QWizard.WizardButton.BackButton, "上一步")
        self.setButtonText(QWizard.WizardButton.FinishButton, "完成")
        self.setButtonText(QWizard.WizardButton.CancelButton, "取消")
        self.pages = [FilePage(self), MappingPage(self), ValidatePage(self), ImportPage(self), SummaryPage(self)]
        for page in self.pages:
            self.addPage(page)
        self.pages[2].setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "开始导入")
        self.resize(900, 640)
