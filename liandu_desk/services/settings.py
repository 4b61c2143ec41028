"""Bureau-wide settings: each declared once with its type, default and validation, stored in the database."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from liandu_desk.domain.errors import RuleError, ValidationError
from liandu_desk.domain.permissions import Permission, requires
from liandu_desk.domain.settings import AppSetting
from liandu_desk.domain.validators import validate_issuer_code
from liandu_desk.plugins import with_hook
from liandu_desk.services import figure_records as _figures
from liandu_desk.services.setting_spec import SettingSpec


def _bureau_name(value: Any) -> str:
    text = str(value or "").strip()
    if not 2 <= len(text) <= 40:
        raise ValidationError("单位名称", "应为2至40个字")
    return text


def _body(value: Any) -> str:
    text = str(value or "").strip()
    if not 4 <= len(text) <= 40:
        raise ValidationError("复议机关或法院名称", "应为4至40个字")
    return text


def _days(label: str, low: int, high: int) -> Callable[[Any], int]:
    def check(value: Any) -> int:
        try:
            days = int(value)
        except (TypeError, ValueError):
            raise ValidationError(label, "应为整数") from None
        if not low <= days <= high:
            raise ValidationError(label, f"应在{low}至{high}之间")
        return days

    return check


def _prefix(label: str) -> Callable[[Any], str]:
    return lambda value: validate_issuer_code(value, label)


SPECS: tuple[SettingSpec, ...] = (
    SettingSpec("bureau.name", "单位名称", "丽水市莲都区建设局", str, _bureau_name),
    SettingSpec("bureau.contact", "联系电话（通知书落款）", "0578-2123456", str, None),
    SettingSpec(
        "prefix.house_notice", "危房整改通知书文号代字", "莲建危改", str, _prefix("危房整改通知书文号代字"), "文号"
    ),
    SettingSpec(
        "prefix.community_notice", "小区整改通知书文号代字", "莲建物改", str, _prefix("小区整改通知书文号代字"), "文号"
    ),
    SettingSpec("prefix.mediation", "调解协议书文号代字", "莲建梯调", str, _prefix("调解协议书文号代字"), "文号"),
    SettingSpec(
        "deadline.house_rectify", "危房整改期限（工作日）", 30, int, _days("危房整改期限（工作日）", 1, 365), "期限"
    ),
    SettingSpec(
        "deadline.community_issue",
        "小区问题整改期限（工作日）",
        10,
        int,
        _days("小区问题整改期限（工作日）", 1, 120),
        "期限",
    ),
    SettingSpec(
        "deadline.notice_reply", "解危证明报送期限（天）", 30, int, _days("解危证明报送期限（天）", 1, 180), "期限"
    ),
)
SPECS += tuple(spec for _module, settings in with_hook("settings") for spec in settings.resolve())
SPECS += (SettingSpec("backup.keep", "自动备份保留份数", 10, int, _days("自动备份保留份数", 1, 100), "备份"),)
SPECS += (
    SettingSpec(
        "prefix.list_publication", "红黑榜通报文号代字", "莲建物榜", str, _prefix("红黑榜通报文号代字"), "文号"
    ),
    SettingSpec(
        "notice.house_legal_bases",
        "危房整改通知书法律依据（按城镇、农村选用，含核对状态）",
        {},
        dict,
        None,
        "文书",
    ),
    SettingSpec("notice.reconsideration_body", "行政复议机关（待确认）", "丽水市莲都区人民政府", str, _body, "文书"),
    SettingSpec("notice.litigation_court", "行政诉讼管辖法院（待确认）", "丽水市莲都区人民法院", str, _body, "文书"),
    SettingSpec(
        "notice.community_legal_basis",
        "小区整改通知书依据",
        "《物业管理条例》《浙江省物业管理条例》",
        str,
        None,
        "文书",
    ),
    SettingSpec("notice.seal_outline", "草稿显示盖章位置", True, bool, None, "文书"),
)
SPECS += (SettingSpec(_figures.SETTING_KEY, "数据核对状态（核实文号）", {}, dict, _figures.check_records, "核对"),)
STRICT_VILLAGES = "import.strict_villages"
SPECS += (
    SettingSpec(
        STRICT_VILLAGES,
        "排查表导入时拒绝名册中没有的村（社区）（默认不拒绝，按表中文字新建）",
        False,
        bool,
        None,
        "导入",
    ),
)
SPEC_BY_KEY = {spec.key: spec for spec in SPECS}
# Values a document prints: shipped as 莲都区 defaults marked 待确认 until an administrator saves them (the first-start
# setup or 设置); until then no document that prints them is issued.
PRINTED_ON_DOCUMENTS = (
    "bureau.name",
    "bureau.contact",
    "prefix.house_notice",
    "prefix.community_notice",
    "prefix.mediation",
    "prefix.list_publication",
    "notice.reconsideration_body",
    "notice.litigation_court",
)
TO_CONFIRM = "待确认"


class SettingsUnconfirmed(RuleError):
    """A document would print values still at their unconfirmed defaults; names them."""

    def __init__(self, labels: list[str]) -> None:
        super().__init__(
            f"以下设置仍是{TO_CONFIRM}的默认值，文书不能签发：{'、'.join(labels)}。"
            "请管理员在“编辑 → 设置”中核对后保存。"
        )
        self.labels = labels


def _spec(key: str) -> SettingSpec:
    try:
        return SPEC_BY_KEY[key]
    except KeyError:
        raise KeyError(f"unknown setting {key!r}") from None


def validate_value(key: str, value: Any) -> Any:
    """The cleaned value for a setting, or ValidationError naming it."""
    spec = _spec(key)
    return spec.check(value) if spec.check else spec.kind(value)


def get_setting(session: Session, key: str) -> Any:
    """The stored value, or the declared default."""
    row = session.get(AppSetting, key)
    return _spec(key).default if row is None else row.value


def get_all(session: Session) -> dict[str, Any]:
    """Every declared setting with its current value."""
    stored = {row.key: row.value for row in session.scalars(select(AppSetting))}
    return {spec.key: stored.get(spec.key, spec.default) for spec in SPECS}


@requires(Permission.EDIT_SETTINGS)
def save_settings(session: Session, values: dict[str, Any]) -> dict[str, Any]:
    """Validate every value first, then store the ones that changed; returns the cleaned values."""
    cleaned = {key: validate_value(key, value) for key, value in values.items()}
    for key, value in cleaned.items():
        row = session.get(AppSetting, key)
        if row is None:  # a printed value is stored even at its default: saving it is the confirmation
            if value != _spec(key).default or key in PRINTED_ON_DOCUMENTS:
                session.add(AppSetting(key=key, value=value))
        elif row.value != value:
            row.value = value
    return cleaned


def unconfirmed(session: Session, keys: Iterable[str] = PRINTED_ON_DOCUMENTS) -> list[str]:
    """The keys among these still at their shipped default, never saved by an administrator (待确认)."""
    wanted = [key for key in keys if key in PRINTED_ON_DOCUMENTS]
    if not wanted:
        return []
    saved = set(session.scalars(select(AppSetting.key).where(AppSetting.key.in_(wanted))))
    return [key for key in wanted if key not in saved]


def require_confirmed(session: Session, keys: Iterable[str]) -> None:
    """Refuse (SettingsUnconfirmed, naming the settings) while any of these printed values is 待确认."""
    missing = unconfirmed(session, keys)
    if missing:
        raise SettingsUnconfirmed([_spec(key).label for key in missing])
