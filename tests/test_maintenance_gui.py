"""GUI maintenance actions: backup to a chosen folder, restore with confirmation, integrity report."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from liandu_desk.domain.registry import Person
from liandu_desk.ui.admin import maintenance as actions
from liandu_desk.ui.kit.context import AppContext


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    shown: list[tuple[str, str]] = []
    for kind in ("information", "critical"):
        monkeypatch.setattr(QMessageBox, kind, lambda _p, title, text, k=kind: shown.append((k, text)))
    monkeypatch.setattr(QMessageBox, "warning", lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    return shown


@pytest.mark.sqlite_only
def test_backup_then_restore_from_the_menu(
    qtbot: QtBot, ctx: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, messages: list
) -> None:
    with ctx.session_scope() as session:
        session.add(Person(name="备份前"))
    usb = tmp_path / "usb"
    usb.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *_a: str(usb))
    actions.backup_to_folder(ctx, None)
    [copy] = list(usb.glob("*.sqlite3"))
    assert messages[-1][0] == "information" and str(copy) in messages[-1][1]
    with ctx.session_scope() as session:
        session.add(Person(name="备份后"))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a: (str(copy), ""))
    refreshed: list[bool] = []
    actions.restore_from_file(ctx, None, lambda: refreshed.append(True))
    assert refreshed == [True]
    with ctx.session_scope() as session:
        assert set(session.scalars(select(Person.name))) == {"备份前"}


def test_integrity_report(qtbot: QtBot, ctx: AppContext, messages: list) -> None:
    actions.check_integrity(ctx, None)
    kind, text = messages[-1]
    assert kind == "information" and "数据库文件：完好" in text and "哈希链" in text


@pytest.mark.sqlite_only
def test_auto_backup_at_start(ctx: AppContext) -> None:
    actions.schedule_auto_backup(ctx)
    assert list((ctx.db.sqlite_path.parent / "backups").glob("*-auto-*.sqlite3"))
