"""GB/T 9704 page furniture: page numbers restart per document, odd pages right / even pages left; grid lines."""

from __future__ import annotations

import dataclasses
import datetime as dt

from documents_factories import pdf_reader

from liandu_desk.reports.engine import render_parts
from liandu_desk.reports.house_notice import HouseNoticeFacts, house_notice_parts
from liandu_desk.reports.page import CHARS_PER_LINE, LINE_PITCH, PAGE_W, TYPE_W
from liandu_desk.reports.text import GridText

FACTS = HouseNoticeFacts(
    bureau="丽水市莲都区建设局",
    recipient="张三",
    address="碧湖镇下河村1号",
    grade="C",
    appraised_on=dt.date(2021, 3, 4),
    agency="丽水市房屋安全鉴定所",
    report_no="鉴1",
    hazards=("墙体裂缝",),
    measure="维修加固",
    deadline=dt.date(2021, 11, 4),
    deadline_days=30,
    legal_basis="《城市危险房屋管理规定》",
    contact_phone="0578-2123456",
    number="莲建危改〔2021〕1号",
    issued_on=dt.date(2021, 9, 17),
)


def _page_numbers(data: bytes) -> list[tuple[str, float]]:
    """Each page's '— n —' text and its x position."""
    found = []
    for page in pdf_reader(data).pages:
        hits: list[tuple[str, float]] = []

        def visit(text, cm, tm, _font, _size, hits=hits):
            if text.strip().startswith("—"):
                hits.append((text.strip(), tm[4] * cm[0] + cm[4]))

        page.extract_text(visitor_text=visit)
        found.append(hits[-1] if hits else ("", 0.0))
    return found


def test_page_numbers_restart_per_notice_and_alternate_sides() -> None:
    extra = tuple("另查明：" + "房屋状况需进一步说明。" * 8 for _ in range(4))
    long = dataclasses.replace(FACTS, extra_paragraphs=extra)
    parts = house_notice_parts(long, with_receipt=True) + house_notice_parts(FACTS, with_receipt=False)
    numbers = _page_numbers(render_parts(parts))
    # the 送达回证 page carries none; every notice ends with the appeal rights, so even the short one takes 2 pages
    assert [n for n, _ in numbers] == ["— 1 —", "— 2 —", "— 3 —", "", "— 1 —", "— 2 —"]
    centre = PAGE_W / 2
    right = [numbers[i][1] > centre for i in (0, 1, 2, 4, 5)]
    assert right == [True, False, True, True, False]


def test_body_grid_is_28_characters_per_line() -> None:
    paragraph = GridText("字" * (CHARS_PER_LINE * 3), indent=0)
    width, height = paragraph.wrap(TYPE_W, 1000)
    assert height == 3 * LINE_PITCH
    assert [len(line) for line in paragraph._lines] == [CHARS_PER_LINE] * 3
    indented = GridText("字" * CHARS_PER_LINE)
    indented.wrap(TYPE_W, 1000)
    assert [len(line) for line in indented._lines] == [CHARS_PER_LINE - 2, 2]


def test_no_line_starts_with_closing_punctuation() -> None:
    text = "字" * (CHARS_PER_LINE - 1) + "字，" + "后续内容。"
    paragraph = GridText(text, indent=0)
    paragraph.wrap(TYPE_W, 1000)
    assert all(not line.startswith(("，", "。")) for line in paragraph._lines)
