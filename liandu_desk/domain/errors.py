"""Errors raised by the domain and service layers, each with a Chinese message for the clerk."""

from __future__ import annotations


class LianduError(Exception):
    """Base of every error meant to be shown to a clerk."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationError(LianduError):
    """A value the clerk entered breaks a rule; names the field."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}：{reason}")
        self.field = field
        self.reason = reason


class ConflictError(LianduError):
    """Someone else saved the same record since it was read (optimistic locking).

    `table` and `row_id` name the record when known, so the GUI can show both versions side by side.
    """

    def __init__(
        self, message: str = "该记录已被其他人修改，请重新打开后再保存。", table: str = "", row_id: object = None
    ) -> None:
        super().__init__(message)
        self.table = table
        self.row_id = row_id


def stale(row: object) -> ConflictError:
    """The ConflictError for a mapped row whose version moved on."""
    return ConflictError(table=getattr(row, "__tablename__", ""), row_id=getattr(row, "id", None))


class NotFoundError(LianduError):
    """A record the clerk asked for does not exist (any more)."""


class RuleError(LianduError):
    """An action a business rule forbids (e.g. closing a case without evidence)."""


class PermissionDenied(LianduError):
    """The current clerk's role does not allow this operation."""
