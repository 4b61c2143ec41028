"""How a setting is declared: key, label, default, type, check and group (the core's and each module's)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class SettingSpec:
    """One declared setting."""

    key: str
    label: str
    default: Any
    kind: type
    check: Callable[[Any], Any] | None = None
    group: str = "常规"
