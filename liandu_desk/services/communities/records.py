"""Communities, property companies and grid staff: create, edit, list, assign."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from liandu_desk.domain.communities import Community, CommunityType, GridStaff, PropertyCompany
from liandu_desk.domain.errors import NotFoundError, ValidationError
from liandu_desk.domain.registry import Division
from liandu_desk.domain.validators import normalize_phone, normalize_uscc


@dataclass(frozen=True)
class CompanyRow:
    """A property company as lists show it."""

    id: int
    name: str
    uscc: str
    contact_name: str
    contact_phone: str
    communities: int


@dataclass(frozen=True)
class StaffRow:
    """A grid staff member with the number of communities assigned."""

    id: int
    name: str
    phone: str
    communities: int


@dataclass(frozen=True)
class CommunityRow:
    """A community as lists show it."""

    id: int
    name: str
    township: str
    division: str
    address: str
    households: int
    buildings: int
    closed_managed: bool
    type: str
    company: str
    grid_staff: str
    company_id: int | None
    grid_staff_id: int | None
    division_id: int | None


def _name(value: str, field: str, max_len: int) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError(field, "不能为空")
    if len(text) > max_len:
        raise ValidationError(field, f"不能超过{max_len}个字")
    return text


def _optional_phone(value: str | None, field: str) -> str | None:
    return normalize_phone(value, field) if value and value.strip() else None


def _count(value: int | None, field: str) -> int:
    try:
        number = int(value or 0)
    except (TypeError, ValueError):
        raise ValidationError(field, "应为整数") from None
    if number < 0:
        raise ValidationError(field, "不能为负数")
    return number


def save_company(session: Session, data: dict, company_id: int | None = None) -> int:
    """Create or update a company; the credit code is checked (GB 32100) and must be unique."""
    name = _name(data.get("name", ""), "企业名称", 80)
    uscc = normalize_uscc(data.get("uscc", ""))
    clash = session.scalar(select(PropertyCompany.id).where(PropertyCompany.uscc == uscc))
    if clash is not None and clash != company_id:
        raise ValidationError("统一社会信用代码", "已登记在另一家企业名下")
    company = _get(session, PropertyCompany, company_id, "物业企业") if company_id else PropertyCompany()
    company.name, company.uscc = name, uscc
    company.contact_name = (data.get("contact_name") or "").strip() or None
    company.contact_phone = _optional_phone(data.get("contact_phone"), "联系电话")
    company.address = (data.get("address") or "").strip() or None
    session.add(company)
    session.flush()
    return company.id


def save_staff(session: Session, name: str, phone: str | None = None, staff_id: int | None = None) -> int:
    """Create or update a grid staff member."""
    staff = _get(session, GridStaff, staff_id, "网格员") if staff_id else GridStaff(active=True)
    staff.name = _name(name, "网格员姓名", 40)
    staff.phone = _optional_phone(phone, "网格员电话")
    session.add(staff)
    session.flush()
    return staff.id


def save_community(session: Session, data: dict, community_id: int | None = None) -> int:
    """Create or update a community (name, division, address, size, closed management, type, company, staff)."""
    community = _get(session, Community, community_id, "小区") if community_id else Community()
    community.name = _name(data.get("name", ""), "小区名称", 60)
    community.division_id = data.get("division_id")
    if community.division_id is not None and session.get(Division, community.division_id) is None:
        raise ValidationError("所属社区", "不存在")
    community.address = (data.get("address") or "").strip() or None
    community.households = _count(data.get("households"), "户数")
    community.buildings = _count(data.get("buildings"), "幢数")
    community.closed_managed = bool(data.get("closed_managed", True))
    try:
        community.type = CommunityType(data.get("type") or CommunityType.BASIC.value)
    except ValueError:
        raise ValidationError("小区类型", f"应为{'、'.join(t.value for t in CommunityType)}之一") from None
    community.company_id = data.get("company_id")
    community.grid_staff_id = data.get("grid_staff_id")
    session.add(community)
    session.flush()
    return community.id


def assign_staff(session: Session, community_id: int, staff_id: int | None) -> None:
    """Assign (or unassign, with None) the grid staff member responsible for a community."""
    community = _get(session, Community, community_id, "小区")
    if staff_id is not None:
        _get(session, GridStaff, staff_id, "网格员")
    community.grid_staff_id = staff_id


def _get(session: Session, model, row_id: int | None, label: str):
    row = session.get(model, row_id) if row_id is not None else None
    if row is None:
        raise NotFoundError(f"{label}（编号{row_id}）不存在")
    return row


def list_companies(session: Session) -> list[CompanyRow]:
    """Every company with how many communities it manages, by name."""
    managed = (
        select(Community.company_id, func.count(Community.id).label("n")).group_by(Community.company_id).subquery()
    )
    query = (
        select(PropertyCompany, func.coalesce(managed.c.n, 0))
        .outerjoin(managed, managed.c.company_id == PropertyCompany.id)
        .order_by(PropertyCompany.name)
    )
    return [
        CompanyRow(c.id, c.name, c.uscc, c.contact_name or "", c.contact_phone or "", n)
        for c, n in session.execute(query)
    ]


def list_staff(session: Session) -> list[StaffRow]:
    """Every grid staff member with the number of communities assigned."""
    assigned = (
        select(Community.grid_staff_id, func.count(Community.id).label("n"))
        .group_by(Community.grid_staff_id)
        .subquery()
    )
    query = (
        select(GridStaff, func.coalesce(assigned.c.n, 0))
        .outerjoin(assigned, assigned.c.grid_staff_id == GridStaff.id)
        .order_by(GridStaff.name)
    )
    return [StaffRow(s.id, s.name, s.phone or "", n) for s, n in session.execute(query)]


def list_communities(
    session: Session, text: str = "", type_: str | None = None, community_id: int | None = None
) -> list[CommunityRow]:
    """Communities filtered by a name fragment (LIKE, fine for 1–2 characters) and type, by township then name."""
    division = Division.__table__.alias("d")
    township = Division.__table__.alias("t")
    query = (
        select(Community, PropertyCompany.name, GridStaff.name, division.c.name, township.c.name)
        .outerjoin(PropertyCompany, PropertyCompany.id == Community.company_id)
        .outerjoin(GridStaff, GridStaff.id == Community.grid_staff_id)
        .outerjoin(division, division.c.id == Community.division_id)
        .outerjoin(township, township.c.id == division.c.parent_id)
        .order_by(township.c.sort_order, Community.name)
    )
    if text.strip():
        query = query.where(Community.name.like(f"%{text.strip()}%"))
    if type_:
        query = query.where(Community.type == CommunityType(type_))
    if community_id is not None:
        query = query.where(Community.id == community_id)
    return [_community_row(*row) for row in session.execute(query)]


def _community_row(c: Community, company: str | None, staff: str | None, div: str | None, town: str | None):
    return CommunityRow(
        c.id,
        c.name,
        town or "",
        div or "",
        c.address or "",
        c.households,
        c.buildings,
        c.closed_managed,
        c.type.value,
        company or "",
        staff or "",
        c.company_id,
        c.grid_staff_id,
        c.division_id,
    )


def get_community(session: Session, community_id: int) -> CommunityRow:
    """One community, or NotFoundError."""
    for row in list_communities(session, community_id=community_id):
        return row
    raise NotFoundError(f"小区（编号{community_id}）不存在")
