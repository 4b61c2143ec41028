"""Who may do what: a refused operation names the clerk, the role and the permission in Chinese and changes nothing."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from houses_factories import appraise, make_house

from liandu_desk.domain import permissions
from liandu_desk.domain.errors import PermissionDenied
from liandu_desk.domain.house_cases import RectificationCase
from liandu_desk.domain.permissions import OPERATIONS, Permission, allowed, check_actor
from liandu_desk.services.houses import cases
from liandu_desk.storage import ClerkRef, Database

D = dt.date


def _as(db: Database, clerk: ClerkRef | None) -> Database:
    return Database(db.url.render_as_string(hide_password=False), clerk=clerk)


def _completed_case(db: Database) -> int:
    """A case with its works done and a 复鉴 at B: ready for close-out by whoever may close cases."""
    with db.session_scope() as s:
        house = make_house(s)
        appraise(s, house, "C", D(2021, 2, 1))
        case_id = cases.open_case(s, house, cases.CaseInput("维修加固", D(2021, 3, 1))).id
        cases.complete_case(s, case_id, D(2021, 4, 1))
        appraise(s, house, "B", D(2021, 4, 20))
    return case_id


def _status(db: Database, case_id: int) -> str:
    with db.session_scope() as s:
        return s.get(RectificationCase, case_id).status.value


@pytest.mark.parametrize(
    ("clerk", "message"),
    [
        (ClerkRef(7, "王科员", "wang", "科员"), "王科员（科员）没有“销号结案”的权限，请联系审核人员或管理员。"),
        (ClerkRef(8, "", "anon", "科员"), "未登录用户（科员）没有“销号结案”的权限，请联系审核人员或管理员。"),
        (ClerkRef(9, "李四", "li", ""), "李四（无角色）没有“销号结案”的权限，请联系审核人员或管理员。"),
        (ClerkRef(9, "赵五", "zhao", "访客"), "赵五（访客）没有“销号结案”的权限，请联系审核人员或管理员。"),
        (None, "未登录用户（无角色）没有“销号结案”的权限，请联系审核人员或管理员。"),
    ],
)
def test_close_out_refused_without_the_permission_says_who_and_what(db: Database, clerk, message: str) -> None:
    case_id = _completed_case(db)
    other = _as(db, clerk)
    try:
        with pytest.raises(PermissionDenied) as refused, other.session_scope() as s:
            cases.close_case(s, case_id, D(2021, 5, 1))
        assert str(refused.value) == message and refused.value.message == message
    finally:
        other.dispose()
    assert _status(db, case_id) == "已完成"


@pytest.mark.parametrize("role", ["审核", "管理员"])
def test_close_out_allowed_for_reviewer_and_admin(db: Database, role: str) -> None:
    case_id = _completed_case(db)
    other = _as(db, ClerkRef(3, f"{role}甲", "x", role))
    try:
        with other.session_scope() as s:
            cases.close_case(s, case_id, D(2021, 5, 1))
    finally:
        other.dispose()
    assert _status(db, case_id) == "已销号"


def test_the_session_may_be_passed_by_keyword(db: Database) -> None:
    case_id = _completed_case(db)
    clerk = _as(db, ClerkRef(4, "科员乙", "y", "科员"))
    try:
        with pytest.raises(PermissionDenied, match="科员乙（科员）没有“销号结案”的权限"), clerk.session_scope() as s:
            cases.close_case(session=s, case_id=case_id, closed_on=D(2021, 5, 1))
    finally:
        clerk.dispose()
    assert _status(db, case_id) == "已完成"
    with db.session_scope() as s:
        result = cases.close_case(session=s, case_id=case_id, closed_on=D(2021, 5, 1))
    assert result.id == case_id
    assert _status(db, case_id) == "已销号"


def test_a_guarded_operation_keeps_its_name_and_declares_its_permission() -> None:
    assert OPERATIONS["liandu_desk.services.houses.cases.close_case"] is Permission.CLOSE_CASES
    assert cases.close_case.__permission__ is Permission.CLOSE_CASES
    assert cases.close_case.__name__ == "close_case"
    assert cases.close_case.__doc__.startswith("Close out (销号) a completed case")


def test_requires_registers_under_module_and_qualified_name_and_checks_before_running() -> None:
    ran: list[str] = []

    @permissions.requires(Permission.RESTORE)
    def restore_everything(session: object, label: str = "") -> str:
        """Stand-in operation."""
        ran.append(label)
        return f"done {label}"

    key = f"{__name__}.test_requires_registers_under_module_and_qualified_name_and_checks_before_running.<locals>"
    try:
        assert OPERATIONS[f"{key}.restore_everything"] is Permission.RESTORE
        assert restore_everything.__permission__ is Permission.RESTORE
        assert (restore_everything.__name__, restore_everything.__doc__) == (
            "restore_everything",
            "Stand-in operation.",
        )
        admin = SimpleNamespace(info={"clerk": ClerkRef(1, "管理员甲", "a", "管理员")})
        reviewer = SimpleNamespace(info={"clerk": ClerkRef(2, "审核甲", "r", "审核")})
        assert restore_everything(admin, "一") == "done 一"
        assert restore_everything(session=admin, label="二") == "done 二"
        with pytest.raises(PermissionDenied, match="审核甲（审核）没有“恢复备份”的权限"):
            restore_everything(reviewer, "三")
        with pytest.raises(PermissionDenied, match="审核甲（审核）没有“恢复备份”的权限"):
            restore_everything(session=reviewer, label="四")
        assert ran == ["一", "二"]
    finally:
        OPERATIONS.pop(f"{key}.restore_everything", None)


def test_check_actor_accepts_any_object_with_a_role_and_denies_by_default() -> None:
    check_actor(SimpleNamespace(name="甲", role="审核"), Permission.PUBLISH_LISTS)
    with pytest.raises(PermissionDenied) as refused:
        check_actor(SimpleNamespace(name="甲", role="科员"), Permission.PUBLISH_LISTS)
    assert refused.value.message == "甲（科员）没有“发布红黑榜”的权限，请联系审核人员或管理员。"
    with pytest.raises(PermissionDenied) as refused:
        check_actor(object(), Permission.EDIT_CASES)
    assert refused.value.message == "未登录用户（无角色）没有“录入和修改案件”的权限，请联系审核人员或管理员。"


@pytest.mark.parametrize("permission", list(Permission))
def test_unknown_empty_or_missing_roles_may_do_nothing(permission: Permission) -> None:
    for role in (None, "", "访客", "管理员 ", "admin"):
        assert not allowed(role, permission)
    assert allowed("管理员", permission)
    assert allowed("审核", permission) == (
        permission
        in {
            Permission.EDIT_CASES,
            Permission.DRAFT_NOTICES,
            Permission.ISSUE_NOTICES,
            Permission.CLOSE_CASES,
            Permission.APPROVE_SUBSIDIES,
            Permission.PUBLISH_LISTS,
            Permission.VIEW_PERSONAL_DATA,
            Permission.CORRECT_INSPECTIONS,  # a 审核 corrects another clerk's inspection (new version, audited)
        }
    )
    assert allowed("科员", permission) == (permission in {Permission.EDIT_CASES, Permission.DRAFT_NOTICES})
