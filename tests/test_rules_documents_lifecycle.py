"""文书 lifecycle rules: each step only from the right state, dates in order, and a refused step changes nothing."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from communities_factories import inspect, make_community, make_company
from documents_factories import dangerous_house, pdf_reader
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, OperationalError

from liandu_desk.domain.documents import DocTemplate, DocType, DocumentFile
from liandu_desk.domain.errors import NotFoundError, RuleError, ValidationError
from liandu_desk.reports.wording import TemplateError
from liandu_desk.services.documents import lifecycle, numbering
from liandu_desk.services.documents.community_notices import draft_community_notice
from liandu_desk.services.documents.house_notices import draft_house_notice
from liandu_desk.services.documents.templates import template_spec

D = dt.date
ISSUED_ON = D(2021, 9, 17)
METHODS = "直接送达、留置送达、邮寄送达、委托送达、电子送达、公告送达"


def _draft(db) -> int:
    with db.session_scope() as s:
        return draft_house_notice(s, dangerous_house(s), "测试员").id


def _issued(db) -> int:
    document_id = _draft(db)
    with db.session_scope() as s:
        lifecycle.issue(s, document_id, ISSUED_ON, "测试员")
    return document_id


def _view(db, document_id: int):
    from liandu_desk.services.documents.views import view_of

    with db.session_scope() as s:
        return view_of(lifecycle.document_row(s, document_id))


def _refused(db, error, message: str, action) -> None:
    with pytest.raises(error) as refused, db.session_scope() as s:
        action(s)
    assert str(refused.value) == message


def test_issuing_is_refused_for_a_future_day_or_a_second_time_without_taking_a_number(db) -> None:
    document_id = _draft(db)
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    _refused(db, ValidationError, "签发日期：不能晚于今天", lambda s: lifecycle.issue(s, document_id, tomorrow, "甲"))
    with db.session_scope() as s:
        assert numbering.list_numbers(s) == []
        assert lifecycle.issue(s, document_id, ISSUED_ON, "测试员").number == "莲建危改〔2021〕1号"
    _refused(db, RuleError, "文书已已签发，不能再次签发", lambda s: lifecycle.issue(s, document_id, ISSUED_ON, "甲"))
    _refused(
        db, RuleError, "文书已已签发，内容已固定，不能修改", lambda s: lifecycle.update_draft(s, document_id, None)
    )
    with db.session_scope() as s:
        assert [n.number for n in numbering.list_numbers(s)] == ["莲建危改〔2021〕1号"]
    _refused(
        db,
        NotFoundError,
        f"文书（编号{document_id + 9}）不存在",
        lambda s: lifecycle.issue(s, document_id + 9, ISSUED_ON, "甲"),
    )
    _refused(db, NotFoundError, "该文书尚未签发，没有存档的PDF", lambda s: lifecycle.stored_pdf(s, _draft(db)))


def test_service_needs_an_issued_document_a_known_method_a_receiver_and_a_day_in_range(db) -> None:
    draft = _draft(db)
    _refused(
        db,
        RuleError,
        "文书状态为草稿，签发后才能登记送达",
        lambda s: lifecycle.serve(s, draft, "直接送达", ISSUED_ON, "李秀英"),
    )
    with db.session_scope() as s:
        document_id = draft
        lifecycle.issue(s, document_id, ISSUED_ON, "测试员")
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    for args, message in (
        (("飞鸽传书", ISSUED_ON, "李秀英"), f"送达方式：“飞鸽传书”不是可选值（可选：{METHODS}）"),
        (("直接送达", ISSUED_ON - dt.timedelta(days=1), "李秀英"), "送达日期：不能早于签发日期"),
        (("直接送达", tomorrow, "李秀英"), "送达日期：不能晚于今天"),
        (("直接送达", ISSUED_ON, "  "), "受送达人：不能为空"),
    ):
        _refused(db, ValidationError, message, lambda s, args=args: lifecycle.serve(s, document_id, *args))
    assert _view(db, document_id).status == "已签发"
    with db.session_scope() as s:
        served = lifecycle.serve(s, document_id, "邮寄送达", ISSUED_ON, " " + "李" * 70 + " ", "  ")
    assert (served.status, served.served_on, served.served_method) == ("已送达", ISSUED_ON, "邮寄送达")
    assert (served.served_to, served.receipt_ref) == ("李" * 60, None)


def test_follow_up_after_service_on_or_after_the_service_day(db) -> None:
    document_id = _issued(db)
    _refused(
        db,
        RuleError,
        "文书状态为已签发，送达后才能登记复查",
        lambda s: lifecycle.follow_up(s, document_id, ISSUED_ON, "已拆除"),
    )
    with db.session_scope() as s:
        lifecycle.serve(s, document_id, "直接送达", D(2021, 9, 18), "李秀英")
    _refused(
        db,
        ValidationError,
        "复查日期：不能早于送达日期",
        lambda s: lifecycle.follow_up(s, document_id, ISSUED_ON, "已拆除"),
    )
    _refused(
        db,
        ValidationError,
        "复查结果：至少2个字",
        lambda s: lifecycle.follow_up(s, document_id, D(2021, 9, 18), " 拆 "),
    )
    with db.session_scope() as s:
        done = lifecycle.follow_up(s, document_id, D(2021, 9, 18), " 拆了 ")
    assert (done.status, done.followed_up_on) == ("已复查", D(2021, 9, 18))
    _refused(db, RuleError, "文书状态为已复查，不能作废", lambda s: lifecycle.cancel(s, document_id, "误发", "甲"))


def test_a_document_becomes_due_the_day_after_its_deadline_and_can_still_be_followed_up(db) -> None:
    document_id = _issued(db)
    deadline = _view(db, document_id).deadline
    with db.session_scope() as s:
        assert lifecycle.refresh_due(s, deadline) == 0  # not served yet
        lifecycle.serve(s, document_id, "直接送达", ISSUED_ON, "李秀英")
        assert lifecycle.refresh_due(s, deadline) == 0
        assert lifecycle.refresh_due(s, deadline + dt.timedelta(days=1)) == 1
        assert lifecycle.refresh_due(s, deadline + dt.timedelta(days=2)) == 0
    assert _view(db, document_id).status == "已到期"
    with db.session_scope() as s:
        assert lifecycle.follow_up(s, document_id, deadline, "已整改").status == "已复查"


def test_cancelling_voids_the_number_with_the_reason_and_a_draft_has_none(db) -> None:
    document_id = _issued(db)
    _refused(db, ValidationError, "作废原因：至少2个字", lambda s: lifecycle.cancel(s, document_id, " 误 ", "甲"))
    assert _view(db, document_id).status == "已签发"
    with db.session_scope() as s:
        cancelled = lifecycle.cancel(s, document_id, " 送达前发现地址有误 ", "审核甲", D(2021, 9, 20))
        (number,) = numbering.list_numbers(s)
    assert (cancelled.status, cancelled.cancel_reason) == ("已作废", "送达前发现地址有误")
    assert (number.status, number.void_reason, number.voided_on) == ("已作废", "送达前发现地址有误", D(2021, 9, 20))
    _refused(db, RuleError, "文书状态为已作废，不能作废", lambda s: lifecycle.cancel(s, document_id, "再作废", "甲"))
    draft = _draft(db)
    with db.session_scope() as s:
        view = lifecycle.cancel(s, draft, "重复起草" + "长" * 300, "甲")
        assert len(numbering.list_numbers(s)) == 1
    assert view.status == "已作废" and view.cancel_reason == ("重复起草" + "长" * 300)[:200]


# --- what issuing prints and words, the preview, the stored bytes, retrying -------------------------------------


def test_issuing_needs_the_settings_the_document_prints_and_its_number_prefix() -> None:
    common = ("bureau.name", "bureau.contact", "notice.reconsideration_body", "notice.litigation_court")
    assert lifecycle.printed_settings(DocType.HOUSE_NOTICE) == (*common, "prefix.house_notice")
    assert lifecycle.printed_settings(DocType.LIST_PUBLICATION) == (*common, "prefix.list_publication")
    assert lifecycle.printed_settings(DocType.MEDIATION_RECORD) == common  # not numbered: no prefix


def test_document_texts_are_strict_and_recorded_as_versions_only_when_asked(db) -> None:
    with db.session_scope() as s:
        now = lifecycle.document_texts(s, DocType.HOUSE_NOTICE)
        assert s.scalar(select(func.count()).select_from(DocTemplate)) == 0
        recorded = lifecycle.document_texts(s, DocType.HOUSE_NOTICE, record=True)
        assert s.scalar(select(func.count()).select_from(DocTemplate)) == 2
    assert list(now) == list(recorded) == ["house_notice", "receipt"]
    assert [(w.strict, w.version_id) for w in now.values()] == [(True, None), (True, None)]
    assert all(w.strict and w.version_id is not None for w in recorded.values())


def test_the_preview_lists_unverified_bases_first_and_names_the_template_versions(db) -> None:
    document_id = _draft(db)
    with db.session_scope() as s:
        row = lifecycle.document_row(s, document_id)
        facts = lifecycle.facts_of(row)
        lifecycle.update_draft(s, document_id, dataclasses.replace(facts, hazards=["墙体裂缝", "𠮷家墙"]))
        shown = lifecycle.preview_document(s, document_id, ISSUED_ON)
        title = row.title
    bases = [f"法律依据未核实（签发前请法制审核）：{basis}" for basis in facts.basis_unverified]
    assert bases and list(shown.notes[: len(bases)]) == bases
    assert any("𠮷" in note for note in shown.notes[len(bases) :])  # a rare character in a list of the facts
    assert shown.templates == ("危房整改通知书：随程序发布的默认文本", "送达回证：随程序发布的默认文本")
    assert pdf_reader(shown.pdf).metadata.title == title


def test_an_issued_documents_preview_is_its_stored_pdf_without_notes(db) -> None:
    document_id = _issued(db)
    with db.session_scope() as s:
        shown = lifecycle.preview_document(s, document_id, ISSUED_ON)
        assert shown == lifecycle.Preview(lifecycle.stored_pdf(s, document_id), (), ())


def test_a_rendered_document_is_titled_by_its_title_or_its_type(db) -> None:
    document_id = _draft(db)
    with db.session_scope() as s:
        facts = lifecycle.facts_of(lifecycle.document_row(s, document_id))
    untitled = lifecycle.render_document(facts, DocType.HOUSE_NOTICE)
    titled = lifecycle.render_document(facts, DocType.HOUSE_NOTICE, "李秀英危房整改通知书")
    assert pdf_reader(untitled).metadata.title == "危房整改通知书"
    assert pdf_reader(titled).metadata.title == "李秀英危房整改通知书"


def test_stored_bytes_that_no_longer_match_their_hash_are_refused(db) -> None:
    document_id = _issued(db)

    def damaged(s) -> None:
        stored = s.get(DocumentFile, document_id)
        stored.data = stored.data[:-1]  # as if the stored bytes were damaged
        lifecycle.stored_pdf(s, document_id)

    _refused(db, RuleError, "存档PDF校验失败（内容与签发时不一致）", damaged)


def test_a_locked_database_is_retried_a_few_times_waiting_longer_each_time(monkeypatch, caplog) -> None:
    waits: list[float] = []
    monkeypatch.setattr(lifecycle.time, "sleep", waits.append)
    calls: list[int] = []

    def flaky() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise OperationalError("UPDATE", {}, Exception("database is locked"))
        return "done"

    with caplog.at_level("WARNING", logger="liandu_desk.services.documents.lifecycle"):
        assert lifecycle.with_retry(flaky) == "done"
    assert (len(calls), waits) == (3, [0.05, 0.1])
    assert caplog.messages == [
        "retrying after OperationalError (attempt 1)",
        "retrying after OperationalError (attempt 2)",
    ]

    def always_locked() -> str:
        calls.append(1)
        raise IntegrityError("INSERT", {}, Exception("UNIQUE constraint failed"))

    calls.clear()
    with pytest.raises(IntegrityError):
        lifecycle.with_retry(always_locked)
    assert len(calls) == 5
    calls.clear()
    with pytest.raises(IntegrityError):
        lifecycle.with_retry(always_locked, attempts=2)
    assert len(calls) == 2
    calls.clear()
    with pytest.raises(AssertionError, match="^unreachable$"):
        lifecycle.with_retry(always_locked, attempts=0)
    assert calls == []


def test_a_refusal_to_word_the_document_names_it_before_any_number_is_taken(db) -> None:
    """A version saved by an older program could name a placeholder this one no longer has."""
    document_id = _draft(db)
    slots = {**template_spec("house_notice").defaults(), "标题": "危房整改通知书{旧占位符}"}
    with db.session_scope() as s:
        s.add(DocTemplate(template_key="house_notice", revision=1, slots=slots, origin="修改", note=""))
        title = lifecycle.document_row(s, document_id).title
    with pytest.raises(TemplateError) as refused, db.session_scope() as s:
        lifecycle.issue(s, document_id, ISSUED_ON, "测试员")
    assert refused.value.message.startswith(f"{title}：文书模板“危房整改通知书”的")
    assert "未知的占位符{旧占位符}，不能签发" in refused.value.message
    with db.session_scope() as s:
        assert numbering.list_numbers(s) == []


def test_a_document_type_without_legal_bases_previews_without_their_notes(db) -> None:
    with db.session_scope() as s:
        community = make_community(s, "望江花园", make_company(s, "丽水安居物业服务有限公司"))
        draft = draft_community_notice(s, inspect(s, community, D(2021, 3, 15), 85.0), "测试员")
        shown = lifecycle.preview_document(s, draft.id, D(2021, 3, 18))
    assert not any(note.startswith("法律依据未核实") for note in shown.notes)
    assert shown.templates == ("小区整改通知书：随程序发布的默认文本", "送达回证：随程序发布的默认文本")
