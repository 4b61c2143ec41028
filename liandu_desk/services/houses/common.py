"""Helpers shared by the 危房 services: save results, lookups, version checks and field checks."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from liandu_desk.domain.errors import NotFoundError, ValidationError, stale

T = TypeVar("T")
E = TypeVar("E", bound=enum.Enum)


@dataclass(frozen=True)
class SaveResult:
    """What a create/update service returns: the row id, its new version and any warnings (not blocks)."""

    id: int
    version: int = 1
    warnings: tuple[str, ...] = field(default_factory=tuple)


def get_or_raise(session: Session, model: type[T], row_id: int, label: str) -> T:
    """The row, or NotFoundError naming what was looked for."""
    row = session.get(model, row_id)
    if row is None:
        raise NotFoundError(f"{label}（编号{row_id}）不存在或已被删除")
    return row


def check_version(row: Any, expected: int | None) -> None:
    """Optimistic locking: the clerk edited version `expected`; someone else saved a newer one."""
    if expected is not None and row.version != expected:
        raise stale(row)


def text_value(value: str | None, field_name: str, max_len: int, *, required: bool = False, min_len: int = 0) -> str:
    """A trimmed text field checked for presence and length."""
    text = (value or "").strip()
    if required and not text:
        raise ValidationError(field_name, "不能为空")
    if text and len(text) < min_len:
        raise ValidationError(field_name, f"至少{min_len}个字")
    if len(text) > max_len:
        raise ValidationError(field_name, f"不能超过{max_len}个字")
    return text


def date_value(value: dt.date | None, field_name: str, *, required: bool = True, not_future: bool = True) -> Any:
    """A date that is present (if required), a real date object and not in the future (if asked)."""
    if value is None:
        if required:
            raise ValidationError(field_name, "不能为空")
        return None
    if not isinstance(value, dt.date):
        raise ValidationError(field_name, "不是有效日期")
    if value.year < 1900:
        raise ValidationError(field_name, "年份早于1900年")
    if not_future and value > dt.date.today():
        raise ValidationError(field_name, "不能晚于今天")
    return value


def enum_value(enum_cls: type[E], value: Any, field_name: str) -> E:
    """The enum member whose value (Chinese label) or member is given."""
    if isinstance(value, enum_cls):
        return value
    try:
        return enum_cls(value)
    except ValueError:
        choices = "、".join(m.value for m in enum_cls)
        raise ValidationError(field_name, f"“{value}”不是可选值（可选：{choices}）") from None
