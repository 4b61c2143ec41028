"""Menu actions for backups, restore and the integrity check; the work runs in the background."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from liandu_desk.services.backups import OlderBackupError, auto_backup, backup_now, restore_backup
from liandu_desk.services.integrity import ChainReport, database_integrity, verify_audit_chain
from liandu_desk.services.settings import get_setting
from liandu_desk.ui.kit import ops
from liandu_desk.ui.kit.context import AppContext
from liandu_desk.ui.kit.errors import show_error
from liandu_desk.ui.kit.jobs import JobContext

log = logging.getLogger(__name__)


def schedule_auto_backup(ctx: AppContext) -> None:
    """At start: a verified daily backup when the data changed since the last one (SQLite only)."""
    if ctx.db.sqlite_path is None:
        return

    def work(_job: JobContext) -> Path | None:  # the setting is read in a session of its own, closed before the copy
        keep = int(ops.in_session(ctx, lambda session: get_setting(session, "backup.keep"))())
        return auto_backup(ctx.db, keep=keep)

    ctx.jobs.run(work, lambda path: path and log.info("automatic backup %s", path), key="auto-backup", write=True)


def backup_to_folder(ctx: AppContext, parent: QWidget) -> None:
    """Ask for a folder (e.g. a USB stick) and write a verified online backup there."""
    folder = QFileDialog.getExistingDirectory(parent, "选择备份保存的文件夹（可选U盘）")
    if not folder:
        return
    ctx.jobs.run(
        lambda _job: backup_now(ctx.db, Path(folder)),
        lambda path: QMessageBox.information(parent, "备份完成", f"数据库已备份并校验通过：\n{path}"),
        title="正在备份数据库……",
        write=True,
        parent=parent,
    )


def restore_from_file(ctx: AppContext, parent: QWidget, on_done: Callable[[], None]) -> None:
    """Pick a backup, confirm, verify it, back up the current data, restore, refresh."""
    name, _ = QFileDialog.getOpenFileName(
        parent, "选择要恢复的备份文件", "", "数据库备份 (*.sqlite3 *.db);;所有文件 (*)"
    )
    if not name:
        return
    answer = QMessageBox.warning(
        parent,
        "从备份恢复",
        f"将用备份文件替换当前数据库的全部数据：\n{name}\n\n恢复前会先校验备份，并自动备份当前数据。是否继续？",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    if answer != QMessageBox.StandardButton.Yes:
        return

    _restore(ctx, parent, Path(name), on_done, accept_loss=False)


def _restore(ctx: AppContext, parent: QWidget, path: Path, on_done: Callable[[], None], accept_loss: bool) -> None:
    def done(safety: Path) -> None:
        QMessageBox.information(parent, "恢复完成", f"数据已从备份恢复。\n恢复前的数据已另存为：\n{safety}")
        on_done()

    def failed(exc: BaseException, trace: str) -> None:
        if not isinstance(exc, OlderBackupError):
            show_error(exc, trace, parent)
            return
        answer = QMessageBox.warning(
            parent,
            "备份早于当前数据",
            f"{exc.message}\n\n确认丢失这些记录并恢复吗？",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            _restore(ctx, parent, path, on_done, accept_loss=True)

    ctx.jobs.run(
        lambda _job: restore_backup(ctx.db, path, accept_loss=accept_loss),
        done,
        on_err=failed,
        title="正在恢复……",
        write=True,
        parent=parent,
    )


def check_integrity(ctx: AppContext, parent: QWidget) -> None:
    """Run the file check and the audit-chain walk and report in plain Chinese."""

    def work(session) -> tuple[list[str], ChainReport]:
        return [x for x in database_integrity(session) if x != "ok"], verify_audit_chain(session)

    def show(result: tuple[list[str], ChainReport]) -> None:
        problems, chain = result
        lines = ["数据库文件：" + ("完好" if not problems else "发现问题：" + "；".join(problems[:5]))]
        lines.append(f"操作记录哈希链：{chain.checked} 条，" + ("完好" if chain.ok else chain.reason))
        if problems or not chain.ok:
            QMessageBox.critical(parent, "完整性检查", "\n".join(lines) + "\n\n请立即联系系统维护人员，并停止录入。")
        else:
            QMessageBox.information(parent, "完整性检查", "\n".join(lines))

    ops.read(ctx, work, show, title="正在检查数据库……", parent=parent)
