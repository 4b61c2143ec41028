"""The import/export CLI: exit codes, row lines, the rejected-rows report, template, mappings and export."""

from __future__ import annotations

import datetime as dt
import json
import zipfile

import openpyxl
import pandas as pd

from liandu_desk.cli import main
from tests.import_factories import HEADERS, good_row, write_xlsx


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def mixed(tmp_path):
    rows = [good_row(1), good_row(2, 层数="31层"), good_row(3, 排查日期="2030-01-01"), good_row(4)]
    return write_xlsx(tmp_path / "in.xlsx", rows, total=True)


def test_dry_run_prints_row_lines_and_exits_1(db_path, tmp_path, capsys):
    code, out, _ = run(capsys, "import", "houses", str(mixed(tmp_path)), "--dry-run", "--db", str(db_path))
    assert code == 1
    lines = [line for line in out.splitlines() if line.startswith("row ")]
    assert lines[0].startswith("row 6: 层数: ") and lines[1].startswith("row 7: 排查日期: ")
    assert len(lines) == 2
    assert "拒绝 2" in out


def test_default_import_with_rejections_writes_nothing_then_skip_invalid_writes(db_path, tmp_path, capsys):
    path = str(mixed(tmp_path))
    assert run(capsys, "import", "houses", path, "--db", str(db_path))[0] == 1
    code, out, _ = run(capsys, "stats", "--from", "2021-01-01", "--to", "2021-12-31", "--json", "--db", str(db_path))
    assert json.loads(out)["houses"]["rural_screened"] == 0
    assert run(capsys, "import", "houses", path, "--skip-invalid", "--db", str(db_path))[0] == 0
    code, out, _ = run(capsys, "stats", "--from", "2021-01-01", "--to", "2021-12-31", "--json", "--db", str(db_path))
    assert json.loads(out)["houses"]["rural_screened"] == 2
    assert run(capsys, "import", "houses", path, "--skip-invalid", "--db", str(db_path))[0] == 0
    code, out, _ = run(capsys, "stats", "--from", "2021-01-01", "--to", "2021-12-31", "--json", "--db", str(db_path))
    assert json.loads(out)["houses"]["rural_screened"] == 2


def test_valid_file_dry_run_exits_0(db_path, tmp_path, capsys):
    path = write_xlsx(tmp_path / "ok.xlsx", [good_row(1)])
    assert run(capsys, "import", "houses", str(path), "--dry-run", "--db", str(db_path))[0] == 0


def test_unreadable_file_exits_2(db_path, tmp_path, capsys):
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a workbook")
    code, _, err = run(capsys, "import", "houses", str(fake), "--db", str(db_path))
    assert code == 2 and "扩展名不符" in err
    code, _, err = run(capsys, "import", "houses", str(tmp_path / "missing.xlsx"), "--db", str(db_path))
    assert code == 2 and "找不到文件" in err


def test_report_has_rejected_rows_with_reason_column_and_reimports(db_path, tmp_path, capsys):
    report = tmp_path / "out" / "rejected.xlsx"
    run(capsys, "import", "houses", str(mixed(tmp_path)), "--dry-run", "--report", str(report), "--db", str(db_path))
    frame = pd.read_excel(report, engine="calamine", dtype=object)
    assert list(frame.columns[-2:]) == ["原行号", "错误原因"]
    assert list(frame["原行号"]) == [6, 7]
    assert frame["错误原因"][0].startswith("层数：")
    assert list(frame["详细地址"]) == ["梅田村2号", "梅田村3号"]
    assert not list(report.parent.glob(".*"))  # the temp file was renamed away
    code, out, _ = run(capsys, "import", "houses", str(report), "--dry-run", "--db", str(db_path))
    assert "未识别的列（已忽略）：原行号、错误原因" in out
    assert [line[:8] for line in out.splitlines() if line.startswith("row ")] == ["row 2: 层", "row 3: 排"]


def test_saved_mapping_reads_another_layout(db_path, tmp_path, capsys):
    renamed = {"乡镇（街道）": "所在乡镇", "详细地址": "门牌地址", "排查结论": "结论"}
    headers = [renamed.get(h, h) for h in HEADERS]
    rows = [{renamed.get(k, k): v for k, v in good_row(1).items()}]
    path = str(write_xlsx(tmp_path / "platform.xlsx", rows, headers=headers))
    assert run(capsys, "import", "houses", path, "--dry-run", "--db", str(db_path))[0] == 2
    pairs = [f"{src}={dst}" for dst, src in renamed.items()]
    assert run(capsys, "import", "mapping", "save", "省平台", *pairs, "--db", str(db_path))[0] == 0
    assert "省平台" in run(capsys, "import", "mapping", "list", "--db", str(db_path))[1]
    code, out, _ = run(capsys, "import", "houses", path, "--mapping", "省平台", "--db", str(db_path))
    assert code == 0 and "新增房屋 1" in out
    assert run(capsys, "import", "houses", path, "--mapping", "没有", "--db", str(db_path))[0] == 1


def test_template_has_headers_and_dropdowns(db_path, tmp_path, capsys):
    out = tmp_path / "template.xlsx"
    assert run(capsys, "import", "template", "--out", str(out), "--db", str(db_path))[0] == 0
    book = openpyxl.load_workbook(out)
    sheet = book["导入"]
    assert [c.value for c in sheet[2]] == HEADERS
    lists = [dv for dv in sheet.data_validations.dataValidation if dv.type == "list"]
    assert len(lists) == 5  # 乡镇（街道）, 结构类型, 用途, 排查结论, 鉴定等级
    choices = book["选项"]
    assert "紫金街道" in [c.value for c in choices["A"]]
    code, out_text, _ = run(capsys, "import", "houses", str(out), "--dry-run", "--db", str(db_path))
    assert code == 0 and "数据行 0" in out_text


def test_export_round_trip_keeps_formula_like_text_as_text(db_path, tmp_path, capsys):
    rows = [
        good_row(1, 详细地址="=1+2", 备注='=HYPERLINK("http://x")'),
        good_row(2, 户主姓名="@王五", 详细地址="+86号"),
        good_row(3, 详细地址="-3号", 鉴定等级="C", 鉴定日期="2021-04-01"),
    ]
    assert run(capsys, "import", "houses", str(write_xlsx(tmp_path / "f.xlsx", rows)), "--db", str(db_path))[0] == 0
    out = tmp_path / "export.xlsx"
    code, text, _ = run(capsys, "export", "houses", "--out", str(out), "--township", "碧湖", "--db", str(db_path))
    assert code == 0 and "3 户" in text
    with zipfile.ZipFile(out) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")
    sheet = openpyxl.load_workbook(out)["房屋清单"]
    assert sheet.freeze_panes == "A2"
    values = {r[3].value: r for r in sheet.iter_rows(min_row=2)}
    assert set(values) == {"=1+2", "+86号", "-3号"}
    assert all(r[3].data_type == "s" for r in values.values())
    assert values["=1+2"][19].value == '=HYPERLINK("http://x")'
    assert values["+86号"][4].value == "@王五"
    assert values["-3号"][13].value == dt.datetime(2021, 3, 5)
    assert values["-3号"][15].value == "C"
    assert values["-3号"][5].value.startswith("331102") and "*" in values["-3号"][5].value
    frame = pd.read_excel(out, engine="calamine", dtype=object)
    assert sorted(frame["详细地址"]) == sorted(["=1+2", "+86号", "-3号"])


def test_export_filters_and_stats(db_path, tmp_path, capsys):
    rows = [good_row(1, 鉴定等级="D", 鉴定日期="2021-04-01"), good_row(2)]
    run(capsys, "import", "houses", str(write_xlsx(tmp_path / "f.xlsx", rows)), "--db", str(db_path))
    out = tmp_path / "d.xlsx"
    assert run(capsys, "export", "houses", "--out", str(out), "--grade", "D", "--db", str(db_path))[1].count("1 户")
    stats = tmp_path / "stats.xlsx"
    args = ["export", "stats", "--from", "2021-01-01", "--to", "2021-06-30", "--out", str(stats), "--db", str(db_path)]
    assert run(capsys, *args)[0] == 0
    figures = dict(pd.read_excel(stats, engine="calamine").to_numpy().tolist())
    assert figures["houses.rural_screened"] == 2 and figures["houses.grades.D"] == 1


def test_formula_cells_without_values_survive_import_and_export_as_text(db_path, tmp_path, capsys):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    row = good_row(1, 详细地址="=1+2", 备注="=SUM(A1:A3)", 排查日期="2021-03-05")
    sheet.append([row[h] for h in HEADERS])  # openpyxl stores "=…" strings as formulas, with no cached value
    path = tmp_path / "formulas.xlsx"
    book.save(path)
    code, out, _ = run(capsys, "import", "houses", str(path), "--db", str(db_path))
    assert code == 0, out
    exported = tmp_path / "export.xlsx"
    assert run(capsys, "export", "houses", "--out", str(exported), "--db", str(db_path))[0] == 0
    cells = {c.value: c.data_type for c in openpyxl.load_workbook(exported)["房屋清单"][2]}
    assert cells["=1+2"] == "s" and cells["=SUM(A1:A3)"] == "s"


def test_strict_villages_flag_rejects_a_village_the_register_does_not_name(db_path, tmp_path, capsys):
    """Issue 19: 梅田村 is in 仙渡乡's register, not 碧湖镇's; the layout's default still takes it as text."""
    path = str(write_xlsx(tmp_path / "in.xlsx", [good_row(1)]))
    code, out, _ = run(capsys, "import", "houses", path, "--dry-run", "--strict-villages", "--db", str(db_path))
    assert code == 1 and "row 5: 村（社区）: “梅田村”不在碧湖镇的村（社区）名册中" in out
    assert run(capsys, "import", "houses", path, "--dry-run", "--lenient-villages", "--db", str(db_path))[0] == 0
