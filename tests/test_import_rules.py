"""Every rule of the house screening layout: each broken rule rejects exactly its row, messy-but-valid rows pass."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from liandu_desk.domain.registry import Person
from liandu_desk.services.imports.houses import ImportOptions, import_houses
from tests.import_factories import HEADERS, first_data_row, good_row, valid_id, write_xlsx

NEXT_YEAR = dt.date.today().year + 1
TOMORROW = dt.datetime.combine(dt.date.today() + dt.timedelta(days=1), dt.time())


def dry_run(db, tmp_path: Path, rows, **kwargs):
    path = write_xlsx(tmp_path / "in.xlsx", rows, **kwargs)
    return import_houses(db, path, ImportOptions(dry_run=True))


INVALID = [
    ({"乡镇（街道）": "莲花镇"}, "乡镇（街道）", "不是莲都区的乡镇"),
    ({"乡镇（街道）": None}, "乡镇（街道）", "不能为空"),
    ({"村（社区）": "  "}, "村（社区）", "不能为空"),
    ({"详细地址": None}, "详细地址", "不能为空"),
    ({"户主姓名": "王"}, "户主姓名", "至少2个字"),
    ({"户主姓名": "王" * 21}, "户主姓名", "不能超过20个字"),
    ({"户主姓名": None}, "户主姓名", "不能为空"),
    ({"身份证号": valid_id(1)[:17] + ("0" if valid_id(1)[17] != "0" else "1")}, "身份证号", "校验码错误"),
    ({"身份证号": 3.31102196505e17}, "身份证号", "数字格式"),
    ({"身份证号": "3.31102196505E+17"}, "身份证号", "数字格式"),
    ({"身份证号": valid_id(1)[:17]}, "身份证号", "应为18位"),
    ({"身份证号": "33110220650512001X"}, "身份证号", "出生"),
    ({"联系电话": "12345678901"}, "联系电话", "11位手机号码"),
    ({"联系电话": "0571-1234567"}, "联系电话", "0578"),
    ({"结构类型": "瓦房"}, "结构类型", "不是可选值"),
    ({"结构类型": None}, "结构类型", "不能为空"),
    ({"层数": 0}, "层数", "1至30"),
    ({"层数": 31}, "层数", "1至30"),
    ({"层数": "三层"}, "层数", "不是整数"),
    ({"层数": 2.5}, "层数", "整数"),
    ({"层数": None}, "层数", "不能为空"),
    ({"建造年份": 1899}, "建造年份", "1900"),
    ({"建造年份": NEXT_YEAR}, "建造年份", "1900"),
    ({"建造年份": "八五年"}, "建造年份", "不是整数"),
    ({"建筑面积（㎡）": 0}, "建筑面积（㎡）", "应大于0"),
    ({"建筑面积（㎡）": -5}, "建筑面积（㎡）", "应大于0"),
    ({"建筑面积（㎡）": "一百"}, "建筑面积（㎡）", "不是数字"),
    ({"用途": "住宅"}, "用途", "不是可选值"),
    ({"排查日期": None}, "排查日期", "不能为空"),
    ({"排查日期": TOMORROW}, "排查日期", "晚于今天"),
    ({"排查日期": "2021-02-30"}, "排查日期", "不是有效日期"),
    ({"排查日期": "2021-13-01"}, "排查日期", "不是有效日期"),
    ({"排查日期": "昨天"}, "排查日期", "不是可识别的日期"),
    ({"排查日期": 44260}, "排查日期", "不是日期"),
    ({"排查结论": "危险"}, "排查结论", "不是可选值"),
    ({"排查结论": None}, "排查结论", "不能为空"),
    ({"鉴定等级": "E", "鉴定日期": "2021-04-01"}, "鉴定等级", "不是鉴定等级"),
    ({"鉴定等级": "C"}, "鉴定日期", "必须填写鉴定日期"),
    ({"鉴定等级": "C", "鉴定日期": "2021-03-04"}, "鉴定日期", "早于排查日期"),
    ({"鉴定等级": "C", "鉴定日期": TOMORROW}, "鉴定日期", "晚于今天"),
    ({"鉴定日期": "2021-04-01"}, "鉴定等级", "未填写鉴定等级"),
    ({"来源批次": "批" * 61}, "来源批次", "不能超过60个字"),
]


@pytest.mark.parametrize(("override", "column", "reason"), INVALID)
def test_each_broken_rule_rejects_exactly_that_row(db, tmp_path, override, column, reason):
    result = dry_run(db, tmp_path, [good_row(1), good_row(2, **override), good_row(3)])
    row = first_data_row() + 1
    assert result.rejected_rows == [row]
    assert [(r.row, r.column) for r in result.rejections] == [(row, column)]
    assert reason in result.rejections[0].reason
    assert result.rejections[0].line().startswith(f"row {row}: {column}: ")
    assert not result.written


MESSY_BUT_VALID = [
    {"乡镇（街道）": "紫金"},
    {"乡镇（街道）": "老竹镇"},
    {"乡镇（街道）": "老竹"},
    {"乡镇（街道）": "丽新乡"},
    {"乡镇（街道）": " 南明山 "},
    {"身份证号": "110105 19491231 002x"},
    {"身份证号": None, "联系电话": None, "建造年份": None, "建筑面积（㎡）": None, "用途": None},
    {"联系电话": "138 1234 5678"},
    {"联系电话": "138-1234-5678"},
    {"联系电话": "0578-2123456"},
    {"联系电话": 13812345678},
    {"层数": "3层"},
    {"层数": "３"},
    {"层数": 3.0},
    {"建造年份": "1985年"},
    {"建筑面积（㎡）": "85.5"},
    {"排查日期": "2021-03-05"},
    {"排查日期": "2021/3/5"},
    {"排查日期": "2021.3.5"},
    {"排查日期": "2021年3月5日"},
    {"排查日期": "20210305"},
    {"排查日期": 20210305},
    {"排查日期": dt.date(2021, 3, 5)},
    {"鉴定等级": "A级", "鉴定日期": "2021-03-05", "鉴定机构": "丽水市房屋安全鉴定所"},
    {"鉴定等级": "Ｃ", "鉴定日期": "2021年4月1日"},
    {"鉴定等级": "Ｄ级", "鉴定日期": dt.datetime(2021, 4, 1)},
    {"排查结论": " 一般安全隐患 "},
]


@pytest.mark.parametrize("override", MESSY_BUT_VALID)
def test_messy_but_valid_rows_pass(db, tmp_path, override):
    result = dry_run(db, tmp_path, [good_row(1, **override)])
    assert result.rejections == []
    assert len(result.valid_rows) == 1


def test_parsed_values_are_normalised(db, tmp_path):
    row = good_row(
        1,
        **{
            "乡镇（街道）": "老竹",
            "身份证号": "110105 19491231 002x",
            "层数": "3层",
            "建造年份": "1985年",
            "排查日期": "2021年3月5日",
            "鉴定等级": "Ｃ级",
            "鉴定日期": "20210401",
            "联系电话": "138-1234-5678",
        },
    )
    parsed = dry_run(db, tmp_path, [row]).valid_rows[0]
    assert (parsed.township, parsed.id_number, parsed.floors, parsed.build_year) == (
        "老竹畲族镇",
        "11010519491231002X",
        3,
        1985,
    )
    assert (parsed.screened_on, parsed.grade, parsed.appraised_on) == (dt.date(2021, 3, 5), "C", dt.date(2021, 4, 1))
    assert parsed.phone == "13812345678"


def test_duplicate_house_rejects_the_later_row_naming_the_earlier(db, tmp_path):
    first = first_data_row()
    rows = [
        good_row(1),
        good_row(2),
        good_row(3, **{"乡镇（街道）": "碧湖", "详细地址": " 梅田村1号 ", "身份证号": valid_id(3)}),
    ]
    result = dry_run(db, tmp_path, rows)
    assert result.rejected_rows == [first + 2]
    assert result.rejections[0].column == "详细地址"
    assert f"第{first}行" in result.rejections[0].reason


def test_same_id_number_under_two_names_is_rejected(db, tmp_path):
    rows = [good_row(1), good_row(2, **{"身份证号": valid_id(1), "户主姓名": "李大海"})]
    result = dry_run(db, tmp_path, rows)
    assert result.rejected_rows == [first_data_row() + 1]
    assert result.rejections[0].column == "身份证号"


def test_same_owner_may_own_two_houses(db, tmp_path):
    rows = [good_row(1), good_row(2, **{"身份证号": valid_id(1), "户主姓名": good_row(1)["户主姓名"]})]
    assert dry_run(db, tmp_path, rows).rejections == []


def test_id_number_on_file_under_another_name_is_rejected(db, tmp_path):
    with db.session_scope() as session:
        session.add(Person(name="赵老四", id_number=valid_id(1)))
    result = dry_run(db, tmp_path, [good_row(1)])
    assert result.rejected_rows == [first_data_row()]
    assert "赵老四" in result.rejections[0].reason


def test_header_variants_title_rows_blank_rows_and_total_row(db, tmp_path):
    headers = list(HEADERS)
    headers[0] = " 乡镇(街道) "
    headers[9] = "建筑面积(m²)"
    headers[1] = "村(社区)"
    rows = [good_row(1), None, good_row(2), None]
    path = write_xlsx(
        tmp_path / "in.xlsx",
        [{headers[i]: r[h] for i, h in enumerate(HEADERS)} if r else None for r in rows],
        headers=headers,
        total=True,
    )
    result = import_houses(db, path, ImportOptions(dry_run=True))
    assert result.header_row == 4
    assert result.total_rows == 2
    assert [r.row for r in result.valid_rows] == [5, 7]
    assert [r.area for r in result.valid_rows] == [120.5, 120.5]


def test_area_header_in_square_metres_word(db, tmp_path):
    headers = [h if h != "建筑面积（㎡）" else "建筑面积（平方米）" for h in HEADERS]
    rows = [{headers[i]: v for i, v in enumerate(good_row(1).values())}]
    result = import_houses(db, write_xlsx(tmp_path / "a.xlsx", rows, headers=headers), ImportOptions(dry_run=True))
    assert result.valid_rows[0].area == 120.5
    assert result.unknown_columns == []


def test_unknown_columns_are_listed_and_ignored(db, tmp_path):
    headers = [*HEADERS, "经度", "排查人员"]
    rows = [dict(good_row(1), 经度=120.1, 排查人员="小王")]
    result = import_houses(db, write_xlsx(tmp_path / "u.xlsx", rows, headers=headers), ImportOptions(dry_run=True))
    assert result.unknown_columns == ["经度", "排查人员"]
    assert result.rejections == []


def test_columns_in_any_order(db, tmp_path):
    headers = list(reversed(HEADERS))
    result = import_houses(
        db, write_xlsx(tmp_path / "r.xlsx", [good_row(1)], headers=headers), ImportOptions(dry_run=True)
    )
    assert result.rejections == [] and result.valid_rows[0].address == "梅田村1号"


def test_total_row_only_ignored_at_the_end(db, tmp_path):
    rows = [good_row(1), dict.fromkeys(HEADERS) | {"乡镇（街道）": "合计"}, good_row(2)]
    result = dry_run(db, tmp_path, rows)
    assert result.rejected_rows == [first_data_row() + 1]


@pytest.mark.parametrize(
    ("override", "column"),
    [
        ({"结构类型": "砖木结构"}, "结构类型"),
        ({"乡镇（街道）": "莲都区紫金街道"}, "乡镇（街道）"),
        ({"身份证号": "'" + valid_id(1)}, "身份证号"),
        ({"鉴定等级": "c", "鉴定日期": "2021-04-01"}, "鉴定等级"),
        ({"层数": "三层"}, "层数"),
    ],
)
def test_forms_the_layout_does_not_list_are_rejected(db, tmp_path, override, column):
    result = dry_run(db, tmp_path, [good_row(1, **override)])
    assert [(r.row, r.column) for r in result.rejections] == [(first_data_row(), column)]


def test_only_the_layout_headers_are_recognised(db, tmp_path):
    headers = ["地址", *HEADERS, "电话"]
    rows = [dict(good_row(1), 地址="别的地址", 电话="12")]
    result = import_houses(db, write_xlsx(tmp_path / "h.xlsx", rows, headers=headers), ImportOptions(dry_run=True))
    assert result.rejections == [] and result.valid_rows[0].address == "梅田村1号"
    assert result.unknown_columns == ["地址", "电话"]


def test_rows_with_only_a_serial_number_count_as_empty(db, tmp_path):
    headers = ["序号", *HEADERS, "填表人"]
    rows = [dict(good_row(1), 序号=1), {"序号": 2}, {"序号": 3, "填表人": "张三"}]
    path = write_xlsx(tmp_path / "n.xlsx", rows, headers=headers)
    result = import_houses(db, path, ImportOptions(dry_run=True))
    assert result.total_rows == 1 and result.rejections == []


def test_starred_required_headers_and_total_label_variants(db, tmp_path):
    headers = [f"{h}*" if h in ("乡镇（街道）", "户主姓名") else h for h in HEADERS]
    rows = [{headers[i]: v for i, v in enumerate(good_row(1).values())}, {headers[0]: "合计：", headers[7]: 2}]
    result = import_houses(db, write_xlsx(tmp_path / "s.xlsx", rows, headers=headers), ImportOptions(dry_run=True))
    assert result.total_rows == 1 and result.rejections == []
