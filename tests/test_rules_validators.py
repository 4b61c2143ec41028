"""Identifier rules at their boundaries: each refusal names the field and says in Chinese what is wrong."""

from __future__ import annotations

import datetime as dt

import pytest

from liandu_desk.domain.errors import ValidationError
from liandu_desk.domain.validators import (
    LandlineRule,
    format_doc_number,
    id_birth_date,
    id_check_char,
    mask_id_number,
    mask_phone,
    normalize_id_number,
    normalize_landline,
    normalize_mobile,
    normalize_phone,
    normalize_uscc,
    uscc_check_char,
    validate_doc_number,
    validate_issuer_code,
)

TODAY = dt.date(2026, 11, 24)
WORKED = "11010519491231002X"  # the GB 11643 worked example
USCC = "91512081MA62K0260E"  # a published credit code


def _id(first17: str) -> str:
    return first17 + id_check_char(first17)


def _uscc(first17: str) -> str:
    return first17 + uscc_check_char(first17)


def _refused(call, *args, **kwargs) -> str:
    with pytest.raises(ValidationError) as refused:
        call(*args, **kwargs)
    return str(refused.value)


# --- resident ID (GB 11643) ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first17", "check"),
    [("11010519491231002", "X"), ("33110219800101123", "0"), ("44030719900307001", "7"), ("00000000000000000", "1")],
)
def test_id_check_characters_by_hand(first17: str, check: str) -> None:
    # Σ digit × 2^(17−i) mod 11 indexes 1 0 X 9 8 7 6 5 4 3 2
    assert id_check_char(first17) == check


@pytest.mark.parametrize(
    "bad", ["1101051949123100", "110105194912310021", "1101051949123100X", "１１０１０５１９４９１２３１００２"]
)
def test_id_check_character_needs_17_ascii_digits(bad: str) -> None:
    with pytest.raises(ValueError, match="^17 ASCII digits expected$"):
        id_check_char(bad)


@pytest.mark.parametrize(
    "value",
    [WORKED, WORKED.lower(), "110105 19491231 002X", "110105-19491231-002x", "１１０１０５１９４９１２３１００２Ｘ"],
)
def test_a_valid_id_is_returned_in_canonical_form(value: str) -> None:
    assert normalize_id_number(value, today=TODAY) == WORKED


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("", "不能为空"),
        (None, "不能为空"),
        ("  - ", "不能为空"),
        (WORKED[:17], "应为18位，实际17位"),
        (WORKED + "1", "应为18位，实际19位"),
        ("11010519491231002A", "前17位应为数字，末位应为数字或X"),
        ("X10105194912310021", "前17位应为数字，末位应为数字或X"),
        (_id("00000019800101123"), "前6位应为户籍所在地的行政区划代码，不能为000000"),
        (_id("33110219800231123"), "出生日期19800231不是有效日期"),
        (_id("33110219801301123"), "出生日期19801301不是有效日期"),
        (_id("33110218991231123"), "出生年份早于1900年"),
        (_id("33110220261125123"), "出生日期晚于今天"),
        ("110105194912310021", "校验码错误（末位应为X）"),
        ("331102198001011231", "校验码错误（末位应为0）"),
    ],
)
def test_an_invalid_id_is_refused_with_the_reason(value, reason: str) -> None:
    assert _refused(normalize_id_number, value, today=TODAY) == f"身份证号：{reason}"
    assert _refused(normalize_id_number, value, "户主身份证号", TODAY) == f"户主身份证号：{reason}"


def test_birth_dates_on_the_first_allowed_day_and_today_are_accepted() -> None:
    first = _id("33110219000101123")
    assert normalize_id_number(first, today=TODAY) == first
    born_today = _id("33110220261124123")
    assert normalize_id_number(born_today, today=TODAY) == born_today
    assert id_birth_date(born_today) == TODAY
    assert id_birth_date(WORKED) == dt.date(1949, 12, 31)


def test_without_a_given_day_the_birth_date_is_checked_against_today() -> None:
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    assert _refused(normalize_id_number, _id(f"331102{tomorrow:%Y%m%d}123")) == "身份证号：出生日期晚于今天"
    born = _id(f"331102{dt.date.today():%Y%m%d}123")
    assert normalize_id_number(born) == born


# --- unified social credit code (GB 32100) ------------------------------------------------------------------------


def test_uscc_check_character_of_the_published_code() -> None:
    assert uscc_check_char(USCC[:17]) == "E"
    assert uscc_check_char("00000000000000000") == "0"
    assert uscc_check_char("10000000000000000") == "Y"  # 31 − 1 × 3^0 = 30 → Y


@pytest.mark.parametrize("bad", [USCC[:16], USCC])
def test_uscc_check_character_needs_exactly_17_characters(bad: str) -> None:
    with pytest.raises(ValueError):
        uscc_check_char(bad)


@pytest.mark.parametrize(
    "value", [USCC, USCC.lower(), "9151 2081-MA62 K026 0E", "９１５１２０８１ＭＡ６２Ｋ０２６０Ｅ"]
)
def test_a_valid_credit_code_is_returned_upper_case(value: str) -> None:
    assert normalize_uscc(value) == USCC


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("", "不能为空"),
        (None, "不能为空"),
        (USCC[:17], "应为18位，实际17位"),
        (USCC + "0", "应为18位，实际19位"),
        ("91512081MA62K0260I", "含有不允许的字符：I（不使用I、O、Z、S、V）"),
        ("9151208OMA62K0S60Z", "含有不允许的字符：OSZ（不使用I、O、Z、S、V）"),
        (_uscc("91A12081MA62K0260"), "第3至8位应为行政区划代码（数字）"),
        (_uscc("915A2081MA62K0260"), "第3至8位应为行政区划代码（数字）"),
        (_uscc("9151208AMA62K0260"), "第3至8位应为行政区划代码（数字）"),
        (_uscc("91000000MA28F1234"), "第3至8位应为登记管理机关所在地的行政区划代码，不能为000000"),
        (_uscc("91331102000000000"), "第9至17位应为主体标识码（组织机构代码），不能全为0"),
        ("91512081MA62K0260F", "校验码错误（末位应为E）"),
    ],
)
def test_an_invalid_credit_code_is_refused_with_the_reason(value, reason: str) -> None:
    assert _refused(normalize_uscc, value) == f"统一社会信用代码：{reason}"
    assert _refused(normalize_uscc, value, "物业企业信用代码") == f"物业企业信用代码：{reason}"


def test_a_credit_code_with_some_zeros_in_area_or_body_is_fine() -> None:
    for code in (_uscc("91000001MA28F1234"), _uscc("91331102000000001"), _uscc("91331102100000000")):
        assert normalize_uscc(code) == code


# --- phones -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("13812345678", "13812345678"),
        ("19912345678", "19912345678"),
        ("138-1234-5678", "13812345678"),
        ("+8613812345678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),
    ],
)
def test_mobiles(value: str, expected: str) -> None:
    assert normalize_mobile(value) == expected


@pytest.mark.parametrize(
    "bad", ["", "12812345678", "1381234567", "138123456789", "23812345678", "+85213812345678", "86138123456"]
)
def test_bad_mobiles_are_refused_naming_the_field(bad: str) -> None:
    reason = "应为以1开头、第二位为3至9的11位手机号码"
    assert _refused(normalize_mobile, bad) == f"手机号码：{reason}"
    assert _refused(normalize_mobile, bad, "联系人手机") == f"联系人手机：{reason}"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("0578-2123456", "0578-2123456"), ("05782123456", "0578-2123456"), ("0578 212 3456", "0578-2123456")],
)
def test_landlines(value: str, expected: str) -> None:
    assert normalize_landline(value) == expected


@pytest.mark.parametrize(
    "bad", ["0578-0123456", "0578-212345", "0578-21234567", "0571-2123456", "0578-212345A", "0578", "2123456"]
)
def test_bad_landlines_are_refused_with_the_accepted_shape(bad: str) -> None:
    reason = "应为区号0578加7位号码，如0578-2123456"
    assert _refused(normalize_landline, bad) == f"固定电话：{reason}"
    assert _refused(normalize_landline, bad, "办公电话") == f"办公电话：{reason}"


def test_a_configured_landline_rule_accepts_its_area_codes_and_lengths() -> None:
    rule = LandlineRule(("0571", "0578"), (7, 8))
    assert normalize_landline("0571-21234567", rule=rule) == "0571-21234567"
    assert normalize_landline("05782123456", rule=rule) == "0578-2123456"
    message = "固定电话：应为区号0571、0578加7或8位号码，如0571-2123456"
    assert _refused(normalize_landline, "0579-2123456", rule=rule) == message
    assert _refused(normalize_landline, "0571-212345678", rule=rule) == message


def test_a_phone_is_a_mobile_or_a_landline() -> None:
    assert normalize_phone("138 1234 5678") == "13812345678"
    assert normalize_phone("0578-2123456") == "0578-2123456"
    assert normalize_phone("0571-21234567", rule=LandlineRule(("0571",), (8,))) == "0571-21234567"
    assert _refused(normalize_phone, "") == "联系电话：不能为空"
    assert _refused(normalize_phone, " - ", "户主电话") == "户主电话：不能为空"
    assert _refused(normalize_phone, "0571-2123456", "户主电话") == ("户主电话：应为区号0578加7位号码，如0578-2123456")
    assert _refused(normalize_phone, "2123456", "户主电话") == "户主电话：应为以1开头、第二位为3至9的11位手机号码"


# --- document numbers (GB/T 9704 §7.2.5) --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("莲建〔2021〕12号", "莲建〔2021〕12号"),
        ("  莲建危改〔1999〕1号 ", "莲建危改〔1999〕1号"),
        ("丽水市莲都区住房和城乡建〔2099〕100号", "丽水市莲都区住房和城乡建〔2099〕100号"),
    ],
)
def test_doc_numbers_accepted_and_trimmed(value: str, expected: str) -> None:
    assert validate_doc_number(value) == expected


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("", "不能为空"),
        (None, "不能为空"),
        ("  ", "不能为空"),
        ("莲建〔2021〕第12号", "序号前不加“第”字"),
        ("莲建[2021]12号", "年份应使用六角括号〔〕，不用方括号或圆括号"),
        ("莲建(2021)12号", "年份应使用六角括号〔〕，不用方括号或圆括号"),
        ("莲建（2021）12号", "年份应使用六角括号〔〕，不用方括号或圆括号"),
        ("莲建【2021】12号", "年份应使用六角括号〔〕，不用方括号或圆括号"),
        ("莲建〔2021〕01号", "序号不编虚位（1不写作01）"),
        ("莲建〔2021〕0号", "序号不编虚位（1不写作01）"),
        ("莲建〔1899〕12号", "格式应为“机关代字〔年份〕序号号”，如莲建〔2021〕12号"),
        ("莲建〔2021〕12", "格式应为“机关代字〔年份〕序号号”，如莲建〔2021〕12号"),
        ("LJ〔2021〕12号", "格式应为“机关代字〔年份〕序号号”，如莲建〔2021〕12号"),
        ("丽水市莲都区住房和城乡建设〔2021〕1号", "格式应为“机关代字〔年份〕序号号”，如莲建〔2021〕12号"),
    ],
)
def test_doc_numbers_refused_with_the_reason(value, reason: str) -> None:
    assert _refused(validate_doc_number, value) == f"发文字号：{reason}"
    assert _refused(validate_doc_number, value, "文号") == f"文号：{reason}"


def test_issuer_codes_are_one_to_twelve_chinese_characters() -> None:
    assert validate_issuer_code(" 莲建危改 ") == "莲建危改"
    assert validate_issuer_code("莲") == "莲"
    assert validate_issuer_code("一二三四五六七八九十十一") == "一二三四五六七八九十十一"
    for bad in ("", None, "一二三四五六七八九十十一二", "LJ", "莲建2"):
        assert _refused(validate_issuer_code, bad) == "机关代字：应为1至12个汉字，如莲建危改"
    assert _refused(validate_issuer_code, "LJ", "代字") == "代字：应为1至12个汉字，如莲建危改"


def test_format_doc_number_starts_at_one() -> None:
    assert format_doc_number("莲建", 2021, 1) == "莲建〔2021〕1号"
    assert format_doc_number("莲建危改", 2022, 120) == "莲建危改〔2022〕120号"
    assert _refused(format_doc_number, "莲建", 2021, 0) == "序号：应为正整数"
    assert _refused(format_doc_number, "莲建", 2021, -3) == "序号：应为正整数"
    assert _refused(format_doc_number, "L", 2021, 1) == "机关代字：应为1至12个汉字，如莲建危改"


# --- masks for display --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        (None, ""),
        ("", ""),
        ("331102196505231234", "331102********1234"),
        ("33110219650", "331102*9650"),
        ("3311021965", "**********"),
        ("12345", "*****"),
    ],
)
def test_id_masks(value, masked: str) -> None:
    assert mask_id_number(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        (None, ""),
        ("", ""),
        ("13856785678", "138****5678"),
        ("0578-2123456", "057****3456"),
        ("12345678", "123****5678"),
        ("1234-567", "*******"),
    ],
)
def test_phone_masks(value, masked: str) -> None:
    assert mask_phone(value) == masked
