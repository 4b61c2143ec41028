"""Shared fixtures: offscreen Qt, an isolated data folder, and a fresh migrated database per test."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from liandu_desk.storage import ClerkRef, Database
from liandu_desk.storage.migrate import upgrade

TEST_CLERK = ClerkRef(id=None, name="测试员", login="tester")


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Data, logs and UI preferences of each test go to its own folder; LIANDU_DESK_DB never leaks in."""
    home = tmp_path / "home"
    monkeypatch.setenv("LIANDU_DESK_HOME", str(home))
    monkeypatch.delenv("LIANDU_DESK_DB", raising=False)
    return home


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database migrated to head once per test session; each test gets a copy."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    db = Database(f"sqlite:///{path}")
    upgrade(db, backup=False)
    db.dispose()
    return path


@pytest.fixture
def db_path(tmp_path: Path, template_db: Path) -> Path:
    """A fresh copy of the migrated template database."""
    path = tmp_path / "case.sqlite3"
    shutil.copyfile(template_db, path)
    return path


@pytest.fixture
def db(db_path: Path) -> Database:
    """A fresh migrated database, with a test clerk recorded in the audit trail."""
    database = Database(f"sqlite:///{db_path}", clerk=TEST_CLERK)
    yield database
    database.dispose()


@pytest.fixture
def jobs(qapp):
    """A job runner that runs jobs inline, so GUI tests need no waiting."""
    from liandu_desk.ui.jobs import JobRunner

    runner = JobRunner(synchronous=True)
    yield runner
    runner.shutdown()


@pytest.fixture
def ctx(db: Database, jobs):
    """An AppContext over the test database with a workstation clerk."""
    from liandu_desk.services.clerks import ensure_workstation_clerk
    from liandu_desk.ui.context import AppContext

    with db.session_scope() as session:
        clerk = ensure_workstation_clerk(session, "tester")
    return AppContext(db=db, jobs=jobs, clerk=clerk)
