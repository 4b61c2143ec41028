"""危房整改通知书: text read back from the PDF, embedded fonts, A4 pages, frozen bytes and the lifecycle."""

from __future__ import annotations

import datetime as dt

import pytest
from documents_factories import dangerous_house, pdf_reader, pdf_text

from liandu_desk.domain.errors import RuleError, ValidationError
from liandu_desk.services.documents import lifecycle
from liandu_desk.services.documents.house_notices import draft_house_notice, house_notice_facts
from liandu_desk.services.documents.views import search_documents
from liandu_desk.services.houses.registration import house_input, update_house

D = dt.date
A4_MM = (210, 297)


ISSUED_ON = D(2021, 9, 17)


def _issued(db, issued_on=ISSUED_ON):
    with db.session_scope() as session:
        house_id = dangerous_house(session)
        draft = draft_house_notice(session, house_id, "测试员")
    with db.session_scope() as session:
        view = lifecycle.issue(session, draft.id, issued_on, "测试员")
        data = lifecycle.stored_pdf(session, draft.id)
    return house_id, view, data


def _fonts(reader) -> dict[str, bool]:
    """Base font name → whether a FontFile2 (embedded TrueType program) is present."""
    found: dict[str, bool] = {}
    for page in reader.pages:
        fonts = page["/Resources"].get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            descriptor = font.get("/FontDescriptor")
            found[str(font["/BaseFont"])] = bool(descriptor and "/FontFile2" in descriptor.get_object())
    return found


def test_issued_notice_states_number_names_dates_and_deadline(db) -> None:
    _, view, data = _issued(db)
    text = pdf_text(data).replace(" ", "").replace("\n", "")
    assert view.number == "莲建危改〔2021〕1号"
    for expected in (
        "丽水市莲都区建设局",
        "莲建危改〔2021〕1号",
        "危房整改通知书",
        "李秀英：",
        "碧湖镇下河村36号",
        "D级（整幢危房）",
        "墙体裂缝",
        "地基沉降",
        "拆除重建",
        "30个工作日",
        "2021年11月4日",
        "2021年9月17日",
        "0578-2123456",
        "送达回证",
    ):
        assert expected in text, expected
    assert view.deadline == D(2021, 11, 4)


def test_fonts_embedded_and_pages_a4(db) -> None:
    _, _, data = _issued(db)
    reader = pdf_reader(data)
    assert len(reader.pages) == 3  # two-page notice (the appeal rights and the signature on page 2) + 送达回证
    for page in reader.pages:
        size_mm = (round(float(page.mediabox.width) / 72 * 25.4), round(float(page.mediabox.height) / 72 * 25.4))
        assert size_mm == A4_MM
    fonts = _fonts(reader)
    assert fonts and all(fonts.values()), fonts
    assert any("FandolFang" in name for name in fonts) and any("FandolSong-Bold" in name for name in fonts)


def test_issued_bytes_never_change_after_the_case_changes(db) -> None:
    house_id, view, data = _issued(db)
    with db.session_scope() as session:
        values, version = house_input(session, house_id)
        update_house(session, house_id, values.__class__(**{**values.__dict__, "owner_name": "王改名"}), version)
    with db.session_scope() as session:
        assert lifecycle.stored_pdf(session, view.id) == data
        assert lifecycle.preview(session, view.id) == data
        assert house_notice_facts(session, [house_id])[0].recipient == "王改名"
        with pytest.raises(RuleError):
            lifecycle.update_draft(session, view.id, house_notice_facts(session, [house_id])[0])
    assert "王改名" not in pdf_text(data)


def test_draft_preview_has_no_number_and_outlines_the_seal(db) -> None:
    with db.session_scope() as session:
        draft = draft_house_notice(session, dangerous_house(session), "测试员")
        text = pdf_text(lifecycle.preview(session, draft.id, D(2021, 9, 17)))
    assert "文号签发时生成" in text and "盖章处" in text and "2021年11月4日" in text


def test_notice_refused_for_a_safe_house(db) -> None:
    with db.session_scope() as session:
        house_id = dangerous_house(session, grade="B", measure=None)
        with pytest.raises(RuleError):
            draft_house_notice(session, house_id)


def test_lifecycle_serve_due_follow_up_and_register(db) -> None:
    _, view, _ = _issued(db)
    with db.session_scope() as session:
        with pytest.raises(ValidationError):
            lifecycle.serve(session, view.id, "飞鸽传书", D(2021, 9, 18), "李秀英")
        served = lifecycle.serve(session, view.id, "直接送达", D(2021, 9, 18), "李秀英", "扫描件 回证-001.pdf")
        assert served.status == "已送达" and served.receipt_ref == "扫描件 回证-001.pdf"
        assert lifecycle.refresh_due(session, D(2021, 11, 4)) == 0
        assert lifecycle.refresh_due(session, D(2021, 11, 5)) == 1
        done = lifecycle.follow_up(session, view.id, D(2021, 11, 8), "已拆除，复查属实")
        assert done.status == "已复查"
        with pytest.raises(RuleError):
            lifecycle.cancel(session, view.id, "误发", "测试员")
        assert [d.id for d in search_documents(session, "莲建危改〔2021〕1")] == [view.id]
        assert [d.id for d in search_documents(session, "秀英", status="已复查")] == [view.id]
        assert search_documents(session, "秀英", status="草稿") == []


def test_database_refuses_to_change_an_issued_document(db) -> None:
    from sqlalchemy import text
    from sqlalchemy.exc import DatabaseError

    _, view, _ = _issued(db)
    statements = [
        "UPDATE document_file SET data = x'00'",
        "DELETE FROM document_file",
        "DELETE FROM doc_number",
        "UPDATE doc_number SET seq = 99",
        f"UPDATE document SET recipient = '别人' WHERE id = {view.id}",
        f"DELETE FROM document WHERE id = {view.id}",
    ]
    for statement in statements:
        with pytest.raises(DatabaseError), db.session_scope() as session:
            session.execute(text(statement))
    with db.session_scope() as session:  # lifecycle changes of an issued document still work
        session.execute(text(f"UPDATE document SET served_on = '2021-09-18' WHERE id = {view.id}"))
        session.execute(text("UPDATE doc_number SET status = '已作废', void_reason = '测试'"))


def test_second_notice_refused_while_one_is_in_force(db) -> None:
    house_id, view, _ = _issued(db)
    with db.session_scope() as session:
        with pytest.raises(RuleError, match="莲建危改〔2021〕1号"):
            draft_house_notice(session, house_id)
        lifecycle.cancel(session, view.id, "送达地址有误", "测试员")
        assert draft_house_notice(session, house_id).status == "草稿"
