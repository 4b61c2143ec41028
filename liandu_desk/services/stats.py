"""The figures contract (shared/formats/stats.md): one dict from every module's SQL aggregates."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from liandu_desk.plugins import with_hook
from liandu_desk.services.periods import Period


def collect_stats(session: Session, period: Period) -> dict[str, Any]:
    """{"period": …, "<module>": {…}} for each module that publishes figures."""
    result: dict[str, Any] = {"period": period.as_dict()}
    for module, figures in with_hook("figures"):
        result[module.key] = figures(session, period)
    return result
