"""Factories for the documents tests: houses with an appraisal, a screening and a case, through the houses services."""

from __future__ import annotations

import datetime as dt
import io

from sqlalchemy.orm import Session

from liandu_desk.domain.registry import DivisionLevel
from liandu_desk.services.divisions import ensure_child, list_townships
from liandu_desk.services.houses.appraisal import AppraisalInput, add_appraisal
from liandu_desk.services.houses.cases import CaseInput, open_case
from liandu_desk.services.houses.registration import HouseInput, create_house
from liandu_desk.services.houses.screening import ScreeningInput, add_screening

D = dt.date
APPRAISED_ON = D(2021, 3, 4)


def dangerous_house(
    session: Session,
    owner: str = "李秀英",
    grade: str = "D",
    township: str = "碧湖镇",
    village: str = "下河村",
    address: str = "下河村36号",
    measure: str | None = "拆除重建",
    on: dt.date = APPRAISED_ON,
) -> int:
    """A rural house screened, appraised at `grade` and (optionally) with an open case."""
    town = next(t for t in list_townships(session) if t.name == township)
    village_id = ensure_child(session, town.id, village, DivisionLevel.VILLAGE)
    house_id = create_house(
        session,
        HouseInput(
            kind="农村",
            township_id=town.id,
            village_id=village_id,
            address=address,
            owner_name=owner,
            floors=2,
            build_year=1978,
            area=96.0,
            structure="土木",
        ),
    ).id
    add_screening(
        session,
        house_id,
        ScreeningInput(on - dt.timedelta(days=20), "有结构倒塌风险", "王建国", ("墙体裂缝", "地基沉降")),
    )
    handling = {"C": "处理使用", "D": "整体拆除"}.get(grade)
    add_appraisal(session, house_id, AppraisalInput(on, grade, "丽水市房屋安全鉴定所", f"鉴{on:%Y%m%d}", handling))
    if measure and grade in ("C", "D"):
        open_case(session, house_id, CaseInput(measure=measure, opened_on=on + dt.timedelta(days=1)))
    return house_id


def pdf_text(data: bytes) -> str:
    """All text of a PDF, pages joined."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def pdf_reader(data: bytes):
    from pypdf import PdfReader

    return PdfReader(io.BytesIO(data))


def font_embedding(data: bytes) -> dict[str, bool]:
    """Base font name → whether its TrueType program (FontFile2) is embedded, over every page."""
    found: dict[str, bool] = {}
    for page in pdf_reader(data).pages:
        for ref in page["/Resources"].get("/Font", {}).values():
            font = ref.get_object()
            descriptor = font.get("/FontDescriptor")
            found[str(font["/BaseFont"])] = bool(descriptor and "/FontFile2" in descriptor.get_object())
    return found
