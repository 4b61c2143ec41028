"""GB/T 9704 typefaces and positions, measured from the PDF's drawing commands; glyph-by-glyph fallback."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from pdf_measure import MM, TextRun, stroked_lines, text_runs

from liandu_desk.paths import resource_path
from liandu_desk.reports import fonts
from liandu_desk.reports.engine import Part, render_parts
from liandu_desk.reports.house_notice import HouseNoticeFacts, house_notice_parts
from liandu_desk.reports.official import body, heading1, heading2
from liandu_desk.reports.page import LINE_PITCH, PAGE_H, TOP_MARGIN, TYPE_H, TYPE_W

RARE_NAME = "王㛃䶮𠮷"
FACTS = HouseNoticeFacts(
    bureau="丽水市莲都区建设局",
    recipient=RARE_NAME,
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

TYPE_TOP = PAGE_H - TOP_MARGIN
TYPE_BOTTOM = TYPE_TOP - TYPE_H
EM_TOP, EM_BOTTOM = 0.88, 0.12  # the ideographic em box of every bundled CJK face (hhea 880 / -120 per 1000)
TOLERANCE = 0.2 * MM


def _top(run: TextRun) -> float:
    return run.y + EM_TOP * run.size


def _bottom(run: TextRun) -> float:
    return run.y - EM_BOTTOM * run.size


@pytest.fixture(scope="module")
def notice() -> bytes:
    return render_parts(house_notice_parts(FACTS, with_receipt=False))


def _first(runs: list[TextRun], text: str) -> TextRun:
    return next(r for r in runs if r.text.startswith(text))


def test_letterhead_positions_follow_gb9704(notice: bytes) -> None:
    runs = text_runs(notice)[0]
    masthead, number = _first(runs, FACTS.bureau), _first(runs, FACTS.number)
    heading, addressee = _first(runs, "危房整改通知书"), _first(runs, "王")
    # masthead: top edge 35 mm below the top of the type area
    assert abs(TYPE_TOP - _top(masthead) - 35 * MM) < TOLERANCE
    # two blank grid lines between the masthead and the 发文字号's line (the number centred on its line)
    number_line_top = _top(number) + (LINE_PITCH - number.size) / 2
    assert abs(_bottom(masthead) - number_line_top - 2 * LINE_PITCH) < TOLERANCE
    # the red rule: 4 mm under the number, as wide as the type area
    (rule,) = [line for line in stroked_lines(notice)[0] if line.color[0] > 0.8 and line.color[1] < 0.2]
    assert rule.y1 == pytest.approx(rule.y2)
    assert abs(_bottom(number) - rule.y1 - 4 * MM) < TOLERANCE
    assert abs(rule.x2 - rule.x1 - TYPE_W) < TOLERANCE
    # two blank lines to the title's line, one blank line from the title's line to the 主送
    title_leading = LINE_PITCH * 1.25
    title_line_top = _top(heading) + (title_leading - heading.size) / 2
    assert abs(rule.y1 - title_line_top - 2 * LINE_PITCH) < TOLERANCE
    title_line_bottom = title_line_top - title_leading
    addressee_line_top = _top(addressee) + (LINE_PITCH - addressee.size) / 2
    assert abs(title_line_bottom - addressee_line_top - LINE_PITCH) < TOLERANCE


def test_typefaces_and_sizes_per_role(notice: bytes) -> None:
    runs = text_runs(notice)[0]
    masthead, number = _first(runs, FACTS.bureau), _first(runs, FACTS.number)
    heading, paragraph = _first(runs, "危房整改通知书"), _first(runs, "经丽水市")
    page_number = _first(runs, "— 1 —")
    assert (heading.font, heading.size) == ("FandolSong-Bold", 22.0)  # 2号 小标宋 stand-in
    assert masthead.font == "FandolSong-Bold"
    assert (number.font, number.size) == ("FandolFang-Regular", 16.0)  # 3号 仿宋
    assert (paragraph.font, paragraph.size) == ("FandolFang-Regular", 16.0)
    assert (page_number.font, page_number.size) == ("FandolSong-Regular", 14.0)  # 4号 宋体
    assert "Helvetica" not in {r.font for r in runs}
    headings = render_parts([Part([heading1("一、总体要求"), heading2("（一）工作目标"), body("正文。")])])
    fonts_by_text = {r.text: (r.font, r.size) for r in text_runs(headings)[0]}
    assert fonts_by_text["一、总体要求"] == ("FandolHei-Regular", 16.0)  # 3号 黑体
    assert fonts_by_text["（一）工作目标"] == ("FandolKai-Regular", 16.0)  # 3号 楷体


def test_page_number_dashes_7mm_below_the_type_area(notice: bytes) -> None:
    from fontTools.ttLib import TTFont

    song = TTFont(resource_path("fonts", "fandol-song.ttf"))
    dash = song["glyf"][song.getBestCmap()[ord("—")]]
    dash_top_em = dash.yMax / song["head"].unitsPerEm
    page_number = _first(text_runs(notice)[0], "— 1 —")
    assert abs(TYPE_BOTTOM - (page_number.y + dash_top_em * page_number.size) - 7 * MM) < TOLERANCE


def test_rare_name_characters_fall_back_glyph_by_glyph(notice: bytes) -> None:
    runs = text_runs(notice)[0]
    line = [r for r in runs if r.y == pytest.approx(_first(runs, "王").y)]
    assert [(r.text, r.font) for r in line] == [
        ("王", "FandolFang-Regular"),
        ("㛃䶮", "HanaMinA"),
        ("𠮷", "HanaMinB"),
        ("：", "FandolFang-Regular"),
    ]
    from documents_factories import pdf_text

    assert RARE_NAME in pdf_text(notice)  # copied out as the real characters (astral ToUnicode mapping)


def test_fallback_faces_cover_the_rare_characters_and_fonts_are_embedded(notice: bytes) -> None:
    from documents_factories import font_embedding

    embedded = font_embedding(notice)
    assert embedded and all(embedded.values())
    assert fonts.font_for("𠮷", fonts.BODY) == "LianduFbExtB"
    assert fonts.font_for("䶮", fonts.TITLE) == "LianduFbExtA"
    assert fonts.font_for("王", fonts.BODY) == fonts.BODY


def test_a_character_no_face_has_is_reported_not_silently_boxed() -> None:
    unknown = "\U00030000"  # CJK Extension G: in no bundled face
    fonts.missing_glyphs(reset=True)
    render_parts([Part([body(f"户主{unknown}")])])
    assert unknown in fonts.missing_glyphs(reset=True)
    notes = fonts.glyph_notes(f"户主{RARE_NAME}{unknown}")
    assert any("缺字" in n and unknown in n for n in notes)
    assert any("𠮷" in n and "花园明朝B" in n for n in notes)


def test_bundled_stand_ins_are_named() -> None:
    (note,) = fonts.stand_in_notes()
    assert "“方正小标宋简体”，以“FandolSong Bold" in note
    assert "“仿宋_GB2312”，以“FandolFang" in note


@pytest.fixture
def system_font_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A folder standing in for %WINDIR%\\Fonts, holding any TrueType file under a government PC's font name."""
    monkeypatch.setenv(fonts.FONT_DIR_ENV_VAR, str(tmp_path))
    yield tmp_path
    monkeypatch.delenv(fonts.FONT_DIR_ENV_VAR)
    fonts.register_fonts(reload=True)


def test_system_faces_are_used_when_present(system_font_dir: Path) -> None:
    shutil.copy(resource_path("fonts", "wqy-zenhei.ttf"), system_font_dir / "SimHei.ttf")  # case differs
    shutil.copy(resource_path("fonts", "ukai-cn.ttf"), system_font_dir / "simkai.ttf")
    (system_font_dir / "FZXBSJW.TTF").write_bytes(b"not a font")  # unusable: the stand-in is kept
    fonts.register_fonts(reload=True)
    chosen = fonts.chosen_faces()
    assert not chosen["heading"].stand_in and chosen["heading"].face == "黑体"
    assert not chosen["kai"].stand_in and chosen["kai"].face == "楷体"
    assert chosen["title"].stand_in
    notes = fonts.stand_in_notes()
    assert not any("“黑体”" in n for n in notes) and any("方正小标宋简体" in n for n in notes)
    data = render_parts([Part([heading1("一、总体要求"), heading2("（一）工作目标")])])
    fonts_by_text = {r.text: r.font for r in text_runs(data)[0]}
    assert fonts_by_text["一、总体要求"] == "WenQuanYiZenHei"
    assert fonts_by_text["（一）工作目标"] == "UKaiCN"


def test_draft_preview_names_the_stand_in_faces_and_borrowed_glyphs(db) -> None:
    from documents_factories import dangerous_house

    from liandu_desk.services.documents import lifecycle
    from liandu_desk.services.documents.house_notices import draft_house_notice

    with db.session_scope() as session:
        house_id = dangerous_house(session, owner=RARE_NAME)
        draft = draft_house_notice(session, house_id, "测试员", dt.date(2021, 9, 17))
        shown = lifecycle.preview_document(session, draft.id, dt.date(2021, 9, 17))
    assert any("本机未安装公文字体" in note and "FandolFang" in note for note in shown.notes)
    assert any("𠮷" in note and "花园明朝B" in note for note in shown.notes)


def test_receipt_and_table_cells_fall_back_too() -> None:
    from liandu_desk.reports.forms import record_form

    parts = house_notice_parts(FACTS, with_receipt=True)[1:] + [Part([record_form([("户主", RARE_NAME)], TYPE_W)])]
    pages = text_runs(render_parts(parts))
    for runs in pages:
        assert ("𠮷", "HanaMinB") in {(r.text.strip(), r.font) for r in runs}
