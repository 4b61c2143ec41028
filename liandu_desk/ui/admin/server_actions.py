"""文件 → 连接服务器… / 改用本机数据库…: remember the choice for this user and offer to restart on it."""

from __future__ import annotations

import sys

from PySide6.QtCore import QProcess
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from liandu_desk.ui.admin.server_dialog import ServerDialog
from liandu_desk.ui.kit.prefs import Prefs


def restart_program() -> bool:
    """Start a new instance of this program (same command, without a --db that would override the choice); quit."""
    args = sys.argv[1:] if getattr(sys, "frozen", False) else sys.argv
    kept, skip = [], False
    for arg in args:
        if skip:
            skip = False
        elif arg == "--db":
            skip = True
        elif not arg.startswith("--db="):
            kept.append(arg)
    result = QProcess.startDetached(sys.executable, kept)
    started = result[0] if isinstance(result, tuple) else result
    if started:
        QApplication.closeAllWindows()
    return bool(started)


def _offer_restart(parent: QWidget, text: str) -> None:
    answer = QMessageBox.question(
        parent,
        "重新启动",
        text + "\n\n现在重新启动程序吗？",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
    )
    if answer == QMessageBox.StandardButton.Yes and not restart_program():
        QMessageBox.information(parent, "重新启动", "请关闭程序后重新打开。")


def open_server_dialog(parent: QWidget, prefs: Prefs, jobs=None) -> None:
    """The connection settings; once a connection succeeded, the program opens the server from the next start."""
    dialog = ServerDialog(parent, prefs, jobs)
    if dialog.exec() and dialog.url:
        host = dialog.settings().host
        saved = f"已连接到服务器 {host}，设置已保存（不含密码）：下次启动时打开服务器数据库，需再次输入密码。"
        _offer_restart(parent, saved)


def use_local_database(parent: QWidget, prefs: Prefs) -> None:
    """Back to the database on this computer from the next start."""
    if prefs.get("server/use") != "yes":
        QMessageBox.information(parent, "本机数据库", "当前设置已是启动时打开本机数据库。")
        return
    prefs.set("server/use", "")
    prefs.sync()
    _offer_restart(parent, "已改为启动时打开本机数据库（服务器设置仍保留，可随时再连接）。")
