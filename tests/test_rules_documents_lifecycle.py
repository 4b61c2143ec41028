"""文书 lifecycle rules: each step only from the right state, dates in order, and a refused step changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from documents_factories import dangerous_house

from liandu_desk.domain.errors import NotFoundError, RuleError, ValidationError
from liandu_desk.services.documents import lifecycle, numbering
from liandu_desk.services.documents.house_notices import draft_house_notice

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
