"""Shared fixtures: offscreen Qt, an isolated data folder, and a fresh migrated database per test.

With LIANDU_DESK_TEST_PG set to a PostgreSQL server URL (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/postgres)
every test gets its own database created from a migrated template on that server instead of a SQLite file; tests
that need a SQLite file (the `db_path` fixture) are skipped there.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from liandu_desk.storage import ClerkRef, Database
from liandu_desk.storage.migrate import upgrade

TEST_CLERK = ClerkRef(id=None, name="测试员", login="tester", role="管理员")
PG_SERVER = os.environ.get("LIANDU_DESK_TEST_PG", "")
PG_TEMPLATE = "liandu_test_template"
_pg_numbers = itertools.count(1)


TEST_YEAR = 2027  # "today" falls in 2026, so 30 working days reach into 2027


def add_test_calendar_year(db: Database) -> None:
    """A stand-in arrangement for the year after today's, so tests dated today can count working days.

    The State Council's 2027 notice is not on file: refusing deadlines in a year without data is the program's
    rule, tested on its own (tests/test_documents_calendar_years.py). This stand-in holds the statutory days only.
    """
    from sqlalchemy import insert

    from liandu_desk.domain.documents import Holiday
    from liandu_desk.services.documents.calendar_import import arrangement_from_ranges

    D = dt.date
    arrangement = arrangement_from_ranges(
        TEST_YEAR,
        [
            ("元旦", D(2027, 1, 1), D(2027, 1, 1)),
            ("春节", D(2027, 2, 5), D(2027, 2, 11)),
            ("劳动节", D(2027, 5, 1), D(2027, 5, 5)),
            ("国庆节", D(2027, 10, 1), D(2027, 10, 7)),
        ],
        [],
        "测试用替代安排（非官方，仅供测试）",
    )
    rows = [{"day": d.day, "kind": d.kind, "name": d.name, "source": arrangement.source} for d in arrangement.days]
    with db.engine.begin() as connection:  # test set-up, kept out of the audit trail the tests count
        connection.execute(insert(Holiday.__table__), rows)


def confirm_test_settings(db: Database) -> None:
    """The printed settings saved as an administrator would at first start (their shipped values), so tests can
    issue documents; the refusal while they are 待确认 is tested on its own (tests/test_settings_confirmed.py)."""
    from sqlalchemy import insert

    from liandu_desk.domain.settings import AppSetting
    from liandu_desk.services.settings import PRINTED_ON_DOCUMENTS, SPEC_BY_KEY

    rows = [{"key": key, "value": SPEC_BY_KEY[key].default} for key in PRINTED_ON_DOCUMENTS]
    with db.engine.begin() as connection:
        connection.execute(insert(AppSetting.__table__), rows)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked sqlite_only (file pragmas, file backups) are skipped on a PostgreSQL run."""
    if PG_SERVER:
        skip = pytest.mark.skip(reason="SQLite-only behaviour; this run uses PostgreSQL")
        for item in items:
            if "sqlite_only" in item.keywords:
                item.add_marker(skip)


def pytest_report_header() -> str:
    return f"database backend: {'PostgreSQL ' + make_url(PG_SERVER).render_as_string() if PG_SERVER else 'SQLite'}"


def _pg_admin():
    return create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")


def _pg_url(name: str) -> str:
    return make_url(PG_SERVER).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Data, logs and UI preferences of each test go to its own folder; LIANDU_DESK_DB never leaks in."""
    home = tmp_path / "home"
    monkeypatch.setenv("LIANDU_DESK_HOME", str(home))
    monkeypatch.delenv("LIANDU_DESK_DB", raising=False)
    return home


@pytest.fixture(autouse=True)
def no_blocking_message_boxes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Nothing may wait for a click in a test run (CI has no one to click): message boxes are recorded and answered
    No, and any other modal dialog's exec fails the test. Tests that drive a dialog patch its exec themselves.
    """
    from PySide6.QtWidgets import QDialog, QMessageBox

    shown: list[str] = []
    no = QMessageBox.StandardButton.No

    def record(*args: object, **_kwargs: object) -> QMessageBox.StandardButton:  # several Qt signatures
        shown.append(" ".join(str(a) for a in args[1:3]))
        return no

    def exec_box(box: QMessageBox) -> int:
        shown.append(f"{box.text()} {box.informativeText()}")
        return int(no.value)

    def refuse(dialog: QDialog) -> int:
        raise AssertionError(
            f"modal dialog {dialog.windowTitle()!r} would wait for a click: the test must patch its exec"
        )

    for name in ("information", "warning", "critical", "question"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(record))
    monkeypatch.setattr(QMessageBox, "exec", exec_box)
    monkeypatch.setattr(QDialog, "exec", refuse)
    return shown


GUI_SESSIONS: list[str] = []
# Every widget reaches the database through kit.ops: a session opened by ui code outside a job fails the test.
STRICT_GUI_SESSIONS = True


@pytest.fixture(autouse=True)
def no_session_on_the_gui_thread(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The GUI opens database sessions only inside jobs (kit.ops): a session opened by ui code anywhere else fails
    the test, naming the widget code that opened it. Tests may open sessions themselves to set up data."""
    import sys

    from liandu_desk.storage.database import Database

    original = Database.session_scope

    def guarded(self):
        ui_frame = None
        frame = sys._getframe(1)
        while frame is not None:
            name = frame.f_code.co_filename.replace("\\", "/")
            if "/liandu_desk/ui/" in name and not name.endswith(("/ui/kit/jobs.py", "/ui/kit/context.py")):
                ui_frame = ui_frame or f"{name.split('/liandu_desk/')[-1]}:{frame.f_lineno} {frame.f_code.co_name}"
            frame = frame.f_back
        if ui_frame is not None:
            from liandu_desk.ui.kit.jobs import inside_job

            if not inside_job():
                GUI_SESSIONS.append(ui_frame)
        return original(self)

    monkeypatch.setattr(Database, "session_scope", guarded)
    before = len(GUI_SESSIONS)
    yield
    opened = GUI_SESSIONS[before:]
    assert not (opened and STRICT_GUI_SESSIONS), (
        f"database sessions opened on the GUI thread, outside a job: {sorted(set(opened))}"
    )


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    """On PostgreSQL: a template database migrated to head once per session."""
    admin = _pg_admin()
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {PG_TEMPLATE} WITH (FORCE)"))
        conn.execute(text(f"CREATE DATABASE {PG_TEMPLATE}"))
    template = Database(_pg_url(PG_TEMPLATE))
    upgrade(template, backup=False)
    add_test_calendar_year(template)
    confirm_test_settings(template)
    template.dispose()
    yield PG_TEMPLATE
    admin.dispose()


@pytest.fixture
def pg_database(request: pytest.FixtureRequest) -> Iterator[str]:
    """A fresh PostgreSQL database copied from the template; dropped afterwards."""
    template = request.getfixturevalue("pg_template")
    name = f"liandu_test_{os.getpid()}_{next(_pg_numbers)}"
    admin = _pg_admin()
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name} TEMPLATE {template}"))
    yield _pg_url(name)
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database migrated to head once per test session; each test gets a copy."""
    if PG_SERVER:
        pytest.skip("needs a SQLite file; this run uses PostgreSQL")
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    db = Database(f"sqlite:///{path}")
    upgrade(db, backup=False)
    add_test_calendar_year(db)
    confirm_test_settings(db)
    db.dispose()
    return path


@pytest.fixture
def db_path(tmp_path: Path, template_db: Path) -> Path:
    """A fresh copy of the migrated template database."""
    path = tmp_path / "case.sqlite3"
    shutil.copyfile(template_db, path)
    return path


@pytest.fixture
def db_url(request: pytest.FixtureRequest) -> str:
    """The URL of a fresh migrated database on the backend of this run."""
    if PG_SERVER:
        return request.getfixturevalue("pg_database")
    return f"sqlite:///{request.getfixturevalue('db_path')}"


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    """A fresh migrated database, with a test clerk recorded in the audit trail."""
    database = Database(db_url, clerk=TEST_CLERK)
    yield database
    database.dispose()


@pytest.fixture
def jobs(qapp):
    """A job runner that runs jobs inline, so GUI tests need no waiting."""
    from liandu_desk.ui.kit.jobs import JobRunner

    runner = JobRunner(synchronous=True)
    yield runner
    runner.shutdown()


@pytest.fixture
def ctx(db: Database, jobs):
    """An AppContext over the test database with a workstation clerk."""
    from liandu_desk.services.clerks import ensure_workstation_clerk
    from liandu_desk.ui.kit.context import AppContext
    from liandu_desk.ui.open_record import open_record

    with db.session_scope() as session:
        clerk = ensure_workstation_clerk(session, "tester")
    context = AppContext(db=db, jobs=jobs, clerk=clerk)
    context.router = lambda own, kind, record_id, parent: open_record(own, None, kind, record_id, parent)
    return context


FIRST_START_PASSWORD = "Liandu-2026"


@pytest.fixture
def first_start(tmp_path: Path, jobs, qtbot):
    """A database as a bureau installs it: migrated, the administrator created in the first-start dialog, the
    bureau's details saved in 设置 (so documents may be issued). Shared by the workflow tests."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDialog

    from liandu_desk.ui.admin.login import FirstAdminDialog
    from liandu_desk.ui.admin.settings_dialog import SettingsDialog
    from liandu_desk.ui.kit.context import AppContext
    from liandu_desk.ui.open_record import open_record

    db = Database(f"sqlite:///{tmp_path / 'desk.sqlite3'}")
    upgrade(db, backup=False)
    add_test_calendar_year(db)  # the year after today has no State Council notice yet (see above)
    first = FirstAdminDialog(db)
    qtbot.addWidget(first)
    first.show()
    first.login.setText("admin")
    first.name.setText("王管理")
    qtbot.keyClicks(first.password, FIRST_START_PASSWORD)
    qtbot.keyClicks(first.repeat, FIRST_START_PASSWORD)
    qtbot.keyClick(first.repeat, Qt.Key.Key_Return)
    assert first.result() == QDialog.DialogCode.Accepted, first.error.text()
    clerk = first.clerk
    db.clerk = ClerkRef(clerk.id, clerk.name, clerk.login, clerk.role)
    ctx = AppContext(db=db, jobs=jobs, clerk=clerk)
    ctx.router = lambda own, kind, record_id, parent: open_record(own, None, kind, record_id, parent)
    settings = SettingsDialog(ctx)
    qtbot.addWidget(settings)
    settings.editors["bureau.contact"].setText("0578-2091234")
    settings.accept()
    yield ctx
    db.dispose()
