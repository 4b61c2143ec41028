"""What is due: the list against a direct query, due-soon horizon, filters by township and clerk, the 督办 sheet."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import text

from liandu_desk.services.home.due import DUE_SOON, OVERDUE, DueFilter, by_township, due_items, sort_items
from tests.home_factories import community_issue, house_with_case, served_document, town_id

D = dt.date
AS_OF = D(2021, 9, 20)


def _seed(db) -> None:
    with db.session_scope() as s:
        house_with_case(s, "赵一", D(2021, 9, 1))  # overdue 19 days
        house_with_case(s, "钱二", D(2021, 9, 25), township="太平乡", address="官桥村5号")  # due in 5 days
        house_with_case(s, "孙三", D(2021, 12, 31))  # far off
        house_with_case(s, "李四", D(2021, 8, 1), completed=D(2021, 7, 30))  # done: never due
        served_document(s, "莲建危改〔2021〕12号", D(2021, 9, 10))
        community_issue(s, "望湖公寓", town_id(s, "紫金街道"), D(2021, 9, 5))
        community_issue(s, "白云小区", town_id(s, "白云街道"), D(2021, 9, 5), closed=True)


def test_overdue_cases_match_a_direct_query(db):
    _seed(db)
    with db.session_scope() as s:
        items = due_items(s, AS_OF, DueFilter(include_soon=False))
        direct = (
            s.execute(
                text(
                    "SELECT id FROM house_case WHERE status IN ('待整改', '整改中') AND deadline < :today ORDER BY id"
                ),
                {"today": AS_OF},
            )
            .scalars()
            .all()
        )
    cases = sorted(i.row_id for i in items if i.table == "house_case")
    assert cases == list(direct) and len(cases) == 1
    assert {i.table for i in items} == {"house_case", "document", "cm_issue"}
    assert all(i.state == OVERDUE for i in items)
    assert [i.days_over for i in items] == sorted((i.days_over for i in items), reverse=True)


def test_due_soon_township_and_clerk_filters(db):
    _seed(db)
    with db.session_scope() as s:
        everything = due_items(s, AS_OF)
        soon = [i for i in everything if i.state == DUE_SOON]
        assert [(i.table, i.days_over, i.township) for i in soon] == [("house_case", -5, "太平乡")]
        assert "钱二" in soon[0].title and soon[0].when_text() == "5天后到期"
        taiping = due_items(s, AS_OF, DueFilter(township_id=town_id(s, "太平乡")))
        assert [i.row_id for i in taiping] == [soon[0].row_id]
        zijin = due_items(s, AS_OF, DueFilter(township_id=town_id(s, "紫金街道")))
        assert [(i.table, i.township) for i in zijin] == [("cm_issue", "紫金街道")]
        # The case rows were written through the ORM by the test clerk: the audit trail names the clerk.
        by_tester = due_items(s, AS_OF, DueFilter(clerk="测试员"))
        assert {i.table for i in by_tester} >= {"house_case"}
        documents = due_items(s, AS_OF, DueFilter(clerk="王科长"))
        assert [i.table for i in documents] == ["document"]
    groups = by_township(everything)
    assert set(groups) == {"碧湖镇", "太平乡", "紫金街道", "未分区"}
    assert [i.deadline for i in sort_items(everything, "deadline", False)] == sorted(i.deadline for i in everything)


def test_duban_sheet_pdf_and_excel_grouped_by_township(db):
    import io

    import openpyxl

    from liandu_desk.io.duban_xlsx import sheet_bytes
    from liandu_desk.reports.duban import render_sheet
    from tests.documents_factories import pdf_text

    _seed(db)
    with db.session_scope() as s:
        items = due_items(s, AS_OF)
        house_with_case(s, "=SUM(A1)", D(2021, 9, 2), address="-1号")
        hostile = due_items(s, AS_OF)
    text = pdf_text(render_sheet(items, AS_OF, "莲都区建设局")).replace(" ", "").replace("\n", "")
    assert "督办事项清单" in text and "碧湖镇（1项）" in text and "太平乡（1项）" in text
    assert f"共有待督办事项{len(items)}项" in text
    book = openpyxl.load_workbook(io.BytesIO(sheet_bytes(hostile, AS_OF, "莲都区建设局")))
    sheet = book.active
    titles = [row[4].value for row in sheet.iter_rows(min_row=4) if row[4].value]
    assert any(t.startswith("=SUM(A1)") for t in titles)
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    groups = [row[0].value for row in sheet.iter_rows(min_row=4) if row[1].value is None and row[0].value]
    assert groups[0].startswith("碧湖镇") and any(g.startswith("太平乡") for g in groups)


def test_due_items_say_what_their_records_say(db):
    """The due list reads plain columns: each item still says what its record (read as an entity) says — title,
    township, responsible party, deadline — for every module of a small demo database."""
    from liandu_desk.demo import generate_demo
    from liandu_desk.domain.communities import Community, Issue
    from liandu_desk.domain.elevators import ElevatorProject
    from liandu_desk.domain.house_cases import HousePlan, RectificationCase
    from liandu_desk.domain.houses import House
    from liandu_desk.domain.registry import Division

    generate_demo(db, scale=0.02)
    with db.session_scope() as s:
        as_of = D(2021, 11, 25)
        items = due_items(s, as_of)
        assert {i.table for i in items} >= {"house_case", "elevator_project", "cm_issue"}

        def township(division_id):
            division = s.get(Division, division_id) if division_id else None
            if division is not None and division.parent_id:
                division = s.get(Division, division.parent_id)
            return (division.id, division.name) if division else (None, "")

        for item in items:
            if item.table == "house_case":
                case = s.get(RectificationCase, item.row_id)
                house = s.get(House, case.house_id)
                title = f"{house.owner_name} {house.address}（{case.measure.value}，{case.status.value}）"
                expected = (title, township(house.township_id), "", case.deadline, house.id)
            elif item.table == "house_plan":
                plan = s.get(HousePlan, item.row_id)
                house = s.get(House, plan.house_id)
                title = f"{house.building_name or house.address}（一房一策，{plan.method.value}，{plan.status.value}）"
                expected = (title, township(house.township_id), plan.responsible_party, plan.deadline, house.id)
            elif item.table == "cm_issue":
                issue = s.get(Issue, item.row_id)
                community = s.get(Community, issue.community_id)
                title = f"{community.name}：{issue.description}"
                expected = (title, township(community.division_id), issue.responsible, issue.deadline, community.id)
            elif item.table == "elevator_project":
                project = s.get(ElevatorProject, item.row_id)
                assert item.title.startswith(f"{project.title}（{project.current_stage.value}")
                assert item.deadline < as_of + dt.timedelta(days=8) and item.record_id == project.id
                continue
            else:
                continue
            found = (item.title, (item.township_id, item.township), item.responsible, item.deadline, item.record_id)
            assert found == expected
            assert item.days_over == (as_of - item.deadline).days
