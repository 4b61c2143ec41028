"""Roles and permissions, enforced in the services: every guarded operation declares what it needs."""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from sqlalchemy.orm import Session

from liandu_desk.domain.errors import PermissionDenied
from liandu_desk.domain.registry import ClerkRole

P = ParamSpec("P")
R = TypeVar("R")


class Permission(enum.StrEnum):
    """What an operation needs (the value is shown to the clerk)."""

    EDIT_CASES = "录入和修改案件"
    DRAFT_NOTICES = "起草文书"
    ISSUE_NOTICES = "签发文书"
    CLOSE_CASES = "销号结案"
    APPROVE_SUBSIDIES = "审批补助"
    PUBLISH_LISTS = "发布红黑榜"
    CORRECT_INSPECTIONS = "更正他人录入的检查记录"
    VIEW_PERSONAL_DATA = "查看完整身份证号和电话"
    MANAGE_CLERKS = "管理用户"
    EDIT_SETTINGS = "修改设置"
    EDIT_TEMPLATES = "修改评分模板"
    EDIT_DOC_TEMPLATES = "修改文书模板"
    EDIT_DIVISIONS = "维护村（社区）名册"
    RESTORE = "恢复备份"


_CLERK = {Permission.EDIT_CASES, Permission.DRAFT_NOTICES}
_REVIEWER = _CLERK | {
    Permission.ISSUE_NOTICES,
    Permission.CLOSE_CASES,
    Permission.APPROVE_SUBSIDIES,
    Permission.PUBLISH_LISTS,
    Permission.CORRECT_INSPECTIONS,
    Permission.VIEW_PERSONAL_DATA,
}
ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    ClerkRole.CLERK.value: frozenset(_CLERK),
    ClerkRole.REVIEWER.value: frozenset(_REVIEWER),
    ClerkRole.ADMIN.value: frozenset(Permission),
}
OPERATIONS: dict[str, Permission] = {}


def allowed(role: str | None, permission: Permission) -> bool:
    """Deny by default: an unknown or missing role may do nothing."""
    return permission in ROLE_PERMISSIONS.get(role or "", frozenset())


def check(session: Session, permission: Permission) -> None:
    """Raise PermissionDenied unless the session's clerk holds the permission."""
    check_actor(session.info.get("clerk"), permission)


def check_actor(actor: Any, permission: Permission) -> None:
    """Raise PermissionDenied unless this clerk (a ClerkRef, or None) holds the permission."""
    role = getattr(actor, "role", None)
    if not allowed(role, permission):
        who = getattr(actor, "name", None) or "未登录用户"
        raise PermissionDenied(f"{who}（{role or '无角色'}）没有“{permission.value}”的权限，请联系审核人员或管理员。")


def requires(permission: Permission) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorate a service function whose first argument is the Session; registers it in OPERATIONS."""

    def decorate(fn: Callable[P, R]) -> Callable[P, R]:
        OPERATIONS[f"{fn.__module__}.{fn.__qualname__}"] = permission

        @functools.wraps(fn)
        def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
            session: Any = args[0] if args else kwargs.get("session")
            check(session, permission)
            return fn(*args, **kwargs)

        guarded.__permission__ = permission  # type: ignore[attr-defined]
        return guarded

    return decorate
