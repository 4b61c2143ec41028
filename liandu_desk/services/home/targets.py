"""Work targets: save them, and compute each one's progress from the records with a linear pace warning."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from liandu_desk.domain.errors import NotFoundError, ValidationError
from liandu_desk.domain.home import WorkTarget
from liandu_desk.domain.permissions import Permission, requires
from liandu_desk.domain.registry import Division
from liandu_desk.services.home.metrics import METRICS

ON_TRACK, AT_RISK, MISSED, REACHED = "进度正常", "进度滞后", "已逾期未完成", "已完成"


@dataclass(frozen=True)
class TargetInput:
    """What the clerk enters for a target."""

    title: str
    metric: str
    figure: int
    start_on: dt.date
    deadline: dt.date
    division_id: int | None = None
    note: str | None = None


@dataclass(frozen=True)
class TargetProgress:
    """A target and its progress as of a day, computed from the records."""

    id: int
    title: str
    metric: str
    metric_label: str
    unit: str
    figure: int
    start_on: dt.date
    deadline: dt.date
    division: str
    as_of: dt.date
    done: int
    projected: int
    expected_now: int
    days_left: int
    state: str

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.done / self.figure)) if self.figure else 100

    @property
    def warning(self) -> bool:
        return self.state in (AT_RISK, MISSED)

    def summary(self) -> str:
        """One line: done/figure, days left, pace."""
        left = f"剩余{self.days_left}天" if self.days_left >= 0 else f"已过期{-self.days_left}天"
        pace = "" if self.state in (REACHED, MISSED) else f"，按目前进度预计截止时完成{self.projected}{self.unit}"
        return f"已完成{self.done}/{self.figure}{self.unit}（{self.percent}%），{left}{pace}：{self.state}"


def _validate(data: TargetInput) -> None:
    if not data.title.strip():
        raise ValidationError("目标名称", "不能为空")
    if data.metric not in METRICS:
        raise ValidationError("统计口径", f"未知的统计口径“{data.metric}”")
    if data.figure <= 0:
        raise ValidationError("目标数", "必须大于0")
    if data.deadline < data.start_on:
        raise ValidationError("截止日期", f"{data.deadline}早于开始日期{data.start_on}")


@requires(Permission.EDIT_SETTINGS)
def create_target(session: Session, data: TargetInput) -> int:
    """Add a target; returns its id."""
    _validate(data)
    row = WorkTarget(
        title=data.title.strip(),
        metric=data.metric,
        figure=data.figure,
        start_on=data.start_on,
        deadline=data.deadline,
        division_id=data.division_id,
        note=data.note,
        active=True,
    )
    session.add(row)
    session.flush()
    return row.id


@requires(Permission.EDIT_SETTINGS)
def update_target(session: Session, target_id: int, data: TargetInput) -> None:
    """Change a target."""
    _validate(data)
    row = _get(session, target_id)
    row.title, row.metric, row.figure = data.title.strip(), data.metric, data.figure
    row.start_on, row.deadline, row.division_id, row.note = data.start_on, data.deadline, data.division_id, data.note
    session.flush()


@requires(Permission.EDIT_SETTINGS)
def retire_target(session: Session, target_id: int) -> None:
    """Stop showing a target (kept for the record)."""
    _get(session, target_id).active = False
    session.flush()


def target_input(session: Session, target_id: int) -> TargetInput:
    """A target's fields for the edit form."""
    row = _get(session, target_id)
    return TargetInput(row.title, row.metric, row.figure, row.start_on, row.deadline, row.division_id, row.note)


def _get(session: Session, target_id: int) -> WorkTarget:
    row = session.get(WorkTarget, target_id)
    if row is None:
        raise NotFoundError(f"工作目标{target_id}不存在")
    return row


def pace_state(done: int, figure: int, start: dt.date, deadline: dt.date, as_of: dt.date) -> tuple[str, int, int]:
    """(state, projected figure at the deadline, figure expected by now) from a straight line start → deadline."""
    total_days = (deadline - start).days + 1
    elapsed = min(max((as_of - start).days + 1, 0), total_days)
    expected = round(figure * elapsed / total_days)
    projected = round(done * total_days / elapsed) if elapsed else 0
    if done >= figure:
        return REACHED, max(projected, done), expected
    if as_of > deadline:
        return MISSED, done, figure
    return (AT_RISK if elapsed and projected < figure else ON_TRACK), projected, expected


def progress_of(session: Session, row: WorkTarget, as_of: dt.date, division: str = "") -> TargetProgress:
    """One target's progress as of a day (counting stops at the deadline)."""
    m = METRICS[row.metric]
    end = min(as_of, row.deadline)
    done = m.count(session, row.start_on, end, row.division_id) if end >= row.start_on or m.stock else 0
    state, projected, expected = pace_state(done, row.figure, row.start_on, row.deadline, as_of)
    return TargetProgress(
        row.id,
        row.title,
        row.metric,
        m.label,
        m.unit,
        row.figure,
        row.start_on,
        row.deadline,
        division,
        as_of,
        done,
        projected,
        expected,
        (row.deadline - as_of).days,
        state,
    )


def target_progress(session: Session, as_of: dt.date | None = None, include_done: bool = True) -> list[TargetProgress]:
    """Every active target's progress, by deadline."""
    as_of = as_of or dt.date.today()
    query = (
        select(WorkTarget, Division.name)
        .outerjoin(Division, Division.id == WorkTarget.division_id)
        .where(WorkTarget.active.is_(True))
        .order_by(WorkTarget.deadline, WorkTarget.id)
    )
    rows = [progress_of(session, row, as_of, name or "全区") for row, name in session.execute(query)]
    return rows if include_done else [r for r in rows if r.state != REACHED]
