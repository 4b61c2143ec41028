"""导入鉴定结果 / 物业企业 / 物业小区: choose a file, check every row, then import (all, or the valid rows)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from liandu_desk.io.house_validation import Rejection
from liandu_desk.services.divisions import list_townships
from liandu_desk.services.import_mappings import list_mappings, load_mapping
from liandu_desk.services.imports.appraisals import import_appraisals
from liandu_desk.services.imports.communities import import_records
from liandu_desk.services.imports.houses import ImportOptions, ImportResult
from liandu_desk.services.imports.templates import write_template
from liandu_desk.storage import Database
from liandu_desk.ui.kit import ops
from liandu_desk.ui.kit.context import AppContext
from liandu_desk.ui.kit.import_parts import FILE_FILTER, NO_MAPPING, check_summary, export_rejections
from liandu_desk.ui.kit.row_table import Column, RowTableModel
from liandu_desk.ui.kit.tables import read_only_table

log = logging.getLogger(__name__)
Importer = Callable[[Database, Path, ImportOptions], ImportResult]
REJECTION_COLUMNS: tuple[Column[Rejection], ...] = (
    Column("行号", lambda r: r.row, align=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
    Column("列", lambda r: r.column),
    Column("原因", lambda r: r.reason, tooltip=lambda r: r.reason),
)


@dataclass(frozen=True)
class RecordKind:
    """One importable layout besides the screening table."""

    key: str
    title: str
    template_name: str
    hint: str
    run: Importer


KINDS = {
    "appraisals": RecordKind(
        "appraisals",
        "导入鉴定结果",
        "鉴定结果导入模板.xlsx",
        "每行一次鉴定；房屋按乡镇（街道）、村（社区）、详细地址匹配，须已在库。同一房屋同一日期再次导入时更新原记录。",
        import_appraisals,
    ),
    "companies": RecordKind(
        "companies",
        "导入物业服务企业名录",
        "物业服务企业导入模板.xlsx",
        "按统一社会信用代码识别企业：已在库的更新，其余新增。",
        lambda db, path, options: import_records(db, "companies", path, options),
    ),
    "communities": RecordKind(
        "communities",
        "导入物业小区名录",
        "物业小区导入模板.xlsx",
        "所填物业企业须已在库（可先导入企业名录）；所属社区不存在时自动建立。",
        lambda db, path, options: import_records(db, "communities", path, options),
    ),
}


class RecordImportDialog(QDialog):
    """Check first (nothing written), then import in one transaction; rejected rows can be exported to fix."""

    def __init__(
        self, ctx: AppContext, kind: str, parent: QWidget | None = None, on_written: Callable[[], None] | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx, self.kind, self.on_written = ctx, KINDS[kind], on_written
        self.result: ImportResult | None = None
        self.setWindowTitle(self.kind.title)
        self.path = QLineEdit(self)
        self.path.setPlaceholderText("选择 .xlsx、.xls 或 .csv 文件")
        self.path.textChanged.connect(self._forget_result)
        self.mapping = QComboBox(self)
        self.mapping.currentIndexChanged.connect(self._forget_result)
        self.info = QLabel(self.kind.hint, self)
        self.info.setWordWrap(True)
        self.rejection_model: RowTableModel[Rejection] = RowTableModel(REJECTION_COLUMNS, self)
        self.rejections = read_only_table(self.rejection_model, "rejections")
        self.skip = QCheckBox("跳过被拒绝的行，只导入有效行", self)
        self.skip.toggled.connect(self._update_buttons)
        self.check_button = QPushButton("校验(&C)", self)
        self.check_button.clicked.connect(self.check)
        self.export = QPushButton("导出被拒绝的行…", self)
        self.export.clicked.connect(self.export_report)
        self.import_button = QPushButton("导入(&I)", self)
        self.import_button.clicked.connect(self.start_import)
        self._lay_out()
        self._load_mappings()
        self._update_buttons()
        self.resize(820, 560)

    def _lay_out(self) -> None:
        browse = QPushButton("浏览…", self)
        browse.clicked.connect(self.browse)
        template = QPushButton("下载空白模板…", self)
        template.clicked.connect(self.save_template)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path, 1)
        file_row.addWidget(browse)
        file_row.addWidget(template)
        form = QFormLayout()
        form.addRow("文件", file_row)
        form.addRow("列映射", self.mapping)
        actions = QHBoxLayout()
        actions.addWidget(self.skip, 1)
        actions.addWidget(self.export)
        actions.addWidget(self.check_button)
        actions.addWidget(self.import_button)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.info)
        layout.addWidget(self.rejections, 1)
        layout.addLayout(actions)
        layout.addWidget(close)

    def _load_mappings(self) -> None:
        key = self.kind.key
        self.mapping.clear()
        self.mapping.addItem("正在读取……")
        ops.read(self.ctx, lambda session: list_mappings(session, key), self._show_mappings, parent=self)

    def _show_mappings(self, names: list[str]) -> None:
        self.mapping.clear()
        self.mapping.addItems([NO_MAPPING, *names])

    def _options(self, **flags: bool) -> Callable[[], ImportOptions]:
        """The import options, built inside the job (a saved column mapping is read there)."""
        name = self.mapping.currentText() if self.mapping.currentIndex() > 0 else ""
        ctx, key = self.ctx, self.kind.key

        def build() -> ImportOptions:
            mapping = ops.in_session(ctx, lambda session: load_mapping(session, key, name))() if name else None
            return ImportOptions(mapping=mapping, **flags)

        return build

    def _file(self) -> Path:
        return Path(self.path.text().strip())

    def _forget_result(self, *_args: object) -> None:
        self.result = None
        self.skip.setChecked(False)
        self.rejection_model.set_rows([])
        self._update_buttons()

    def _update_buttons(self, *_args: object) -> None:
        r = self.result
        self.check_button.setEnabled(bool(self.path.text().strip()))
        self.skip.setEnabled(bool(r and r.rejected_rows and r.valid_rows))
        self.export.setEnabled(bool(r and r.rejected_rows))
        ready = r is not None and not r.written and bool(r.valid_rows)
        self.import_button.setEnabled(ready and (not r.rejected_rows or self.skip.isChecked()))

    def browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择导入文件", "", FILE_FILTER)
        if path:
            self.path.setText(path)

    def save_template(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "保存空白模板", self.kind.template_name, "Excel 工作簿 (*.xlsx)")
        if path:
            key = self.kind.key
            ops.read(
                self.ctx,
                lambda session: [t.name for t in list_townships(session)],
                lambda townships: write_template(key, path, townships),
                parent=self,
            )

    def check(self) -> None:
        """Every row checked, nothing written."""
        db, path, options, run = self.ctx.db, self._file(), self._options(dry_run=True), self.kind.run
        self.info.setText("正在校验…")
        self.ctx.jobs.run(
            lambda _ctx: run(db, path, options()),
            self.show_check,
            on_err=self.show_error,
            key=f"record-import-check-{self.kind.key}",
            title="正在校验…",
            parent=self,
        )

    def show_check(self, result: ImportResult) -> None:
        self.result = result
        self.info.setText(check_summary(result))
        self.rejection_model.set_rows(result.rejections)
        self.rejections.resizeColumnToContents(0)
        self.rejections.resizeColumnToContents(1)
        self._update_buttons()

    def show_error(self, exc: BaseException, _trace: str) -> None:
        self.result = None
        self.info.setText(f"<span style='color:#b00'>{getattr(exc, 'message', exc)}</span>")
        self._update_buttons()

    def export_report(self) -> None:
        export_rejections(self, self.result)

    def start_import(self) -> None:
        """Confirm, then write in one transaction (a verified backup is taken first)."""
        r = self.result
        if r is None:
            return
        count = len(r.valid_rows)
        question = f"将从“{self._file().name}”写入 {count} 行" + ("（跳过被拒绝的行）" if r.rejected_rows else "")
        answer = QMessageBox.question(self, self.kind.title, question + "。确定导入？")
        if answer != QMessageBox.StandardButton.Yes:
            return
        db, path, run = self.ctx.db, self._file(), self.kind.run
        options = self._options(skip_invalid=bool(r.rejected_rows))
        self.import_button.setEnabled(False)
        self.ctx.jobs.run(
            lambda _ctx: run(db, path, options()),
            self.show_written,
            on_err=self.show_error,
            key=f"record-import-write-{self.kind.key}",
            title="正在导入…",
            write=True,
            parent=self,
        )

    def show_written(self, result: ImportResult) -> None:
        self.result = result
        self.info.setText("<br>".join(result.summary_lines()))
        self._update_buttons()
        if result.written and self.on_written is not None:
            self.on_written()
        log.info("%s: %s", self.kind.title, "; ".join(result.summary_lines()))
