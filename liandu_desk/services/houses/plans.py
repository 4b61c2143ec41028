"""Urban 一房一策 plans: one resolution plan per building, with milestones and the 解危 evidence rule."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from liandu_desk.domain.errors import RuleError, ValidationError
from liandu_desk.domain.house_cases import HousePlan, Measure, MilestoneStatus, PlanMilestone, PlanStatus
from liandu_desk.domain.houses import Appraisal, Grade, House, HouseKind
from liandu_desk.domain.permissions import Permission, requires
from liandu_desk.services.houses.common import (
    SaveResult,
    check_version,
    date_value,
    enum_value,
    get_or_raise,
    text_value,
)

INTERIM_CONTROLS = ("停用", "撤离", "警示", "划定警戒区", "交通管制")


@dataclass(frozen=True)
class PlanInput:
    """What the 一房一策 form edits."""

    responsible_party: str
    method: str
    opened_on: dt.date
    street_id: int | None = None
    funding: str = ""
    interim_controls: tuple[str, ...] = field(default_factory=tuple)
    deadline: dt.date | None = None
    note: str = ""


def _apply(row: HousePlan, data: PlanInput) -> None:
    row.responsible_party = text_value(data.responsible_party, "责任主体", 100, required=True)
    row.method = enum_value(Measure, data.method, "解危方式")
    row.opened_on = date_value(data.opened_on, "制定日期")
    if data.deadline is not None and data.deadline < row.opened_on:
        raise ValidationError("解危期限", "不能早于制定日期")
    unknown = [c for c in data.interim_controls if c not in INTERIM_CONTROLS]
    if unknown:
        raise ValidationError("临时管控措施", f"“{'、'.join(unknown)}”不是可选项")
    row.interim_controls = list(data.interim_controls)
    row.street_id = data.street_id
    row.funding = text_value(data.funding, "资金来源", 100)
    row.deadline = data.deadline
    row.note = data.note.strip() or None


def create_plan(session: Session, house_id: int, data: PlanInput) -> SaveResult:
    """Draw up a 一房一策 plan for an urban building."""
    house = get_or_raise(session, House, house_id, "房屋")
    if house.kind != HouseKind.URBAN:
        raise RuleError("一房一策方案只适用于城镇房屋")
    row = HousePlan(house_id=house_id, status=PlanStatus.NOT_STARTED)
    _apply(row, data)
    session.add(row)
    session.flush()
    return SaveResult(row.id, row.version)


def update_plan(session: Session, plan_id: int, data: PlanInput, expected_version: int | None) -> SaveResult:
    """Edit a plan that is not closed."""
    row = get_or_raise(session, HousePlan, plan_id, "一房一策方案")
    check_version(row, expected_version)
    if row.status == PlanStatus.CLOSED:
        raise RuleError("方案已销号，不能再修改")
    _apply(row, data)
    if row.status == PlanStatus.NOT_STARTED and data.interim_controls:
        row.status = PlanStatus.IN_PROGRESS
    session.flush()
    return SaveResult(row.id, row.version)


def add_milestone(session: Session, plan_id: int, title: str, due_on: dt.date | None = None) -> SaveResult:
    """Add a milestone to a plan."""
    get_or_raise(session, HousePlan, plan_id, "一房一策方案")
    row = PlanMilestone(plan_id=plan_id, title=text_value(title, "节点名称", 100, required=True), due_on=due_on)
    session.add(row)
    session.flush()
    return SaveResult(row.id, row.version)


def set_milestone_status(session: Session, milestone_id: int, status: str, done_on: dt.date | None = None):
    """Move a milestone along; starting one starts its plan."""
    row = get_or_raise(session, PlanMilestone, milestone_id, "方案节点")
    row.status = enum_value(MilestoneStatus, status, "节点状态")
    if row.status == MilestoneStatus.DONE:
        row.done_on = date_value(done_on, "完成日期")
    else:
        row.done_on = None
    plan = session.get(HousePlan, row.plan_id)
    if plan is not None and plan.status == PlanStatus.NOT_STARTED:
        plan.status = PlanStatus.IN_PROGRESS
    session.flush()
    return SaveResult(row.id, row.version)


def _reappraised(session: Session, plan: HousePlan) -> Appraisal | None:
    query = (
        select(Appraisal)
        .where(
            Appraisal.house_id == plan.house_id,
            Appraisal.appraised_on >= plan.opened_on,
            Appraisal.grade.in_([Grade.A, Grade.B]),
        )
        .order_by(Appraisal.appraised_on.desc())
    )
    return session.scalars(query).first()


def resolve_plan(session: Session, plan_id: int, resolved_on: dt.date, certificate: str = "") -> SaveResult:
    """Mark the danger resolved (已解危): needs a 解危证明 reference or a re-appraisal at A/B."""
    plan = get_or_raise(session, HousePlan, plan_id, "一房一策方案")
    if plan.status in (PlanStatus.RESOLVED, PlanStatus.CLOSED):
        raise RuleError(f"方案状态为{plan.status.value}，不能再登记解危")
    appraisal = _reappraised(session, plan)
    certificate = text_value(certificate, "解危证明", 196)  # stored as "解危证明" + number in a 200-character column
    if not certificate and appraisal is None:
        raise RuleError("解危需要依据：解危证明编号，或复鉴为A级或B级")
    plan.resolved_on = date_value(resolved_on, "解危日期")
    plan.evidence = (
        f"解危证明{certificate}" if certificate else f"复鉴{appraisal.grade.value}级（{appraisal.appraised_on}）"
    )
    plan.status = PlanStatus.RESOLVED
    session.flush()
    return SaveResult(plan.id, plan.version)


@requires(Permission.CLOSE_CASES)
def close_plan(session: Session, plan_id: int) -> SaveResult:
    """Close out (销号) a resolved plan."""
    plan = get_or_raise(session, HousePlan, plan_id, "一房一策方案")
    if plan.status != PlanStatus.RESOLVED:
        raise RuleError("方案解危后才能销号")
    plan.status = PlanStatus.CLOSED
    session.flush()
    return SaveResult(plan.id, plan.version)
