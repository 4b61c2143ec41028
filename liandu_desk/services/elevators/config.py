"""Configurable figures of the elevator module: stage durations, floor coefficients, subsidy, headcount rule.

None of these is verified against a Lishui document (domain §3.2–3.4): they are declared settings with
labelled defaults, so the bureau can correct them without a code change.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy.orm import Session

from liandu_desk.domain.elevators import STAGES, ElevatorStage
from liandu_desk.domain.errors import ValidationError
from liandu_desk.services.setting_spec import SettingSpec

# Expected days per stage: background estimate, NOT verified against Lishui practice [U].
DEFAULT_STAGE_DAYS: dict[str, int] = {
    ElevatorStage.SURVEY: 60,
    ElevatorStage.VOTE: 90,
    ElevatorStage.DESIGN: 60,
    ElevatorStage.PUBLICITY: 20,
    ElevatorStage.JOINT_REVIEW: 30,
    ElevatorStage.PERMIT: 45,
    ElevatorStage.CONSTRUCTION: 120,
    ElevatorStage.ACCEPTANCE: 30,
    ElevatorStage.REGISTRATION: 30,
    ElevatorStage.ARCHIVE: 60,
    ElevatorStage.SUBSIDY: 90,
}
DEFAULT_STAGE_DAYS = {str(k): v for k, v in DEFAULT_STAGE_DAYS.items()}

# Floor coefficients: the unofficial Guangzhou sample of domain §3.4 [P]; floors 1–2 pay nothing by default.
# A floor above the highest listed one uses the highest listed floor's coefficient.
DEFAULT_FLOOR_COEFFICIENTS: dict[str, str] = {
    "1": "0",
    "2": "0",
    "3": "0.7",
    "4": "0.8",
    "5": "0.9",
    "6": "1.0",
    "7": "1.1",
}

# Subsidy per unit: inferred from 754万元 / 58 units (丽水日报 2023), the governing document is not verified [U].
DEFAULT_SUBSIDY_YUAN = 130000

SETTING_STAGE_DAYS = "elevator.stage_days"
SETTING_COEFFICIENTS = "elevator.floor_coefficients"
SETTING_SUBSIDY = "elevator.subsidy_per_unit"
SETTING_ONE_OWNER_ONE_PERSON = "elevator.one_owner_one_person"

LABEL_STAGE_DAYS = "加装电梯各阶段预期天数（估计值，未核实）"
LABEL_COEFFICIENTS = "加装电梯楼层分摊系数（参考广州非官方示例，未核实）"
LABEL_SUBSIDY = "加装电梯每台补助金额（元，按754万元÷58台推算，未核实）"
LABEL_ONE_OWNER = "同一业主拥有多套房屋按一人计算（司法解释口径，未核实）"


def check_stage_days(value: Any) -> dict[str, int]:
    """A {stage: days} mapping with a positive whole number of days for every stage."""
    if not isinstance(value, dict):
        raise ValidationError(LABEL_STAGE_DAYS, "应为“阶段: 天数”的对照表")
    cleaned = dict(DEFAULT_STAGE_DAYS)
    for key, days in value.items():
        if key not in cleaned:
            raise ValidationError(LABEL_STAGE_DAYS, f"没有名为“{key}”的阶段")
        try:
            number = int(days)
        except (TypeError, ValueError):
            raise ValidationError(LABEL_STAGE_DAYS, f"“{key}”的天数应为整数") from None
        if not 1 <= number <= 3650:
            raise ValidationError(LABEL_STAGE_DAYS, f"“{key}”的天数应在1至3650之间")
        cleaned[key] = number
    return cleaned


def _decimal(text: Any, field: str) -> Decimal:
    try:
        value = Decimal(str(text).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(field, f"“{text}”不是数字") from None
    if not value.is_finite() or value < 0 or value > 100:
        raise ValidationError(field, f"“{text}”应在0至100之间")
    return value


def check_coefficients(value: Any) -> dict[str, str]:
    """A {floor: coefficient} mapping with whole floors ≥1 and coefficients 0–100, at least one above 0."""
    if not isinstance(value, dict) or not value:
        raise ValidationError(LABEL_COEFFICIENTS, "应为“楼层: 系数”的对照表")
    cleaned: dict[str, str] = {}
    for floor, coefficient in value.items():
        if not str(floor).isdigit() or int(floor) < 1:
            raise ValidationError(LABEL_COEFFICIENTS, f"楼层“{floor}”应为正整数")
        cleaned[str(int(floor))] = str(_decimal(coefficient, LABEL_COEFFICIENTS))
    if all(Decimal(v) == 0 for v in cleaned.values()):
        raise ValidationError(LABEL_COEFFICIENTS, "至少一个楼层的系数应大于0")
    return dict(sorted(cleaned.items(), key=lambda item: int(item[0])))


def check_subsidy(value: Any) -> int:
    """Whole yuan between 0 and 10 million."""
    try:
        amount = int(value)
    except (TypeError, ValueError):
        raise ValidationError(LABEL_SUBSIDY, "应为整数（元）") from None
    if not 0 <= amount <= 10_000_000:
        raise ValidationError(LABEL_SUBSIDY, "应在0至10000000元之间")
    return amount


def check_flag(value: Any) -> bool:
    """A yes/no setting given as bool or as 是/否/true/false text."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"是", "true", "1", "yes"}:
        return True
    if text in {"否", "false", "0", "no"}:
        return False
    raise ValidationError(LABEL_ONE_OWNER, "应为“是”或“否”")


@dataclass(frozen=True)
class ElevatorConfig:
    """The module's configurable figures as read from the settings at one moment."""

    stage_days: dict[str, int]
    coefficients: dict[int, Decimal]
    subsidy_per_unit: Decimal
    one_owner_one_person: bool = True
    unverified: tuple[str, ...] = ()  # labels of the figures above not yet verified by a 文号 (services/figures)

    def unverified_mark(self, only: str = "") -> str:
        """'【未核实】…' while the subsidy or the coefficients (or just the figure labelled `only`) are unverified."""
        from liandu_desk.services.figures import unverified_mark

        return unverified_mark(label for label in self.unverified if not only or label == only)

    def expected_days(self, stage: ElevatorStage | str) -> int:
        return self.stage_days.get(str(stage), DEFAULT_STAGE_DAYS[str(stage)])

    def coefficient(self, floor: int) -> Decimal:
        """The coefficient of a floor; floors above the table use its top floor's coefficient."""
        if floor in self.coefficients:
            return self.coefficients[floor]
        lower = [f for f in self.coefficients if f <= floor]
        return self.coefficients[max(lower)] if lower else Decimal(0)


def default_config() -> ElevatorConfig:
    """The labelled defaults (for tests and pure calculations without a database), unverified."""
    return ElevatorConfig(
        dict(DEFAULT_STAGE_DAYS),
        {int(k): Decimal(v) for k, v in DEFAULT_FLOOR_COEFFICIENTS.items()},
        Decimal(DEFAULT_SUBSIDY_YUAN),
        True,
        ("加装电梯每台补助金额", "加装电梯楼层分摊系数"),  # figures.SUBSIDY_LABEL, figures.COEFFICIENTS_LABEL
    )


SETTINGS: tuple[SettingSpec, ...] = (
    SettingSpec(SETTING_STAGE_DAYS, LABEL_STAGE_DAYS, DEFAULT_STAGE_DAYS, dict, check_stage_days, "加装电梯"),
    SettingSpec(
        SETTING_COEFFICIENTS, LABEL_COEFFICIENTS, DEFAULT_FLOOR_COEFFICIENTS, dict, check_coefficients, "加装电梯"
    ),
    SettingSpec(SETTING_SUBSIDY, LABEL_SUBSIDY, DEFAULT_SUBSIDY_YUAN, int, check_subsidy, "加装电梯"),
    SettingSpec(SETTING_ONE_OWNER_ONE_PERSON, LABEL_ONE_OWNER, True, bool, check_flag, "加装电梯"),
)


def load_config(session: Session) -> ElevatorConfig:
    """The current settings (stored values or the labelled defaults) and which of them are unverified."""
    from liandu_desk.services import figures
    from liandu_desk.services.settings import get_setting  # settings reads SETTINGS through the module hook

    days = check_stage_days(get_setting(session, SETTING_STAGE_DAYS))
    coefficients = check_coefficients(get_setting(session, SETTING_COEFFICIENTS))
    return ElevatorConfig(
        days,
        {int(k): Decimal(v) for k, v in coefficients.items()},
        Decimal(check_subsidy(get_setting(session, SETTING_SUBSIDY))),
        check_flag(get_setting(session, SETTING_ONE_OWNER_ONE_PERSON)),
        figures.unverified_labels(session, (figures.SUBSIDY, figures.COEFFICIENTS)),
    )


STAGE_NAMES = tuple(str(s) for s in STAGES)
