"""One helper for all slow work: run a function off the GUI thread with progress, cancel and error dialogs."""

from __future__ import annotations

import itertools
import logging
import threading
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from liandu_desk.domain.errors import LianduError
from liandu_desk.ui.kit.errors import show_error
from liandu_desk.ui.kit.signals import emit

log = logging.getLogger(__name__)


class JobCancelled(Exception):
    """Raised inside a job when the clerk pressed 取消."""


_inside = threading.local()


def inside_job() -> bool:
    """True while a job function runs on this thread (the only place the GUI opens a database session)."""
    return getattr(_inside, "depth", 0) > 0


def _call(fn: Callable[[JobContext], Any], ctx: JobContext) -> Any:
    _inside.depth = getattr(_inside, "depth", 0) + 1
    try:
        return fn(ctx)
    finally:
        _inside.depth -= 1


class JobContext:
    """Handed to the job function: report progress, check for cancellation."""

    def __init__(self, job_id: int, signals: _Signals | None, cancel: threading.Event) -> None:
        self._job_id = job_id
        self._signals = signals
        self._cancel = cancel

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check_cancelled(self) -> None:
        """Stop the job here if the clerk cancelled it."""
        if self._cancel.is_set():
            raise JobCancelled()

    def progress(self, done: int, total: int, text: str = "") -> None:
        """Report done/total (and a line of text); raises JobCancelled if cancelled."""
        self.check_cancelled()
        if self._signals is not None:
            emit(self._signals.progressed, self._job_id, int(done), int(total), text)


class _Signals(QObject):
    finished = Signal(int, object)
    failed = Signal(int, object)
    cancelled = Signal(int)
    progressed = Signal(int, int, int, str)


@dataclass
class Job:
    """A submitted job; `cancel()` asks it to stop at its next progress report."""

    id: int
    key: str | None
    generation: int
    on_ok: Callable[[Any], None]
    on_err: Callable[[BaseException, str], None] | None
    on_progress: Callable[[int, int, str], None] | None
    widgets: list[QWidget] = field(default_factory=list)
    dialog: QProgressDialog | None = None
    cancel_event: threading.Event = field(default_factory=threading.Event)

    def cancel(self) -> None:
        self.cancel_event.set()


def _cancelled() -> threading.Event:
    event = threading.Event()
    event.set()
    return event


class _Task(QRunnable):
    def __init__(self, job: Job, fn: Callable[[JobContext], Any], signals: _Signals) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._job, self._fn, self._signals = job, fn, signals

    def run(self) -> None:
        ctx = JobContext(self._job.id, self._signals, self._job.cancel_event)
        try:
            result = _call(self._fn, ctx)
        except JobCancelled:
            emit(self._signals.cancelled, self._job.id)
        except BaseException as exc:
            emit(self._signals.failed, self._job.id, (exc, traceback.format_exc()))
        else:
            emit(self._signals.finished, self._job.id, result)


class JobRunner(QObject):
    """Runs jobs on a worker pool (reads) or a single writer thread; delivers results on the GUI thread.

    With synchronous=True (unit tests) jobs run inline and callbacks are called at once.
    """

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None, synchronous: bool = False) -> None:
        super().__init__(parent)
        self.synchronous = synchronous
        self._ids = itertools.count(1)
        self._jobs: dict[int, Job] = {}
        self._generations: dict[str, int] = {}
        self._signals = _Signals(self)
        self._signals.finished.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)
        self._signals.failed.connect(self._on_failed, Qt.ConnectionType.QueuedConnection)
        self._signals.cancelled.connect(self._on_cancelled, Qt.ConnectionType.QueuedConnection)
        self._signals.progressed.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)
        self._readers = QThreadPool(self)
        self._readers.setMaxThreadCount(2)
        self._writer = QThreadPool(self)
        self._writer.setMaxThreadCount(1)
        self._closed = False

    @property
    def active_count(self) -> int:
        return len(self._jobs)

    def run(
        self,
        fn: Callable[[JobContext], Any],
        on_ok: Callable[[Any], None],
        *,
        on_err: Callable[[BaseException, str], None] | None = None,
        on_progress: Callable[[int, int, str], None] | None = None,
        key: str | None = None,
        title: str | None = None,
        cancellable: bool = False,
        write: bool = False,
        widgets: Iterable[QWidget] = (),
        parent: QWidget | None = None,
    ) -> Job:
        """Submit fn(ctx). A newer job with the same key makes an older one's result stale (dropped).

        After shutdown() nothing runs any more (a late timer of a closing window must not touch the database).
        """
        if self._closed:
            log.debug("job %s refused: the runner is shut down", key)
            return Job(0, key, 0, on_ok, on_err, on_progress, cancel_event=_cancelled())
        generation = self._generations.get(key, 0) + 1 if key else 0
        if key:
            self._generations[key] = generation
        job = Job(next(self._ids), key, generation, on_ok, on_err, on_progress, list(widgets))
        for widget in job.widgets:
            widget.setEnabled(False)
        if title:
            job.dialog = self._progress_dialog(job, title, cancellable, parent)
        self._jobs[job.id] = job
        if len(self._jobs) == 1:
            emit(self.busy_changed, True)
        if self.synchronous:
            self._run_inline(job, fn)
        else:
            (self._writer if write else self._readers).start(_Task(job, fn, self._signals))
        return job

    def _run_inline(self, job: Job, fn: Callable[[JobContext], Any]) -> None:
        ctx = JobContext(job.id, None, job.cancel_event)
        try:
            result = _call(fn, ctx)
        except JobCancelled:
            self._on_cancelled(job.id)
        except BaseException as exc:
            self._on_failed(job.id, (exc, traceback.format_exc()))
        else:
            self._on_finished(job.id, result)

    def _progress_dialog(self, job: Job, title: str, cancellable: bool, parent: QWidget | None) -> QProgressDialog:
        dialog = QProgressDialog(title, "取消" if cancellable else "", 0, 0, parent or QApplication.activeWindow())
        dialog.setWindowTitle(title)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(400)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        if not cancellable:
            dialog.setCancelButton(None)
        dialog.canceled.connect(job.cancel)
        return dialog

    def _finish(self, job_id: int) -> Job | None:
        job = self._jobs.pop(job_id, None)
        if job is None:
            return None
        for widget in job.widgets:
            widget.setEnabled(True)
        if job.dialog is not None:
            job.dialog.canceled.disconnect(job.cancel)
            job.dialog.close()
            job.dialog.deleteLater()
        if not self._jobs:
            emit(self.busy_changed, False)
        return job

    def _is_stale(self, job: Job) -> bool:
        return bool(job.key) and self._generations.get(job.key) != job.generation

    @Slot(int, object)
    def _on_finished(self, job_id: int, result: Any) -> None:
        job = self._finish(job_id)
        if job is None or self._is_stale(job):
            return
        try:
            job.on_ok(result)
        except Exception as exc:
            self._report(job, exc, traceback.format_exc())

    @Slot(int, object)
    def _on_failed(self, job_id: int, payload: tuple[BaseException, str]) -> None:
        job = self._finish(job_id)
        if job is None or self._is_stale(job):
            return
        self._report(job, *payload)

    def _report(self, job: Job, exc: BaseException, trace: str) -> None:
        if isinstance(exc, LianduError):  # a refusal the clerk is told about: no fault, no traceback
            log.info("background job %s refused: %s", job.key or job.id, exc.message)
        else:
            log.error("background job %s failed: %s\n%s", job.key or job.id, exc, trace)
        if job.on_err is not None:
            job.on_err(exc, trace)
        else:
            show_error(exc, trace)

    @Slot(int)
    def _on_cancelled(self, job_id: int) -> None:
        job = self._finish(job_id)
        if job is not None:
            log.info("background job %s cancelled", job.key or job.id)

    @Slot(int, int, int, str)
    def _on_progress(self, job_id: int, done: int, total: int, text: str) -> None:
        job = self._jobs.get(job_id)
        if job is None:
            return
        if job.dialog is not None:
            job.dialog.setMaximum(max(total, 0))
            job.dialog.setValue(min(done, total) if total > 0 else 0)
            if text:
                job.dialog.setLabelText(text)
        if job.on_progress is not None and not self._is_stale(job):
            job.on_progress(done, total, text)

    def wait_idle(self, timeout_ms: int = 30_000) -> bool:
        """Run the event loop until every job has delivered its result (for the screenshot command and tests).

        The loop sleeps in Qt's event wait (the workers have the GIL meanwhile) and wakes as soon as a result arrives,
        the runner goes idle or the timeout passes."""
        import time

        deadline = time.monotonic() + timeout_ms / 1000
        while self._jobs and (left := deadline - time.monotonic()) > 0:
            loop = QEventLoop()
            timer = QTimer(loop)
            timer.setSingleShot(True)
            timer.timeout.connect(loop.quit)
            self.busy_changed.connect(loop.quit)  # idle, or busy again after a result started a next job
            timer.start(int(left * 1000) + 1)
            loop.exec()
            self.busy_changed.disconnect(loop.quit)
        QApplication.processEvents()
        return not self._jobs

    def shutdown(self, timeout_ms: int = 10_000) -> None:
        """Cancel everything, refuse new jobs and wait for the threads (avoids 'QThread destroyed while running')."""
        self._closed = True
        for job in list(self._jobs.values()):
            job.cancel()
        self._readers.waitForDone(timeout_ms)
        self._writer.waitForDone(timeout_ms)
        QApplication.processEvents()
