"""The background job helper: results on the GUI thread, progress, cancel, errors, stale results dropped."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from liandu_desk.domain.errors import RuleError
from liandu_desk.ui.kit.jobs import JobContext, JobRunner


@pytest.fixture
def runner(qapp: QApplication):
    jobs = JobRunner()
    yield jobs
    jobs.shutdown()


def test_result_arrives_on_gui_thread(qtbot: QtBot, runner: JobRunner) -> None:
    seen: dict[str, object] = {}

    def work(_ctx: JobContext) -> str:
        seen["worker"] = threading.current_thread()
        return "完成"

    runner.run(work, lambda result: seen.update(result=result, thread=threading.current_thread()))
    qtbot.waitUntil(lambda: "result" in seen)
    assert seen["result"] == "完成"
    assert seen["thread"] is threading.main_thread() and seen["worker"] is not threading.main_thread()


def test_progress_and_cancel(qtbot: QtBot, runner: JobRunner) -> None:
    progress: list[int] = []
    started = threading.Event()
    done: list[object] = []

    def work(ctx: JobContext) -> None:
        for i in range(1000):
            ctx.progress(i, 1000)
            started.set()
            threading.Event().wait(0.005)

    job = runner.run(work, done.append, on_progress=lambda d, _t, _x: progress.append(d))
    assert started.wait(5)
    qtbot.waitUntil(lambda: len(progress) > 0)
    job.cancel()
    qtbot.waitUntil(lambda: runner.active_count == 0)
    assert done == [] and max(progress) < 999


def test_error_goes_to_handler(qtbot: QtBot, runner: JobRunner) -> None:
    errors: list[BaseException] = []

    def work(_ctx: JobContext) -> None:
        raise RuleError("不能销号：缺少复核鉴定或拆除记录")

    runner.run(work, lambda _r: None, on_err=lambda exc, _trace: errors.append(exc))
    qtbot.waitUntil(lambda: bool(errors))
    assert errors[0].message.startswith("不能销号")


def test_stale_result_is_dropped(qtbot: QtBot, runner: JobRunner) -> None:
    release = threading.Event()
    results: list[str] = []

    def slow(_ctx: JobContext) -> str:
        release.wait(5)
        return "旧"

    runner.run(slow, results.append, key="search")
    runner.run(lambda _ctx: "新", results.append, key="search")
    qtbot.waitUntil(lambda: results == ["新"])
    release.set()
    qtbot.waitUntil(lambda: runner.active_count == 0)
    assert results == ["新"]


def test_widgets_disabled_while_running(qtbot: QtBot, runner: JobRunner) -> None:
    from PySide6.QtWidgets import QPushButton

    button = QPushButton("保存")
    qtbot.addWidget(button)
    release = threading.Event()
    runner.run(lambda _ctx: release.wait(5), lambda _r: None, widgets=[button])
    assert not button.isEnabled()
    release.set()
    qtbot.waitUntil(button.isEnabled)


def test_synchronous_runner_runs_inline(qapp: QApplication) -> None:
    runner = JobRunner(synchronous=True)
    out: list[int] = []
    runner.run(lambda _ctx: 42, out.append)
    assert out == [42] and runner.active_count == 0


def test_no_job_runs_after_shutdown(qapp: QApplication) -> None:
    runner = JobRunner(synchronous=True)
    runner.shutdown()
    ran: list[int] = []
    job = runner.run(lambda _ctx: ran.append(1), lambda _r: None)
    assert ran == [] and job.cancel_event.is_set() and runner.active_count == 0
