"""The house list: filters, SQL sort, search (LIKE for 1-2 characters, FTS5 for 3+), query plans and detail page."""

from __future__ import annotations

import datetime as dt

import pytest
from houses_factories import appraise, make_house, township_and_village
from sqlalchemy import text

from liandu_desk.services.houses import batches, cases, listing
from liandu_desk.services.houses.detail import house_detail
from liandu_desk.services.houses.registration import HouseInput, house_input, update_house
from liandu_desk.services.houses.screening import ScreeningInput, add_screening

D = dt.date
HF = listing.HouseFilter


@pytest.fixture
def houses(db) -> dict[str, int]:
    """Five houses in two townships with grades, a batch and cases."""
    with db.session_scope() as s:
        ids = {
            "王五": make_house(s, owner="王五", id_number="11010519491231002X", address="梅田村12号"),
            "欧阳明月": make_house(s, owner="欧阳明月", address="梅田村5号"),
            "叶小平": make_house(s, owner="叶小平", address="梅田村下村8号"),
        }
        town, village = township_and_village(s, "太平乡", "下梁村")
        ids["王建国"] = make_house(s, owner="王建国", address="下梁村1号", township_id=town, village_id=village)
        town, community = township_and_village(s, "紫金街道", "高井社区", "社区")
        ids["刘一"] = make_house(
            s, kind="城镇", owner="刘一", address="高井弄3号", township_id=town, village_id=community
        )
        appraise(s, ids["王五"], "C", D(2021, 2, 1))
        appraise(s, ids["王建国"], "D", D(2021, 2, 2))
        appraise(s, ids["叶小平"], "A", D(2021, 2, 3))
        batch = batches.create_batch(s, "2021省委巡视", "省委巡视", D(2021, 1, 15)).id
        batches.add_members(s, batch, [ids["王五"]])
        cases.open_case(s, ids["王五"], cases.CaseInput("维修加固", D(2021, 3, 1), D(2021, 6, 30), "2021省委巡视"))
        late = cases.open_case(s, ids["王建国"], cases.CaseInput("拆除", D(2021, 3, 1), D(2021, 12, 31))).id
        cases.add_progress(s, late, D(2021, 4, 1), "已下达整改通知书", 10)
    return ids


def _ids(db, f: listing.HouseFilter, sort: str = "id", descending: bool = False) -> list[int]:
    with db.session_scope() as s:
        found = listing.house_ids(s, f, sort, descending)
        assert listing.count_houses(s, f) == len(found)
        return found


def test_search_two_character_names_use_like(db, houses) -> None:
    assert _ids(db, HF(search="王五")) == [houses["王五"]]
    assert _ids(db, HF(search="明月")) == [houses["欧阳明月"]]
    assert set(_ids(db, HF(search="王"))) == {houses["王五"], houses["王建国"]}
    assert _ids(db, HF(search="%")) == []  # LIKE wildcards are literal


def test_search_three_or_more_characters_use_fts(db, houses) -> None:
    assert _ids(db, HF(search="欧阳明")) == [houses["欧阳明月"]]
    assert _ids(db, HF(search="王建国")) == [houses["王建国"]]
    assert _ids(db, HF(search="下村8")) == [houses["叶小平"]]
    assert _ids(db, HF(search="19491231")) == [houses["王五"]]
    assert _ids(db, HF(search="002x")) == [houses["王五"]]  # lower-case x of an ID number
    assert _ids(db, HF(search='"梅田')) == []  # quotes cannot break the FTS query


def test_search_follows_an_owner_rename(db, houses) -> None:
    with db.session_scope() as s:
        data, version = house_input(s, houses["欧阳明月"])
        update_house(s, houses["欧阳明月"], HouseInput(**{**data.__dict__, "owner_name": "欧阳春花"}), version)
    assert _ids(db, HF(search="欧阳明")) == []
    assert _ids(db, HF(search="欧阳春")) == [houses["欧阳明月"]]


def test_filters(db, houses) -> None:
    with db.session_scope() as s:
        options = listing.filter_options(s)
    bihu = next(t.id for t in options.townships if t.name == "碧湖镇")
    assert len(options.townships) == 15 and options.batches == ["2021省委巡视"]
    assert options.grades == ["A", "B", "C", "D", "未鉴定"] and "待整改" in options.case_statuses
    assert len(_ids(db, HF(township_id=bihu))) == 3
    assert _ids(db, HF(kind="城镇")) == [houses["刘一"]]
    assert _ids(db, HF(grade="C")) == [houses["王五"]]
    assert set(_ids(db, HF(grade="未鉴定"))) == {houses["欧阳明月"], houses["刘一"]}
    assert _ids(db, HF(batch="2021省委巡视")) == [houses["王五"]]
    assert _ids(db, HF(case_status="整改中")) == [houses["王建国"]]
    assert _ids(db, HF(overdue=True, today=D(2021, 7, 1))) == [houses["王五"]]
    assert _ids(db, HF(overdue=True, today=D(2022, 1, 1))) == [houses["王五"], houses["王建国"]]
    assert _ids(db, HF(township_id=bihu, search="王")) == [houses["王五"]]


def test_sorting_in_sql(db, houses) -> None:
    assert _ids(db, HF(), "deadline")[-2:] == [houses["王五"], houses["王建国"]]
    assert _ids(db, HF(), "deadline", descending=True)[0] == houses["王建国"]
    grades = _ids(db, HF(), "grade", descending=True)
    assert grades[:3] == [houses["王建国"], houses["王五"], houses["叶小平"]]
    assert set(listing.SORT_KEYS) >= {"id", "township", "village", "address", "owner", "grade", "status", "deadline"}
    assert _ids(db, HF(search="梅田村"), "address") == [houses["王五"], houses["欧阳明月"], houses["叶小平"]]


def test_rows_keep_page_order_and_mask_id(db, houses) -> None:
    order = [houses["王建国"], houses["王五"]]
    with db.session_scope() as s:
        rows = listing.house_rows(s, order + [999999], today=D(2022, 1, 1))
    assert [r.id for r in rows] == order
    wang = rows[1]
    assert (wang.township, wang.village, wang.owner_id_masked) == ("碧湖镇", "梅田村", "110105********002X")
    assert (wang.latest_grade, wang.case_status, wang.batch, wang.overdue) == ("C", "待整改", "2021省委巡视", True)
    assert rows[0].case_status == "整改中" and rows[0].deadline == D(2021, 12, 31)


def _plan(db, f: listing.HouseFilter, sort: str) -> str:
    with db.session_scope() as s:
        query = listing.house_ids_query(s, f, sort)
        sql = str(query.compile(s.get_bind(), compile_kwargs={"literal_binds": True}))
        return " | ".join(row[-1] for row in s.execute(text("EXPLAIN QUERY PLAN " + sql)))


@pytest.mark.sqlite_only
def test_query_plans_use_indexes_and_avoid_the_sort_index_trap(db, houses) -> None:
    plan = _plan(db, HF(), "deadline")
    assert "ix_house_case_deadline" in plan and "TEMP B-TREE" not in plan
    plan = _plan(db, HF(search="王五"), "deadline")  # a search must scan, then sort the few matches
    assert "ix_house_case_deadline" not in plan and "TEMP B-TREE" in plan
    plan = _plan(db, HF(search="王建国"), "owner")
    assert "house_fts" in plan.lower() or "VIRTUAL TABLE" in plan
    assert "ix_house_owner_name" not in plan
    plan = _plan(db, HF(township_id=1, village_id=2), "id")
    assert "ix_house_township_village" in plan
    plan = _plan(db, HF(overdue=True, today=D(2022, 1, 1)), "deadline")  # open statuses first, not all deadlines
    assert "ix_house_status_township" in plan and "ix_house_case_deadline" not in plan


def test_detail_has_whole_history_as_a_timeline(db, houses) -> None:
    with db.session_scope() as s:
        add_screening(s, houses["王建国"], ScreeningInput(D(2021, 1, 10), "有结构倒塌风险", "村干部", ("墙体裂缝",)))
        appraise(s, houses["王建国"], "B", D(2021, 8, 1), handling=None)
        detail = house_detail(s, houses["王建国"], today=D(2021, 9, 1))
    assert detail.owner_name == "王建国" and detail.township == "太平乡" and detail.village == "下梁村"
    assert [a.grade for a in detail.appraisals] == ["D", "B"]
    assert detail.cases[0].progress[0].text == "已下达整改通知书"
    assert detail.cases[0].available_evidence is not None and detail.cases[0].available_evidence.startswith("复鉴B级")
    assert [e.kind for e in detail.timeline] == ["排查", "鉴定", "立案", "进展", "鉴定"]
    assert [e.date for e in detail.timeline] == sorted(e.date for e in detail.timeline)


def test_house_ids_limit_gives_the_first_screen_in_the_same_order(db) -> None:
    from houses_factories import make_house

    from liandu_desk.services.houses import listing

    with db.session_scope() as session:
        for i in (4, 1, 3, 0, 2):
            make_house(session, owner=f"限量{i}", address=f"限量村{i}号")
        everything = listing.house_ids(session, listing.HouseFilter(), sort="address")
        head = listing.house_ids(session, listing.HouseFilter(), sort="address", limit=3)
    assert len(everything) == 5 and head == everything[:3]


def test_same_day_timeline_entries_keep_the_order_they_were_recorded_in(db, houses) -> None:
    """Issue 19: progress entered out of date order; those of one day stay in the order they were entered."""
    with db.session_scope() as s:
        case = house_detail(s, houses["王建国"]).cases[0].id
        cases.add_progress(s, case, D(2021, 5, 20), "上午：搭设围挡", 20)
        cases.add_progress(s, case, D(2021, 5, 10), "清点住户物品", 15)
        cases.add_progress(s, case, D(2021, 5, 20), "下午：拆除屋面", 30)
        cases.add_progress(s, case, D(2021, 5, 20), "傍晚：清运建筑垃圾", 40)
        add_screening(s, houses["王建国"], ScreeningInput(D(2021, 5, 20), "有结构倒塌风险", "村干部", ()))
    for _ in range(2):  # the same order on every opening of the page
        with db.session_scope() as s:
            timeline = house_detail(s, houses["王建国"], today=D(2021, 9, 1)).timeline
        may = [(e.date.isoformat(), e.kind, e.detail) for e in timeline if e.date.month == 5]
        assert may == [
            ("2021-05-10", "进展", "清点住户物品"),
            ("2021-05-20", "排查", "村干部"),
            ("2021-05-20", "进展", "上午：搭设围挡"),
            ("2021-05-20", "进展", "下午：拆除屋面"),
            ("2021-05-20", "进展", "傍晚：清运建筑垃圾"),
        ]
