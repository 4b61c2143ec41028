"""The values a document prints ship as 莲都区 defaults marked 待确认: no document is issued while one is, the refusal
names them, and an administrator's save confirms them."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import add_test_calendar_year
from documents_factories import dangerous_house

from liandu_desk.domain.documents import Document
from liandu_desk.services.documents import lifecycle
from liandu_desk.services.documents.house_notices import draft_house_notice
from liandu_desk.services.settings import (
    PRINTED_ON_DOCUMENTS,
    SettingsUnconfirmed,
    get_all,
    save_settings,
    unconfirmed,
)
from liandu_desk.storage import Database
from liandu_desk.storage.migrate import upgrade

ISSUED_ON = dt.date(2021, 9, 17)


@pytest.fixture
def fresh(tmp_path, db) -> Database:
    """A database as a bureau gets it: migrated, nothing confirmed yet (the test clerk of `db` is an administrator)."""
    database = Database(f"sqlite:///{tmp_path / 'fresh.sqlite3'}", clerk=db.clerk)
    upgrade(database, backup=False)
    add_test_calendar_year(database)  # the calendar only: the settings stay 待确认
    yield database
    database.dispose()


def test_a_fresh_database_refuses_to_issue_and_names_what_to_confirm(fresh) -> None:
    with fresh.session_scope() as session:
        assert unconfirmed(session) == list(PRINTED_ON_DOCUMENTS)
        house = dangerous_house(session)
        draft = draft_house_notice(session, house, "测试").id
    with pytest.raises(SettingsUnconfirmed) as refused, fresh.session_scope() as session:
        lifecycle.issue(session, draft, ISSUED_ON, "测试")
    assert "待确认" in refused.value.message and "联系电话（通知书落款）" in refused.value.message
    assert "设置" in refused.value.message
    with fresh.session_scope() as session:
        row = session.get(Document, draft)
        assert row.number is None and row.status.value == "草稿"  # nothing numbered, nothing frozen


def test_saving_the_settings_confirms_them_even_unchanged(fresh) -> None:
    with fresh.session_scope() as session:
        house = dangerous_house(session)
        draft = draft_house_notice(session, house, "测试").id
        values = get_all(session)
        save_settings(session, {key: values[key] for key in PRINTED_ON_DOCUMENTS if key != "bureau.contact"})
        assert unconfirmed(session) == ["bureau.contact"]
    with pytest.raises(SettingsUnconfirmed, match="联系电话"), fresh.session_scope() as session:
        lifecycle.issue(session, draft, ISSUED_ON, "测试")
    with fresh.session_scope() as session:
        save_settings(session, {"bureau.contact": "0578-2091234"})
    with fresh.session_scope() as session:
        view = lifecycle.issue(session, draft, ISSUED_ON, "测试")
    assert view.number and view.status == "已签发"


def test_the_window_asks_an_administrator_to_confirm_them(fresh, qtbot, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    from liandu_desk.services.clerks import ensure_workstation_clerk
    from liandu_desk.ui.kit.context import AppContext
    from liandu_desk.ui.kit.jobs import JobRunner
    from liandu_desk.ui.main_window import MainWindow

    with fresh.session_scope() as session:
        clerk = ensure_workstation_clerk(session, "admin")
    jobs = JobRunner(synchronous=True)
    ctx = AppContext(db=fresh, jobs=jobs, clerk=clerk)
    opened: list[str] = []
    ctx.router = lambda _ctx, kind, _id, _parent: opened.append(kind)
    asked: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda _p, _t, text, *_a: asked.append(text) or QMessageBox.No)
    )
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.remind_unconfirmed()
    assert asked and "联系电话（通知书落款）" in asked[0] and "不能签发文书" in asked[0]
    jobs.shutdown()
