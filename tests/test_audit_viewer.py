"""The audit viewer: filters by object, record, clerk and action; shows old and new values side by side."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from liandu_desk.domain.registry import Person
from liandu_desk.services import audit as audit_service
from liandu_desk.ui.admin.audit_viewer import AuditViewer
from liandu_desk.ui.kit.context import AppContext


def edit_people(ctx: AppContext) -> int:
    with ctx.session_scope() as session:
        person = Person(name="赵六", phone="13800138000")
        session.add_all([person, Person(name="钱七")])
        session.flush()
        person_id = person.id
    with ctx.session_scope() as session:
        session.get(Person, person_id).name = "赵六六"
    return person_id


def test_filters_and_detail(qtbot: QtBot, ctx: AppContext) -> None:
    person_id = edit_people(ctx)
    viewer = AuditViewer(ctx, table_name="person", row_id=str(person_id))
    qtbot.addWidget(viewer)
    viewer.refresh()
    assert viewer.count_label.text() == "共 2 条"
    assert [viewer.model.row_at(i).action for i in range(2)] == ["update", "insert"]
    viewer.view.selectRow(0)
    cells = {
        viewer.detail.item(r, 0).text(): (viewer.detail.item(r, 1).text(), viewer.detail.item(r, 2).text())
        for r in range(viewer.detail.rowCount())
    }
    assert cells["名称"] == ("赵六", "赵六六")
    viewer.row_edit.setText("")
    viewer.action_box.setCurrentIndex(viewer.action_box.findData("insert"))
    viewer.refresh()
    assert viewer.count_label.text() == "共 2 条"
    assert {viewer.model.row_at(i).new_values["name"] for i in range(2)} == {"赵六", "钱七"}


def test_search_service_by_date(ctx: AppContext) -> None:
    import datetime as dt

    edit_people(ctx)
    today = dt.date.today()
    with ctx.session_scope() as session:
        _rows, today_total = audit_service.search(session, audit_service.AuditFilter(date_from=today, date_to=today))
        _rows, old_total = audit_service.search(session, audit_service.AuditFilter(date_to=dt.date(2020, 1, 1)))
    assert today_total >= 3 and old_total == 0
