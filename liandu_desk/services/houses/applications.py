"""Poor-family renovation subsidy applications: eligibility (domain §1.6) and the configurable subsidy table.

The Zhejiang/Lishui amounts are not verified [U]: every amount carries a `verified` flag, shown to clerks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from liandu_desk.domain.errors import RuleError, ValidationError
from liandu_desk.domain.house_cases import (
    ApplicationStatus,
    HouseholdCategory,
    Measure,
    RenovationApplication,
    SubsidyRate,
)
from liandu_desk.domain.houses import DANGEROUS_GRADES, House, HouseKind
from liandu_desk.domain.permissions import Permission, requires
from liandu_desk.domain.registry import Person
from liandu_desk.domain.validators import normalize_id_number, normalize_phone
from liandu_desk.services.houses.common import (
    SaveResult,
    check_version,
    date_value,
    enum_value,
    get_or_raise,
    text_value,
)
from liandu_desk.services.houses.summary import latest_appraisal
from liandu_desk.services.personal_data import person_ids_by_number

UNVERIFIED_LABEL = "金额未经核实（依据文件未找到，请按当年文件修改补助标准表）"


@dataclass(frozen=True)
class SubsidyLookup:
    """An amount from the subsidy table and whether it was checked against a document."""

    amount: int | None
    verified: bool

    @property
    def label(self) -> str:
        if self.amount is None:
            return "补助标准表中无此项"
        return f"{self.amount}元" + ("" if self.verified else f"（{UNVERIFIED_LABEL}）")


@dataclass(frozen=True)
class Eligibility:
    """Whether a household may apply, and why (not)."""

    eligible: bool
    reason: str


@dataclass(frozen=True)
class ApplicationInput:
    """What the application form edits; no house_id means a household without a house (无房户)."""

    applicant_name: str
    applicant_id_number: str
    township_id: int
    year: int
    category: str
    measure: str
    applied_on: dt.date
    house_id: int | None = None
    village_id: int | None = None
    applicant_phone: str = ""
    note: str = ""


@requires(Permission.EDIT_SETTINGS)
def set_subsidy_rate(
    session: Session, year: int, category: str, measure: str, amount: int, verified: bool = False, source: str = ""
) -> SaveResult:
    """Add or change one row of the subsidy table."""
    cat = enum_value(HouseholdCategory, category, "家庭类别")
    meas = enum_value(Measure, measure, "改造方式")
    if amount < 0:
        raise ValidationError("补助金额", "不能为负数")
    row = session.scalar(
        select(SubsidyRate).where(SubsidyRate.year == year, SubsidyRate.category == cat, SubsidyRate.measure == meas)
    )
    if row is None:
        row = SubsidyRate(year=year, category=cat, measure=meas)
        session.add(row)
    row.amount, row.verified, row.source = int(amount), bool(verified), source.strip()[:200]
    session.flush()
    return SaveResult(row.id, row.version)


def subsidy_amount(session: Session, year: int, category: str, measure: str) -> SubsidyLookup:
    """The subsidy for (year, category, measure) from the table."""
    row = session.scalar(
        select(SubsidyRate).where(
            SubsidyRate.year == year,
            SubsidyRate.category == enum_value(HouseholdCategory, category, "家庭类别"),
            SubsidyRate.measure == enum_value(Measure, measure, "改造方式"),
        )
    )
    return SubsidyLookup(row.amount, row.verified) if row else SubsidyLookup(None, False)


def subsidy_table(session: Session, year: int | None = None) -> list[tuple[int, str, str, int, bool]]:
    """Rows (year, category, measure, amount, verified) of the subsidy table."""
    query = select(SubsidyRate).order_by(SubsidyRate.year, SubsidyRate.category, SubsidyRate.measure)
    if year is not None:
        query = query.where(SubsidyRate.year == year)
    return [(r.year, r.category.value, r.measure.value, r.amount, r.verified) for r in session.scalars(query)]


def check_eligibility(session: Session, category: str, house_id: int | None) -> Eligibility:
    """Eligible when the category is one of domain §1.6 and the family has no house or a house graded C/D."""
    try:
        cat = HouseholdCategory(category)
    except ValueError:
        return Eligibility(False, f"“{category}”不属于农村低收入群体等重点对象")
    if house_id is None:
        return Eligibility(True, f"{cat.value}，无房户")
    house = session.get(House, house_id)
    if house is None:
        return Eligibility(False, "房屋不存在")
    if house.kind != HouseKind.RURAL:
        return Eligibility(False, "困难家庭危房改造只适用于农村房屋")
    appraisal = latest_appraisal(session, house_id)
    if appraisal is None:
        return Eligibility(False, "房屋尚未鉴定，须鉴定为C级或D级")
    if appraisal.grade not in DANGEROUS_GRADES:
        return Eligibility(False, f"房屋鉴定为{appraisal.grade.value}级，须为C级或D级")
    return Eligibility(True, f"{cat.value}，房屋鉴定为{appraisal.grade.value}级")


def _applicant(session: Session, data: ApplicationInput) -> Person:
    name = text_value(data.applicant_name, "申请人姓名", 20, required=True, min_len=2)
    id_number = normalize_id_number(data.applicant_id_number, "申请人身份证号")
    found_id = person_ids_by_number(session, [id_number]).get(id_number)
    person = session.get(Person, found_id) if found_id else None
    if person is not None and person.name != name:
        raise ValidationError("申请人身份证号", f"该身份证号已登记为“{person.name}”，与申请人姓名不符")
    if person is None:
        person = Person(name=name, id_number=id_number)
        session.add(person)
    if data.applicant_phone.strip():
        person.phone = normalize_phone(data.applicant_phone, "联系电话")
    session.flush()
    return person


def submit_application(session: Session, data: ApplicationInput) -> SaveResult:
    """File an application; RuleError when the household is not eligible. The subsidy comes from the table."""
    eligibility = check_eligibility(session, data.category, data.house_id)
    if not eligibility.eligible:
        raise RuleError(f"不符合申报条件：{eligibility.reason}")
    if not 2000 <= data.year <= dt.date.today().year + 1:
        raise ValidationError("申报年度", "年份不正确")
    person = _applicant(session, data)
    lookup = subsidy_amount(session, data.year, data.category, data.measure)
    row = RenovationApplication(
        applicant_id=person.id,
        house_id=data.house_id,
        township_id=data.township_id,
        village_id=data.village_id,
        year=data.year,
        category=HouseholdCategory(data.category),
        measure=enum_value(Measure, data.measure, "改造方式"),
        applied_on=date_value(data.applied_on, "申报日期"),
        status=ApplicationStatus.SUBMITTED,
        subsidy_amount=lookup.amount,
        amount_verified=lookup.verified,
        eligibility_note=eligibility.reason,
        note=data.note.strip() or None,
    )
    session.add(row)
    session.flush()
    warnings = () if lookup.verified else (f"补助金额：{lookup.label}",)
    return SaveResult(row.id, row.version, warnings)


@requires(Permission.APPROVE_SUBSIDIES)
def decide_application(
    session: Session, application_id: int, status: str, decided_on: dt.date, expected_version: int | None = None
) -> SaveResult:
    """Approve, reject or mark paid."""
    row = get_or_raise(session, RenovationApplication, application_id, "改造申请")
    check_version(row, expected_version)
    new = enum_value(ApplicationStatus, status, "审批状态")
    if new == ApplicationStatus.PAID and row.status != ApplicationStatus.APPROVED:
        raise RuleError("申请批准后才能拨付")
    row.status = new
    row.decided_on = date_value(decided_on, "审批日期")
    session.flush()
    return SaveResult(row.id, row.version)
