"""Validators: resident ID (GB 11643), credit code (GB 32100), phones and document numbers, with properties."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from liandu_desk.domain.errors import ValidationError
from liandu_desk.domain.validators import (
    USCC_ALPHABET,
    format_doc_number,
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
)

TODAY = dt.date(2026, 11, 24)
birth_dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY)
areas = st.from_regex(r"[1-8][0-9]{5}", fullmatch=True)
sequences = st.integers(min_value=0, max_value=999)


def make_id(area: str, born: dt.date, seq: int) -> str:
    first17 = f"{area}{born:%Y%m%d}{seq:03d}"
    return first17 + id_check_char(first17)


@pytest.mark.parametrize("value", ["11010519491231002X", "11010519491231002x", "110105 19491231 002X"])
def test_worked_example(value: str) -> None:
    assert normalize_id_number(value, today=TODAY) == "11010519491231002X"


@given(areas, birth_dates, sequences)
def test_generated_ids_are_accepted(area: str, born: dt.date, seq: int) -> None:
    number = make_id(area, born, seq)
    assert normalize_id_number(number.lower(), today=TODAY) == number


@given(areas, birth_dates, sequences, st.integers(0, 16), st.integers(1, 9))
def test_any_single_digit_change_is_rejected(area: str, born: dt.date, seq: int, pos: int, delta: int) -> None:
    number = make_id(area, born, seq)
    changed = number[:pos] + str((int(number[pos]) + delta) % 10) + number[pos + 1 :]
    with pytest.raises(ValidationError) as info:
        normalize_id_number(changed, today=TODAY)
    assert info.value.field == "身份证号"


@given(areas, birth_dates, sequences)
def test_wrong_check_char_names_the_right_one(area: str, born: dt.date, seq: int) -> None:
    number = make_id(area, born, seq)
    wrong = "0" if number[-1] != "0" else "1"
    with pytest.raises(ValidationError, match=f"末位应为{number[-1]}"):
        normalize_id_number(number[:-1] + wrong, today=TODAY)


@pytest.mark.parametrize(
    ("first17", "reason"),
    [("33110219650230123", "不是有效日期"), ("33110218991231123", "早于1900"), ("33110220991231123", "晚于今天")],
)
def test_birth_date_must_be_real(first17: str, reason: str) -> None:
    with pytest.raises(ValidationError, match=reason):
        normalize_id_number(first17 + id_check_char(first17), today=TODAY)


@pytest.mark.parametrize("value", ["", "3311021965", "3311021965052312345", "33110219650523123Y"])
def test_malformed_ids(value: str) -> None:
    with pytest.raises(ValidationError):
        normalize_id_number(value, field="户主身份证号", today=TODAY)


def test_error_message_names_the_field() -> None:
    with pytest.raises(ValidationError) as info:
        normalize_id_number("123", field="户主身份证号")
    assert str(info.value).startswith("户主身份证号：")


uscc_bodies = (
    st.text(alphabet=USCC_ALPHABET, min_size=2, max_size=2)
    .flatmap(
        lambda head: st.tuples(
            st.just(head), st.from_regex(r"[0-9]{6}", fullmatch=True), st.text(USCC_ALPHABET, min_size=9, max_size=9)
        )
    )
    .map("".join)
    .filter(lambda body: body[2:8] != "000000" and body[8:17] != "000000000")  # refused: no such area or body
)


def test_uscc_verified_example() -> None:
    assert normalize_uscc("91512081ma62k0260e") == "91512081MA62K0260E"


@given(uscc_bodies)
def test_generated_uscc_accepted(body: str) -> None:
    code = body + uscc_check_char(body)
    assert normalize_uscc(code) == code


@given(uscc_bodies, st.integers(0, 16), st.integers(1, 30))
def test_uscc_single_change_rejected(body: str, pos: int, delta: int) -> None:
    code = body + uscc_check_char(body)
    replacement = USCC_ALPHABET[(USCC_ALPHABET.index(code[pos]) + delta) % 31]
    if pos in range(2, 8) and not replacement.isdigit():
        replacement = str((int(code[pos]) + 1) % 10)
    with pytest.raises(ValidationError):
        normalize_uscc(code[:pos] + replacement + code[pos + 1 :])


@pytest.mark.parametrize("bad", ["91512081MA62K0260I", "9151208IMA62K0260E", "91512081MA62K026"])
def test_uscc_bad_characters_and_length(bad: str) -> None:
    with pytest.raises(ValidationError, match="统一社会信用代码"):
        normalize_uscc(bad)


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
def test_mobiles_with_separators(number: str) -> None:
    spaced = f"{number[:3]} {number[3:7]}-{number[7:]}"
    assert normalize_mobile(spaced) == number
    assert normalize_phone(spaced) == number


@pytest.mark.parametrize("bad", ["12800138000", "1380013800", "138001380001", "abc"])
def test_bad_mobiles(bad: str) -> None:
    with pytest.raises(ValidationError, match="手机号码"):
        normalize_mobile(bad)


@pytest.mark.parametrize(("value", "expected"), [("05782123456", "0578-2123456"), ("0578 - 2123456", "0578-2123456")])
def test_landlines(value: str, expected: str) -> None:
    assert normalize_landline(value) == expected
    assert normalize_phone(value) == expected


@pytest.mark.parametrize("bad", ["0571-2123456", "0578-212345", "0578-0123456"])
def test_bad_landlines(bad: str) -> None:
    with pytest.raises(ValidationError, match="0578"):
        normalize_phone(bad)


@pytest.mark.parametrize("good", ["莲建〔2021〕12号", "莲建危改〔2021〕1号", "浙建〔1999〕300号"])
def test_doc_numbers_accepted(good: str) -> None:
    assert validate_doc_number(good) == good


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ("莲建〔2021〕012号", "虚位"),
        ("莲建〔2021〕第12号", "第"),
        ("莲建[2021]12号", "六角括号"),
        ("莲建（2021）12号", "六角括号"),
        ("莲建〔21〕12号", "格式"),
        ("ABC〔2021〕12号", "格式"),
    ],
)
def test_doc_numbers_rejected(bad: str, reason: str) -> None:
    with pytest.raises(ValidationError, match=reason):
        validate_doc_number(bad)


@given(st.integers(1900, 2099), st.integers(1, 99999))
def test_formatted_numbers_always_validate(year: int, seq: int) -> None:
    assert validate_doc_number(format_doc_number("莲建危改", year, seq)) == f"莲建危改〔{year}〕{seq}号"


def test_full_width_digits_are_folded() -> None:
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in "11010519491231002X")
    assert normalize_id_number(full_width, today=TODAY) == "11010519491231002X"
    assert normalize_mobile("１３８００１３８０００") == "13800138000"


@pytest.mark.parametrize("value", ["33110219650523123\u0661", "\u0663" * 18])
def test_non_ascii_digits_rejected(value: str) -> None:
    with pytest.raises(ValidationError):
        normalize_id_number(value, today=TODAY)


def test_non_ascii_mobile_rejected() -> None:
    with pytest.raises(ValidationError):
        normalize_mobile("1380013800\u0661")


def test_masks() -> None:
    assert mask_id_number("331102196505231234") == "331102********1234"
    assert mask_phone("13856785678") == "138****5678"


def _with_id_check(first17: str) -> str:
    from liandu_desk.domain.validators import id_check_char

    return first17 + id_check_char(first17)


def _with_uscc_check(first17: str) -> str:
    from liandu_desk.domain.validators import uscc_check_char

    return first17 + uscc_check_char(first17)


def test_id_number_with_area_code_000000_is_refused() -> None:
    from liandu_desk.domain.errors import ValidationError
    from liandu_desk.domain.validators import normalize_id_number

    good = _with_id_check("33110219800101123")
    assert normalize_id_number(good) == good
    with pytest.raises(ValidationError, match="行政区划代码，不能为000000"):
        normalize_id_number(_with_id_check("00000019800101123"))


def test_uscc_with_zero_area_or_zero_registration_body_is_refused() -> None:
    from liandu_desk.domain.errors import ValidationError
    from liandu_desk.domain.validators import normalize_uscc

    good = _with_uscc_check("91331102MA28F1234")
    assert normalize_uscc(good) == good
    with pytest.raises(ValidationError, match="第3至8位.*不能为000000"):
        normalize_uscc(_with_uscc_check("91000000MA28F1234"))
    with pytest.raises(ValidationError, match="主体标识码.*不能全为0"):
        normalize_uscc(_with_uscc_check("913311020000000000"[:17]))
