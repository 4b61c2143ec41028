"""Export the 危房 list as it is filtered and sorted on screen to .xlsx, in the background with progress."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from liandu_desk.services.houses.listing import HouseFilter
from liandu_desk.services.imports.export import export_houses
from liandu_desk.ui.kit import ops
from liandu_desk.ui.kit.context import AppContext
from liandu_desk.ui.kit.jobs import JobContext


def export_house_list(
    ctx: AppContext, parent: QWidget, house_filter: HouseFilter, sort: str, descending: bool = False
) -> None:
    """Ask where to save, then write the list as the screen shows it (filter, sort key and direction; ID numbers and
    phones masked) with a cancellable progress dialog."""
    default = str(Path.home() / f"危房清单-{dt.date.today():%Y%m%d}.xlsx")
    name, _ = QFileDialog.getSaveFileName(parent, "导出危房清单", default, "Excel 工作簿 (*.xlsx)")
    if not name:
        return
    target = Path(name if name.lower().endswith(".xlsx") else name + ".xlsx")

    def work(session, job: JobContext) -> int:
        return export_houses(session, target, house_filter, sort=sort, descending=descending, progress=job.progress)

    def done(count: int) -> None:
        QMessageBox.information(parent, "导出完成", f"已导出 {count:,} 户到：\n{target}")

    ops.task(ctx, work, done, title="正在导出危房清单……", cancellable=True, parent=parent)
