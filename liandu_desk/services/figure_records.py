"""The figures that carry a 核对状态 and how their verification records are stored (one setting, checked here)."""

from __future__ import annotations

from typing import Any

from liandu_desk.domain.errors import ValidationError
from liandu_desk.domain.validators import validate_doc_number

SETTING_KEY = "figures.verification"  # {figure key: {"source": 文号, "value": value when verified, "by", "on"}}
SUBSIDY = "elevator.subsidy_per_unit"
COEFFICIENTS = "elevator.floor_coefficients"
STAR_THRESHOLDS = "communities.star_thresholds"
FIGURE_KEYS = (SUBSIDY, COEFFICIENTS, STAR_THRESHOLDS)


def check_records(value: Any) -> dict[str, dict]:
    """The stored verification records: known figures only, each with a valid 文号."""
    if not isinstance(value, dict):
        raise ValidationError("数据核对状态", "应为“项目: 核实记录”的对照表")
    for key, record in value.items():
        if key not in FIGURE_KEYS:
            raise ValidationError("数据核对状态", f"没有名为“{key}”的待核实数据")
        if not isinstance(record, dict) or not record.get("source"):
            raise ValidationError("数据核对状态", f"“{key}”缺少核实文号")
        validate_doc_number(str(record["source"]), "核实依据文号")
    return dict(value)
