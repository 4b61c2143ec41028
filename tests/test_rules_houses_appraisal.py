"""鉴定 rules: usual handling per grade (warnings, never blocks), the standard by house kind, and the grade history."""

from __future__ import annotations

import datetime as dt

import pytest
from houses_factories import make_house, township_and_village
from sqlalchemy import func, select

from liandu_desk.domain.errors import ConflictError, NotFoundError, ValidationError
from liandu_desk.domain.houses import Appraisal, House
from liandu_desk.services.houses.appraisal import (
    AppraisalInput,
    add_appraisal,
    correct_appraisal,
    grade_history,
    handling_warnings,
)

D = dt.date


@pytest.mark.parametrize(
    ("grade", "handling", "warnings"),
    [
        ("A", None, []),
        ("B", None, []),
        ("A", "观察使用", ["处理类型：A级房屋一般无需处理类型（已填“观察使用”）"]),
        ("B", "整体拆除", ["处理类型：B级房屋一般无需处理类型（已填“整体拆除”）"]),
        ("C", None, ["处理类型：C级危房应填写处理类型（通常为处理使用或观察使用）"]),
        ("D", None, ["处理类型：D级危房应填写处理类型（通常为停止使用或整体拆除）"]),
        ("C", "处理使用", []),
        ("C", "观察使用", []),
        ("D", "停止使用", []),
        ("D", "整体拆除", []),
        ("C", "整体拆除", ["处理类型：C级房屋通常为处理使用或观察使用，所填“整体拆除”较少见，请核实"]),
        ("D", "变更使用", ["处理类型：D级房屋通常为停止使用或整体拆除，所填“变更使用”较少见，请核实"]),
    ],
)
def test_handling_warnings_by_grade(grade: str, handling: str | None, warnings: list[str]) -> None:
    assert handling_warnings(grade, handling) == warnings
    assert handling_warnings(grade, handling or "") == warnings


def _row(db, appraisal_id: int) -> tuple:
    with db.session_scope() as s:
        r = s.get(Appraisal, appraisal_id)
        return (
            r.appraised_on,
            r.grade.value,
            r.handling and r.handling.value,
            r.agency,
            r.report_no,
            r.note,
            r.standard and r.standard.value,
            r.disaster_measures,
            r.version,
        )


def _latest_grade(db, house_id: int) -> str | None:
    with db.session_scope() as s:
        return s.get(House, house_id).latest_grade


def _urban(s) -> int:
    town, community = township_and_village(s, "紫金街道", "高井社区", "社区")
    return make_house(s, kind="城镇", township_id=town, village_id=community, address="高井弄3号")


def test_a_rural_appraisal_is_stored_as_entered_with_the_rural_guide(db) -> None:
    with db.session_scope() as s:
        house = make_house(s)
        result = add_appraisal(
            s,
            house,
            AppraisalInput(
                D(2021, 2, 1),
                "D",
                " 丽水市房屋安全鉴定所 ",
                " 鉴2021-1 ",
                "停止使用",
                " 备注 ",
                disaster_measures=" 设置警示 ",
            ),
        )
    assert (result.version, result.warnings) == (1, ())
    assert _row(db, result.id) == (
        D(2021, 2, 1),
        "D",
        "停止使用",
        "丽水市房屋安全鉴定所",
        "鉴2021-1",
        "备注",
        "农村住房安全性鉴定技术导则",
        "设置警示",
        1,
    )
    assert _latest_grade(db, house) == "D"


def test_an_urban_appraisal_defaults_to_jgj_125_and_keeps_a_chosen_standard(db) -> None:
    with db.session_scope() as s:
        house = _urban(s)
        plain = add_appraisal(s, house, AppraisalInput(D(2021, 2, 1), "C", handling="处理使用"))
        chosen = add_appraisal(s, house, AppraisalInput(D(2021, 3, 1), "B", standard="GB 50292-2015", note="  "))
    assert _row(db, plain.id)[6] == "JGJ 125-2016"
    assert _row(db, chosen.id)[5:8] == (None, "GB 50292-2015", None)
    with db.session_scope() as s:
        correct_appraisal(s, chosen.id, AppraisalInput(D(2021, 3, 1), "A"), 1)
        correct_appraisal(
            s,
            plain.id,
            AppraisalInput(D(2021, 2, 1), "C", handling="处理使用", standard="农村住房安全性鉴定技术导则"),
            1,
        )
    assert _row(db, chosen.id)[6] == "GB 50292-2015"  # a correction without a standard keeps the one recorded
    assert _row(db, plain.id)[6] == "农村住房安全性鉴定技术导则"
    assert _latest_grade(db, house) == "A"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (AppraisalInput(D(2021, 2, 1), "E"), "鉴定等级：“E”不是可选值"),
        (AppraisalInput(D(2021, 2, 1), "C", handling="推倒"), "处理类型：“推倒”不是可选值"),
        (AppraisalInput(D(2021, 2, 1), "C", standard="地方标准"), "鉴定标准：“地方标准”不是可选值"),
        (AppraisalInput(D(2021, 2, 1), "C", agency="所" * 101), "鉴定机构：不能超过100个字"),
        (AppraisalInput(D(2021, 2, 1), "C", report_no="号" * 61), "报告编号：不能超过60个字"),
        (AppraisalInput(D(2021, 2, 1), "C", disaster_measures="措" * 201), "防灾措施结论：不能超过200个字"),
        (AppraisalInput(None, "C"), "鉴定日期：不能为空"),
    ],
)
def test_an_invalid_appraisal_is_refused_and_nothing_saved(db, data: AppraisalInput, message: str) -> None:
    with db.session_scope() as s:
        house = make_house(s)
    with pytest.raises(ValidationError) as refused, db.session_scope() as s:
        add_appraisal(s, house, data)
    assert str(refused.value).startswith(message)
    with db.session_scope() as s:
        assert s.scalar(select(func.count()).select_from(Appraisal)) == 0
    assert _latest_grade(db, house) is None


def test_disaster_measures_are_for_rural_houses_only(db) -> None:
    with db.session_scope() as s:
        house = _urban(s)
    with pytest.raises(ValidationError) as refused, db.session_scope() as s:
        add_appraisal(s, house, AppraisalInput(D(2021, 2, 1), "C", disaster_measures="设置警示"))
    assert str(refused.value) == "防灾措施结论：只有农村房屋的鉴定记录防灾措施结论"
    with db.session_scope() as s:
        result = add_appraisal(s, house, AppraisalInput(D(2021, 2, 1), "A", disaster_measures="   "))
    assert _row(db, result.id)[7] is None
    with db.session_scope() as s:
        rural = make_house(s, address="梅田村5号")
        result = add_appraisal(s, rural, AppraisalInput(D(2021, 2, 1), "A", disaster_measures="措" * 200))
    assert _row(db, result.id)[7] == "措" * 200


def test_a_correction_keeps_the_history_and_refreshes_the_latest_grade(db) -> None:
    with db.session_scope() as s:
        house = make_house(s)
        first = add_appraisal(s, house, AppraisalInput(D(2021, 2, 1), "C", handling="处理使用")).id
        add_appraisal(s, house, AppraisalInput(D(2021, 1, 1), "D", handling="停止使用"))
        add_appraisal(s, house, AppraisalInput(D(2021, 2, 1), "B"))
    assert _latest_grade(db, house) == "B"
    with db.session_scope() as s:
        assert grade_history(s, house) == [(D(2021, 1, 1), "D"), (D(2021, 2, 1), "C"), (D(2021, 2, 1), "B")]
        result = correct_appraisal(s, first, AppraisalInput(D(2021, 3, 1), "D"), 1)
    assert (result.id, result.version) == (first, 2)
    assert result.warnings == ("处理类型：D级危房应填写处理类型（通常为停止使用或整体拆除）",)
    assert _latest_grade(db, house) == "D"
    with pytest.raises(ConflictError), db.session_scope() as s:
        correct_appraisal(s, first, AppraisalInput(D(2021, 3, 1), "A"), 1)
    with pytest.raises(NotFoundError, match=f"^鉴定记录（编号{first + 9}）不存在或已被删除$"), db.session_scope() as s:
        correct_appraisal(s, first + 9, AppraisalInput(D(2021, 3, 1), "A"), None)
    with pytest.raises(NotFoundError, match=f"^房屋（编号{house + 9}）不存在或已被删除$"), db.session_scope() as s:
        add_appraisal(s, house + 9, AppraisalInput(D(2021, 3, 1), "A"))
    assert _row(db, first)[1] == "D"


def test_a_correction_of_a_rural_appraisal_may_record_disaster_measures(db) -> None:
    with db.session_scope() as s:
        house = make_house(s)
        appraisal = add_appraisal(s, house, AppraisalInput(D(2021, 2, 1), "C", handling="处理使用")).id
        correct_appraisal(
            s, appraisal, AppraisalInput(D(2021, 2, 1), "C", handling="处理使用", disaster_measures="设置警示"), 1
        )
    assert _row(db, appraisal)[6:9] == ("农村住房安全性鉴定技术导则", "设置警示", 2)
