"""Menu actions that run services in the background (demo data, …)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget

from liandu_desk.demo import generate_demo
from liandu_desk.ui.kit.context import AppContext
from liandu_desk.ui.kit.jobs import JobContext


def load_demo_data(ctx: AppContext, parent: QWidget, on_done: Callable[[], None]) -> None:
    """Ask, then fill the database with the demo data set in the background, with progress and cancel."""
    answer = QMessageBox.question(
        parent,
        "载入演示数据",
        f"将向当前数据库写入演示数据（虚构的户主、房屋、项目和小区）：\n{ctx.db.display_name()}\n\n"
        "演示数据仅供熟悉软件使用，请勿在正式数据库中载入。是否继续？",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    if answer != QMessageBox.StandardButton.Yes:
        return

    def work(job: JobContext) -> None:
        generate_demo(ctx.db, progress=lambda text, fraction: job.progress(int(fraction * 100), 100, text))

    def done(_result: object) -> None:
        QMessageBox.information(parent, "载入演示数据", "演示数据已载入。")
        on_done()

    ctx.jobs.run(work, done, title="正在生成演示数据……", cancellable=True, write=True, parent=parent)
