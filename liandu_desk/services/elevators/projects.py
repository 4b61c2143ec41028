"""Elevator projects and their stages: create, list with overdue and dispute flags, advance through the stages."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, aliased

from liandu_desk.domain.elevators import (
    STAGE_INDEX,
    STAGES,
    DisputeStatus,
    ElevatorDispute,
    ElevatorHousehold,
    ElevatorProject,
    ElevatorStage,
    ElevatorStageRecord,
    ElevatorSubsidy,
)
from liandu_desk.domain.errors import ConflictError, NotFoundError, PermissionDenied, RuleError, ValidationError
from liandu_desk.domain.permissions import Permission, allowed
from liandu_desk.domain.registry import Division
from liandu_desk.services.as_of import as_of_day
from liandu_desk.services.constraints import ELEVATOR_UNIT, flush_holding
from liandu_desk.services.divisions import DivisionInfo
from liandu_desk.services.elevators.config import ElevatorConfig, load_config

log = logging.getLogger(__name__)
OPEN_DISPUTE = (DisputeStatus.OPEN, DisputeStatus.MEDIATING, DisputeStatus.UNRESOLVED)
STALLED_FACTOR = 2


@dataclass(frozen=True)
class StageTiming:
    """How long a project has been in a stage against the configured expectation."""

    days: int
    expected_days: int

    @property
    def overdue(self) -> bool:
        return self.days > self.expected_days

    @property
    def stalled(self) -> bool:
        """Twice the expected time or more with no progress."""
        return self.days >= STALLED_FACTOR * self.expected_days

    @property
    def days_over(self) -> int:
        return max(0, self.days - self.expected_days)


def stage_timing(
    stage: ElevatorStage,
    started_on: dt.date | None,
    completed_on: dt.date | None,
    config: ElevatorConfig,
    today: dt.date,
) -> StageTiming:
    """Days spent in a stage (up to its completion or today) and the expected days."""
    if started_on is None:
        return StageTiming(0, config.expected_days(stage))
    end = completed_on or today
    return StageTiming(max(0, (end - started_on).days), config.expected_days(stage))


@dataclass(frozen=True)
class ProjectRow:
    """A project as the project list shows it."""

    id: int
    title: str
    estate: str
    building: str
    unit: str
    community: str
    township: str
    floors: int
    households: int
    stage: str
    stage_index: int
    stage_started_on: dt.date | None
    days_in_stage: int
    expected_days: int
    overdue: bool
    stalled: bool
    finished: bool
    open_disputes: int
    declared_households: int = 0  # the flats the unit declares (0: not declared); `households` are those registered

    @property
    def sort_key(self) -> tuple:
        """Estate, then building and unit in numeric order (2幢 before 10幢)."""
        return (self.estate, _natural(self.building), _natural(self.unit))

    @property
    def flags(self) -> str:
        """Short warning text for the list: 超期/停滞 and disputes."""
        parts = []
        if self.stalled:
            parts.append("停滞")
        elif self.overdue:
            parts.append("超期")
        if self.open_disputes:
            parts.append(f"纠纷{self.open_disputes}")
        return " ".join(parts)


@dataclass(frozen=True)
class ProjectFilter:
    """Filters of the project list."""

    text: str = ""
    stage: str | None = None
    township_id: int | None = None
    only_overdue: bool = False
    only_disputes: bool = False


def _natural(text: str) -> tuple[int, str]:
    digits = "".join(ch for ch in text if ch.isdigit())
    return (int(digits) if digits else 0, text)


def _title(estate: str, building: str, unit: str) -> str:
    return f"{estate}{building}幢{unit}单元"


def _list_query(flt: ProjectFilter):
    community, township = aliased(Division), aliased(Division)
    disputes = (
        select(func.count(ElevatorDispute.id))
        .where(ElevatorDispute.project_id == ElevatorProject.id, ElevatorDispute.status.in_(OPEN_DISPUTE))
        .scalar_subquery()
    )
    households = (
        select(func.count(ElevatorHousehold.id))
        .where(ElevatorHousehold.project_id == ElevatorProject.id)
        .scalar_subquery()
    )
    paid = (
        select(func.count(ElevatorSubsidy.id))
        .where(ElevatorSubsidy.project_id == ElevatorProject.id, ElevatorSubsidy.paid_on.is_not(None))
        .scalar_subquery()
    )
    query = (
        select(
            ElevatorProject.id,
            ElevatorProject.estate,
            ElevatorProject.building,
            ElevatorProject.unit,
            ElevatorProject.floors,
            ElevatorProject.current_stage,
            ElevatorProject.stage_started_on,
            community.name,
            township.name,
            paid,
            disputes,
            households,
            ElevatorProject.planned_households,
        )
        .outerjoin(community, community.id == ElevatorProject.community_id)
        .outerjoin(township, township.id == community.parent_id)
        .order_by(ElevatorProject.estate, ElevatorProject.building, ElevatorProject.unit)
    )
    text = flt.text.strip()
    if text:
        pattern = f"%{text}%"
        query = query.where(or_(ElevatorProject.estate.like(pattern), community.name.like(pattern)))
    if flt.stage:
        query = query.where(ElevatorProject.current_stage == flt.stage)
    if flt.township_id:
        query = query.where(township.id == flt.township_id)
    if flt.only_disputes:
        query = query.where(disputes > 0)
    return query


def list_projects(
    session: Session,
    flt: ProjectFilter | None = None,
    today: dt.date | None = None,
    config: ElevatorConfig | None = None,
) -> list[ProjectRow]:
    """Projects with their stage, overdue/stalled flags and open disputes, filtered in SQL (overdue in Python)."""
    flt = flt or ProjectFilter()
    config = config or load_config(session)
    today = today or as_of_day(session)
    rows = []
    for row in session.execute(_list_query(flt)):  # plain tuples: the list only reads the projects
        (
            project_id,
            estate,
            building,
            unit,
            floors,
            stage,
            started_on,
            community,
            township,
            paid,
            disputes,
            households,
            declared,
        ) = row
        done = bool(paid)
        timing = stage_timing(stage, started_on, None, config, today)
        overdue, stalled = (timing.overdue, timing.stalled) if not done else (False, False)
        if flt.only_overdue and not overdue:
            continue
        rows.append(
            ProjectRow(
                project_id,
                _title(estate, building, unit),
                estate,
                building,
                unit,
                community or "",
                township or "",
                floors,
                households or 0,
                stage.value,
                STAGE_INDEX[stage],
                started_on,
                timing.days,
                timing.expected_days,
                overdue,
                stalled,
                done,
                disputes or 0,
                declared or 0,
            )
        )
    rows.sort(key=lambda r: r.sort_key)
    return rows


@dataclass
class ProjectInput:
    """What the project form collects."""

    estate: str
    building: str
    unit: str
    floors: int
    community_id: int | None = None
    planned_households: int = 0
    implementing_body: str | None = None
    designer: str | None = None
    installer: str | None = None
    budget: Decimal | None = None
    started_on: dt.date | None = None
    note: str | None = None
    declared_area: Decimal | None = None  # the unit's total exclusive area (㎡), from the property records


def _validate(data: ProjectInput) -> None:
    if not 2 <= len(data.estate.strip()) <= 60:
        raise ValidationError("小区名称", "应为2至60个字")
    if not data.building.strip() or not data.unit.strip():
        raise ValidationError("幢/单元", "不能为空")
    if not 2 <= int(data.floors) <= 40:
        raise ValidationError("层数", "应在2至40之间")
    if data.budget is not None and Decimal(data.budget) < 0:
        raise ValidationError("预算", "不能为负数")
    if not 0 <= int(data.planned_households) <= 400:
        raise ValidationError("户数", "应在0至400之间（0表示未申报）")
    if data.declared_area is not None and not 0 < Decimal(data.declared_area) <= 100000:
        raise ValidationError("单元专有面积总和", "应大于0且不超过100000㎡（不清楚可不填）")


def create_project(session: Session, data: ProjectInput) -> int:
    """A new project in its first stage (意愿征询) starting on data.started_on (today by default)."""
    _validate(data)
    estate, building, unit = data.estate.strip(), data.building.strip(), data.unit.strip()
    exists = session.scalar(
        select(ElevatorProject.id).where(
            ElevatorProject.estate == estate, ElevatorProject.building == building, ElevatorProject.unit == unit
        )
    )
    if exists is not None:
        raise ConflictError(f"{_title(estate, building, unit)}已有加装电梯项目")
    start = data.started_on or dt.date.today()
    project = ElevatorProject(
        community_id=data.community_id,
        estate=estate,
        building=building,
        unit=unit,
        floors=int(data.floors),
        planned_households=data.planned_households,
        declared_area=data.declared_area,
        implementing_body=data.implementing_body,
        designer=data.designer,
        installer=data.installer,
        budget=data.budget,
        current_stage=ElevatorStage.SURVEY,
        stage_started_on=start,
        note=data.note,
    )
    project.stages.append(ElevatorStageRecord(stage=ElevatorStage.SURVEY, seq=0, started_on=start))
    session.add(project)
    flush_holding(session, ELEVATOR_UNIT, f"{_title(estate, building, unit)}已有加装电梯项目（可能是他人刚刚登记的）")
    return project.id


def get_project(session: Session, project_id: int) -> ElevatorProject:
    project = session.get(ElevatorProject, project_id)
    if project is None:
        raise NotFoundError("该加装电梯项目不存在（可能已被删除）")
    return project


def update_project(session: Session, project_id: int, data: ProjectInput, version: int | None = None) -> None:
    """Edit the project's descriptive fields (not its stage)."""
    _validate(data)
    project = get_project(session, project_id)
    if version is not None and project.version != version:
        raise ConflictError()
    estate, building, unit = data.estate.strip(), data.building.strip(), data.unit.strip()
    clash = session.scalar(
        select(ElevatorProject.id).where(
            ElevatorProject.estate == estate,
            ElevatorProject.building == building,
            ElevatorProject.unit == unit,
            ElevatorProject.id != project_id,
        )
    )
    if clash is not None:
        raise ConflictError(f"{_title(estate, building, unit)}已有加装电梯项目")
    project.estate, project.building, project.unit = estate, building, unit
    project.floors, project.community_id = int(data.floors), data.community_id
    project.planned_households, project.implementing_body = data.planned_households, data.implementing_body
    project.designer, project.installer, project.budget = data.designer, data.installer, data.budget
    project.note, project.declared_area = data.note, data.declared_area
    flush_holding(session, ELEVATOR_UNIT, f"{_title(estate, building, unit)}已有加装电梯项目（可能是他人刚刚登记的）")


def open_disputes(session: Session, project_id: int) -> list[ElevatorDispute]:
    """The project's disputes not yet resolved or withdrawn (待调解, 调解中, 未化解), oldest first."""
    query = (
        select(ElevatorDispute)
        .where(ElevatorDispute.project_id == project_id, ElevatorDispute.status.in_(OPEN_DISPUTE))
        .order_by(ElevatorDispute.opened_on, ElevatorDispute.id)
    )
    return list(session.scalars(query))


def _dispute_words(disputes: list[ElevatorDispute]) -> str:
    return "、".join(f"{d.type.value}（{d.status.value}，{d.opened_on}登记）" for d in disputes)


def _dispute_gate(session: Session, project: ElevatorProject, nxt: ElevatorStage, override_reason: str | None) -> str:
    """Entering a stage past 表决与协议 while a dispute is open needs a reviewer's reason; returns what to record."""
    if STAGE_INDEX[nxt] <= STAGE_INDEX[ElevatorStage.VOTE]:
        return ""
    disputes = open_disputes(session, project.id)
    if not disputes:
        return ""
    reason = (override_reason or "").strip()
    if not reason:
        raise RuleError(
            f"{project.title}尚有{len(disputes)}件纠纷未化解（{_dispute_words(disputes)}），不能进入“{nxt.value}”。"
            "请先调解结案；确需推进的，由审核人员填写理由后办理。"
        )
    clerk = session.info.get("clerk")
    if not allowed(getattr(clerk, "role", None), Permission.CLOSE_CASES):
        who = getattr(clerk, "name", None) or "未登录用户"
        raise PermissionDenied(f"{who}不是审核人员：纠纷未化解时推进阶段，须由审核或管理员填写理由后办理。")
    if len(reason) < 5:
        raise ValidationError("推进理由", "请写明理由（至少5个字）")
    log.info("project %s enters %s past %d open disputes on a reviewer's reason", project.id, nxt, len(disputes))
    return f"{reason}（未结纠纷：{_dispute_words(disputes)}）"


def advance_stage(
    session: Session,
    project_id: int,
    on: dt.date,
    documents: str | None = None,
    override_reason: str | None = None,
) -> ElevatorStage:
    """Complete the current stage on `on` (with its documents) and enter the next one; returns the new stage.

    Leaving 表决与协议 needs a passing tally (双三分之二参与、双四分之三同意, shaft owner consenting) over the whole
    declared unit. A stage past 表决与协议 is not entered while a dispute is open, unless a reviewer (审核 or
    管理员) gives `override_reason`; the reason, the open disputes and the reviewer are kept on the new stage's
    record, so the audit trail holds them.
    """
    project = get_project(session, project_id)
    index = STAGE_INDEX[project.current_stage]
    if index + 1 >= len(STAGES):
        raise RuleError("项目已处于最后阶段（补助申领），补助请在“补助”中登记")
    current = _stage_record(session, project, project.current_stage)
    if on < current.started_on:
        raise ValidationError("完成日期", f"不能早于本阶段开始日期{current.started_on}")
    if project.current_stage == ElevatorStage.VOTE:
        from liandu_desk.services.elevators.households import project_tally

        tally = project_tally(session, project_id)
        if not tally.passed:
            raise RuleError(f"业主表决尚未通过，不能进入方案设计：{tally.gap_words()}")
    nxt = STAGES[index + 1]
    override = _dispute_gate(session, project, nxt, override_reason)
    current.completed_on = on
    if documents:
        current.documents = "\n".join(filter(None, [current.documents, documents]))
    record = ElevatorStageRecord(project_id=project.id, stage=nxt, seq=index + 1, started_on=on)
    if override:
        record.override_reason = override
        record.override_by = getattr(session.info.get("clerk"), "name", None) or ""
    session.add(record)
    project.current_stage, project.stage_started_on = nxt, on
    session.flush()
    return nxt


def _stage_record(session: Session, project: ElevatorProject, stage: ElevatorStage) -> ElevatorStageRecord:
    record = session.scalar(
        select(ElevatorStageRecord).where(
            ElevatorStageRecord.project_id == project.id, ElevatorStageRecord.stage == stage
        )
    )
    if record is None:
        record = ElevatorStageRecord(
            project_id=project.id,
            stage=stage,
            seq=STAGE_INDEX[stage],
            started_on=project.stage_started_on or dt.date.today(),
        )
        session.add(record)
        session.flush()
    return record


def update_stage_record(
    session: Session,
    record_id: int,
    started_on: dt.date,
    completed_on: dt.date | None,
    documents: str | None,
    note: str | None = None,
) -> None:
    """Correct a stage's dates, documents and note."""
    record = session.get(ElevatorStageRecord, record_id)
    if record is None:
        raise NotFoundError("该阶段记录不存在")
    if completed_on is not None and completed_on < started_on:
        raise ValidationError("完成日期", "不能早于开始日期")
    project = get_project(session, record.project_id)
    current = project.current_stage == record.stage
    if current and completed_on is not None and record.stage != ElevatorStage.SUBSIDY:
        raise RuleError("当前阶段请用“完成本阶段”办理，以便进入下一阶段")
    if not current and completed_on is None:
        raise RuleError("已完成的阶段不能改回进行中")
    record.started_on, record.completed_on, record.documents, record.note = started_on, completed_on, documents, note
    if project.current_stage == record.stage:
        project.stage_started_on = started_on


def find_project(session: Session, title: str) -> int:
    """The id of a project named like 望湖公寓1幢2单元 (or its id as text), or NotFoundError."""
    text = title.strip()
    if text.isdigit() and session.get(ElevatorProject, int(text)) is not None:
        return int(text)
    name = ElevatorProject.estate + ElevatorProject.building + "幢" + ElevatorProject.unit + "单元"
    found = session.scalar(select(ElevatorProject.id).where(name == text))
    if found is None:
        raise NotFoundError(f"没有名为“{text}”的加装电梯项目")
    return found


def community_choices(session: Session) -> list[tuple[str, DivisionInfo]]:
    """Urban communities (社区 beneath 街道) for the project form, labelled “街道 社区”."""
    from liandu_desk.services.divisions import list_children, list_townships

    return [
        (f"{t.name} {c.name}", c)
        for t in list_townships(session)
        if t.level == "街道"
        for c in list_children(session, t.id)
    ]
