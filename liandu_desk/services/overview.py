"""The home tab's overview: the shared registry at a glance and the period's figures against the previous one."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from liandu_desk.domain.audit import AuditEntry
from liandu_desk.domain.registry import Clerk, Division, Person
from liandu_desk.services.settings import get_setting


@dataclass(frozen=True)
class RegistrySummary:
    """Counts of the shared registry."""

    bureau_name: str
    townships: int
    villages: int
    people: int
    clerks: int
    audit_entries: int

    @property
    def has_demo_registry(self) -> bool:
        """Whether records were entered or loaded (every database ships with the village register, so the
        villages alone say nothing): the demo is offered only before."""
        return self.people > 0


def _count(session: Session, column, *where) -> int:
    return session.scalar(select(func.count(column)).where(*where)) or 0


def heading_facts(session: Session) -> tuple[str, bool]:
    """What the 首页 heading needs: the bureau's name, and whether records were entered or loaded (the
    `has_demo_registry` of the summary, found by one row rather than by counting the registry and audit trail)."""
    entered = session.scalar(select(Person.id).limit(1)) is not None
    return str(get_setting(session, "bureau.name")), entered


def registry_summary(session: Session) -> RegistrySummary:
    """One query per figure, all aggregates."""
    return RegistrySummary(
        bureau_name=str(get_setting(session, "bureau.name")),
        townships=_count(session, Division.id, Division.parent_id.is_(None)),
        villages=_count(session, Division.id, Division.parent_id.is_not(None)),
        people=_count(session, Person.id),
        clerks=_count(session, Clerk.id),
        audit_entries=_count(session, AuditEntry.id),
    )


# --- the 首页 overview: figures of a period against the previous one, charts, latest record date ---------------

FIGURES: tuple[tuple[str, str, str, str], ...] = (
    # (module title, label, path in the stats dict, unit)
    ("危房", "农村排查录入", "houses.rural_screened", "户"),
    ("危房", "农村房屋鉴定", "houses.rural_appraised", "户"),
    ("危房", "鉴定为危房（C/D级）", "houses.rural_dangerous", "户"),
    ("危房", "交办批次已整改（累计）", "houses.batches.*.rectified", "户"),
    ("危房", "城镇D级危房解危", "houses.urban_d_resolved", "幢"),
    ("危房", "城镇C级一房一策（在办）", "houses.urban_c_plans", "幢"),
    ("加装电梯", "竣工验收", "elevators.accepted", "台"),
    ("加装电梯", "调解次数", "elevators.mediations", "次"),
    ("星级小区", "检查发现问题", "communities.issues_found", "个"),
    ("星级小区", "问题整改销号", "communities.issues_rectified", "个"),
    ("星级小区", "红榜小区", "communities.red_list", "个"),
    ("星级小区", "黑榜小区", "communities.black_list", "个"),
    ("星级小区", "封闭式物管小区", "communities.closed_managed", "个"),
    ("星级小区", "网格员", "communities.grid_staff", "名"),
)


@dataclass(frozen=True)
class FigureRow:
    """One figure of the period with the previous period's value."""

    module: str
    label: str
    unit: str
    value: int | None
    previous: int | None

    @property
    def change(self) -> int | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous

    def change_text(self) -> str:
        """比上期 +3 / −2 / 持平; percent when the previous value is not zero."""
        change = self.change
        if change is None:
            return ""
        if change == 0:
            return "与上期持平"
        sign = "+" if change > 0 else "−"
        pct = f"（{abs(change) * 100 / self.previous:.0f}%）" if self.previous else ""
        return f"比上期{sign}{abs(change)}{pct}"


def figure_value(stats: dict, path: str) -> int | None:
    """A figure from the stats dict by dotted path; '*' sums over the keys at that level; None if absent."""
    node: object = stats
    parts = path.split(".")
    for index, part in enumerate(parts):
        if part == "*" and isinstance(node, dict):
            values = [figure_value(child, ".".join(parts[index + 1 :])) for child in node.values()]
            return sum(v for v in values if v is not None)
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node if isinstance(node, int) else None


def figure_rows(current: dict, previous: dict) -> list[FigureRow]:
    """The overview's figures from two stats dicts (this period and the previous one)."""
    return [
        FigureRow(module, label, unit, figure_value(current, path), figure_value(previous, path))
        for module, label, path, unit in FIGURES
        if figure_value(current, path) is not None
    ]
