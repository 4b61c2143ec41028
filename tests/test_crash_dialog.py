"""An uncaught exception is logged and shown as a dialog naming the log file, never a bare traceback."""

from __future__ import annotations

import logging
import sys
import threading

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from liandu_desk.logs import log_file_path
from liandu_desk.ui.kit import errors


@pytest.fixture
def hooks():
    saved = sys.excepthook, threading.excepthook
    errors.install_excepthook()
    yield
    sys.excepthook, threading.excepthook = saved


def test_uncaught_exception_logged_and_reported(
    qtbot: QtBot, hooks: None, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    shown: list[BaseException] = []
    monkeypatch.setattr(errors, "show_error", lambda exc, trace="", parent=None: shown.append(exc))
    try:
        raise ValueError("坏数据")
    except ValueError:
        with caplog.at_level(logging.CRITICAL):
            sys.excepthook(*sys.exc_info())
    qtbot.waitUntil(lambda: bool(shown))
    assert str(shown[0]) == "坏数据"
    assert "uncaught exception" in caplog.text and "坏数据" in caplog.text


def test_worker_thread_exception_reaches_gui_thread(qtbot: QtBot, hooks: None, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[tuple[BaseException, str]] = []
    monkeypatch.setattr(errors, "show_error", lambda exc, trace="", parent=None: shown.append((exc, trace)))

    def boom() -> None:
        raise RuntimeError("线程里出错")

    thread = threading.Thread(target=boom)
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: bool(shown))
    assert "线程里出错" in shown[0][1]


def test_generic_error_dialog_names_the_log(qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> None:
    boxes: list[QMessageBox] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda self: boxes.append(self) or 0)
    errors.show_error(RuntimeError("x"), "Traceback ...")
    assert str(log_file_path()) in boxes[0].informativeText()
    assert "Traceback" in boxes[0].detailedText() and "Traceback" not in boxes[0].text()
