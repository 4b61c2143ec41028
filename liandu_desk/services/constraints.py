"""Rules the database holds (partial unique indexes): recognise their violation and say it in Chinese."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError


def breaks(exc: IntegrityError, index: str, table: str, columns: tuple[str, ...]) -> bool:
    """Whether the error is this index's violation: PostgreSQL names the index, SQLite lists its columns."""
    text = str(getattr(exc, "orig", exc))
    sqlite_text = "UNIQUE constraint failed: " + ", ".join(f"{table}.{column}" for column in columns)
    return index in text or sqlite_text in text
