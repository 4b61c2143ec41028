"""Test helpers for the elevator module: a project with a unit of households."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from liandu_desk.services.elevators.households import add_household
from liandu_desk.services.elevators.projects import ProjectInput, create_project

D0 = dt.date(2021, 1, 4)


def make_project(
    session,
    estate: str = "望湖公寓",
    building: str = "1",
    unit: str = "2",
    floors: int = 6,
    started_on: dt.date = D0,
    budget: str = "480000.00",
) -> int:
    return create_project(
        session,
        ProjectInput(
            estate,
            building,
            unit,
            floors,
            budget=Decimal(budget),
            started_on=started_on,
            implementing_body="单元业主代表",
            designer="丽水市建筑设计院",
            installer="浙江某电梯公司",
        ),
    )


def add_unit(session, project_id: int, floors: int = 6, area: str = "90.00") -> list[int]:
    """Two flats per floor (x01, x02), owners named 业主101…"""
    ids = []
    for floor in range(1, floors + 1):
        for door in (1, 2):
            room = f"{floor}0{door}"
            ids.append(add_household(session, project_id, room, floor, area, f"业主{room}"))
    return ids
