"""What every module's search returns, and the two conditions they build from: substring and indexed prefix."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SearchHit:
    """One result: category, what to show, and the record it opens."""

    category: str
    title: str
    detail: str
    record_kind: str
    record_id: int


def like(term: str) -> str:
    """A LIKE pattern for the term anywhere (escape with \\)."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def prefix_range(column, term: str):
    """column starts with term, as a range the column's b-tree index can serve."""
    return (column >= term) & (column < term + "\U0010ffff")
