"""The appraisal-results layout: rows matched to houses on file, rules, idempotent re-import, latest grade."""

from __future__ import annotations

import datetime as dt

import openpyxl
from sqlalchemy import func, select

from liandu_desk.cli import main
from liandu_desk.domain.houses import Appraisal, House
from liandu_desk.services.houses.stats import section
from liandu_desk.services.imports.appraisals import APPRAISAL_COLUMNS, import_appraisals
from liandu_desk.services.imports.houses import ImportOptions, import_houses
from liandu_desk.services.periods import Period
from tests.import_factories import good_row, write_xlsx

HEADERS = [c.header for c in APPRAISAL_COLUMNS]


def appraisal(i: int, **over):
    row = {
        "乡镇（街道）": "碧湖",
        "村（社区）": "梅田村",
        "详细地址": f"梅田村{i}号",
        "鉴定日期": dt.datetime(2021, 4, 1),
        "鉴定等级": "C级",
        "鉴定机构": "鉴定所",
        "报告编号": f"鉴2021-{i}",
        "处理类型": "处理使用",
    }
    row.update(over)
    return row


def setup_houses(db, tmp_path, n: int = 3) -> None:
    import_houses(db, write_xlsx(tmp_path / "houses.xlsx", [good_row(i) for i in range(1, n + 1)]))


def test_rules_name_exactly_the_rejected_rows(db, tmp_path):
    setup_houses(db, tmp_path)
    rows = [
        appraisal(1),
        appraisal(2, 鉴定等级="E"),
        appraisal(9),
        appraisal(3, 鉴定日期="2099-01-01"),
        appraisal(3, 处理类型="修一修"),
        appraisal(1, 鉴定等级="D"),
    ]
    path = write_xlsx(tmp_path / "a.xlsx", rows, headers=HEADERS)
    result = import_appraisals(db, path, ImportOptions(dry_run=True))
    assert [(r.row, r.column) for r in result.rejections] == [
        (6, "鉴定等级"),
        (7, "详细地址"),
        (8, "鉴定日期"),
        (9, "处理类型"),
        (10, "鉴定日期"),
    ]
    assert "第5行" in result.rejections[-1].reason


def test_skip_invalid_writes_appraisals_updates_grade_and_stats_and_twice_adds_nothing(db, tmp_path):
    setup_houses(db, tmp_path)
    rows = [appraisal(1), appraisal(2, 鉴定等级="A", 处理类型=None), appraisal(9)]
    path = write_xlsx(tmp_path / "a.xlsx", rows, headers=HEADERS)
    first = import_appraisals(db, path, ImportOptions(skip_invalid=True))
    assert first.written and first.counts.appraisals_added == 2
    second = import_appraisals(db, path, ImportOptions(skip_invalid=True))
    assert second.counts.appraisals_added == 0 and second.counts.appraisals_updated == 0
    with db.session_scope() as s:
        assert s.scalar(select(func.count()).select_from(Appraisal)) == 2
        grades = dict(s.execute(select(House.address, House.latest_grade)).all())
        figures = section(s, Period(dt.date(2021, 1, 1), dt.date(2021, 6, 30)))
    assert grades == {"梅田村1号": "C", "梅田村2号": "A", "梅田村3号": None}
    assert figures["rural_appraised"] == 2 and figures["rural_dangerous"] == 1


def test_cli_and_template(db_path, tmp_path, capsys):
    houses = write_xlsx(tmp_path / "h.xlsx", [good_row(1)])
    assert main(["import", "houses", str(houses), "--db", str(db_path)]) == 0
    path = write_xlsx(tmp_path / "a.xlsx", [appraisal(1, 鉴定等级="D", 处理类型="整体拆除")], headers=HEADERS)
    assert main(["import", "appraisals", str(path), "--db", str(db_path)]) == 0
    assert "新增鉴定记录 1" in capsys.readouterr().out
    out = tmp_path / "t.xlsx"
    assert main(["import", "template", "--layout", "appraisals", "--out", str(out), "--db", str(db_path)]) == 0
    assert [c.value for c in openpyxl.load_workbook(out)["导入"][2]] == HEADERS
