"""Validators for identifiers clerks type in: resident IDs, credit codes, phones, document numbers."""

from __future__ import annotations

import datetime as dt
import operator
import re
import unicodedata
from dataclasses import dataclass

from liandu_desk.domain.errors import ValidationError

ID_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
_ID_ZERO_SUM = ord("0") * sum(ID_WEIGHTS)  # what the ASCII codes of the digits add beyond the digits themselves
ID_CHECK_CHARS = "10X98765432"
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
MOBILE_RE = re.compile(r"1[3-9][0-9]{9}")
DIGITS_RE = re.compile(r"[0-9]+")
ID_SHAPE_RE = re.compile(r"[0-9]{17}[0-9X]")
DOC_NUMBER_RE = re.compile(r"[\u4e00-\u9fa5]{1,12}〔(19|20)[0-9]{2}〕[1-9][0-9]*号")
ISSUER_CODE_RE = re.compile(r"[\u4e00-\u9fa5]{1,12}")
_SEPARATORS = re.compile(r"[\s\-－—]+")


@dataclass(frozen=True)
class LandlineRule:
    """Accepted landline shape: area codes and local number lengths (domain.md §5.3 marks 7 digits [U])."""

    area_codes: tuple[str, ...] = ("0578",)
    local_lengths: tuple[int, ...] = (7,)


DEFAULT_LANDLINE_RULE = LandlineRule()


def _clean(value: object) -> str:
    """Full-width characters folded to ASCII (NFKC), spaces and hyphens removed."""
    text = str(value or "")
    if text.isascii() and text.isalnum():  # the common case, already clean
        return text
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", text))


def _digits(text: str) -> bool:
    """ASCII digits only (str.isdigit also accepts other scripts' digits)."""
    return DIGITS_RE.fullmatch(text) is not None


def id_check_char(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits."""
    if len(first17) != 17 or not _digits(first17):
        raise ValueError("17 ASCII digits expected")
    total = sum(map(operator.mul, first17.encode("ascii"), ID_WEIGHTS)) - _ID_ZERO_SUM
    return ID_CHECK_CHARS[total % 11]


def normalize_id_number(value: str, field: str = "身份证号", today: dt.date | None = None) -> str:
    """Return the 18-character resident ID in canonical form (upper-case X) or raise ValidationError."""
    text = _clean(value).upper()
    if not text:
        raise ValidationError(field, "不能为空")
    if len(text) != 18:
        raise ValidationError(field, f"应为18位，实际{len(text)}位")
    if ID_SHAPE_RE.fullmatch(text) is None:
        raise ValidationError(field, "前17位应为数字，末位应为数字或X")
    if text[:6] == "000000":
        raise ValidationError(field, "前6位应为户籍所在地的行政区划代码，不能为000000")
    _check_birth_date(text[6:14], field, today or dt.date.today())
    expected = id_check_char(text[:17])
    if text[17] != expected:
        raise ValidationError(field, f"校验码错误（末位应为{expected}）")
    return text


def _check_birth_date(digits: str, field: str, today: dt.date) -> None:
    try:
        born = dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        raise ValidationError(field, f"出生日期{digits}不是有效日期") from None
    if born.year < 1900:
        raise ValidationError(field, "出生年份早于1900年")
    if born > today:
        raise ValidationError(field, "出生日期晚于今天")


def id_birth_date(id_number: str) -> dt.date:
    """The birth date encoded in a valid resident ID."""
    return dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))


def uscc_check_char(first17: str) -> str:
    """The GB 32100 check character for the first 17 characters."""
    total = sum(USCC_ALPHABET.index(ch) * w for ch, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def normalize_uscc(value: str, field: str = "统一社会信用代码") -> str:
    """Return the 18-character unified social credit code upper-cased or raise ValidationError."""
    text = _clean(value).upper()
    if not text:
        raise ValidationError(field, "不能为空")
    if len(text) != 18:
        raise ValidationError(field, f"应为18位，实际{len(text)}位")
    bad = sorted({ch for ch in text if ch not in USCC_ALPHABET})
    if bad:
        raise ValidationError(field, f"含有不允许的字符：{''.join(bad)}（不使用I、O、Z、S、V）")
    if not _digits(text[2:8]):
        raise ValidationError(field, "第3至8位应为行政区划代码（数字）")
    if text[2:8] == "000000":
        raise ValidationError(field, "第3至8位应为登记管理机关所在地的行政区划代码，不能为000000")
    if text[8:17] == "000000000":
        raise ValidationError(field, "第9至17位应为主体标识码（组织机构代码），不能全为0")
    expected = uscc_check_char(text[:17])
    if text[17] != expected:
        raise ValidationError(field, f"校验码错误（末位应为{expected}）")
    return text


def normalize_mobile(value: str, field: str = "手机号码") -> str:
    """Return an 11-digit mobile number (spaces and hyphens removed) or raise ValidationError."""
    text = _clean(value)
    if text.startswith("+86"):
        text = text[3:]
    if not MOBILE_RE.fullmatch(text):
        raise ValidationError(field, "应为以1开头、第二位为3至9的11位手机号码")
    return text


def normalize_landline(value: str, field: str = "固定电话", rule: LandlineRule = DEFAULT_LANDLINE_RULE) -> str:
    """Return a landline as AREA-LOCAL (e.g. 0578-2123456) or raise ValidationError."""
    text = _clean(value)
    for area in rule.area_codes:
        local = text[len(area) :]
        if text.startswith(area) and _digits(local) and len(local) in rule.local_lengths and local[0] != "0":
            return f"{area}-{local}"
    lengths = "或".join(str(n) for n in rule.local_lengths)
    areas = "、".join(rule.area_codes)
    raise ValidationError(field, f"应为区号{areas}加{lengths}位号码，如{rule.area_codes[0]}-2123456")


def normalize_phone(value: str, field: str = "联系电话", rule: LandlineRule = DEFAULT_LANDLINE_RULE) -> str:
    """Accept a mobile or a landline number; raise ValidationError naming the field otherwise."""
    text = _clean(value)
    if not text:
        raise ValidationError(field, "不能为空")
    if text.startswith("0"):
        return normalize_landline(text, field, rule)
    return normalize_mobile(text, field)


def validate_doc_number(value: str, field: str = "发文字号") -> str:
    """Check a document number such as 莲建〔2021〕12号 (GB/T 9704 §7.2.5) and return it trimmed."""
    text = str(value or "").strip()
    if not text:
        raise ValidationError(field, "不能为空")
    if "第" in text:
        raise ValidationError(field, "序号前不加“第”字")
    if re.search(r"[\[\]()（）【】]", text):
        raise ValidationError(field, "年份应使用六角括号〔〕，不用方括号或圆括号")
    if re.search(r"〕0[0-9]*号$", text):
        raise ValidationError(field, "序号不编虚位（1不写作01）")
    if not DOC_NUMBER_RE.fullmatch(text):
        raise ValidationError(field, "格式应为“机关代字〔年份〕序号号”，如莲建〔2021〕12号")
    return text


def validate_issuer_code(value: str, field: str = "机关代字") -> str:
    """Check an issuer prefix such as 莲建危改 (1–12 Chinese characters)."""
    text = str(value or "").strip()
    if not ISSUER_CODE_RE.fullmatch(text):
        raise ValidationError(field, "应为1至12个汉字，如莲建危改")
    return text


def format_doc_number(prefix: str, year: int, sequence: int) -> str:
    """Compose a document number: prefix〔year〕sequence号, validated."""
    if sequence < 1:
        raise ValidationError("序号", "应为正整数")
    return validate_doc_number(f"{validate_issuer_code(prefix)}〔{year}〕{sequence}号")


def mask_id_number(value: str | None) -> str:
    """Mask a resident ID for display: first 6 and last 4 characters kept."""
    if not value:
        return ""
    return value[:6] + "*" * max(len(value) - 10, 0) + value[-4:] if len(value) > 10 else "*" * len(value)


def mask_phone(value: str | None) -> str:
    """Mask a phone number for display: 138****5678."""
    if not value:
        return ""
    digits = value.replace("-", "")
    return digits[:3] + "****" + digits[-4:] if len(digits) >= 8 else "*" * len(digits)
