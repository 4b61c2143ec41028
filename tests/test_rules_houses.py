"""危房 case rules at their boundaries: a refused action says why in Chinese and leaves the database unchanged."""

from __future__ import annotations

import datetime as dt

import pytest
from houses_factories import appraise, make_house
from sqlalchemy import func, select

from liandu_desk.domain.errors import RuleError, ValidationError
from liandu_desk.domain.house_cases import CaseProgress, RectificationCase
from liandu_desk.services.houses import cases

D = dt.date
OPENED = D(2021, 3, 1)


def _case(db, measure: str = "维修加固") -> int:
    with db.session_scope() as s:
        house = make_house(s)
        appraise(s, house, "C", D(2021, 2, 1))
        return cases.open_case(s, house, cases.CaseInput(measure, OPENED, None)).id


def _progress_rows(db, case_id: int) -> list[tuple[str, int | None]]:
    with db.session_scope() as s:
        rows = s.scalars(select(CaseProgress).where(CaseProgress.case_id == case_id).order_by(CaseProgress.id))
        return [(r.text, r.percent) for r in rows]


def _status(db, case_id: int) -> str:
    with db.session_scope() as s:
        return s.get(RectificationCase, case_id).status.value


@pytest.mark.parametrize("percent", [0, 100, None])
def test_progress_percent_at_the_bounds_is_saved_and_starts_the_works(db, percent: int | None) -> None:
    case_id = _case(db)
    assert _status(db, case_id) == "待整改"
    with db.session_scope() as s:
        cases.add_progress(s, case_id, D(2021, 3, 5), "已进场施工", percent)
    assert _progress_rows(db, case_id) == [("已进场施工", percent)]
    assert _status(db, case_id) == "整改中"


@pytest.mark.parametrize("percent", [-1, 101])
def test_progress_percent_outside_0_to_100_is_refused_and_nothing_saved(db, percent: int) -> None:
    case_id = _case(db)
    with pytest.raises(ValidationError) as refused, db.session_scope() as s:
        cases.add_progress(s, case_id, D(2021, 3, 5), "已进场施工", percent)
    assert str(refused.value) == "完成比例：应在0至100之间"
    assert _progress_rows(db, case_id) == []
    assert _status(db, case_id) == "待整改"


def _closed_case(db) -> int:
    case_id = _case(db)
    with db.session_scope() as s:
        cases.complete_case(s, case_id, D(2021, 4, 1))
        appraise(s, s.get(RectificationCase, case_id).house_id, "B", D(2021, 4, 20))
        cases.close_case(s, case_id, D(2021, 5, 1))
    return case_id


def test_no_progress_after_close_out(db) -> None:
    case_id = _closed_case(db)
    with pytest.raises(RuleError, match="^案件已销号，不能再添加进展$"), db.session_scope() as s:
        cases.add_progress(s, case_id, D(2021, 5, 2), "补充说明", 50)
    assert _progress_rows(db, case_id) == []
    assert _status(db, case_id) == "已销号"


def test_no_edit_after_close_out(db) -> None:
    case_id = _closed_case(db)
    with pytest.raises(RuleError, match="^案件已销号，不能再修改$"), db.session_scope() as s:
        cases.update_case(s, case_id, cases.CaseInput("拆除", OPENED, None), None)
    with db.session_scope() as s:
        assert s.get(RectificationCase, case_id).measure.value == "维修加固"


def test_completion_on_the_opening_day_is_allowed_the_day_before_is_not(db) -> None:
    case_id = _case(db)
    with pytest.raises(ValidationError) as refused, db.session_scope() as s:
        cases.complete_case(s, case_id, OPENED - dt.timedelta(days=1))
    assert str(refused.value) == "完成日期：不能早于立案日期"
    assert _status(db, case_id) == "待整改"
    with db.session_scope() as s:
        cases.complete_case(s, case_id, OPENED)
    with db.session_scope() as s:
        row = s.get(RectificationCase, case_id)
        assert (row.status.value, row.completed_on) == ("已完成", OPENED)


def test_a_completed_case_cannot_be_completed_again(db) -> None:
    case_id = _case(db)
    with db.session_scope() as s:
        cases.complete_case(s, case_id, D(2021, 4, 1))
    with pytest.raises(RuleError, match="^案件状态为已完成，不能再次完成$"), db.session_scope() as s:
        cases.complete_case(s, case_id, D(2021, 4, 9))
    with db.session_scope() as s:
        assert s.get(RectificationCase, case_id).completed_on == D(2021, 4, 1)


def test_deadline_on_the_opening_day_is_allowed_the_day_before_is_not(db) -> None:
    with db.session_scope() as s:
        house = make_house(s)
        appraise(s, house, "C", D(2021, 2, 1))
    before = OPENED - dt.timedelta(days=1)
    with pytest.raises(ValidationError) as refused, db.session_scope() as s:
        cases.open_case(s, house, cases.CaseInput("维修加固", OPENED, before))
    assert str(refused.value) == "整改期限：不能早于立案日期"
    with db.session_scope() as s:
        assert s.scalar(select(func.count()).select_from(RectificationCase)) == 0
        case_id = cases.open_case(s, house, cases.CaseInput("维修加固", OPENED, OPENED)).id
    with db.session_scope() as s:
        assert s.get(RectificationCase, case_id).deadline == OPENED


def test_close_out_date_before_completion_is_refused_same_day_allowed(db) -> None:
    case_id = _case(db)
    with db.session_scope() as s:
        cases.complete_case(s, case_id, D(2021, 4, 1))
        appraise(s, s.get(RectificationCase, case_id).house_id, "A", D(2021, 4, 1))
    with pytest.raises(ValidationError, match="^销号日期：不能早于完成日期$"), db.session_scope() as s:
        cases.close_case(s, case_id, D(2021, 3, 31))
    assert _status(db, case_id) == "已完成"
    with db.session_scope() as s:
        result = cases.close_case(s, case_id, D(2021, 4, 1))
    assert result.warnings == ("销号依据：复鉴A级（2021-04-01，报告鉴20210401）",)
    assert _status(db, case_id) == "已销号"
