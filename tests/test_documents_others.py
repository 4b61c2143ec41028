"""小区整改通知书, 调解记录/调解协议书, 红黑榜通报 and the house 案卷, built from the modules' services."""

from __future__ import annotations

import datetime as dt

import pytest
from communities_factories import inspect, make_community, make_company
from documents_factories import dangerous_house, font_embedding, pdf_text
from elevators_factories import add_unit, make_project

from liandu_desk.domain.errors import RuleError
from liandu_desk.services.communities import lists
from liandu_desk.services.documents import lifecycle
from liandu_desk.services.documents.community_notices import community_notice_facts, draft_community_notice
from liandu_desk.services.documents.dossiers import house_dossier_pdf
from liandu_desk.services.documents.house_notices import draft_house_notice
from liandu_desk.services.documents.list_docs import draft_list_publication
from liandu_desk.services.documents.mediation_docs import draft_agreement, record_pdf
from liandu_desk.services.elevators.disputes import MediationInput, add_session, create_dispute
from liandu_desk.services.periods import half_year

D = dt.date
H1 = half_year(2021, 1)


def _text(data: bytes) -> str:
    return "".join(pdf_text(data).split())


def _issue(db, document_id: int, on: dt.date) -> tuple[str, bytes]:
    with db.session_scope() as session:
        view = lifecycle.issue(session, document_id, on, "测试员")
        return view.number, lifecycle.stored_pdf(session, document_id)


def test_community_notice_lists_the_inspection_deductions(db) -> None:
    with db.session_scope() as session:
        company = make_company(session, "丽水安居物业服务有限公司")
        community = make_community(session, "望江花园", company)
        inspection = inspect(session, community, D(2021, 3, 15), 85.0)
        facts = community_notice_facts(session, inspection)
        draft = draft_community_notice(session, inspection, "测试员")
    number, data = _issue(db, draft.id, D(2021, 3, 18))
    text = _text(data)
    assert number == "莲建物改〔2021〕1号"
    assert sum(d.points for d in facts.deductions) == 15
    expected = ["小区整改通知书", "丽水安居物业服务有限公司：", "望江花园", "得分85分", "2021年3月15日", "10个工作日"]
    expected += [f"以下{len(facts.deductions)}个问题", facts.deductions[0].item[:8], "送达回证"]
    for phrase in expected:
        assert phrase in text, phrase


def test_no_notice_for_a_clean_inspection(db) -> None:
    with db.session_scope() as session:
        community = make_community(session, "满分小区", make_company(session))
        inspection = inspect(session, community, D(2021, 3, 15), 100.0)
        with pytest.raises(RuleError):
            community_notice_facts(session, inspection)


def test_mediation_record_and_numbered_agreement(db) -> None:
    with db.session_scope() as session:
        project = make_project(session)
        households = add_unit(session, project)
        dispute = create_dispute(
            session, project, "采光/日照", "一楼业主认为电梯井遮挡采光", D(2021, 3, 1), [households[0], households[-1]]
        )
        mediation = add_session(
            session,
            dispute,
            MediationInput(
                D(2021, 3, 10),
                "望湖社区会议室",
                "社区调解员王芳",
                attendees="双方业主、社区",
                summary="听取双方意见",
                outcome="高层业主补偿一楼业主8000元；电梯井外立面改用玻璃幕墙",
            ),
        )
        record = _text(record_pdf(session, mediation))
        draft = draft_agreement(session, mediation, "测试员")
    number, data = _issue(db, draft.id, D(2021, 3, 12))
    text = _text(data)
    assert all(font_embedding(data).values())
    assert "加装电梯调解记录" in record and "社区调解员王芳" in record and "望湖公寓1幢2单元" in record
    assert number == "莲建梯调〔2021〕1号"
    for expected in (
        "加装电梯调解协议书",
        number,
        "业主101",
        "业主602",
        "1.高层业主补偿一楼业主8000元",
        "2.电梯井外立面",
    ):
        assert expected in text, expected


def test_red_black_publication(db) -> None:
    with db.session_scope() as session:
        good = make_community(session, "红榜花园", make_company(session))
        inspect(session, good, D(2021, 2, 1), 95.0)
        inspect(session, good, D(2021, 5, 1), 96.0)
        publication = lists.generate_publication(session, "小区", H1, today=D(2021, 7, 1))
        lists.publish(session, publication, "测试员", D(2021, 7, 2))
        draft = draft_list_publication(session, "小区", H1, "测试员")
    number, data = _issue(db, draft.id, D(2021, 7, 5))
    text = _text(data)
    assert number == "莲建物榜〔2021〕1号"
    assert "关于2021年物管小区“红黑榜”的通报" in text and "红榜花园" in text and "红榜小区（1个）" in text


def test_house_dossier_has_records_documents_and_audit_trail(db) -> None:
    with db.session_scope() as session:
        house = dangerous_house(session)
        draft = draft_house_notice(session, house, "测试员")
    number, _ = _issue(db, draft.id, D(2021, 9, 17))
    with db.session_scope() as session:
        text = _text(house_dossier_pdf(session, house, D(2021, 10, 1)))
    for expected in (
        "危险房屋整治案卷",
        "李秀英",
        "碧湖镇下河村36号",
        "鉴定记录",
        "丽水市房屋安全鉴定所",
        number,
        "时间线",
        "修改记录",
        "新增房屋",
        "2021年10月1日制",
    ):
        assert expected in text, expected


def test_project_and_community_dossiers(db, tmp_path) -> None:
    from liandu_desk.cli import main

    with db.session_scope() as session:
        project = make_project(session)
        households = add_unit(session, project)
        create_dispute(session, project, "采光/日照", "一楼业主反对", D(2021, 3, 1), [households[0]])
        community = make_community(session, "望江花园", make_company(session))
        inspect(session, community, D(2021, 3, 15), 85.0)
    for kind, record_id, phrases in (
        ("project", project, ("既有住宅加装电梯项目案卷", "望湖公寓1幢2单元", "住户与表决", "业主101", "一楼业主反对")),
        ("community", community, ("物管小区案卷", "望江花园", "检查评分", "问题与整改", "85")),
    ):
        out = tmp_path / f"{kind}.pdf"
        url = db.url.render_as_string(hide_password=False)
        assert main(["document", "dossier", kind, str(record_id), "--db", url, "--out", str(out)]) == 0
        text = _text(out.read_bytes())
        assert all(font_embedding(out.read_bytes()).values())
        for phrase in phrases:
            assert phrase in text, phrase
