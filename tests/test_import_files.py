"""Reading files: CSV encodings, .xls, exact Excel row numbers, and hostile files refused before parsing."""

from __future__ import annotations

import zipfile

import pytest
import xlsxwriter

from liandu_desk.io.reader import read_sheet
from liandu_desk.io.safety import Limits, UnreadableFileError, check_file
from liandu_desk.services.imports.houses import ImportOptions, import_houses
from tests.import_factories import HEADERS, good_row, write_csv, write_xlsx


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_encodings_are_detected(db, tmp_path, encoding):
    rows = [good_row(1, 排查日期="2021/3/5"), good_row(2, 层数="0")]
    path = write_csv(tmp_path / "in.csv", rows, encoding, title="莲都区农村房屋安全排查汇总表")
    result = import_houses(db, path, ImportOptions(dry_run=True))
    assert read_sheet(path).encoding == encoding
    assert result.header_row == 2
    assert result.rejected_rows == [4]
    assert result.valid_rows[0].owner_name == good_row(1)["户主姓名"]
    assert result.valid_rows[0].id_number == good_row(1)["身份证号"]


def test_csv_scientific_id_text_is_rejected_with_explanation(db, tmp_path):
    path = write_csv(tmp_path / "in.csv", [good_row(1, 身份证号="3.31102E+17")], "utf-8")
    result = import_houses(db, path, ImportOptions(dry_run=True))
    assert [(r.row, r.column) for r in result.rejections] == [(2, "身份证号")]
    assert "15位" in result.rejections[0].reason


def test_excel_row_numbers_survive_leading_blank_rows_and_columns(db, tmp_path):
    path = tmp_path / "offset.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    sheet.write_row(6, 2, HEADERS)  # header on Excel row 7, starting in column C
    sheet.write_row(9, 2, [good_row(1)[h] if h != "排查日期" else "2021-03-05" for h in HEADERS])
    sheet.write_row(11, 2, [good_row(2, 层数=99)[h] if h != "排查日期" else "2021-03-05" for h in HEADERS])
    workbook.close()
    result = import_houses(db, path, ImportOptions(dry_run=True))
    assert result.header_row == 7
    assert [r.row for r in result.valid_rows] == [10]
    assert result.rejected_rows == [12]


def test_missing_required_header_is_unreadable(db, tmp_path):
    headers = [h for h in HEADERS if h != "排查结论"]
    path = write_xlsx(tmp_path / "h.xlsx", [good_row(1)], headers=headers)
    with pytest.raises(UnreadableFileError, match="排查结论"):
        import_houses(db, path, ImportOptions(dry_run=True))


def test_xls_file_is_read(db, tmp_path):
    xlwt = pytest.importorskip("xlwt", reason="writing a .xls fixture needs xlwt (calamine itself reads .xls)")
    book = xlwt.Workbook()
    sheet = book.add_sheet("s")
    rows = [good_row(1), good_row(2, 身份证号=3.31102196505e17)]
    for col, header in enumerate(HEADERS):
        sheet.write(0, col, header)
        for r, row in enumerate(rows, start=1):
            value = row[header]
            sheet.write(r, col, value if not hasattr(value, "year") else "2021-03-05")
    book.save(str(tmp_path / "in.xls"))
    result = import_houses(db, tmp_path / "in.xls", ImportOptions(dry_run=True))
    assert [r.row for r in result.valid_rows] == [2]
    assert [(r.row, r.column) for r in result.rejections] == [(3, "身份证号")]


def test_file_that_is_not_what_its_name_says(tmp_path):
    fake_xlsx = tmp_path / "fake.xlsx"
    fake_xlsx.write_text("乡镇（街道）,村（社区）\n", encoding="utf-8")
    with pytest.raises(UnreadableFileError, match="扩展名不符"):
        check_file(fake_xlsx)
    real = write_xlsx(tmp_path / "real.xlsx", [good_row(1)])
    disguised = tmp_path / "real.xls"
    disguised.write_bytes(real.read_bytes())
    with pytest.raises(UnreadableFileError, match="扩展名不符"):
        check_file(disguised)
    binary_csv = tmp_path / "bin.csv"
    binary_csv.write_bytes(real.read_bytes())
    with pytest.raises(UnreadableFileError, match="扩展名不符"):
        check_file(binary_csv)
    exe = tmp_path / "virus.exe"
    exe.write_bytes(b"MZ\x90\x00")
    with pytest.raises(UnreadableFileError, match="不支持"):
        check_file(exe)


def test_damaged_xlsx_is_refused(tmp_path):
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(UnreadableFileError, match="损坏"):
        read_sheet(broken)


def test_zip_bomb_is_refused_before_parsing(tmp_path):
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            chunk = b"<c>0</c>" * 131072
            for _ in range(24):  # 24 MB of near-identical XML: ratio in the thousands
                member.write(chunk)
    assert bomb.stat().st_size < 200_000
    with pytest.raises(UnreadableFileError, match="压缩炸弹"):
        read_sheet(bomb)
    with pytest.raises(UnreadableFileError, match="压缩炸弹"):
        check_file(bomb, Limits(max_uncompressed_bytes=10 * 1024 * 1024, max_member_ratio=10**9))


def test_enormous_sheet_is_refused_by_its_dimension(tmp_path):
    path = tmp_path / "huge.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, HEADERS)
    sheet.write_string(999_999, 0, "紫金街道")
    workbook.close()
    assert path.stat().st_size < 20_000
    with pytest.raises(UnreadableFileError, match="工作表过大"):
        read_sheet(path)


def test_row_limit_without_dimension_element(tmp_path):
    path = write_xlsx(tmp_path / "nodim.xlsx", [good_row(i) for i in range(1, 30)])
    stripped = tmp_path / "stripped.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(stripped, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<dimension ref="A1:R33"/>', b"")
                assert b"<dimension" not in data
            dst.writestr(info.filename, data)
    with pytest.raises(UnreadableFileError, match="上限"):
        read_sheet(stripped, Limits(max_rows=20))
    assert len(read_sheet(stripped).rows) == 33


def test_oversized_file_is_refused(tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes(b"a,b\n" * 1000)
    with pytest.raises(UnreadableFileError, match="文件过大"):
        check_file(path, Limits(max_file_bytes=1000))


def test_wide_and_long_sheet_is_refused_by_cell_count(tmp_path):
    path = tmp_path / "wide.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    sheet.write_string(0, 0, "x")
    sheet.write_string(100_000, 150, "y")  # within the row and column limits, but 15 million cells
    workbook.close()
    with pytest.raises(UnreadableFileError, match="单元格"):
        read_sheet(path)


def test_formula_cells_read_their_value_or_else_their_text(tmp_path):
    path = tmp_path / "f.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    sheet.write_formula(0, 0, '="梅田村"&"1号"', None, "梅田村1号")  # saved with its computed value
    sheet.write_formula(0, 1, "=1+2", None, "")  # no computed value
    sheet.write_formula(3, 2, '=A1&"<x>"', None, "")
    workbook.close()
    rows = read_sheet(path).rows
    assert rows[0][:2] == ["梅田村1号", "=1+2"]
    assert rows[3][2] == '=A1&"<x>"'
