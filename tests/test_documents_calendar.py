"""Working-day arithmetic on the holiday calendar (public holidays and 调休 make-up working days)."""

from __future__ import annotations

import datetime as dt

import pytest

from liandu_desk.domain.errors import RuleError, ValidationError
from liandu_desk.services.documents.calendar import WorkCalendar, add_working_days, delete_day, list_days, save_day

D = dt.date


def test_seeded_years_2021_to_2026(db) -> None:
    with db.session_scope() as session:
        for year in range(2021, 2027):
            days = list_days(session, year)
            assert any("国庆" in d.name for d in days), year
            assert any(d.kind == "调休上班" for d in days), year


def test_national_day_2021_and_its_makeup_saturday(db) -> None:
    with db.session_scope() as session:
        cal = WorkCalendar.load(session)
    assert not cal.is_working_day(D(2021, 10, 1))
    assert not cal.is_working_day(D(2021, 10, 6))  # a Wednesday inside the holiday
    assert cal.is_working_day(D(2021, 10, 9))  # Saturday made a working day
    assert cal.is_working_day(D(2021, 9, 26))  # Sunday made a working day
    assert cal.is_working_day(D(2021, 9, 18))  # Saturday before 中秋
    assert not cal.is_working_day(D(2021, 9, 20))  # 中秋 Monday
    # Thursday 30 September + 1 working day skips the whole holiday to Friday 8 October.
    assert cal.add_working_days(D(2021, 9, 30), 1) == D(2021, 10, 8)
    # … and the next one is the make-up Saturday 9 October.
    assert cal.add_working_days(D(2021, 9, 30), 2) == D(2021, 10, 9)
    assert cal.add_working_days(D(2021, 9, 30), 3) == D(2021, 10, 11)
    # 30 working days from 17 September 2021 (counted by hand: includes 18 Sep, 26 Sep and 9 Oct).
    assert cal.add_working_days(D(2021, 9, 17), 30) == D(2021, 11, 4)
    assert cal.working_days_between(D(2021, 9, 17), D(2021, 11, 4)) == 30


def test_plain_weekday_rule_without_exceptions() -> None:
    cal = WorkCalendar(set(), set(), years={2021})
    assert cal.add_working_days(D(2021, 9, 30), 1) == D(2021, 10, 1)
    assert cal.add_working_days(D(2021, 10, 1), 1) == D(2021, 10, 4)  # Friday → Monday
    assert cal.add_working_days(D(2021, 10, 1), 0) == D(2021, 10, 1)


def test_calendar_is_editable_data(db) -> None:
    with db.session_scope() as session:
        with pytest.raises(RuleError, match="2030年的节假日与调休安排尚未录入"):
            add_working_days(session, D(2030, 5, 2), 1)
        save_day(session, D(2030, 5, 3), "放假", "劳动节", "测试")
        assert add_working_days(session, D(2030, 5, 2), 1) == D(2030, 5, 6)
        save_day(session, D(2030, 5, 4), "调休上班", "劳动节")
        assert add_working_days(session, D(2030, 5, 2), 1) == D(2030, 5, 4)
        delete_day(session, D(2030, 5, 4))
        assert add_working_days(session, D(2030, 5, 2), 1) == D(2030, 5, 6)


def test_makeup_day_must_be_a_weekend(db) -> None:
    with db.session_scope() as session, pytest.raises(ValidationError) as err:
        save_day(session, D(2030, 5, 6), "调休上班", "劳动节")
    assert err.value.field == "日期"
