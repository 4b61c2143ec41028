"""A house notice a legal office would sign: the law follows the case (urban or rural), the order follows the
appraisal's handling (evacuation only where it calls for it), appeal rights are stated, unverified bases are flagged."""

from __future__ import annotations

import datetime as dt

import pytest
from documents_factories import pdf_text

from liandu_desk.domain.errors import RuleError
from liandu_desk.domain.houses import Handling
from liandu_desk.domain.registry import DivisionLevel
from liandu_desk.reports.house_notice import notice_paragraphs
from liandu_desk.services.divisions import ensure_child, list_townships
from liandu_desk.services.documents import lifecycle
from liandu_desk.services.documents.house_notices import draft_house_notice, house_notice_facts
from liandu_desk.services.houses.appraisal import AppraisalInput, add_appraisal
from liandu_desk.services.houses.registration import HouseInput, create_house
from liandu_desk.services.settings import save_settings

TODAY = dt.date(2021, 9, 17)
EVACUATE = "撤离"
HANDLINGS = [h.value for h in Handling]


def _house(session, kind: str, level: str, grade: str, handling: str | None) -> int:
    town = next(t for t in list_townships(session) if t.level == level)
    child = DivisionLevel.COMMUNITY if level == DivisionLevel.SUBDISTRICT.value else DivisionLevel.VILLAGE
    place = ensure_child(session, town.id, "测试社区" if child is DivisionLevel.COMMUNITY else "测试村", child)
    house_id = create_house(
        session,
        HouseInput(
            kind=kind,
            township_id=town.id,
            village_id=place,
            address="测试路1号",
            owner_name="周立",
            floors=3,
            build_year=1985,
            area=120.0,
            structure="砖混",
        ),
    ).id
    add_appraisal(session, house_id, AppraisalInput(dt.date(2021, 9, 1), grade, "鉴定所", "鉴2021-9", handling))
    return house_id


def _text(session, house_id: int) -> str:
    (facts,) = house_notice_facts(session, [house_id], TODAY)
    return "".join(notice_paragraphs(facts))


@pytest.mark.parametrize("grade", ["A", "B"])
@pytest.mark.parametrize("handling", [None, *HANDLINGS])
def test_no_notice_for_grades_a_and_b(db, grade: str, handling: str | None) -> None:
    with db.session_scope() as session:
        house_id = _house(session, "农村", DivisionLevel.TOWN.value, grade, handling)
        with pytest.raises(RuleError, match="只能对C级、D级危房发整改通知书"):
            house_notice_facts(session, [house_id], TODAY)


@pytest.mark.parametrize("grade", ["C", "D"])
@pytest.mark.parametrize("handling", HANDLINGS)
def test_order_follows_the_handling(db, grade: str, handling: str) -> None:
    with db.session_scope() as session:
        text = _text(session, _house(session, "农村", DivisionLevel.TOWN.value, grade, handling))
    assert f"鉴定处理意见为“{handling}”" in text
    assert (EVACUATE in text) == (handling in ("停止使用", "整体拆除")), text
    assert ("停止使用该房屋" in text) == (handling in ("停止使用", "整体拆除"))
    expected = {
        "观察使用": "定期检查房屋状况",
        "处理使用": "采取适当技术措施解除危险",
        "变更使用": "改变房屋用途",
        "停止使用": "完成解危",
        "整体拆除": "将房屋整体拆除",
    }[handling]
    assert expected in text
    assert "30个工作日内" in text and "2021年11月4日" in text  # 30 working days over Mid-Autumn and National Day


@pytest.mark.parametrize(("grade", "strict"), [("C", False), ("D", True)])
def test_missing_handling_takes_the_grade_default(db, grade: str, strict: bool) -> None:
    with db.session_scope() as session:
        text = _text(session, _house(session, "农村", DivisionLevel.TOWN.value, grade, None))
    assert (EVACUATE in text) == strict


@pytest.mark.parametrize(
    ("kind", "level", "urban"),
    [
        ("城镇", DivisionLevel.SUBDISTRICT.value, True),
        ("城镇", DivisionLevel.TOWN.value, True),
        ("城镇", DivisionLevel.TOWNSHIP.value, False),  # a 乡 is not a 城市 in the regulation's art. 2
        ("农村", DivisionLevel.TOWN.value, False),
        ("农村", DivisionLevel.TOWNSHIP.value, False),
    ],
)
def test_law_follows_the_case(db, kind: str, level: str, urban: bool) -> None:
    with db.session_scope() as session:
        text = _text(session, _house(session, kind, level, "C", "处理使用"))
    assert ("《城市危险房屋管理规定》" in text) == urban
    assert ("第九条、第十七条" in text) == urban
    assert ("农村住房安全管理" in text) == (not urban)
    assert "《浙江省房屋使用安全管理条例》" in text


def test_appeal_rights_name_the_bodies_from_settings(db) -> None:
    with db.session_scope() as session:
        save_settings(
            session,
            {
                "notice.reconsideration_body": "丽水市莲都区人民政府（测试）",
                "notice.litigation_court": "丽水市莲都区人民法院（测试）",
            },
        )
        text = _text(session, _house(session, "农村", DivisionLevel.TOWN.value, "D", "停止使用"))
    assert "六十日内向丽水市莲都区人民政府（测试）申请行政复议" in text
    assert "六个月内直接向丽水市莲都区人民法院（测试）提起行政诉讼" in text


def test_unverified_basis_is_flagged_on_the_draft_but_not_printed_on_the_issued_notice(db) -> None:
    with db.session_scope() as session:
        house_id = _house(session, "城镇", DivisionLevel.SUBDISTRICT.value, "D", "整体拆除")
        draft = draft_house_notice(session, house_id, "测试员", TODAY)
        preview = pdf_text(lifecycle.preview(session, draft.id, TODAY)).replace("\n", "")
    assert "核对提示" in preview and "尚未核实" in preview and "《城市危险房屋管理规定》" in preview
    with db.session_scope() as session:
        lifecycle.issue(session, draft.id, TODAY, "测试员")
        issued = pdf_text(lifecycle.stored_pdf(session, draft.id)).replace("\n", "")
    assert "核对提示" not in issued and "申请行政复议" in issued


def test_verified_bases_carry_no_warning(db) -> None:
    from liandu_desk.services.documents.legal_basis import shipped_bases

    data = shipped_bases()
    verified = {**data, "bases": [{**b, "status": "已核实", "source": "测试出处"} for b in data["bases"]]}
    with db.session_scope() as session:
        save_settings(session, {"notice.house_legal_bases": verified})
        house_id = _house(session, "城镇", DivisionLevel.SUBDISTRICT.value, "D", "整体拆除")
        (facts,) = house_notice_facts(session, [house_id], TODAY)
    assert facts.basis_unverified == ()
    half = {**data, "bases": [{**b, "status": "已核实", "source": ""} for b in data["bases"]]}
    with db.session_scope() as session:
        save_settings(session, {"notice.house_legal_bases": half})  # 已核实 without a source does not count
        (facts,) = house_notice_facts(session, [house_id], TODAY)
    assert len(facts.basis_unverified) == 2


def test_the_notice_cites_the_appraisal_by_number_and_standard(db) -> None:
    with db.session_scope() as session:
        rural = _house(session, "农村", DivisionLevel.TOWN.value, "D", "停止使用")
        urban = _house(session, "城镇", DivisionLevel.SUBDISTRICT.value, "C", "处理使用")
        rural_text, urban_text = _text(session, rural), _text(session, urban)
    assert "依据《农村住房安全性鉴定技术导则》鉴定（鉴定报告编号：鉴2021-9）" in rural_text  # the default by house type
    assert "依据《危险房屋鉴定标准》（JGJ 125-2016）鉴定（鉴定报告编号：鉴2021-9）" in urban_text


def test_rural_appraisal_records_its_standard_and_disaster_measures(db) -> None:
    from liandu_desk.domain.errors import ValidationError
    from liandu_desk.domain.houses import Appraisal

    measures = "未设置圈梁构造柱，抗震措施不满足要求"
    with db.session_scope() as session:
        house_id = _house(session, "农村", DivisionLevel.TOWN.value, "C", "处理使用")
        data = AppraisalInput(
            dt.date(2021, 9, 10),
            "D",
            "鉴定所",
            "鉴2021-10",
            "整体拆除",
            standard="GB 50292-2015",
            disaster_measures=measures,
        )
        add_appraisal(session, house_id, data)
        latest = session.query(Appraisal).filter_by(house_id=house_id).order_by(Appraisal.id.desc()).first()
        assert latest.standard.value == "GB 50292-2015" and latest.disaster_measures == measures
        text = _text(session, house_id)
        urban = _house(session, "城镇", DivisionLevel.SUBDISTRICT.value, "C", "处理使用")
    assert "依据《民用建筑可靠性鉴定标准》（GB 50292-2015）鉴定" in text and f"防灾措施鉴定结论：{measures}。" in text
    with pytest.raises(ValidationError, match="只有农村房屋"), db.session_scope() as session:
        add_appraisal(session, urban, AppraisalInput(dt.date(2021, 9, 10), "C", disaster_measures="无"))
    with pytest.raises(ValidationError, match="鉴定标准"), db.session_scope() as session:
        add_appraisal(session, urban, AppraisalInput(dt.date(2021, 9, 10), "C", standard="自编标准"))
