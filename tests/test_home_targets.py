"""Work targets: progress counted from the records, the linear pace warning, validation and permissions."""

from __future__ import annotations

import datetime as dt

import pytest

from liandu_desk.domain.errors import PermissionDenied, ValidationError
from liandu_desk.services.home.targets import (
    AT_RISK,
    MISSED,
    ON_TRACK,
    REACHED,
    TargetInput,
    create_target,
    pace_state,
    target_progress,
)
from liandu_desk.storage import ClerkRef, Database
from tests.home_factories import house_with_case, town_id

D = dt.date


def test_progress_is_counted_from_completed_cases(db):
    with db.session_scope() as s:
        house_with_case(s, "张一", D(2021, 9, 30), completed=D(2021, 7, 20))
        house_with_case(s, "张二", D(2021, 9, 30), completed=D(2021, 8, 5), township="太平乡")
        house_with_case(s, "张三", D(2021, 9, 30), completed=D(2021, 6, 1))  # before the target started
        house_with_case(s, "张四", D(2021, 9, 30))  # still open
        create_target(s, TargetInput("九月底前完成4户", "rural_rectified", 4, D(2021, 7, 1), D(2021, 9, 30)))
        create_target(
            s, TargetInput("碧湖镇1户", "rural_rectified", 1, D(2021, 7, 1), D(2021, 9, 30), town_id(s, "碧湖镇"))
        )
    with db.session_scope() as s:
        district, bihu = target_progress(s, D(2021, 8, 15))
        assert (district.done, district.figure, district.percent) == (2, 4, 50)
        assert district.days_left == 46 and district.division == "全区"
        assert (bihu.done, bihu.state, bihu.division) == (1, REACHED, "碧湖镇")
        # On 15 Aug, 46 of 92 days are gone: 2 done projects to 4 — on track. Counting stops at the deadline.
        assert district.state == ON_TRACK
        late = target_progress(s, D(2021, 10, 8))[0]
        assert (late.done, late.state, late.days_left) == (2, MISSED, -8)


def test_pace_warning_is_a_straight_line_from_start_to_deadline():
    start, deadline = D(2021, 7, 1), D(2021, 9, 30)  # 92 days
    assert pace_state(10, 380, start, deadline, D(2021, 7, 31))[0] == AT_RISK  # 31 days: projects to 30
    state, projected, expected = pace_state(150, 380, start, deadline, D(2021, 8, 15))
    assert (state, projected, expected) == (AT_RISK, 300, 190)
    assert pace_state(200, 380, start, deadline, D(2021, 8, 15))[0] == ON_TRACK
    assert pace_state(0, 10, start, deadline, D(2021, 6, 1))[0] == ON_TRACK  # not started yet
    assert pace_state(380, 380, start, deadline, D(2021, 8, 1))[0] == REACHED


def test_target_is_validated_and_needs_the_settings_permission(db, db_url):
    with db.session_scope() as s, pytest.raises(ValidationError, match="截止日期"):
        create_target(s, TargetInput("x", "rural_rectified", 5, D(2021, 7, 1), D(2021, 6, 1)))
    with db.session_scope() as s, pytest.raises(ValidationError, match="统计口径"):
        create_target(s, TargetInput("x", "nonsense", 5, D(2021, 7, 1), D(2021, 9, 1)))
    clerk_db = Database(db_url, clerk=ClerkRef(None, "录入员", "clerk", "科员"))
    try:
        with clerk_db.session_scope() as s, pytest.raises(PermissionDenied):
            create_target(s, TargetInput("x", "rural_rectified", 5, D(2021, 7, 1), D(2021, 9, 1)))
    finally:
        clerk_db.dispose()
