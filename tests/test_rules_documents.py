"""文书 rules: gapless 文号 per type and year (voids kept, never reused) and the working-day calendar as data."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from liandu_desk.domain.documents import DocCounter, DocNumber, DocType
from liandu_desk.domain.errors import ConflictError, NotFoundError, RuleError, ValidationError
from liandu_desk.services.documents import calendar, numbering
from liandu_desk.services.documents.calendar import CalendarYearMissing, WorkCalendar
from liandu_desk.services.settings import save_settings

D = dt.date
HOUSE, COMMUNITY, MEDIATION = DocType.HOUSE_NOTICE, DocType.COMMUNITY_NOTICE, DocType.MEDIATION_AGREEMENT


def _register(db, doc_type: DocType | None = None, year: int | None = None) -> list[tuple]:
    with db.session_scope() as s:
        return [
            (r.doc_type, r.year, r.seq, r.number, r.document_id, r.status, r.void_reason, r.voided_on)
            for r in numbering.list_numbers(s, doc_type, year)
        ]


def _assign(db, doc_type: DocType, year: int, document_id: int | None = None) -> tuple[int, str]:
    with db.session_scope() as s:
        row = numbering.assign_number(s, doc_type, year, document_id)
        return row.id, row.number


def test_each_type_and_year_counts_from_one_without_gaps(db) -> None:
    assert _assign(db, HOUSE, 2021)[1] == "莲建危改〔2021〕1号"
    assert _assign(db, HOUSE, 2021)[1] == "莲建危改〔2021〕2号"
    assert _assign(db, HOUSE, 2022)[1] == "莲建危改〔2022〕1号"
    assert _assign(db, COMMUNITY, 2021)[1] == "莲建物改〔2021〕1号"
    assert _assign(db, MEDIATION, 2021)[1] == "莲建梯调〔2021〕1号"
    assert _assign(db, DocType.LIST_PUBLICATION, 2021)[1] == "莲建物榜〔2021〕1号"
    assert _assign(db, HOUSE, 2021)[1] == "莲建危改〔2021〕3号"
    assert _register(db, HOUSE, 2021) == [
        ("危房整改通知书", 2021, 1, "莲建危改〔2021〕1号", None, "使用中", None, None),
        ("危房整改通知书", 2021, 2, "莲建危改〔2021〕2号", None, "使用中", None, None),
        ("危房整改通知书", 2021, 3, "莲建危改〔2021〕3号", None, "使用中", None, None),
    ]
    assert [r[3] for r in _register(db, year=2021)] == [  # by type (as stored), then sequence
        "莲建危改〔2021〕1号",
        "莲建危改〔2021〕2号",
        "莲建危改〔2021〕3号",
        "莲建物改〔2021〕1号",
        "莲建物榜〔2021〕1号",
        "莲建梯调〔2021〕1号",
    ]
    assert [r[3] for r in _register(db, HOUSE)][-1] == "莲建危改〔2022〕1号"
    assert len(_register(db)) == 7
    with db.session_scope() as s:
        counters = {(c.doc_type.value, c.year): c.last_seq for c in s.scalars(select(DocCounter))}
    assert counters[("危房整改通知书", 2021)] == 3 and counters[("危房整改通知书", 2022)] == 1


def test_the_configured_prefix_is_used_and_records_get_no_number(db) -> None:
    with db.session_scope() as s:
        save_settings(s, {"prefix.house_notice": "莲住建"})
        assert numbering.prefix_for(s, HOUSE) == "莲住建"
    assert _assign(db, HOUSE, 2023)[1] == "莲住建〔2023〕1号"
    with pytest.raises(RuleError) as refused, db.session_scope() as s:
        numbering.assign_number(s, DocType.MEDIATION_RECORD, 2023, None)
    assert str(refused.value) == "调解记录不编文号"
    with db.session_scope() as s:
        assert s.scalar(select(func.count()).select_from(DocCounter)) == 1
        assert s.scalar(select(func.count()).select_from(DocNumber)) == 1


def test_format_number_leaves_no_leading_zero() -> None:
    assert numbering.format_number("莲建危改", 2021, 9) == "莲建危改〔2021〕9号"
    assert numbering.format_number("莲建危改", 2021, 10) == "莲建危改〔2021〕10号"
    with pytest.raises(ValidationError, match="^序号：应为正整数$"):
        numbering.format_number("莲建危改", 2021, 0)


def test_a_voided_number_stays_with_its_reason_and_the_next_number_moves_on(db) -> None:
    number_id, _ = _assign(db, HOUSE, 2021)
    with db.session_scope() as s:
        numbering.void_number(s, number_id, "  印刷错误  ", "审核甲", D(2021, 5, 6))
    assert _register(db) == [
        ("危房整改通知书", 2021, 1, "莲建危改〔2021〕1号", None, "已作废", "印刷错误", D(2021, 5, 6))
    ]
    with db.session_scope() as s:
        assert s.get(DocNumber, number_id).voided_by == "审核甲"
    assert _assign(db, HOUSE, 2021)[1] == "莲建危改〔2021〕2号"


def test_a_void_reason_needs_two_characters_and_a_number_is_voided_once(db) -> None:
    number_id, _ = _assign(db, HOUSE, 2021)
    for reason in ("", "  错 ", None):
        with pytest.raises(ValidationError) as refused, db.session_scope() as s:
            numbering.void_number(s, number_id, reason, "审核甲", D(2021, 5, 6))
        assert str(refused.value) == "作废原因：至少2个字"
    assert _register(db)[0][5] == "使用中"
    with db.session_scope() as s:
        numbering.void_number(s, number_id, "错字", "审核甲", D(2021, 5, 6))
    with pytest.raises(RuleError) as refused, db.session_scope() as s:
        numbering.void_number(s, number_id, "再次作废", "审核乙", D(2021, 5, 9))
    assert str(refused.value) == "莲建危改〔2021〕1号已于2021-05-06作废"
    assert _register(db)[0][6:] == ("错字", D(2021, 5, 6))
    with pytest.raises(NotFoundError) as refused, db.session_scope() as s:
        numbering.void_number(s, number_id + 10, "不存在", "审核甲")
    assert str(refused.value) == f"文号（编号{number_id + 10}）不存在"


def test_a_long_reason_is_kept_to_200_characters_and_the_day_defaults_to_today(db) -> None:
    number_id, _ = _assign(db, HOUSE, 2021)
    with db.session_scope() as s:
        numbering.void_number(s, number_id, "因" * 199 + "果多余", "审核甲")
    register = _register(db)
    assert register[0][6] == "因" * 199 + "果"
    assert register[0][7] == dt.date.today()


def test_a_number_spoiled_on_paper_is_taken_and_voided_at_once(db) -> None:
    _assign(db, HOUSE, 2021)
    with db.session_scope() as s:
        row = numbering.reserve_void(s, HOUSE, 2021, "纸质文书套印错误", "审核甲")
        assert (row.seq, row.number, row.document_id) == (2, "莲建危改〔2021〕2号", None)
    assert _register(db)[1] == (
        "危房整改通知书",
        2021,
        2,
        "莲建危改〔2021〕2号",
        None,
        "已作废",
        "纸质文书套印错误",
        dt.date.today(),
    )
    with pytest.raises(ValidationError, match="^作废原因：至少2个字$"), db.session_scope() as s:
        numbering.reserve_void(s, HOUSE, 2021, "错", "审核甲")
    assert len(_register(db)) == 2  # the refused reservation took no number
    assert _assign(db, HOUSE, 2021)[1] == "莲建危改〔2021〕3号"


# --- the working-day calendar -------------------------------------------------------------------------------------

YEARS = set(range(2019, 2040))


def test_weekends_holidays_and_make_up_days() -> None:
    cal = WorkCalendar({D(2021, 10, 1), D(2021, 10, 4)}, {D(2021, 10, 9)}, YEARS)
    assert [cal.is_working_day(D(2021, 9, day)) for day in range(24, 28)] == [True, False, False, True]  # Fri–Mon
    assert not cal.is_working_day(D(2021, 10, 1)) and not cal.is_working_day(D(2021, 10, 4))
    assert cal.is_working_day(D(2021, 10, 9))  # a Saturday made a working day
    assert cal.add_working_days(D(2021, 9, 30), 1) == D(2021, 10, 5)  # the start is not counted
    assert cal.add_working_days(D(2021, 9, 30), 4) == D(2021, 10, 8)
    assert cal.add_working_days(D(2021, 9, 30), 5) == D(2021, 10, 9)
    assert cal.add_working_days(D(2021, 10, 2), 0) == D(2021, 10, 2)
    assert cal.working_days_between(D(2021, 9, 30), D(2021, 10, 9)) == 5  # the end is counted
    assert cal.working_days_between(D(2021, 9, 30), D(2021, 10, 8)) == 4
    assert cal.working_days_between(D(2021, 9, 30), D(2021, 9, 30)) == 0
    assert cal.working_days_between(D(2021, 10, 9), D(2021, 9, 30)) == 0


def test_working_days_are_counted_up_to_3650() -> None:
    cal = WorkCalendar(set(), set(), YEARS)
    assert cal.add_working_days(D(2020, 1, 3), 3650) == D(2033, 12, 30)
    for days in (-1, 3651):
        with pytest.raises(ValidationError) as refused:
            cal.add_working_days(D(2020, 1, 3), days)
        assert str(refused.value) == "工作日天数：应在0至3650之间"


def test_a_year_without_an_arrangement_stops_the_count() -> None:
    cal = WorkCalendar({D(2021, 10, 1)}, {D(2021, 10, 9)})
    assert cal.years == {2021}
    assert cal.add_working_days(D(2021, 12, 30), 1) == D(2021, 12, 31)
    with pytest.raises(CalendarYearMissing) as refused:
        cal.add_working_days(D(2021, 12, 30), 2)
    assert refused.value.year == 2022
    assert str(refused.value) == (
        "2022年的节假日与调休安排尚未录入，无法按工作日计算期限（否则会把节假日算作工作日）。"
        "请管理员在 文书 → 节假日与调休 → 导入年度安排 中录入2022年的安排后再试。"
    )
    with pytest.raises(CalendarYearMissing, match="^2022年"):
        cal.working_days_between(D(2021, 12, 30), D(2022, 1, 3))
    assert cal.working_days_between(D(2021, 12, 30), D(2021, 12, 31)) == 1
    cal.require_year(2021)
    with pytest.raises(CalendarYearMissing, match="^2020年"):
        cal.require_year(2020)
    assert WorkCalendar(set(), set()).years == set()


def test_the_missing_year_warning_starts_on_1_november(db) -> None:
    warning = (
        "2028年的节假日与调休安排尚未录入：到期日落在2028年的期限将无法计算。"
        "请管理员在 文书 → 节假日与调休 → 导入年度安排 中录入（国务院办公厅通常于11月发布次年安排）。"
    )
    with db.session_scope() as s:
        assert {2021, 2026, 2027} <= calendar.covered_years(s)
        assert calendar.missing_year_warning(s, D(2027, 10, 31)) == ""
        assert calendar.missing_year_warning(s, D(2027, 11, 1)) == warning
        assert calendar.missing_year_warning(s, D(2026, 12, 31)) == ""
        assert calendar.missing_year_warning(s, D(2028, 1, 2)) == warning
        assert calendar.add_working_days(s, D(2021, 9, 30), 1) == D(2021, 10, 8)


def test_exception_days_are_edited_as_data(db) -> None:
    with db.session_scope() as s:
        saved = calendar.save_day(s, D(2030, 1, 1), "放假", " 元旦 ", " 国办发明电〔2029〕1号 " + "x" * 60)
        assert (saved.day, saved.kind, saved.name, saved.version) == (D(2030, 1, 1), "放假", "元旦", 1)
        assert saved.source == ("国办发明电〔2029〕1号 " + "x" * 60)[:60]
        calendar.save_day(s, D(2030, 12, 31), "放假", "一" * 20)
        calendar.save_day(s, D(2030, 1, 5), "调休上班", "元旦")  # a Saturday
        changed = calendar.save_day(s, D(2030, 1, 1), "放假", "新年")
        assert (changed.name, changed.version, changed.source) == ("新年", 2, "")
        assert [d.day for d in calendar.list_days(s, 2030)] == [D(2030, 1, 1), D(2030, 1, 5), D(2030, 12, 31)]
        assert calendar.list_days(s, 2029) == []
        assert calendar.list_days(s)[-1].day == D(2030, 12, 31)
    for args, message in (
        ((D(2030, 1, 7), "补班", "元旦"), "类型：“补班”不是可选值（放假、调休上班）"),
        ((D(2030, 1, 7), "放假", "  "), "节日名称：应为1至20个字"),
        ((D(2030, 1, 7), "放假", "一" * 21), "节日名称：应为1至20个字"),
        ((D(2030, 1, 4), "调休上班", "元旦"), "日期：2030-01-04是工作日，无需设为调休上班"),
    ):
        with pytest.raises(ValidationError) as refused, db.session_scope() as s:
            calendar.save_day(s, *args)
        assert str(refused.value) == message
    with db.session_scope() as s:
        calendar.delete_day(s, D(2030, 1, 5))
        assert [d.day for d in calendar.list_days(s, 2030)] == [D(2030, 1, 1), D(2030, 12, 31)]
    with pytest.raises(NotFoundError) as refused, db.session_scope() as s:
        calendar.delete_day(s, D(2030, 1, 5))
    assert str(refused.value) == "2030-01-05不在节假日表中"


def test_the_register_names_each_number_and_the_document_it_went_to(db) -> None:
    from documents_factories import dangerous_house

    from liandu_desk.services.documents.house_notices import draft_house_notice

    with db.session_scope() as s:
        document_id = draft_house_notice(s, dangerous_house(s), "测试员").id
    first, _ = _assign(db, HOUSE, 2021, document_id)
    second, _ = _assign(db, HOUSE, 2021)
    with db.session_scope() as s:
        rows = numbering.list_numbers(s)
    assert [(r.id, r.document_id) for r in rows] == [(first, document_id), (second, None)]


def test_counters_of_other_types_or_years_at_the_same_number_are_left_alone(db) -> None:
    assert _assign(db, HOUSE, 2021)[1] == "莲建危改〔2021〕1号"
    assert _assign(db, COMMUNITY, 2021)[1] == "莲建物改〔2021〕1号"
    assert _assign(db, HOUSE, 2022)[1] == "莲建危改〔2022〕1号"
    assert _assign(db, HOUSE, 2021)[1] == "莲建危改〔2021〕2号"
    assert _assign(db, COMMUNITY, 2021)[1] == "莲建物改〔2021〕2号"
    assert _assign(db, HOUSE, 2022)[1] == "莲建危改〔2022〕2号"
    with db.session_scope() as s:
        counters = sorted((c.doc_type.value, c.year, c.last_seq) for c in s.scalars(select(DocCounter)))
    assert counters == [("危房整改通知书", 2021, 2), ("危房整改通知书", 2022, 2), ("小区整改通知书", 2021, 2)]


# --- two clerks numbering at once -----------------------------------------------------------------------------------
#
# The app's own SQLite sessions begin with BEGIN, so their reads come from one snapshot and a second clerk's commit
# between two statements makes the later write fail as busy: the numbering code never sees that commit. A server
# database's transactions (READ COMMITTED) see every commit made before each statement. A session of the sqlite3
# module's own transaction mode (no BEGIN before a SELECT) reads the same way, so the tests below use one for the
# first clerk and let a second clerk, through the app's Database on the same file, take a number at the exact moment
# between two of the first clerk's statements.


def _statement_time_session(db_path):
    """A session on the file whose reads see every commit made before them, as a server database's do."""
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    engine = create_engine(f"sqlite:///{db_path}")
    return engine, Session(engine)


def _just_before(engine, beginning: str, other_clerk) -> list[str]:
    """Let `other_clerk` do its committed work right before this engine runs its first statement starting so."""
    from sqlalchemy import event

    seen: list[str] = []

    def hook(_connection, _cursor, statement, *_args) -> None:
        if not seen and statement.lstrip().upper().startswith(beginning):
            seen.append(statement)
            other_clerk()

    event.listen(engine, "before_cursor_execute", hook)
    return seen


def _other_clerk(db_path, numbers: list[str]):
    from liandu_desk.storage import ClerkRef, Database

    def take() -> None:
        other = Database(f"sqlite:///{db_path}", clerk=ClerkRef(None, "乙", "b", "管理员"))
        try:
            with other.session_scope() as s:
                numbers.append(numbering.assign_number(s, HOUSE, 2021, None).number)
        finally:
            other.dispose()

    return take


def _numbers_on_file(db_path) -> tuple[list[str], list[int]]:
    engine, session = _statement_time_session(db_path)
    try:
        registered = [r.number for r in numbering.list_numbers(session, HOUSE, 2021)]
        counters = list(session.scalars(select(DocCounter.last_seq).where(DocCounter.doc_type == HOUSE)))
        return registered, counters
    finally:
        session.close()
        engine.dispose()


def test_two_clerks_taking_the_years_first_number_at_once_share_one_counter(db_path) -> None:
    others: list[str] = []
    engine, session = _statement_time_session(db_path)
    try:
        # Both find no 2021 counter; the other clerk creates it and takes 1号 just before this clerk's insert.
        seen = _just_before(engine, "SAVEPOINT", _other_clerk(db_path, others))
        mine = numbering.assign_number(session, HOUSE, 2021, None).number
        session.commit()
    finally:
        session.close()
        engine.dispose()
    assert seen and others == ["莲建危改〔2021〕1号"]
    assert mine == "莲建危改〔2021〕2号"
    assert _numbers_on_file(db_path) == (["莲建危改〔2021〕1号", "莲建危改〔2021〕2号"], [2])


def test_a_counter_moved_by_another_clerk_after_it_was_read_is_refused_and_the_retry_takes_the_next(db_path) -> None:
    others: list[str] = []
    take = _other_clerk(db_path, others)
    take()  # 1号: the 2021 counter exists
    engine, session = _statement_time_session(db_path)
    try:
        # This clerk reads the counter at 1; the other clerk takes 2号 before this clerk's update of the counter.
        seen = _just_before(engine, "UPDATE DOC_COUNTER", take)
        with pytest.raises(ConflictError) as refused:
            numbering.assign_number(session, HOUSE, 2021, None)
        assert str(refused.value) == "文号计数器已被其他人更新，请重试。"
        session.rollback()
        assert seen and others == ["莲建危改〔2021〕1号", "莲建危改〔2021〕2号"]
        assert numbering.assign_number(session, HOUSE, 2021, None).number == "莲建危改〔2021〕3号"
        session.commit()
    finally:
        session.close()
        engine.dispose()
    assert _numbers_on_file(db_path) == ([f"莲建危改〔2021〕{n}号" for n in (1, 2, 3)], [3])
