"""The field catalogue is the one place a house field's label, type and range live: the service, the import, the
form, the export, the audit trail and the conflict dialog all read it, and the domain's state rules decide which
actions a record allows."""

from __future__ import annotations

import datetime as dt

import pytest
from houses_factories import make_house

from liandu_desk.domain.errors import ValidationError
from liandu_desk.domain.fields import HOUSE_FIELDS
from liandu_desk.domain.house_cases import HouseAction, case_actions, house_actions, plan_actions
from liandu_desk.io.house_validation import _lowest
from liandu_desk.services import audit
from liandu_desk.services.houses import registration
from liandu_desk.services.imports.export import HOUSE_EXPORT_COLUMNS

THIS_YEAR = dt.date.today().year


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("build_year", 1899, f"建造年份：应在1900至{THIS_YEAR}年之间"),
        ("build_year", THIS_YEAR + 1, f"建造年份：应在1900至{THIS_YEAR}年之间"),
        ("floors", 0, "层数：应在1至100层之间"),
        ("floors", 101, "层数：应在1至100层之间"),
        ("area", 0, "建筑面积：应大于0"),
        ("structure", "竹结构", "结构类型：应为"),
        ("note", "注" * 2001, "备注：不能超过2000个字"),
    ],
)
def test_the_service_refuses_what_the_catalogue_refuses_naming_the_field(db, key, value, message) -> None:
    with pytest.raises(ValidationError) as refused:
        HOUSE_FIELDS[key].check(value)
    assert str(refused.value.message).startswith(message)
    with db.session_scope() as session, pytest.raises(ValidationError) as saved:
        make_house(session, **{key: value})
    assert saved.value.message == refused.value.message


def test_the_edges_of_each_range_are_accepted(db) -> None:
    with db.session_scope() as session:
        house = make_house(session, build_year=THIS_YEAR, floors=100, area=0.5)
        data, _version = registration.house_input(session, house)
    assert (data.build_year, data.floors, data.area) == (THIS_YEAR, 100, 0.5)


def test_the_import_takes_its_lowest_year_from_the_catalogue() -> None:
    assert _lowest("build_year") == HOUSE_FIELDS["build_year"].bounds()[0] == 1900


def test_labels_come_from_the_catalogue_for_the_house_table_only() -> None:
    assert audit.field_label("build_year", "house") == "建造年份"
    assert audit.field_label("address", "house") == "地址（门牌）"
    assert audit.field_label("address", "cm_community") == "地址"  # another table keeps the shared name


def test_the_export_lists_the_catalogued_columns_in_catalogue_order() -> None:
    headers = [header for header, _width in HOUSE_EXPORT_COLUMNS]
    exported = [f.export_header for f in HOUSE_FIELDS.plain() if f.export_header]
    assert exported == ["结构类型", "层数", "建造年份", "建筑面积（㎡）", "用途"]
    start = headers.index("结构类型")
    assert headers[start : start + len(exported)] == exported


def test_a_field_known_only_to_the_catalogue_is_saved_read_and_audited(db, monkeypatch) -> None:
    """A plain field with no attribute on HouseInput travels in `extra`: adding a house field needs the model
    column, its catalogue entry and a migration, not an edit of the service or the form."""
    monkeypatch.setattr(registration, "INPUT_ATTRIBUTES", registration.INPUT_ATTRIBUTES - {"note"})
    with db.session_scope() as session:
        house = make_house(session, note="", extra={"note": "东墙开裂"})
        data, version = registration.house_input(session, house)
        assert data.extra == {"note": "东墙开裂"}
        values = {**data.__dict__, "extra": {"note": "东墙开裂，已加固"}}
        registration.update_house(session, house, registration.HouseInput(**values), version)
        history = audit.history(session, "house", house)
    assert "备注：东墙开裂 → 东墙开裂，已加固" in history[-1].summary()


def test_the_form_builds_every_catalogued_field_with_its_range(ctx, qtbot) -> None:
    from liandu_desk.ui.houses.house_form import HouseFormDialog

    form = HouseFormDialog(ctx, None)
    qtbot.addWidget(form)
    assert list(form.fields) == [f.label for f in HOUSE_FIELDS]
    year = form.fields["建造年份"]
    assert (year.minimum() + 1, year.maximum()) == (1900, THIS_YEAR)  # the minimum itself means 未填
    assert form.fields["备注"].maxLength() == 2000
    assert set(form.CONFLICT_COLUMNS.values()) >= {"build_year", "floors", "area", "note", "address"}


@pytest.mark.parametrize(
    ("status", "actions"),
    [
        ("待整改", {HouseAction.ADD_PROGRESS, HouseAction.COMPLETE, HouseAction.EDIT_CASE}),
        ("整改中", {HouseAction.ADD_PROGRESS, HouseAction.COMPLETE, HouseAction.EDIT_CASE}),
        ("已完成", {HouseAction.CLOSE, HouseAction.EDIT_CASE}),
        ("已销号", set()),
    ],
)
def test_case_actions_follow_the_case_status(status, actions) -> None:
    assert case_actions(status) == actions


def test_house_and_plan_actions() -> None:
    assert HouseAction.OPEN_CASE not in house_actions("农村", ["整改中"])
    assert HouseAction.OPEN_CASE in house_actions("农村", ["已销号", "已完成"])
    assert HouseAction.APPLY in house_actions("农村", []) and HouseAction.ADD_PLAN not in house_actions("农村", [])
    assert HouseAction.ADD_PLAN in house_actions("城镇", [])
    assert plan_actions("已解危") == {HouseAction.ADD_MILESTONE, HouseAction.CLOSE_PLAN}
    assert plan_actions("已销号") == set()
