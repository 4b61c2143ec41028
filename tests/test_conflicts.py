"""Two clerks edit one record: the second save is refused with both versions shown; nothing is lost."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from liandu_desk.domain.errors import ConflictError
from liandu_desk.domain.registry import Person
from liandu_desk.storage import ClerkRef, Database
from liandu_desk.ui.kit.conflict_dialog import ConflictDialog
from liandu_desk.ui.kit.context import AppContext


def two_clerks_edit(ctx: AppContext) -> tuple[ConflictError, int]:
    with ctx.session_scope() as session:
        person = Person(name="孙八", phone="13800138000")
        session.add(person)
        session.flush()
        person_id = person.id
    url = ctx.db.url.render_as_string(hide_password=False)
    first, second = (
        Database(url, clerk=ClerkRef(1, "甲", role="科员")),
        Database(url, clerk=ClerkRef(2, "乙科员", role="科员")),
    )
    with first.session_scope() as s1:
        mine = s1.get(Person, person_id)
    with second.session_scope() as s2:
        s2.get(Person, person_id).phone = "13911112222"
    with pytest.raises(ConflictError) as info, first.session_scope() as s1:
        s1.add(mine)
        mine.phone = "13733334444"
    first.dispose()
    second.dispose()
    return info.value, person_id


def test_conflict_names_the_record_and_shows_both(qtbot: QtBot, ctx: AppContext) -> None:
    conflict, person_id = two_clerks_edit(ctx)
    assert (conflict.table, conflict.row_id) == ("person", person_id)
    dialog = ConflictDialog(ctx, conflict, {"name": "孙八", "phone": "13733334444"}, {"phone": "联系电话"})
    qtbot.addWidget(dialog)
    assert "乙科员" in dialog.header.text()
    row = {
        dialog.table.item(r, 0).text(): (dialog.table.item(r, 1).text(), dialog.table.item(r, 2).text())
        for r in range(dialog.table.rowCount())
    }
    assert row["联系电话"] == ("13733334444", "13911112222") and row["name"] == ("孙八", "孙八")
    dialog.copy_mine()
    assert "联系电话：13733334444" in QGuiApplication.clipboard().text()
    with ctx.session_scope() as session:
        assert session.scalar(select(Person.phone).where(Person.id == person_id)) == "13911112222"


def test_deleted_record_offers_copy_only(qtbot: QtBot, ctx: AppContext) -> None:
    dialog = ConflictDialog(ctx, ConflictError(table="person", row_id=987654), {"name": "不存在"})
    qtbot.addWidget(dialog)
    assert "已被其他人删除" in dialog.header.text()
