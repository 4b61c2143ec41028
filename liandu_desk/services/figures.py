"""核对状态 of the figures taken from no official text (elevator subsidy and coefficients, star thresholds)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy.orm import Session

from liandu_desk.domain.errors import ValidationError
from liandu_desk.domain.permissions import Permission, requires
from liandu_desk.domain.validators import validate_doc_number
from liandu_desk.reports.unverified import UNVERIFIED, unverified_mark
from liandu_desk.services.figure_records import COEFFICIENTS, SETTING_KEY, STAR_THRESHOLDS, SUBSIDY, check_records

VERIFIED = "已核实"
__all__ = [
    "COEFFICIENTS",
    "SETTING_KEY",
    "STAR_THRESHOLDS",
    "SUBSIDY",
    "UNVERIFIED",
    "check_records",
    "unverified_mark",
]


def _setting(key: str) -> Callable[[Session], Any]:
    def read(session: Session) -> Any:
        from liandu_desk.services.settings import get_setting

        return get_setting(session, key)

    return read


def _star_thresholds(session: Session) -> Any:
    from liandu_desk.services.communities.ratings import star_rules

    return [asdict(rule) for rule in star_rules(session)]


@dataclass(frozen=True)
class Figure:
    """A figure a document or screen uses whose value no official text has confirmed yet."""

    key: str
    label: str
    read: Callable[[Session], Any]


SUBSIDY_LABEL = "加装电梯每台补助金额"
COEFFICIENTS_LABEL = "加装电梯楼层分摊系数"
FIGURES: dict[str, Figure] = {
    SUBSIDY: Figure(SUBSIDY, SUBSIDY_LABEL, _setting(SUBSIDY)),
    COEFFICIENTS: Figure(COEFFICIENTS, COEFFICIENTS_LABEL, _setting(COEFFICIENTS)),
    STAR_THRESHOLDS: Figure(STAR_THRESHOLDS, "星级小区评定门槛", _star_thresholds),
}


@dataclass(frozen=True)
class FigureStatus:
    """A figure's 核对状态: verified while the value is the one the 文号 was recorded for."""

    key: str
    label: str
    source: str  # 文号 of the document that verifies it ('' if none)
    verified_by: str
    verified_on: str
    changed_since: bool  # the value was edited after it was verified: unverified again

    @property
    def verified(self) -> bool:
        return bool(self.source) and not self.changed_since

    @property
    def status(self) -> str:
        return VERIFIED if self.verified else UNVERIFIED

    def describe(self) -> str:
        if self.verified:
            return f"{self.label}：{VERIFIED}（依据{self.source}，{self.verified_by}于{self.verified_on}记录）"
        if self.source:
            return f"{self.label}：{UNVERIFIED}（核实依据{self.source}之后数值已修改）"
        return f"{self.label}：{UNVERIFIED}"


def _canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _records(session: Session) -> dict[str, dict]:
    from liandu_desk.services.settings import get_setting

    stored = get_setting(session, SETTING_KEY)
    return dict(stored) if isinstance(stored, dict) else {}


def _figure(key: str) -> Figure:
    try:
        return FIGURES[key]
    except KeyError:
        raise ValidationError("核对项目", f"没有名为“{key}”的核对项目（可选：{'、'.join(FIGURES)}）") from None


def figure_status(session: Session, key: str) -> FigureStatus:
    """The 核对状态 of one figure."""
    figure = _figure(key)
    record = _records(session).get(key) or {}
    source = str(record.get("source", ""))
    changed = bool(source) and record.get("value") != _canonical(figure.read(session))
    return FigureStatus(key, figure.label, source, str(record.get("by", "")), str(record.get("on", "")), changed)


def figure_statuses(session: Session) -> list[FigureStatus]:
    """Every figure's 核对状态."""
    return [figure_status(session, key) for key in FIGURES]


def unverified_labels(session: Session, keys: Iterable[str]) -> tuple[str, ...]:
    """The labels of those figures among `keys` that are not verified."""
    return tuple(s.label for s in (figure_status(session, key) for key in keys) if not s.verified)


def _save(session: Session, records: dict[str, dict]) -> None:
    from liandu_desk.services.settings import save_settings

    save_settings(session, {SETTING_KEY: records})


@requires(Permission.EDIT_SETTINGS)
def verify_figure(session: Session, key: str, source: str, on: dt.date | None = None) -> FigureStatus:
    """Record the 文号 of the document that confirms the figure's current value (administrators only)."""
    figure = _figure(key)
    number = validate_doc_number(source, "核实依据文号")
    clerk = session.info.get("clerk")
    records = _records(session)
    records[key] = {
        "source": number,
        "value": _canonical(figure.read(session)),
        "by": getattr(clerk, "name", "") or "",
        "on": (on or dt.date.today()).isoformat(),
    }
    _save(session, records)
    return figure_status(session, key)


@requires(Permission.EDIT_SETTINGS)
def withdraw_verification(session: Session, key: str) -> FigureStatus:
    """Mark the figure unverified again (e.g. the cited document was superseded)."""
    _figure(key)
    records = _records(session)
    if records.pop(key, None) is not None:
        _save(session, records)
    return figure_status(session, key)
