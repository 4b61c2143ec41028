"""Factories for the star-rated community tests: companies with valid credit codes, staff, communities, sheets."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from liandu_desk.domain.validators import uscc_check_char
from liandu_desk.services.communities import records
from liandu_desk.services.communities.inspections import ScoreInput, record_inspection
from liandu_desk.services.communities.templates import TemplateView, current_template


def valid_uscc(serial: int) -> str:
    """A syntactically valid enterprise credit code in Liandu (331102) with the given serial."""
    first17 = f"91331102MA{serial:07d}"
    return first17 + uscc_check_char(first17)


def make_company(session: Session, name: str = "丽水安居物业服务有限公司", serial: int = 1) -> int:
    return records.save_company(session, {"name": name, "uscc": valid_uscc(serial), "contact_phone": "0578-2123456"})


def make_community(session: Session, name: str, company_id: int | None = None, type_: str = "基础提升型") -> int:
    return records.save_community(
        session, {"name": name, "households": 300, "buildings": 8, "type": type_, "company_id": company_id}
    )


def sheet_for_total(template: TemplateView, total: float, veto: bool = False) -> list[ScoreInput]:
    """Deductions that bring the sheet down to `total`, spread over items in order; optionally trigger a veto."""
    remaining = round(template.total_points - total, 2)
    inputs = []
    for item in template.items:
        if item.veto:
            if veto:
                inputs.append(ScoreInput(item.id, veto=True, note="消防通道堵塞"))
                veto = False
            continue
        take = min(item.max_points, remaining)
        if take > 0:
            inputs.append(ScoreInput(item.id, deduction=take))
            remaining = round(remaining - take, 2)
    return inputs


def inspect(session: Session, community_id: int, day: dt.date, total: float, veto: bool = False) -> int:
    """Record an inspection with the current template scoring exactly `total`."""
    template = current_template(session)
    detail = record_inspection(session, community_id, day, "张三、李四", sheet_for_total(template, total, veto))
    assert detail.row.total == total
    return detail.row.id


def template_item(db, text: str):
    """The current template's item whose text contains `text`."""
    from liandu_desk.services.communities.templates import current_template

    with db.session_scope() as s:
        return next(i for i in current_template(s).items if text in i.text)


def inspection_and_issue_counts(db) -> tuple[int, int]:
    """How many inspections and issues are on file."""
    from sqlalchemy import func, select

    from liandu_desk.domain.communities import Inspection, Issue

    with db.session_scope() as s:
        return (
            s.scalar(select(func.count()).select_from(Inspection)),
            s.scalar(select(func.count()).select_from(Issue)),
        )
