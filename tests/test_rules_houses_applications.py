"""困难家庭危房改造 and 核查批次 rules: eligibility, the subsidy table, approval order, batch figures as of a day."""

from __future__ import annotations

import datetime as dt

import pytest
from houses_factories import appraise, make_house, township_and_village
from sqlalchemy import func, select

from liandu_desk.domain.errors import ConflictError, NotFoundError, PermissionDenied, RuleError, ValidationError
from liandu_desk.domain.house_cases import BatchMember, RenovationApplication, SourceBatch
from liandu_desk.domain.registry import Person
from liandu_desk.services.houses import applications, batches, cases
from liandu_desk.services.houses.applications import ApplicationInput, Eligibility, SubsidyLookup
from liandu_desk.storage import ClerkRef, Database

D = dt.date
ID = "11010519491231002X"
UNVERIFIED = "金额未经核实（依据文件未找到，请按当年文件修改补助标准表）"


# --- eligibility --------------------------------------------------------------------------------------------------


def test_eligibility_and_its_reason(db) -> None:
    with db.session_scope() as s:
        house = make_house(s)
        town, community = township_and_village(s, "紫金街道", "高井社区", "社区")
        urban = make_house(s, kind="城镇", township_id=town, village_id=community, address="高井弄3号")
        appraise(s, urban, "D", D(2021, 3, 1))
        check = applications.check_eligibility
        assert check(s, "普通农户", house) == Eligibility(False, "“普通农户”不属于农村低收入群体等重点对象")
        assert check(s, "低保户", None) == Eligibility(True, "低保户，无房户")
        assert check(s, "低保户", house + 99) == Eligibility(False, "房屋不存在")
        assert check(s, "低保户", urban) == Eligibility(False, "困难家庭危房改造只适用于农村房屋")
        assert check(s, "低保户", house) == Eligibility(False, "房屋尚未鉴定，须鉴定为C级或D级")
        appraise(s, house, "D", D(2021, 1, 1))
        appraise(s, house, "B", D(2021, 3, 1))
        assert check(s, "低保户", house) == Eligibility(False, "房屋鉴定为B级，须为C级或D级")
        appraise(s, house, "C", D(2021, 4, 1))
        assert check(s, "贫困残疾人家庭", house) == Eligibility(True, "贫困残疾人家庭，房屋鉴定为C级")


# --- the subsidy table --------------------------------------------------------------------------------------------


def test_subsidy_rates_are_added_or_changed_and_looked_up(db) -> None:
    with db.session_scope() as s:
        first = applications.set_subsidy_rate(s, 2021, "低保户", "维修加固", 0)
        again = applications.set_subsidy_rate(s, 2021, "低保户", "维修加固", 18500, True, "  " + "文" * 201)
        applications.set_subsidy_rate(s, 2020, "低保边缘家庭", "维修加固", 15000)
        applications.set_subsidy_rate(s, 2021, "分散供养特困人员", "拆除重建", 45000)
        applications.set_subsidy_rate(s, 2020, "低保户", "拆除重建", 40000)
        applications.set_subsidy_rate(s, 2021, "低保户", "拆除重建", 43000)
    assert (again.id, again.version) == (first.id, 2)
    with db.session_scope() as s:
        assert applications.subsidy_amount(s, 2021, "低保户", "维修加固") == SubsidyLookup(18500, True)
        assert applications.subsidy_amount(s, 2021, "低保户", "拆除重建") == SubsidyLookup(43000, False)
        assert applications.subsidy_amount(s, 2022, "低保户", "维修加固") == SubsidyLookup(None, False)
        assert applications.subsidy_amount(s, 2021, "低保边缘家庭", "维修加固") == SubsidyLookup(None, False)
        assert applications.subsidy_table(s) == [  # by year, household category, measure
            (2020, "低保户", "拆除重建", 40000, False),
            (2020, "低保边缘家庭", "维修加固", 15000, False),
            (2021, "低保户", "拆除重建", 43000, False),
            (2021, "低保户", "维修加固", 18500, True),
            (2021, "分散供养特困人员", "拆除重建", 45000, False),
        ]
        assert [r[:2] for r in applications.subsidy_table(s, 2020)] == [(2020, "低保户"), (2020, "低保边缘家庭")]
        with pytest.raises(ValidationError, match="^家庭类别：“富户”不是可选值"):
            applications.subsidy_amount(s, 2021, "富户", "维修加固")
        with pytest.raises(ValidationError, match="^改造方式：“搬家”不是可选值"):
            applications.subsidy_amount(s, 2021, "低保户", "搬家")
        source = s.scalar(select(applications.SubsidyRate.source).where(applications.SubsidyRate.id == first.id))
    assert source == "文" * 200


def test_subsidy_labels() -> None:
    assert SubsidyLookup(None, False).label == "补助标准表中无此项"
    assert SubsidyLookup(43000, True).label == "43000元"
    assert SubsidyLookup(18000, False).label == f"18000元（{UNVERIFIED}）"


def test_invalid_subsidy_rates_are_refused(db) -> None:
    for args, message in (
        ((2021, "低保户", "维修加固", -1), "补助金额：不能为负数"),
        ((2021, "富户", "维修加固", 100), "家庭类别：“富户”不是可选值"),
        ((2021, "低保户", "搬家", 100), "改造方式：“搬家”不是可选值"),
    ):
        with pytest.raises(ValidationError) as refused, db.session_scope() as s:
            applications.set_subsidy_rate(s, *args)
        assert str(refused.value).startswith(message)
    reviewer = Database(db.url.render_as_string(hide_password=False), clerk=ClerkRef(2, "审核甲", "r", "审核"))
    try:
        with pytest.raises(PermissionDenied), reviewer.session_scope() as s:
            applications.set_subsidy_rate(s, 2021, "低保户", "维修加固", 100)
    finally:
        reviewer.dispose()
    with db.session_scope() as s:
        assert applications.subsidy_table(s) == []


# --- applications -------------------------------------------------------------------------------------------------


def _input(town: int, house: int | None, **extra) -> ApplicationInput:
    values = dict(
        applicant_name="张三",
        applicant_id_number=ID,
        township_id=town,
        year=2021,
        category="低保户",
        measure="维修加固",
        applied_on=D(2021, 7, 1),
        house_id=house,
    )
    values.update(extra)
    return ApplicationInput(**values)


def _applications(db) -> list[tuple]:
    with db.session_scope() as s:
        rows = s.scalars(select(RenovationApplication).order_by(RenovationApplication.id))
        return [
            (
                r.applicant_id,
                r.house_id,
                r.year,
                r.category.value,
                r.measure.value,
                r.applied_on,
                r.status.value,
                r.subsidy_amount,
                r.amount_verified,
                r.eligibility_note,
                r.note,
                r.village_id,
            )
            for r in rows
        ]


def test_an_application_takes_the_verified_amount_and_records_the_applicant(db) -> None:
    with db.session_scope() as s:
        town, village = township_and_village(s)
        house = make_house(s)
        appraise(s, house, "C", D(2021, 3, 1))
        applications.set_subsidy_rate(s, 2021, "低保户", "维修加固", 18000, verified=True)
        result = applications.submit_application(
            s, _input(town, house, village_id=village, applicant_phone=" 138-1234-5678 ", note="  急  ")
        )
    assert (result.version, result.warnings) == (1, ())
    with db.session_scope() as s:
        person = s.scalar(select(Person).where(Person.id_number == ID))
        person_id, phone = person.id, person.phone
    assert phone == "13812345678"
    assert _applications(db) == [
        (
            person_id,
            house,
            2021,
            "低保户",
            "维修加固",
            D(2021, 7, 1),
            "待审核",
            18000,
            True,
            "低保户，房屋鉴定为C级",
            "急",
            village,
        ),
    ]


def test_an_application_without_a_table_amount_warns_and_a_known_person_is_reused(db) -> None:
    with db.session_scope() as s:
        town, _ = township_and_village(s)
        first = applications.submit_application(s, _input(town, None, year=2000, applicant_id_number=ID.lower()))
        second = applications.submit_application(s, _input(town, None, note=" ", year=dt.date.today().year + 1))
        assert s.scalar(select(func.count()).select_from(Person)) == 1
    assert first.warnings == ("补助金额：补助标准表中无此项",) == second.warnings
    rows = _applications(db)
    assert [(r[2], r[7], r[8], r[9], r[10]) for r in rows] == [
        (2000, None, False, "低保户，无房户", None),
        (dt.date.today().year + 1, None, False, "低保户，无房户", None),
    ]


@pytest.mark.parametrize(
    ("extra", "error", "message"),
    [
        ({"category": "普通农户"}, RuleError, "不符合申报条件：“普通农户”不属于农村低收入群体等重点对象"),
        ({"year": 1999}, ValidationError, "申报年度：年份不正确"),
        ({"year": dt.date.today().year + 2}, ValidationError, "申报年度：年份不正确"),
        ({"applicant_name": "张"}, ValidationError, "申请人姓名：至少2个字"),
        ({"applicant_name": " "}, ValidationError, "申请人姓名：不能为空"),
        ({"applicant_name": "张" * 21}, ValidationError, "申请人姓名：不能超过20个字"),
        ({"applicant_id_number": "11010519491231002"}, ValidationError, "申请人身份证号：应为18位，实际17位"),
        ({"applicant_phone": "12345"}, ValidationError, "联系电话：应为以1开头、第二位为3至9的11位手机号码"),
        ({"measure": "搬家"}, ValidationError, "改造方式：“搬家”不是可选值"),
        ({"applied_on": None}, ValidationError, "申报日期：不能为空"),
    ],
)
def test_an_invalid_application_is_refused_and_nothing_saved(db, extra, error, message: str) -> None:
    with db.session_scope() as s:
        town, _ = township_and_village(s)
    with pytest.raises(error) as refused, db.session_scope() as s:
        applications.submit_application(s, _input(town, None, **extra))
    assert str(refused.value).startswith(message)
    assert _applications(db) == []
    with db.session_scope() as s:
        assert s.scalar(select(func.count()).select_from(Person)) == 0


def test_an_id_number_registered_under_another_name_is_refused(db) -> None:
    with db.session_scope() as s:
        town, _ = township_and_village(s)
        applications.submit_application(s, _input(town, None))
    with pytest.raises(ValidationError) as refused, db.session_scope() as s:
        applications.submit_application(s, _input(town, None, applicant_name="李四"))
    assert str(refused.value) == "申请人身份证号：该身份证号已登记为“张三”，与申请人姓名不符"
    assert len(_applications(db)) == 1


def test_payment_only_after_approval(db) -> None:
    with db.session_scope() as s:
        town, _ = township_and_village(s)
        app_id = applications.submit_application(s, _input(town, None)).id
    with pytest.raises(RuleError) as refused, db.session_scope() as s:
        applications.decide_application(s, app_id, "已拨付", D(2021, 8, 1))
    assert str(refused.value) == "申请批准后才能拨付"
    with pytest.raises(ConflictError), db.session_scope() as s:
        applications.decide_application(s, app_id, "已批准", D(2021, 8, 1), 2)
    with pytest.raises(ValidationError, match="^审批状态：“作废”不是可选值"), db.session_scope() as s:
        applications.decide_application(s, app_id, "作废", D(2021, 8, 1))
    with pytest.raises(NotFoundError, match=f"^改造申请（编号{app_id + 1}）不存在或已被删除$"), db.session_scope() as s:
        applications.decide_application(s, app_id + 1, "已批准", D(2021, 8, 1))
    assert _applications(db)[0][6] == "待审核"
    with db.session_scope() as s:
        approved = applications.decide_application(s, app_id, "已批准", D(2021, 8, 1), 1)
        paid = applications.decide_application(s, app_id, "已拨付", D(2021, 9, 1), 2)
    assert (approved.id, approved.version, paid.version) == (app_id, 2, 3)
    with db.session_scope() as s:
        row = s.get(RenovationApplication, app_id)
        assert (row.status.value, row.decided_on) == ("已拨付", D(2021, 9, 1))


# --- source batches -----------------------------------------------------------------------------------------------


def test_batch_names_are_unique_and_required(db) -> None:
    with db.session_scope() as s:
        first = batches.create_batch(s, "  2021省委巡视 ", " 省委 ", D(2021, 1, 5))
        row = s.get(SourceBatch, first.id)
        assert (row.name, row.source, row.issued_on, first.version) == ("2021省委巡视", "省委", D(2021, 1, 5), 1)
    for name, message in (
        ("2021省委巡视", "批次名称：“2021省委巡视”已存在"),
        (" ", "批次名称：不能为空"),
        ("批" * 61, "批次名称：不能超过60个字"),
    ):
        with pytest.raises(ValidationError) as refused, db.session_scope() as s:
            batches.create_batch(s, name)
        assert str(refused.value) == message
    with pytest.raises(ValidationError, match="^来源：不能超过60个字$"), db.session_scope() as s:
        batches.create_batch(s, "另一批", "源" * 61)
    with db.session_scope() as s:
        assert s.scalar(select(func.count()).select_from(SourceBatch)) == 1
        assert s.get(SourceBatch, batches.create_batch(s, "无日期批次").id).issued_on is None


def test_members_are_added_once_and_verified(db) -> None:
    with db.session_scope() as s:
        a, b = make_house(s), make_house(s, address="梅田村2号")
        batch = batches.create_batch(s, "2021省委巡视").id
        assert batches.add_members(s, batch, [a, b, a]) == 2
        assert batches.add_members(s, batch, [b]) == 0
    with pytest.raises(NotFoundError, match=f"^批次（编号{batch + 1}）不存在或已被删除$"), db.session_scope() as s:
        batches.add_members(s, batch + 1, [a])
    with pytest.raises(NotFoundError, match=f"^房屋（编号{b + 9}）不存在或已被删除$"), db.session_scope() as s:
        batches.add_members(s, batch, [b + 9])
    with db.session_scope() as s:
        assert s.scalar(select(func.count()).select_from(BatchMember)) == 2
        result = batches.verify_member(s, batch, a, "非危房", D(2021, 2, 1), "  现场核实 ")
        member = s.get(BatchMember, result.id)
        assert (member.verification.value, member.verified_on, member.note) == ("非危房", D(2021, 2, 1), "现场核实")
        assert batches.verify_member(s, batch, b, "确认", D(2021, 2, 2), " ").version == 2
        assert s.get(BatchMember, result.id + 1).note is None
    with pytest.raises(ValidationError) as refused, db.session_scope() as s:
        batches.verify_member(s, batch, b + 9, "确认", D(2021, 2, 2))
    assert str(refused.value) == "核实：该房屋不在此批次名单中"
    with pytest.raises(ValidationError, match="^核实结果：“存疑”不是可选值"), db.session_scope() as s:
        batches.verify_member(s, batch, b, "存疑", D(2021, 2, 2))


def test_batch_figures_leave_verified_out_houses_out_of_the_rate_as_of_a_day(db) -> None:
    with db.session_scope() as s:
        houses = [make_house(s, address=f"梅田村{i}号") for i in range(6)]
        batch = batches.create_batch(s, "2021省委巡视", issued_on=D(2021, 1, 5)).id
        early = batches.create_batch(s, "2020专项", issued_on=D(2020, 1, 5)).id
        batches.add_members(s, batch, houses)
        batches.add_members(s, early, houses[:1])
        batches.verify_member(s, batch, houses[0], "非危房", D(2021, 2, 1))
        batches.verify_member(s, batch, houses[1], "重复", D(2021, 3, 1))
        batches.verify_member(s, batch, houses[2], "确认", D(2021, 2, 1))
        for house, done in ((houses[2], D(2021, 4, 1)), (houses[3], D(2021, 5, 1))):
            case_id = cases.open_case(s, house, cases.CaseInput("维修加固", D(2021, 3, 1), batch="2021省委巡视")).id
            cases.complete_case(s, case_id, done)
        case_id = cases.open_case(s, houses[0], cases.CaseInput("维修加固", D(2021, 3, 1), batch="2020专项")).id
        cases.complete_case(s, case_id, D(2021, 4, 1))  # counts for its own batch only
        figures = batches.all_batch_figures(s)
        at_april = batches.batch_figures(s, "2021省委巡视", D(2021, 4, 1))
        at_feb = batches.batch_figures(s, "2021省委巡视", D(2021, 2, 1))
        before = batches.batch_figures(s, "2021省委巡视", D(2021, 1, 31))
        empty = batches.batch_figures(s, "无此批次")
    assert list(figures) == ["2020专项", "2021省委巡视"]
    whole = figures["2021省委巡视"]
    assert whole.as_dict() == {
        "flagged": 6,
        "verified_out": 2,
        "rectified": 2,
        "remaining": 2,
        "rate": 0.5,
        "rate_denominator": 4,
    }
    assert whole.explanation() == (
        "2021省委巡视：交办6户，核实排除2户（非危房或重复），应整治4户，已整治2户，完成率50.0%（2/4），剩余2户"
    )
    assert figures["2020专项"].as_dict()["rectified"] == 1
    assert (at_april.verified_out, at_april.rectified, at_april.remaining, at_april.rate) == (2, 1, 3, 0.25)
    assert (at_feb.verified_out, at_feb.rate_denominator, at_feb.rectified) == (1, 5, 0)
    assert (before.verified_out, before.rate_denominator) == (0, 6)
    assert empty.as_dict() == {
        "flagged": 0,
        "verified_out": 0,
        "rectified": 0,
        "remaining": 0,
        "rate": 0.0,
        "rate_denominator": 0,
    }
    assert empty.explanation() == (
        "无此批次：交办0户，核实排除0户（非危房或重复），应整治0户，已整治0户，完成率0.0%（0/0），剩余0户"
    )


def test_a_verified_out_house_with_a_completed_case_is_not_counted_as_rectified(db) -> None:
    with db.session_scope() as s:
        house = make_house(s)
        batch = batches.create_batch(s, "2021省委巡视").id
        batches.add_members(s, batch, [house])
        case_id = cases.open_case(s, house, cases.CaseInput("维修加固", D(2021, 3, 1), batch="2021省委巡视")).id
        cases.complete_case(s, case_id, D(2021, 4, 1))
        batches.verify_member(s, batch, house, "重复", D(2021, 5, 1))
        figures = batches.batch_figures(s, "2021省委巡视")
        as_of_april = batches.batch_figures(s, "2021省委巡视", D(2021, 4, 30))
    assert (figures.flagged, figures.verified_out, figures.rectified, figures.remaining, figures.rate) == (
        1,
        1,
        0,
        0,
        0.0,
    )
    assert (as_of_april.verified_out, as_of_april.rectified, as_of_april.rate) == (0, 1, 1.0)
