"""The two ways a widget reaches the database: `read` and `write` run a service function on a worker with its own
session, map domain errors to Chinese messages, and (for writes) announce what changed. In the spirit of Anki's
QueryOp and CollectionOp: no widget opens a session on the GUI thread."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtWidgets import QWidget

from liandu_desk.domain.errors import LianduError
from liandu_desk.storage import Database
from liandu_desk.ui.kit.context import AppContext
from liandu_desk.ui.kit.errors import show_error
from liandu_desk.ui.kit.jobs import Job, JobContext, JobRunner

if TYPE_CHECKING:  # widgets never touch SQLAlchemy; the session type is only named here
    from sqlalchemy.orm import Session

T = TypeVar("T")
Work = Callable[["Session"], Any]  # what a form hands to `write`: the change to make, as a function of a session
ErrorHandler = Callable[[BaseException, str], None]


def _on_error(parent: QWidget | None, handler: Callable[[LianduError], None] | None) -> ErrorHandler:
    """Known errors go to `handler` (a form shows them beside its fields) or a message box; others to the crash box."""

    def report(exc: BaseException, trace: str) -> None:
        if isinstance(exc, LianduError) and handler is not None:
            handler(exc)  # the job runner has logged it (a refusal at INFO, a fault with its traceback)
            return
        show_error(exc, trace, parent)

    return report


def read(
    ctx: AppContext,
    fn: Callable[[Session], T],
    done: Callable[[T], None],
    *,
    parent: QWidget | None = None,
    key: str | None = None,
    title: str | None = None,
    refused: Callable[[LianduError], None] | None = None,
) -> Job:
    """Run fn(session) on a reader thread; done(result) on the GUI thread. A newer read with the same key wins."""

    def job(_job: JobContext) -> T:
        with ctx.session_scope() as session:
            return fn(session)

    return ctx.jobs.run(job, done, on_err=_on_error(parent, refused), key=key, title=title, parent=parent)


def write(
    ctx: AppContext,
    fn: Callable[[Session], T],
    done: Callable[[T], None] | None = None,
    *,
    changed: str | None = None,
    ids: Callable[[T], Iterable[int]] | None = None,
    parent: QWidget | None = None,
    title: str | None = None,
    widgets: Iterable[QWidget] = (),
    refused: Callable[[LianduError], None] | None = None,
) -> Job:
    """Run fn(session) on the single writer thread in one transaction; after the commit announce `changed`
    (with ids(result) when given) and call done(result). A refusal rolls back and is shown, or sent to `refused`."""

    def job(_job: JobContext) -> T:
        with ctx.session_scope() as session:
            return fn(session)

    def ok(result: Any) -> None:
        if changed:
            ctx.changed(changed, ids(result) if ids else ())
        if done is not None:
            done(result)

    return ctx.jobs.run(
        job, ok, on_err=_on_error(parent, refused), title=title, write=True, widgets=widgets, parent=parent
    )


def task(
    ctx: AppContext,
    fn: Callable[[Session, JobContext], T],
    done: Callable[[T], None],
    *,
    title: str,
    cancellable: bool = False,
    write: bool = False,
    key: str | None = None,
    parent: QWidget | None = None,
    refused: Callable[[LianduError], None] | None = None,
) -> Job:
    """Long work with a progress dialog: fn(session, job) reports progress through job.progress and stops at
    job.check_cancelled(); otherwise like `read` (or `write`, which takes the single writer thread)."""

    def job(context: JobContext) -> T:
        with ctx.session_scope() as session:
            return fn(session, context)

    return ctx.jobs.run(
        job,
        done,
        on_err=_on_error(parent, refused),
        title=title,
        cancellable=cancellable,
        write=write,
        key=key,
        parent=parent,
    )


def in_session(ctx: AppContext, fn: Callable[[Session], T]) -> Callable[[], T]:
    """fn as a function of no arguments that runs in a session of its own (one transaction, committed when fn
    returns): for code that already runs inside a job and needs the session for only part of its work (a paged
    model's page fetch, an import job reading a saved mapping, a retried issue, a render after the read)."""

    def call() -> T:
        with ctx.session_scope() as session:
            return fn(session)

    return call


def before_window(db: Database, fn: Callable[[Session], T]) -> T:
    """Start-up work before the main window exists (login, first administrator): run fn(session) as a job on a
    synchronous runner, so it still opens its session inside a job; a refusal (LianduError) is raised to the caller."""
    outcome: dict[str, Any] = {}

    def job(_job: JobContext) -> tuple[T | None, LianduError | None]:
        try:
            with db.session_scope() as session:
                return fn(session), None
        except LianduError as exc:
            return None, exc

    def failed(exc: BaseException, _trace: str) -> None:
        outcome["crash"] = exc

    runner = JobRunner(synchronous=True)
    runner.run(job, lambda result: outcome.update(result=result), on_err=failed)
    runner.deleteLater()
    if "crash" in outcome:
        raise outcome["crash"]
    result, refusal = outcome["result"]
    if refusal is not None:
        raise refusal
    return result


def context_of(widget: QWidget | None) -> AppContext | None:
    """The context of the nearest widget up the parent chain that holds one as `ctx` (every tab and page does)."""
    while widget is not None:
        ctx = getattr(widget, "ctx", None)
        if isinstance(ctx, AppContext):
            return ctx
        widget = widget.parentWidget()
    return None
