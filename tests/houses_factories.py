"""Factories for the 危房 tests: a township with a village, houses, appraisals and cases."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from liandu_desk.domain.registry import DivisionLevel
from liandu_desk.services.divisions import ensure_child, list_townships
from liandu_desk.services.houses.appraisal import AppraisalInput, add_appraisal
from liandu_desk.services.houses.registration import HouseInput, create_house

D = dt.date


def township_and_village(
    session: Session, township: str = "碧湖镇", village: str = "梅田村", level: str = "村"
) -> tuple[int, int]:
    town = next(t for t in list_townships(session) if t.name == township)
    return town.id, ensure_child(session, town.id, village, DivisionLevel(level))


def make_house(session: Session, owner: str = "张三", id_number: str = "", address: str = "梅田村12号", **extra) -> int:
    town_id, village_id = township_and_village(session)
    values = dict(kind="农村", township_id=town_id, village_id=village_id, address=address, owner_name=owner)
    if "township_id" in extra and "village_id" not in extra:
        values["village_id"] = village_id  # deliberately the wrong village unless one is given
    values.update(owner_id_number=id_number, floors=2, build_year=1985, area=120.0, structure="砖木")
    values.update(extra)
    return create_house(session, HouseInput(**values)).id


def appraise(session: Session, house_id: int, grade: str, on: dt.date, handling: str | None = None) -> int:
    if handling is None:
        handling = {"C": "处理使用", "D": "整体拆除"}.get(grade)
    return add_appraisal(
        session, house_id, AppraisalInput(on, grade, "丽水市房屋安全鉴定所", f"鉴{on:%Y%m%d}", handling)
    ).id
