"""Pieces every import dialog shares: the file filter, the mapping choice, the check summary, rejected rows out."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QWidget

from liandu_desk.io.report import write_rejection_report
from liandu_desk.services.imports.houses import ImportResult

NO_MAPPING = "默认模板（不使用映射）"
FILE_FILTER = "表格文件 (*.xlsx *.xls *.csv)"


def check_summary(result: ImportResult) -> str:
    """What a check (dry run) found, as the import dialogs show it: counts, ignored columns, what to do next."""
    rejected, valid = len(result.rejected_rows), len(result.valid_rows)
    text = f"数据 {result.total_rows} 行：有效 {valid} 行，拒绝 {rejected} 行。尚未写入。"
    if result.unknown_columns:
        text += f"<br>未识别的列（将忽略）：{'、'.join(result.unknown_columns)}"
    if rejected:
        text += "<br>默认全部通过才导入；可导出被拒绝的行修正后重新导入，或勾选“只导入有效行”。"
    return text


def export_rejections(parent: QWidget, result: ImportResult | None) -> None:
    """Ask where, then write the rejected rows with their 错误原因 to fix and import again."""
    if result is None:
        return
    path, _ = QFileDialog.getSaveFileName(parent, "导出被拒绝的行", "被拒绝的行.xlsx", "Excel 工作簿 (*.xlsx)")
    if path:
        r = result
        write_rejection_report(path, r.header_cells, r.raw_rows, r.rejections, r.text_columns)
