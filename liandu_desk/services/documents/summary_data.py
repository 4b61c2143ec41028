"""Figures of the half-year work summary: the stats service's dict plus by-township breakdowns (SQL aggregates).

The totals always come from `collect_stats`; the breakdowns use the same definitions per township, and
`check_totals` reports any township table whose sum differs from the stats service's figure.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, aliased

from liandu_desk.domain.communities import Community, Issue, IssueStatus
from liandu_desk.domain.elevators import ElevatorProject, ElevatorStage, ElevatorStageRecord
from liandu_desk.domain.houses import Appraisal, House, HouseKind, Screening
from liandu_desk.domain.registry import Division
from liandu_desk.reports.summary_facts import SummaryFacts, TownshipTable, figure
from liandu_desk.services import figures as figures_status
from liandu_desk.services.periods import Period
from liandu_desk.services.settings import get_setting
from liandu_desk.services.stats import collect_stats

RURAL = HouseKind.RURAL.value


def _townships(session: Session) -> list[tuple[int, str]]:
    query = (
        select(Division.id, Division.name)
        .where(Division.parent_id.is_(None))
        .order_by(Division.sort_order, Division.id)
    )
    return [(i, n) for i, n in session.execute(query)]


def _table(
    session: Session, title: str, columns: tuple[str, ...], counts: list[dict[int, int]], keys=()
) -> TownshipTable:
    rows = tuple((name, tuple(int(c.get(tid, 0)) for c in counts)) for tid, name in _townships(session))
    return TownshipTable(title, columns, rows, tuple(keys))


def _township_of(division):
    """The township id of a division row (itself, or its parent for a village/community)."""
    return case((division.parent_id.is_(None), division.id), else_=division.parent_id)


def houses_table(session: Session, period: Period) -> TownshipTable:
    """Rural screened, appraised, C and D per township (same definitions as the houses stats)."""
    screened = dict(
        session.execute(
            select(House.township_id, func.count())
            .join(Screening, Screening.house_id == House.id)
            .where(Screening.screened_on.between(period.start, period.end), House.kind == RURAL)
            .group_by(House.township_id)
        ).all()
    )
    ranked = (
        select(
            House.township_id.label("tid"),
            Appraisal.grade.label("grade"),
            func.row_number()
            .over(partition_by=Appraisal.house_id, order_by=(Appraisal.appraised_on.desc(), Appraisal.id.desc()))
            .label("rank"),
        )
        .join(House, House.id == Appraisal.house_id)
        .where(Appraisal.appraised_on.between(period.start, period.end), House.kind == RURAL)
        .subquery()
    )
    graded: dict[str, dict[int, int]] = {g: {} for g in "ABCD"}
    query = (
        select(ranked.c.tid, ranked.c.grade, func.count())
        .where(ranked.c.rank == 1)
        .group_by(ranked.c.tid, ranked.c.grade)
    )
    for tid, grade, count in session.execute(query):
        graded[getattr(grade, "value", grade)][tid] = count
    townships = set().union(*graded.values())
    appraised = {tid: sum(graded[g].get(tid, 0) for g in "ABCD") for tid in townships}
    return _table(
        session,
        "农村房屋排查鉴定分乡镇（街道）情况",
        ("排查录入", "完成鉴定", "C级", "D级"),
        [screened, appraised, graded["C"], graded["D"]],
        ("houses.rural_screened", "houses.rural_appraised", "houses.grades.C", "houses.grades.D"),
    )


def elevators_table(session: Session, period: Period) -> TownshipTable:
    """Elevators passing completion acceptance in the period, per township of the project's community."""
    division = aliased(Division)
    accepted = dict(
        session.execute(
            select(_township_of(division), func.count(ElevatorStageRecord.id))
            .join(ElevatorProject, ElevatorProject.id == ElevatorStageRecord.project_id)
            .join(division, division.id == ElevatorProject.community_id)
            .where(
                ElevatorStageRecord.stage == ElevatorStage.ACCEPTANCE,
                ElevatorStageRecord.completed_on.between(period.start, period.end),
            )
            .group_by(_township_of(division))
        ).all()
    )
    return _table(session, "加装电梯竣工验收分乡镇（街道）情况", ("竣工验收",), [accepted], ("elevators.accepted",))


def communities_table(session: Session, period: Period) -> TownshipTable:
    """Closed property-managed communities and issues rectified in the period, per township."""
    division = aliased(Division)
    township = _township_of(division)
    closed = dict(
        session.execute(
            select(township, func.count(Community.id))
            .join(division, division.id == Community.division_id)
            .where(Community.closed_managed.is_(True))
            .group_by(township)
        ).all()
    )
    rectified = dict(
        session.execute(
            select(township, func.count(Issue.id))
            .join(Community, Community.id == Issue.community_id)
            .join(division, division.id == Community.division_id)
            .where(Issue.status == IssueStatus.CLOSED, Issue.rectified_on.between(period.start, period.end))
            .group_by(township)
        ).all()
    )
    return _table(
        session,
        "物管小区分乡镇（街道）情况",
        ("封闭式物管小区", "督促整改问题"),
        [closed, rectified],
        ("communities.closed_managed", "communities.issues_rectified"),
    )


def check_totals(facts: SummaryFacts) -> list[str]:
    """Township tables whose column sums differ from the stats service (empty when consistent)."""
    problems = []
    for table in facts.tables.values():
        for key, total in zip(table.totals_of, table.totals(), strict=False):
            expected = figure(facts.figures, key)
            if total != expected:
                problems.append(f"{table.title}：{key} 分乡镇合计{total}，统计服务为{expected}")
    return problems


def summary_facts(session: Session, period: Period, dated: dt.date | None = None) -> SummaryFacts:
    """The stats service's figures for the period and the by-township tables of the modules present."""
    figures = collect_stats(session, period)
    tables: dict[str, TownshipTable] = {}
    builders = {"houses": houses_table, "elevators": elevators_table, "communities": communities_table}
    for key, build in builders.items():
        if key in figures:
            tables[key] = build(session, period)
    bureau = str(get_setting(session, "bureau.name"))
    used = (figures_status.STAR_THRESHOLDS,) if "communities" in figures else ()
    unverified = figures_status.unverified_labels(session, used)
    return SummaryFacts(bureau, period.start, period.end, dated or dt.date.today(), figures, tables, unverified)
