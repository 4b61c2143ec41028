"""One working-day calendar for every deadline: cases, notices and community issues agree across holidays; a
year without data is refused; a year's arrangement is imported with its changes shown first."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from documents_factories import dangerous_house
from sqlalchemy import delete

from liandu_desk.cli import main
from liandu_desk.domain.documents import Holiday
from liandu_desk.domain.errors import RuleError, ValidationError
from liandu_desk.domain.house_cases import RectificationCase
from liandu_desk.services.documents.calendar import WorkCalendar, covered_years, missing_year_warning
from liandu_desk.services.documents.calendar_import import (
    arrangement_from_ranges,
    diff_year,
    import_year,
    parse_holiday_cn,
)
from liandu_desk.services.documents.house_notices import house_notice_facts

D = dt.date
DATA = Path(__file__).parent / "data" / "holiday-cn"


def _independent_working_day(day: dt.date, off: dict[dt.date, bool]) -> bool:
    """holiday-cn's own rule: a listed day is off or on as listed; any other day follows Monday–Friday."""
    return not off[day] if day in off else day.weekday() < 5


def _independent_deadline(start: dt.date, days: int, off: dict[dt.date, bool]) -> dt.date:
    day = start
    while days:
        day += dt.timedelta(days=1)
        days -= _independent_working_day(day, off)
    return day


def _holiday_cn() -> dict[dt.date, bool]:
    off: dict[dt.date, bool] = {}
    for year in range(2020, 2027):
        for entry in json.loads((DATA / f"{year}.json").read_text(encoding="utf-8"))["days"]:
            off[D.fromisoformat(entry["date"])] = entry["isOffDay"]
    return off


def _forget_2027(session) -> None:
    session.execute(delete(Holiday).where(Holiday.day >= D(2027, 1, 1)))


def test_every_deadline_2021_to_2026_matches_an_independent_calendar(db) -> None:
    off = _holiday_cn()
    with db.session_scope() as session:
        calendar = WorkCalendar.load(session)
    day, mismatches = D(2021, 1, 1), []
    while day <= D(2026, 11, 1):
        for days in (1, 10, 30):
            if calendar.add_working_days(day, days) != _independent_deadline(day, days, off):
                mismatches.append((day, days))
        day += dt.timedelta(days=1)
    assert mismatches == []


def test_deadline_into_a_year_without_data_is_refused(db) -> None:
    with db.session_scope() as session:
        _forget_2027(session)
        house_id = dangerous_house(session)
    with db.session_scope() as session, pytest.raises(RuleError) as refused:
        house_notice_facts(session, [house_id], D(2026, 12, 3))
    assert "2027年的节假日与调休安排尚未录入" in refused.value.message and "导入年度安排" in refused.value.message
    with db.session_scope() as session:  # a deadline that stays in 2026 is fine
        (facts,) = house_notice_facts(session, [house_id], D(2026, 10, 15))
    assert facts.deadline == D(2026, 11, 26)


def test_once_2027_is_entered_the_notice_of_3_december_is_due_15_january(db) -> None:
    with db.session_scope() as session:
        _forget_2027(session)
        house_id = dangerous_house(session)
        import_year(session, arrangement_from_ranges(2027, [("元旦", D(2027, 1, 1), D(2027, 1, 1))], [], "测试"))
    with db.session_scope() as session:
        (facts,) = house_notice_facts(session, [house_id], D(2026, 12, 3))
    assert facts.deadline == D(2027, 1, 15)


@pytest.mark.parametrize(
    ("opened", "across"),
    [(D(2021, 1, 25), "春节"), (D(2021, 9, 17), "国庆节"), (D(2024, 1, 29), "春节"), (D(2025, 9, 22), "国庆节")],
)
def test_a_case_and_its_notice_agree(db, opened: dt.date, across: str) -> None:
    with db.session_scope() as session:
        house_id = dangerous_house(session, on=opened - dt.timedelta(days=30))
        case = session.query(RectificationCase).filter_by(house_id=house_id).one()
        case.opened_on = opened
    from liandu_desk.services.houses import cases

    with db.session_scope() as session:
        case = session.query(RectificationCase).filter_by(house_id=house_id).one()
        cases.update_case(session, case.id, cases.CaseInput(measure="拆除重建", opened_on=opened), case.version)
        deadline = session.get(RectificationCase, case.id).deadline
        (facts,) = house_notice_facts(session, [house_id], opened)
    assert deadline == facts.deadline == _independent_deadline(opened, 30, _holiday_cn())
    assert deadline > opened + dt.timedelta(days=42), across  # the holiday pushed it past six calendar weeks


def test_community_issue_deadline_uses_the_calendar(db) -> None:
    from liandu_desk.services.communities.inspections import issue_deadline

    with db.session_scope() as session:
        assert issue_deadline(session, D(2021, 9, 29)) == _independent_deadline(D(2021, 9, 29), 10, _holiday_cn())
        assert issue_deadline(session, D(2021, 9, 29)) == D(2021, 10, 19)  # National Day off, 9 October worked


def test_overview_warns_from_1_november_when_next_year_is_missing(db) -> None:
    with db.session_scope() as session:
        _forget_2027(session)
        assert missing_year_warning(session, D(2026, 10, 31)) == ""
        assert "2027年的节假日与调休安排尚未录入" in missing_year_warning(session, D(2026, 11, 1))
        import_year(session, parse_holiday_cn((DATA / "2026.json").read_text(encoding="utf-8"), "测试"))
        assert 2027 not in covered_years(session)


def test_holiday_cn_import_shows_the_changes_then_saves(db) -> None:
    text = (DATA / "2026.json").read_text(encoding="utf-8")
    with db.session_scope() as session:
        same = parse_holiday_cn(text, "国务院办公厅关于2026年部分节假日安排的通知")
        assert diff_year(session, same).empty
        changed = arrangement_from_ranges(
            2026,
            [("元旦", D(2026, 1, 1), D(2026, 1, 3)), ("春节", D(2026, 2, 16), D(2026, 2, 23))],
            [("春节", D(2026, 2, 14))],
            "测试",
        )
        diff = diff_year(session, changed)
        lines = "\n".join(diff.lines())
        assert "删除 2026-01-04 调休上班（元旦）" in lines and "删除 2026-02-15 放假（春节）" in lines
        assert not any(line.startswith("新增") for line in diff.lines())
        assert WorkCalendar.load(session).is_working_day(D(2026, 2, 15)) is False  # nothing saved by the diff
        import_year(session, changed)
        assert WorkCalendar.load(session).is_working_day(D(2026, 10, 8)) is True  # National Day no longer listed


def test_empty_or_malformed_arrangements_are_refused(db) -> None:
    with pytest.raises(ValidationError, match="没有放假日期"):
        parse_holiday_cn((DATA / "2027.json").read_text(encoding="utf-8"), "测试")
    with pytest.raises(ValidationError, match="不是 holiday-cn 格式"):
        parse_holiday_cn("[1, 2]", "测试")
    with pytest.raises(ValidationError, match="不在2026年"):
        parse_holiday_cn('{"year": 2026, "days": [{"name": "元旦", "date": "2025-01-01", "isOffDay": true}]}', "x")
    with pytest.raises(ValidationError, match="不能列为调休上班"):
        arrangement_from_ranges(2026, [("元旦", D(2026, 1, 1), D(2026, 1, 1))], [("元旦", D(2026, 1, 5))], "x")
    with pytest.raises(ValidationError, match="依据"):
        arrangement_from_ranges(2026, [("元旦", D(2026, 1, 1), D(2026, 1, 1))], [], " ")


def test_cli_import_previews_then_saves_with_yes(db_path: Path, tmp_path: Path, capsys) -> None:
    arrangement = {
        "year": 2028,
        "papers": [],
        "days": [
            {"name": "元旦", "date": "2028-01-01", "isOffDay": True},
            {"name": "春节", "date": "2028-01-29", "isOffDay": False},
        ],
    }
    path = tmp_path / "2028.json"
    path.write_text(json.dumps(arrangement, ensure_ascii=False), encoding="utf-8")
    assert main(["calendar", "import", str(path), "--db", str(db_path), "--source", "测试通知"]) == 0
    out = capsys.readouterr().out
    assert "新增 2028-01-01 放假（元旦）" in out and "尚未保存" in out
    assert main(["calendar", "years", "--db", str(db_path)]) == 0
    assert "2028" not in capsys.readouterr().out
    assert main(["calendar", "import", str(path), "--db", str(db_path), "--source", "测试通知", "--yes"]) == 0
    assert "已保存" in capsys.readouterr().out
    assert main(["calendar", "years", "--db", str(db_path)]) == 0
    assert "2028" in capsys.readouterr().out


def test_import_dialog_types_a_year_shows_the_changes_and_saves(ctx, qtbot, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    from liandu_desk.ui.documents.holiday_import import HolidayImportDialog

    asked: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda _p, _t, text: asked.append(text) or QMessageBox.StandardButton.Yes
    )
    dialog = HolidayImportDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.year.setValue(2029)
    dialog.source.setText("国务院办公厅关于2029年部分节假日安排的通知")
    dialog.lines.setPlainText("元旦 2029-01-01\n春节 2029-02-12 至 2029-02-18\n上班 2029-02-10 春节")
    dialog.save_button.click()
    assert "新增 2029-01-01 放假（元旦）" in asked[0] and "新增 2029-02-10 调休上班（春节）" in asked[0]
    with ctx.db.session_scope() as session:
        calendar = WorkCalendar.load(session)
    assert (
        2029 in calendar.years
        and calendar.is_working_day(D(2029, 2, 10))
        and not calendar.is_working_day(D(2029, 2, 14))
    )


def test_import_dialog_names_the_bad_line(ctx, qtbot, no_blocking_message_boxes) -> None:
    from liandu_desk.ui.documents.holiday_import import HolidayImportDialog

    dialog = HolidayImportDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.source.setText("测试")
    dialog.lines.setPlainText("元旦 2027-01-01\n春节 二月五日")
    dialog.save_button.click()
    assert any("第2行" in text for text in no_blocking_message_boxes)
