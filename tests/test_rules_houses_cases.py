"""整治案件 rules: who may be opened, what progress and completion need, and what evidence close-out (销号) needs."""

from __future__ import annotations

import datetime as dt

import pytest
from houses_factories import appraise, make_house
from sqlalchemy import func, select

from liandu_desk.domain.errors import ConflictError, NotFoundError, RuleError, ValidationError
from liandu_desk.domain.house_cases import CaseProgress, RectificationCase
from liandu_desk.domain.houses import House
from liandu_desk.services.houses import batches, cases
from liandu_desk.services.houses.appraisal import AppraisalInput, add_appraisal
from liandu_desk.services.settings import save_settings

D = dt.date
OPENED = D(2021, 3, 1)  # a Monday; 30 working days later (清明 4–5 April off) is 13 April


def _house(db, *grades: tuple[str, dt.date], **extra) -> int:
    with db.session_scope() as s:
        house = make_house(s, **extra)
        for grade, day in grades:
            appraise(s, house, grade, day)
        return house


def _count(db, model) -> int:
    with db.session_scope() as s:
        return s.scalar(select(func.count()).select_from(model))


def _case_row(db, case_id: int) -> dict:
    with db.session_scope() as s:
        r = s.get(RectificationCase, case_id)
        return {
            "status": r.status.value,
            "measure": r.measure.value,
            "opened_on": r.opened_on,
            "deadline": r.deadline,
            "responsible": r.responsible,
            "note": r.note,
            "batch_id": r.batch_id,
            "appraisal_id": r.appraisal_id,
            "completed_on": r.completed_on,
            "demolished_on": r.demolished_on,
            "closed_on": r.closed_on,
            "close_evidence": r.close_evidence,
            "version": r.version,
        }


def _summary(db, house_id: int) -> tuple:
    with db.session_scope() as s:
        h = s.get(House, house_id)
        return h.latest_grade, h.case_status, h.case_deadline


def _open(db, house_id: int, measure: str = "维修加固", **extra) -> int:
    with db.session_scope() as s:
        return cases.open_case(s, house_id, cases.CaseInput(measure, OPENED, **extra)).id


# --- opening a case -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("grade", ["C", "D"])
def test_a_c_or_d_house_is_opened_with_the_default_deadline_and_its_appraisal(db, grade: str) -> None:
    house = _house(db, ("B", D(2020, 5, 1)))
    with db.session_scope() as s:
        appraisal = appraise(s, house, grade, D(2021, 2, 1))
        result = cases.open_case(
            s, house, cases.CaseInput("维修加固", OPENED, None, "", "  碧湖镇建设办  ", "  先排险  ")
        )
    assert (result.version, result.warnings) == (1, ())
    row = _case_row(db, result.id)
    assert row["status"] == "待整改" and row["measure"] == "维修加固"
    assert (row["opened_on"], row["deadline"]) == (OPENED, D(2021, 4, 13))
    assert (row["responsible"], row["note"]) == ("碧湖镇建设办", "先排险")
    assert (row["appraisal_id"], row["batch_id"]) == (appraisal, None)
    assert _summary(db, house) == (grade, "待整改", D(2021, 4, 13))


def test_the_default_deadline_follows_the_configured_working_days(db) -> None:
    house = _house(db, ("C", D(2021, 2, 1)))
    with db.session_scope() as s:
        save_settings(s, {"deadline.house_rectify": 10})
    case_id = _open(db, house, note="   ")
    row = _case_row(db, case_id)
    assert (row["deadline"], row["note"], row["responsible"]) == (D(2021, 3, 15), None, "")


@pytest.mark.parametrize(
    ("grades", "message"),
    [
        ((), "该房屋尚未鉴定；只有鉴定为C级或D级（或列入核查批次）的房屋才能立案整治"),
        ((("B", D(2021, 2, 1)),), "该房屋最近鉴定为B级；只有鉴定为C级或D级（或列入核查批次）的房屋才能立案整治"),
        ((("A", D(2021, 2, 1)),), "该房屋最近鉴定为A级；只有鉴定为C级或D级（或列入核查批次）的房屋才能立案整治"),
        (
            (("D", D(2020, 1, 1)), ("B", D(2021, 2, 1))),
            "该房屋最近鉴定为B级；只有鉴定为C级或D级（或列入核查批次）的房屋才能立案整治",
        ),
    ],
)
def test_a_house_not_appraised_c_or_d_cannot_be_opened(db, grades, message: str) -> None:
    house = _house(db, *grades)
    with pytest.raises(RuleError) as refused, db.session_scope() as s:
        cases.open_case(s, house, cases.CaseInput("维修加固", OPENED))
    assert str(refused.value) == message
    assert _count(db, RectificationCase) == 0
    assert _summary(db, house)[1] is None


def test_opening_refuses_an_unknown_house_or_measure_and_a_long_responsible(db) -> None:
    house = _house(db, ("C", D(2021, 2, 1)))
    with pytest.raises(NotFoundError) as refused, db.session_scope() as s:
        cases.open_case(s, house + 99, cases.CaseInput("维修加固", OPENED))
    assert str(refused.value) == f"房屋（编号{house + 99}）不存在或已被删除"
    with pytest.raises(ValidationError) as refused, db.session_scope() as s:
        cases.open_case(s, house, cases.CaseInput("推倒", OPENED))
    assert (
        str(refused.value)
        == "整治措施：“推倒”不是可选值（可选：维修加固、拆除、拆除重建、翻建、封闭停用、警示、人员撤离、回购、征收）"
    )
    with pytest.raises(ValidationError, match="^责任人：不能超过60个字$"), db.session_scope() as s:
        cases.open_case(s, house, cases.CaseInput("维修加固", OPENED, responsible="责" * 61))
    assert _count(db, RectificationCase) == 0
    case_id = _open(db, house, responsible="责" * 60)
    assert _case_row(db, case_id)["responsible"] == "责" * 60


def test_a_second_open_case_on_the_same_house_is_refused_naming_the_house(db) -> None:
    house = _house(db, ("C", D(2021, 2, 1)), owner="李四", address="梅田村8号")
    first = _open(db, house)
    with pytest.raises(RuleError) as refused, db.session_scope() as s:
        cases.open_case(s, house, cases.CaseInput("拆除", OPENED))
    assert str(refused.value) == (
        f"房屋{house}（李四，梅田村8号）已有未办结的整治案件（可能是他人刚刚立案的），不能重复立案"
    )
    assert _count(db, RectificationCase) == 1
    assert _case_row(db, first)["measure"] == "维修加固"


def _batch_with(db, house_id: int, name: str = "2021省委巡视", outcome: str | None = None) -> int:
    with db.session_scope() as s:
        batch_id = batches.create_batch(s, name).id
        batches.add_members(s, batch_id, [house_id])
        if outcome:
            batches.verify_member(s, batch_id, house_id, outcome, D(2021, 2, 15))
        return batch_id


@pytest.mark.parametrize("outcome", [None, "确认"])
def test_a_house_flagged_by_a_batch_may_be_opened_without_a_c_or_d_appraisal(db, outcome) -> None:
    house = _house(db)
    batch_id = _batch_with(db, house, outcome=outcome)
    case_id = _open(db, house, batch="  2021省委巡视 ")
    row = _case_row(db, case_id)
    assert (row["batch_id"], row["appraisal_id"], row["status"]) == (batch_id, None, "待整改")


@pytest.mark.parametrize(
    ("setup", "batch", "error", "message"),
    [
        ("none", "不存在的批次", ValidationError, "来源批次：“不存在的批次”不存在"),
        ("other", "2021省委巡视", ValidationError, "来源批次：该房屋不在“2021省委巡视”名单中"),
        ("非危房", "2021省委巡视", RuleError, "该房屋在“2021省委巡视”中已核实为非危房，无需整治"),
        ("重复", "2021省委巡视", RuleError, "该房屋在“2021省委巡视”中已核实为重复，无需整治"),
    ],
)
def test_a_batch_that_does_not_flag_the_house_is_refused(db, setup, batch, error, message) -> None:
    house = _house(db, ("C", D(2021, 2, 1)))
    if setup == "other":
        _batch_with(db, _house(db, address="梅田村99号"))
    elif setup != "none":
        _batch_with(db, house, outcome=setup)
    with pytest.raises(error) as refused, db.session_scope() as s:
        cases.open_case(s, house, cases.CaseInput("维修加固", OPENED, batch=batch))
    assert str(refused.value) == message
    assert _count(db, RectificationCase) == 0


# --- editing ------------------------------------------------------------------------------------------------------


def test_an_open_case_is_edited_and_its_version_moves_on(db) -> None:
    house = _house(db, ("C", D(2021, 2, 1)))
    case_id = _open(db, house)
    with db.session_scope() as s:
        result = cases.update_case(
            s, case_id, cases.CaseInput("拆除", D(2021, 3, 2), D(2021, 6, 30), "", "镇政府", "改为拆除"), 1
        )
    assert (result.id, result.version) == (case_id, 2)
    row = _case_row(db, case_id)
    assert (row["measure"], row["opened_on"], row["deadline"], row["responsible"], row["note"]) == (
        "拆除",
        D(2021, 3, 2),
        D(2021, 6, 30),
        "镇政府",
        "改为拆除",
    )
    assert _summary(db, house) == ("C", "待整改", D(2021, 6, 30))


def test_editing_a_stale_or_missing_case_is_refused(db) -> None:
    case_id = _open(db, _house(db, ("C", D(2021, 2, 1))))
    with pytest.raises(ConflictError), db.session_scope() as s:
        cases.update_case(s, case_id, cases.CaseInput("拆除", OPENED), 7)
    assert _case_row(db, case_id)["measure"] == "维修加固"
    with pytest.raises(NotFoundError) as refused, db.session_scope() as s:
        cases.update_case(s, case_id + 5, cases.CaseInput("拆除", OPENED), None)
    assert str(refused.value) == f"整治案件（编号{case_id + 5}）不存在或已被删除"


# --- progress -----------------------------------------------------------------------------------------------------


def _progress(db, case_id: int) -> list[tuple]:
    with db.session_scope() as s:
        rows = s.scalars(select(CaseProgress).where(CaseProgress.case_id == case_id).order_by(CaseProgress.id))
        return [(r.id, r.on, r.text, r.percent, r.clerk_name) for r in rows]


def test_progress_is_saved_as_entered_and_the_house_shows_works_under_way(db) -> None:
    house = _house(db, ("C", D(2021, 2, 1)))
    case_id = _open(db, house)
    with db.session_scope() as s:
        first = cases.add_progress(s, case_id, D(2021, 3, 5), "  已进场  ")
        second = cases.add_progress(s, case_id, D(2021, 3, 9), "过半", 50, "王五")
    assert (first.version, second.version) == (1, 1)
    assert _progress(db, case_id) == [
        (first.id, D(2021, 3, 5), "已进场", None, ""),
        (second.id, D(2021, 3, 9), "过半", 50, "王五"),
    ]
    assert _case_row(db, case_id)["status"] == "整改中"
    assert _summary(db, house)[1] == "整改中"


@pytest.mark.parametrize(
    ("text", "message"), [("   ", "进展情况：不能为空"), ("进" * 2001, "进展情况：不能超过2000个字")]
)
def test_progress_needs_a_text_of_at_most_2000_characters(db, text: str, message: str) -> None:
    case_id = _open(db, _house(db, ("C", D(2021, 2, 1))))
    with pytest.raises(ValidationError) as refused, db.session_scope() as s:
        cases.add_progress(s, case_id, D(2021, 3, 5), text, 10)
    assert str(refused.value) == message
    assert _progress(db, case_id) == []
    assert _case_row(db, case_id)["status"] == "待整改"


def test_progress_on_a_completed_case_keeps_it_completed_and_a_missing_case_is_named(db) -> None:
    house = _house(db, ("C", D(2021, 2, 1)))
    case_id = _open(db, house)
    with db.session_scope() as s:
        cases.complete_case(s, case_id, D(2021, 4, 1))
        cases.add_progress(s, case_id, D(2021, 4, 2), "验收资料已归档", 100)
    assert _case_row(db, case_id)["status"] == "已完成"
    assert _summary(db, house)[1] == "已完成"
    with pytest.raises(NotFoundError) as refused, db.session_scope() as s:
        cases.add_progress(s, case_id + 3, D(2021, 4, 2), "x")
    assert str(refused.value) == f"整治案件（编号{case_id + 3}）不存在或已被删除"
    with pytest.raises(ValidationError, match="^完成比例：应在0至100之间$"), db.session_scope() as s:
        cases.add_progress(s, case_id, D(2021, 4, 2), "x", 101)
    assert len(_progress(db, case_id)) == 1


# --- completion ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("measure", ["拆除", "拆除重建", "翻建"])
def test_a_demolition_measure_records_the_demolition_date(db, measure: str) -> None:
    house = _house(db, ("D", D(2021, 2, 1)))
    case_id = _open(db, house, measure)
    with db.session_scope() as s:
        cases.add_progress(s, case_id, D(2021, 3, 2), "已动工")
        result = cases.complete_case(s, case_id, D(2021, 4, 1), D(2021, 3, 20), 2)
    assert (result.id, result.version) == (case_id, 3)
    row = _case_row(db, case_id)
    assert (row["status"], row["completed_on"], row["demolished_on"]) == ("已完成", D(2021, 4, 1), D(2021, 3, 20))
    assert _summary(db, house)[1] == "已完成"


@pytest.mark.parametrize("measure", ["维修加固", "封闭停用"])
def test_a_demolition_date_for_a_measure_that_is_no_demolition_is_refused(db, measure: str) -> None:
    case_id = _open(db, _house(db, ("C", D(2021, 2, 1))), measure)
    with pytest.raises(ValidationError) as refused, db.session_scope() as s:
        cases.complete_case(s, case_id, D(2021, 4, 1), D(2021, 3, 20))
    assert str(refused.value) == f"拆除日期：整治措施为{measure}，不是拆除类措施"
    row = _case_row(db, case_id)
    assert (row["status"], row["completed_on"], row["demolished_on"]) == ("待整改", None, None)


def test_completing_a_stale_missing_or_closed_case_is_refused(db) -> None:
    house = _house(db, ("C", D(2021, 2, 1)))
    case_id = _open(db, house)
    with pytest.raises(ConflictError), db.session_scope() as s:
        cases.complete_case(s, case_id, D(2021, 4, 1), expected_version=2)
    assert _case_row(db, case_id)["status"] == "待整改"
    with (
        pytest.raises(NotFoundError, match=f"^整治案件（编号{case_id + 1}）不存在或已被删除$"),
        db.session_scope() as s,
    ):
        cases.complete_case(s, case_id + 1, D(2021, 4, 1))
    with pytest.raises(ValidationError, match="^完成日期：不能早于立案日期$"), db.session_scope() as s:
        cases.complete_case(s, case_id, D(2021, 2, 28))
    with db.session_scope() as s:
        cases.complete_case(s, case_id, D(2021, 4, 1), expected_version=1)
        appraise(s, house, "B", D(2021, 4, 5))
        cases.close_case(s, case_id, D(2021, 4, 6))
    with pytest.raises(RuleError) as refused, db.session_scope() as s:
        cases.complete_case(s, case_id, D(2021, 4, 9))
    assert str(refused.value) == "案件状态为已销号，不能再次完成"
    assert _case_row(db, case_id)["completed_on"] == D(2021, 4, 1)


# --- close-out (销号) ---------------------------------------------------------------------------------------------


def _completed(db, house: int, measure: str = "维修加固", demolished: dt.date | None = None) -> int:
    case_id = _open(db, house, measure)
    with db.session_scope() as s:
        cases.complete_case(s, case_id, D(2021, 4, 1), demolished)
    return case_id


def _refused_close(db, case_id: int, message: str, error=RuleError) -> None:
    before = _case_row(db, case_id)
    with pytest.raises(error) as refused, db.session_scope() as s:
        cases.close_case(s, case_id, D(2021, 5, 1))
    assert str(refused.value) == message
    assert _case_row(db, case_id) == before


def test_only_a_completed_case_can_be_closed(db) -> None:
    house = _house(db, ("C", D(2021, 2, 1)))
    case_id = _open(db, house)
    with db.session_scope() as s:
        appraise(s, house, "A", D(2021, 4, 5))
    _refused_close(db, case_id, "案件状态为待整改，整改完成后才能销号")
    with db.session_scope() as s:
        cases.add_progress(s, case_id, D(2021, 4, 6), "施工中")
    _refused_close(db, case_id, "案件状态为整改中，整改完成后才能销号")
    with (
        pytest.raises(NotFoundError, match=f"^整治案件（编号{case_id + 4}）不存在或已被删除$"),
        db.session_scope() as s,
    ):
        cases.close_case(s, case_id + 4, D(2021, 5, 1))


NO_EVIDENCE = "销号需要依据：整改后复鉴为A级或B级，或已记录拆除日期"


def test_close_out_needs_an_a_or_b_reappraisal_dated_on_or_after_the_opening(db) -> None:
    house = _house(db, ("B", D(2020, 1, 1)), ("C", D(2021, 2, 1)))
    other = _house(db, ("A", D(2021, 4, 2)), address="梅田村13号")
    case_id = _completed(db, house)
    assert other != house
    _refused_close(db, case_id, NO_EVIDENCE)  # the B before the case and another house's A do not count
    with db.session_scope() as s:
        appraise(s, house, "A", OPENED - dt.timedelta(days=1))
        appraise(s, house, "C", D(2021, 4, 3))
    _refused_close(db, case_id, NO_EVIDENCE)
    with db.session_scope() as s:
        appraise(s, house, "B", OPENED)
        result = cases.close_case(s, case_id, D(2021, 5, 1), 2)
    assert (result.id, result.version) == (case_id, 3)
    assert result.warnings == ("销号依据：复鉴B级（2021-03-01，报告鉴20210301）",)
    row = _case_row(db, case_id)
    assert (row["status"], row["closed_on"], row["close_evidence"]) == (
        "已销号",
        D(2021, 5, 1),
        "复鉴B级（2021-03-01，报告鉴20210301）",
    )
    assert _summary(db, house)[1] == "已销号"


def test_the_latest_reappraisal_is_the_evidence_and_a_missing_report_number_is_left_out(db) -> None:
    house = _house(db, ("C", D(2021, 2, 1)))
    case_id = _completed(db, house)
    with db.session_scope() as s:
        appraise(s, house, "A", D(2021, 4, 25))
        appraise(s, house, "B", D(2021, 4, 10))
    with db.session_scope() as s:  # the latest by date, not by entry
        assert cases.close_out_evidence(s, s.get(RectificationCase, case_id)) == "复鉴A级（2021-04-25，报告鉴20210425）"
        appraise(s, house, "A", D(2021, 4, 20))
        add_appraisal(s, house, AppraisalInput(D(2021, 4, 25), "B", "丽水市房屋安全鉴定所", ""))
        result = cases.close_case(s, case_id, D(2021, 5, 1))
    assert result.warnings == ("销号依据：复鉴B级（2021-04-25）",)  # same day: the later entry


def test_the_appraisal_a_batch_case_was_opened_on_is_no_evidence(db) -> None:
    house = _house(db, ("B", OPENED))
    _batch_with(db, house)
    with db.session_scope() as s:
        case_id = cases.open_case(s, house, cases.CaseInput("维修加固", OPENED, batch="2021省委巡视")).id
        cases.complete_case(s, case_id, D(2021, 4, 1))
    assert _case_row(db, case_id)["appraisal_id"] is not None
    _refused_close(db, case_id, NO_EVIDENCE)
    with db.session_scope() as s:
        appraise(s, house, "B", OPENED)
        assert cases.close_case(s, case_id, D(2021, 5, 1)).warnings == (
            "销号依据：复鉴B级（2021-03-01，报告鉴20210301）",
        )


def test_a_recorded_demolition_is_evidence_and_a_reappraisal_comes_first(db) -> None:
    house = _house(db, ("D", D(2021, 2, 1)))
    case_id = _completed(db, house, "拆除", D(2021, 3, 20))
    with db.session_scope() as s:
        result = cases.close_case(s, case_id, D(2021, 4, 1))
    assert result.warnings == ("销号依据：已拆除（2021-03-20）",)
    assert _case_row(db, case_id)["close_evidence"] == "已拆除（2021-03-20）"
    second = _house(db, ("D", D(2021, 2, 1)), address="梅田村14号")
    case_id = _completed(db, second, "拆除重建", D(2021, 3, 20))
    with db.session_scope() as s:
        appraise(s, second, "A", D(2021, 3, 25))
        assert cases.close_case(s, case_id, D(2021, 4, 1)).warnings == (
            "销号依据：复鉴A级（2021-03-25，报告鉴20210325）",
        )


def test_close_out_of_a_stale_case_or_before_completion_day_is_refused(db) -> None:
    house = _house(db, ("C", D(2021, 2, 1)))
    case_id = _completed(db, house)
    with db.session_scope() as s:
        appraise(s, house, "A", D(2021, 4, 2))
    with pytest.raises(ConflictError), db.session_scope() as s:
        cases.close_case(s, case_id, D(2021, 5, 1), 1)
    with pytest.raises(ValidationError, match="^销号日期：不能早于完成日期$"), db.session_scope() as s:
        cases.close_case(s, case_id, D(2021, 3, 31))
    assert _case_row(db, case_id)["status"] == "已完成"
    with db.session_scope() as s:
        cases.close_case(s, case_id, D(2021, 4, 1))
    _refused_close(db, case_id, "案件状态为已销号，整改完成后才能销号")


def test_progress_and_completion_dates_are_required_and_not_in_the_future(db) -> None:
    case_id = _open(db, _house(db, ("C", D(2021, 2, 1))))
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    for on, message in ((None, "进展日期：不能为空"), (tomorrow, "进展日期：不能晚于今天")):
        with pytest.raises(ValidationError) as refused, db.session_scope() as s:
            cases.add_progress(s, case_id, on, "已进场")
        assert str(refused.value) == message
    for on, message in ((None, "完成日期：不能为空"), (tomorrow, "完成日期：不能晚于今天")):
        with pytest.raises(ValidationError) as refused, db.session_scope() as s:
            cases.complete_case(s, case_id, on)
        assert str(refused.value) == message
    assert _progress(db, case_id) == []
    assert _case_row(db, case_id)["status"] == "待整改"


def test_opening_demolition_and_close_out_dates_may_not_lie_in_the_future(db) -> None:
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    house = _house(db, ("D", D(2021, 2, 1)))
    with pytest.raises(ValidationError) as refused, db.session_scope() as s:
        cases.open_case(s, house, cases.CaseInput("拆除", tomorrow))
    assert str(refused.value) == "立案日期：不能晚于今天"
    assert _count(db, RectificationCase) == 0
    case_id = _open(db, house, "拆除")
    with pytest.raises(ValidationError) as refused, db.session_scope() as s:
        cases.complete_case(s, case_id, D(2021, 4, 1), tomorrow)
    assert str(refused.value) == "拆除日期：不能晚于今天"
    assert _case_row(db, case_id)["status"] == "待整改"
    with db.session_scope() as s:
        cases.complete_case(s, case_id, D(2021, 4, 1), D(2021, 3, 30))
    with pytest.raises(ValidationError) as refused, db.session_scope() as s:
        cases.close_case(s, case_id, tomorrow)
    assert str(refused.value) == "销号日期：不能晚于今天"
    assert _case_row(db, case_id)["status"] == "已完成"


def test_the_named_batch_decides_even_when_another_batch_verified_the_house_out(db) -> None:
    house = _house(db)
    _batch_with(db, house, "2020专项", outcome="非危房")
    batch_id = _batch_with(db, house, "2021省委巡视")
    case_id = _open(db, house, batch="2021省委巡视")
    assert _case_row(db, case_id)["batch_id"] == batch_id
    with pytest.raises(RuleError, match="^该房屋在“2020专项”中已核实为非危房，无需整治$"), db.session_scope() as s:
        cases.open_case(s, house, cases.CaseInput("维修加固", OPENED, batch="2020专项"))


def test_a_record_without_owner_or_address_is_named_by_its_number_in_the_refusal(db) -> None:
    from sqlalchemy import update

    house = _house(db, ("C", D(2021, 2, 1)))
    _open(db, house)
    with db.session_scope() as s:  # a record kept from before both were required
        s.execute(update(House).where(House.id == house).values(owner_name="", address=""))
    with pytest.raises(RuleError) as refused, db.session_scope() as s:
        cases.open_case(s, house, cases.CaseInput("拆除", OPENED))
    assert str(refused.value) == (
        f"房屋{house}（户主不详，地址不详）已有未办结的整治案件（可能是他人刚刚立案的），不能重复立案"
    )
