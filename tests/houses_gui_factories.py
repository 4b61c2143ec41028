"""Factories for the 危房 GUI tests: a few houses created through the module's services."""

from __future__ import annotations

import datetime as dt

from liandu_desk.domain.registry import DivisionLevel
from liandu_desk.domain.validators import id_check_char
from liandu_desk.services.divisions import ensure_child, resolve_township
from liandu_desk.services.houses import appraisal, batches, cases, registration, screening


def id_number(serial: int, born: str = "19600101") -> str:
    """A valid Liandu resident ID number with the given sequence."""
    first17 = f"331102{born}{serial:03d}"
    return first17 + id_check_char(first17)


def make_house(
    session,
    owner: str,
    address: str,
    township: str = "碧湖镇",
    village: str = "下赵村",
    kind: str = "农村",
    serial: int = 1,
    floors: int = 2,
) -> int:
    """Register a house with its owner; the village is created under the township if needed."""
    town = resolve_township(session, township)
    level = DivisionLevel.COMMUNITY if village.endswith("社区") else DivisionLevel.VILLAGE
    village_id = ensure_child(session, town.id, village, level)
    data = registration.HouseInput(
        kind=kind,
        township_id=town.id,
        village_id=village_id,
        address=address,
        owner_name=owner,
        owner_id_number=id_number(serial),
        floors=floors,
    )
    return registration.create_house(session, data).id


def appraise(session, house_id: int, grade: str, on: dt.date, handling: str | None = None) -> int:
    data = appraisal.AppraisalInput(
        appraised_on=on, grade=grade, agency="丽水市房屋安全鉴定站", report_no=f"JD-{house_id}", handling=handling
    )
    return appraisal.add_appraisal(session, house_id, data).id


def open_case(session, house_id: int, measure: str, on: dt.date, deadline: dt.date | None = None, batch: str = ""):
    data = cases.CaseInput(measure=measure, opened_on=on, deadline=deadline, batch=batch)
    return cases.open_case(session, house_id, data).id


def small_town(db) -> dict[str, int]:
    """Four houses in two townships: 王芳 (D, open case past its deadline), 李建国 (C), 张伟 (A), 陈小红 (urban).

    Batch 2021省委巡视 flags 王芳 (confirmed) and 张伟 (verified out: 非危房). The newest record, 张伟's
    screening of 2021-07-15, is the day the lists count overdue against (the data is historical).
    """
    with db.session_scope() as session:
        ids = {
            "王芳": make_house(session, "王芳", "下赵村12号", serial=11),
            "李建国": make_house(session, "李建国", "下赵村3号", serial=13, floors=3),
            "张伟": make_house(session, "张伟", "联合村8号", village="联合村", serial=15),
            "陈小红": make_house(session, "陈小红", "中山街5号", "紫金街道", "三岩寺社区", "城镇", serial=17),
        }
        appraise(session, ids["王芳"], "D", dt.date(2021, 3, 2), "整体拆除")
        appraise(session, ids["李建国"], "C", dt.date(2021, 3, 5), "处理使用")
        appraise(session, ids["张伟"], "A", dt.date(2021, 3, 6))
        batch_id = batches.create_batch(session, "2021省委巡视", "省委巡视", dt.date(2021, 1, 15)).id
        batches.add_members(session, batch_id, [ids["王芳"], ids["张伟"]])
        batches.verify_member(session, batch_id, ids["王芳"], "确认", dt.date(2021, 3, 8))
        batches.verify_member(session, batch_id, ids["张伟"], "非危房", dt.date(2021, 3, 8))
        open_case(session, ids["王芳"], "拆除", dt.date(2021, 3, 10), dt.date(2021, 6, 30), "2021省委巡视")
        screen = screening.ScreeningInput(dt.date(2021, 7, 15), "暂无结构倒塌风险", "街道网格员", ())
        screening.add_screening(session, ids["张伟"], screen)
    return ids
