"""Error dialogs and the uncaught-exception hook: the clerk sees a message and the log's path, never a traceback."""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from types import TracebackType

from PySide6.QtCore import QMetaObject, QObject, Qt, Slot
from PySide6.QtWidgets import QApplication, QMessageBox

from liandu_desk.domain.errors import LianduError
from liandu_desk.logs import log_file_path

log = logging.getLogger(__name__)


_unattended: list[str] | None = None  # set while no one can click a dialog (gui --screenshot)


def run_unattended() -> list[str]:
    """From now on errors are logged and collected instead of shown in a modal dialog no one could close (a
    screenshot run has no clerk); returns the list they are collected in."""
    global _unattended
    _unattended = []
    return _unattended


def unattended_errors() -> list[str]:
    """The errors collected since run_unattended() (none when attended)."""
    return list(_unattended or [])


def show_error(exc: BaseException, trace: str = "", parent=None) -> None:
    """A known error shows its Chinese message; anything else a generic message with the log path."""
    if _unattended is not None:
        message = exc.message if isinstance(exc, LianduError) else f"{type(exc).__name__}: {exc}"
        log.error("error while unattended: %s%s", message, f"\n{trace}" if trace else "")
        _unattended.append(message)
        return
    if isinstance(exc, LianduError):
        QMessageBox.warning(parent or QApplication.activeWindow(), "无法完成操作", exc.message)
        return
    box = QMessageBox(parent or QApplication.activeWindow())
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle("程序错误")
    box.setText("操作未能完成，程序遇到了意外错误。数据未作更改。")
    box.setInformativeText(f"错误详情已记录在日志文件中：\n{log_file_path()}\n请将该文件发给系统维护人员。")
    if trace:
        box.setDetailedText(trace)
    box.exec()


class _MainThreadReporter(QObject):
    """Shows a crash dialog on the GUI thread even when the exception happened on another thread."""

    def __init__(self) -> None:
        super().__init__()
        self.pending: list[tuple[BaseException, str]] = []

    @Slot()
    def show_pending(self) -> None:
        while self.pending:
            show_error(*self.pending.pop(0))


_reporter: _MainThreadReporter | None = None


def _report(exc: BaseException, trace: str) -> None:
    log.critical("uncaught exception: %s\n%s", exc, trace)
    if _reporter is None or QApplication.instance() is None:
        return
    _reporter.pending.append((exc, trace))
    QMetaObject.invokeMethod(_reporter, "show_pending", Qt.ConnectionType.QueuedConnection)


def _excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, exc, tb)
        return
    _report(exc, "".join(traceback.format_exception(kind, exc, tb)))


def _thread_excepthook(args: threading.ExceptHookArgs) -> None:
    if args.exc_value is not None:
        _excepthook(args.exc_type, args.exc_value, args.exc_traceback)


def install_excepthook() -> None:
    """Route uncaught exceptions (GUI thread and workers) to the log and a dialog."""
    global _reporter
    if _reporter is None:
        _reporter = _MainThreadReporter()
    sys.excepthook = _excepthook
    threading.excepthook = _thread_excepthook
