"""Core services: divisions and their short forms, settings, clerks, stats envelope, demo registry."""

from __future__ import annotations

import datetime as dt

import pytest

from liandu_desk.demo import DemoContext, seed_divisions
from liandu_desk.domain.errors import ValidationError
from liandu_desk.domain.registry import DivisionLevel
from liandu_desk.services import audit as audit_service
from liandu_desk.services import divisions, settings
from liandu_desk.services.clerks import ensure_workstation_clerk, list_clerks
from liandu_desk.services.periods import Period
from liandu_desk.storage import Database


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("老竹镇", "老竹畲族镇"),
        ("丽新乡", "丽新畲族乡"),
        ("紫金", "紫金街道"),
        ("南明山", "南明山街道"),
        (" 碧湖镇 ", "碧湖镇"),
        ("大港头", "大港头镇"),
        ("老竹畲族镇", "老竹畲族镇"),
        ("黄村", "黄村乡"),
    ],
)
def test_township_short_forms(db: Database, text: str, expected: str) -> None:
    with db.session_scope() as session:
        assert divisions.resolve_township(session, text).name == expected


@pytest.mark.parametrize("text", ["杭州", "", "莲都区", "老竹村"])
def test_unknown_township_rejected(db: Database, text: str) -> None:
    with pytest.raises(ValidationError, match="乡镇"), db.session_scope() as session:
        divisions.resolve_township(session, text)


def test_divisions_respect_validity_dates(db: Database) -> None:
    with db.session_scope() as session:
        zijin = divisions.resolve_township(session, "紫金街道")
        village = divisions.ensure_child(session, zijin.id, "试点社区", DivisionLevel.COMMUNITY)
        assert divisions.ensure_child(session, zijin.id, "试点社区", DivisionLevel.COMMUNITY) == village
        from liandu_desk.domain.registry import Division

        session.get(Division, village).valid_to = dt.date(2020, 12, 31)
    with db.session_scope() as session:
        assert "试点社区" in [c.name for c in divisions.list_children(session, zijin.id, on=dt.date(2020, 6, 1))]
        assert "试点社区" not in [c.name for c in divisions.list_children(session, zijin.id, on=dt.date(2021, 1, 1))]


def test_settings_defaults_save_and_validate(db: Database) -> None:
    with db.session_scope() as session:
        assert settings.get_setting(session, "prefix.house_notice") == "莲建危改"
        settings.save_settings(session, {"bureau.name": "莲都区住房和城乡建设局", "deadline.house_rectify": "45"})
    with db.session_scope() as session:
        values = settings.get_all(session)
    assert values["bureau.name"] == "莲都区住房和城乡建设局" and values["deadline.house_rectify"] == 45
    with pytest.raises(ValidationError, match="危房整改通知书文号代字"), db.session_scope() as session:
        settings.save_settings(session, {"bureau.name": "另一个名字", "prefix.house_notice": "LJ01"})
    with db.session_scope() as session:
        assert settings.get_setting(session, "bureau.name") == "莲都区住房和城乡建设局"


def test_settings_changes_are_audited(db: Database) -> None:
    with db.session_scope() as session:
        settings.save_settings(session, {"deadline.community_issue": 12})
    with db.session_scope() as session:
        rows = audit_service.history(session, "app_setting", "deadline.community_issue")
    assert [r.action_label for r in rows] == ["新增"] and rows[0].new_values["value"] == 12


def test_first_clerk_is_admin(db: Database) -> None:
    with db.session_scope() as session:
        first = ensure_workstation_clerk(session, "alice")
        second = ensure_workstation_clerk(session, "bob")
        again = ensure_workstation_clerk(session, "alice")
    assert (first.role, second.role, again.id) == ("管理员", "科员", first.id)
    with db.session_scope() as session:
        assert {c.login for c in list_clerks(session)} == {"alice", "bob"}


def test_demo_registry_is_reproducible_and_idempotent(db: Database) -> None:
    import random

    from sqlalchemy import delete

    from liandu_desk.domain.registry import Division

    with db.session_scope() as session:
        assert seed_divisions(session, DemoContext(random.Random(1), 1.0, 1)) == 0  # the shipped register is there
        session.execute(delete(Division).where(Division.parent_id.is_not(None)))
        added = seed_divisions(session, DemoContext(random.Random(1), 1.0, 1))
        again = seed_divisions(session, DemoContext(random.Random(1), 1.0, 1))
        townships = divisions.list_townships(session)
        children = {t.name: len(divisions.list_children(session, t.id)) for t in townships}
    assert added == 6 * 8 + 9 * 12 and again == 0
    assert children["紫金街道"] == 8 and children["碧湖镇"] == 12


def test_period_rules() -> None:
    period = Period(dt.date(2021, 1, 1), dt.date(2021, 6, 30))
    assert period.contains(dt.date(2021, 6, 30)) and not period.contains(dt.date(2021, 7, 1))
    assert period.previous() == Period(dt.date(2020, 7, 1), dt.date(2020, 12, 31))
    assert Period(dt.date(2021, 3, 1), dt.date(2021, 3, 31)).previous() == Period(
        dt.date(2021, 2, 1), dt.date(2021, 2, 28)
    )
    assert Period(dt.date(2021, 1, 1), dt.date(2021, 12, 31)).previous().start == dt.date(2020, 1, 1)
    assert Period(dt.date(2021, 3, 10), dt.date(2021, 3, 19)).previous() == Period(
        dt.date(2021, 2, 28), dt.date(2021, 3, 9)
    )
    with pytest.raises(ValidationError, match="统计期间"):
        Period(dt.date(2021, 2, 1), dt.date(2021, 1, 1))
