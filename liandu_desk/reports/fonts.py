"""GB/T 9704 typefaces per role (仿宋, 小标宋, 黑体, 楷体, 宋体): a government PC's fonts when present, else bundled."""

from __future__ import annotations

import logging
import os
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from liandu_desk.paths import resource_path

log = logging.getLogger(__name__)

FONT_DIR_ENV_VAR = "LIANDU_DESK_FONT_DIR"  # a folder searched for the system faces before %WINDIR%\Fonts


@dataclass(frozen=True)
class SystemFace:
    """A face a Chinese government PC usually has: its Chinese name and the file name under the Fonts folder."""

    label: str
    file: str
    subfont_index: int = 0


@dataclass(frozen=True)
class Role:
    """One GB/T 9704 typeface role: the registered reportlab name, the faces looked for, the bundled stand-in."""

    name: str  # registered reportlab font name; the PDF shows the face's own PostScript name
    label: str  # the face GB/T 9704 asks for
    system: tuple[SystemFace, ...]
    bundled: str  # file under resources/fonts
    bundled_label: str
    fallbacks: tuple[str, ...]  # registered names tried, in order, for a character the face lacks


@dataclass(frozen=True)
class FallbackFace:
    """A bundled face used only for characters the role's face lacks; one with `ranges` is loaded on first use."""

    name: str
    file: str
    label: str
    ranges: tuple[tuple[int, int], ...] = ()

    def may_have(self, code: int) -> bool:
        return not self.ranges or any(low <= code <= high for low, high in self.ranges)


# Faces a character missing from the role's face falls back to: same style first, then wide coverage, then CJK
# Extension A (HanaMin A) and Extensions B–F (HanaMin B).
FALLBACK_FACES: tuple[FallbackFace, ...] = (
    FallbackFace("LianduFbMing", "uming-cn.ttf", "AR PL UMing"),
    FallbackFace("LianduFbKai", "ukai-cn.ttf", "AR PL UKai"),
    FallbackFace("LianduFbHei", "wqy-zenhei.ttf", "文泉驿正黑"),
    FallbackFace("LianduFbExtA", "hanamin-ext-a.ttf", "花园明朝A", ((0x3400, 0x4DBF),)),
    FallbackFace("LianduFbExtB", "hanamin-ext-b.ttf", "花园明朝B", ((0x20000, 0x2FFFF),)),
)
_RARE = ("LianduFbExtA", "LianduFbExtB")
_SONG_STYLE = ("LianduFbMing", "LianduFbKai", "LianduFbHei", *_RARE)
_KAI_STYLE = ("LianduFbKai", "LianduFbMing", "LianduFbHei", *_RARE)
_HEI_STYLE = ("LianduFbHei", "LianduFbMing", "LianduFbKai", *_RARE)

ROLES: dict[str, Role] = {
    "body": Role(
        "LianduFang",
        "仿宋_GB2312",
        (
            SystemFace("仿宋_GB2312", "FS_GB2312.ttf"),
            SystemFace("仿宋_GB2312", "仿宋_GB2312.ttf"),
            SystemFace("仿宋", "simfang.ttf"),
        ),
        "fandol-fang.ttf",
        "FandolFang（仿宋）",
        ("LianduKai", *_KAI_STYLE),
    ),
    "title": Role(
        "LianduXbs",
        "方正小标宋简体",
        (
            SystemFace("方正小标宋简体", "FZXBSJW.TTF"),
            SystemFace("方正小标宋简体", "方正小标宋简体.ttf"),
            SystemFace("方正小标宋_GBK", "FZXBSK.TTF"),
        ),
        "fandol-song-bold.ttf",
        "FandolSong Bold（粗宋，代小标宋）",
        ("LianduSong", *_SONG_STYLE),
    ),
    "heading": Role(
        "LianduHei",
        "黑体",
        (SystemFace("黑体", "simhei.ttf"),),
        "fandol-hei.ttf",
        "FandolHei（黑体）",
        _HEI_STYLE,
    ),
    "kai": Role(
        "LianduKai",
        "楷体_GB2312",
        (
            SystemFace("楷体_GB2312", "KAI_GB2312.ttf"),
            SystemFace("楷体_GB2312", "楷体_GB2312.ttf"),
            SystemFace("楷体", "simkai.ttf"),
        ),
        "fandol-kai.ttf",
        "FandolKai（楷体）",
        _KAI_STYLE,
    ),
    "song": Role(
        "LianduSong",
        "宋体",
        (SystemFace("宋体", "simsun.ttc"), SystemFace("宋体", "simsun.ttf")),
        "fandol-song.ttf",
        "FandolSong（宋体）",
        _SONG_STYLE,
    ),
}

TITLE = ROLES["title"].name
BODY = ROLES["body"].name
KAI = ROLES["kai"].name
HEADING = ROLES["heading"].name
SONG = ROLES["song"].name


@dataclass(frozen=True)
class Chosen:
    """What a role is drawn with in this process: the face's label and whether it is the bundled stand-in."""

    role: str
    wanted: str
    face: str
    path: Path
    stand_in: bool


_lock = threading.Lock()
_chosen: dict[str, Chosen] = {}
_fallbacks: dict[str, tuple[str, ...]] = {}
_cmaps: dict[str, frozenset[int] | dict] = {}


def system_font_dirs() -> list[Path]:
    """Folders searched for the system faces: LIANDU_DESK_FONT_DIR, then on Windows %WINDIR%\\Fonts and the
    fonts installed for the current user only (%LOCALAPPDATA%\\Microsoft\\Windows\\Fonts)."""
    dirs = []
    override = os.environ.get(FONT_DIR_ENV_VAR)
    if override:
        dirs.append(Path(override))
    if sys.platform == "win32":
        dirs.append(Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts")
        local = os.environ.get("LOCALAPPDATA")
        if local:
            dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    return [d for d in dirs if d.is_dir()]


def _find(folder: Path, file: str) -> Path | None:
    """The file in the folder, matched without regard to case (Windows font names vary in case)."""
    exact = folder / file
    if exact.is_file():
        return exact
    wanted = file.casefold()
    try:
        return next((p for p in folder.iterdir() if p.name.casefold() == wanted and p.is_file()), None)
    except OSError:
        return None


def _register(name: str, path: Path, subfont_index: int = 0) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    font = TTFont(name, str(path), subfontIndex=subfont_index)
    # reportlab keeps the first font registered under a name; a reload (another font folder) must replace it
    old = pdfmetrics._fonts.pop(name, None)
    if old is not None and getattr(old, "_dynamicFont", False):
        pdfmetrics._dynFaceNames.pop(old.face.name, None)
    pdfmetrics.registerFont(font)
    pdfmetrics.registerFontFamily(name, normal=name, bold=name, italic=name, boldItalic=name)
    _cmaps[name] = font.face.charToGlyph


def _choose(role_key: str, role: Role, dirs: list[Path]) -> Chosen:
    """Register the first system face that loads (embeddable TrueType), else the bundled stand-in."""
    for folder in dirs:
        for face in role.system:
            path = _find(folder, face.file)
            if path is None:
                continue
            try:
                _register(role.name, path, face.subfont_index)
            except Exception as exc:  # not TrueType, not embeddable, damaged: use the next candidate
                log.warning("font %s (%s) not usable for %s: %s", face.label, path, role.label, exc)
                continue
            log.info("font role %s: %s from %s", role_key, face.label, path)
            return Chosen(role_key, role.label, face.label, path, stand_in=False)
    path = resource_path("fonts", role.bundled)
    _register(role.name, path)
    log.info("font role %s: bundled %s stands in for %s", role_key, role.bundled_label, role.label)
    return Chosen(role_key, role.label, role.bundled_label, path, stand_in=True)


def register_fonts(*, reload: bool = False) -> dict[str, str]:
    """Register every role's face and the fallback faces with reportlab (once, or again with reload=True after
    the font folder changed); returns role → registered font name."""
    with _lock:
        if reload or not _chosen:
            _patch_to_unicode()
            dirs = system_font_dirs()
            chosen = {key: _choose(key, role, dirs) for key, role in ROLES.items()}
            if reload or not _fallbacks:
                for face in FALLBACK_FACES:
                    _cmaps.pop(face.name, None)
                    if not face.ranges:
                        _register(face.name, resource_path("fonts", face.file))
            _fallbacks.clear()
            _fallbacks.update({role.name: role.fallbacks for role in ROLES.values()})
            _chosen.clear()
            _chosen.update(chosen)
            _graphics_default_font()
            for listener in _on_reload:
                listener()
    return font_names()


_on_reload: list = []


def on_reload(listener) -> None:
    """Call `listener()` whenever the faces are (re-)registered (e.g. to clear cached widths)."""
    _on_reload.append(listener)


def font_names() -> dict[str, str]:
    """Role → registered reportlab font name."""
    return {key: role.name for key, role in ROLES.items()}


def chosen_faces() -> dict[str, Chosen]:
    """Role → the face it is drawn with in this process."""
    register_fonts()
    return dict(_chosen)


def stand_in_notes() -> list[str]:
    """One sentence naming every role drawn with a bundled face instead of the one GB/T 9704 asks for ([] if none)."""
    parts = [f"{_ROLE_TEXT[c.role]}应为“{c.wanted}”，以“{c.face}”代替" for c in chosen_faces().values() if c.stand_in]
    return [f"本机未安装公文字体：{'；'.join(parts)}"] if parts else []


_ROLE_TEXT = {
    "body": "正文和发文字号",
    "title": "标题和发文机关标志",
    "heading": "一级标题",
    "kai": "二级标题",
    "song": "页码",
}


_LAZY = {face.name: face for face in FALLBACK_FACES if face.ranges}


def has_glyph(font: str, char: str) -> bool:
    """Whether the registered face has a glyph for the character (its cmap maps it); a rare-character face is
    registered the first time a character in its ranges is asked for."""
    code = ord(char)
    lazy = _LAZY.get(font)
    if lazy is not None and font not in _cmaps:
        if not lazy.may_have(code):
            return False
        with _lock:
            if font not in _cmaps:
                _register(font, resource_path("fonts", lazy.file))
    cmap = _cmaps.get(font)
    return cmap is None or code in cmap


def font_for(char: str, font: str) -> str | None:
    """The face to draw one character with: the font itself, else the first fallback that has it, else None."""
    if has_glyph(font, char) or char in "\n\r\t":
        return font
    for name in _fallbacks.get(font, _SONG_STYLE):
        if has_glyph(name, char):
            return name
    return None


_missing: set[str] = set()


def runs(text: str, font: str) -> list[tuple[str, str]]:
    """The text split into (font, segment) runs: glyph by glyph, each character in the first face that has it. A
    character no bundled face has stays in `font` (drawn as a box) and is recorded for `missing_glyphs()`."""
    if not _chosen:
        register_fonts()
    cmap = _cmaps.get(font)
    if cmap is not None and all(ord(char) in cmap for char in text):
        return [(font, text)] if text else []
    out: list[tuple[str, str]] = []
    for char in text:
        face = font_for(char, font)
        if face is None:
            _missing.add(char)
            face = font
        if out and out[-1][0] == face:
            out[-1] = (face, out[-1][1] + char)
        else:
            out.append((face, char))
    return out


def missing_glyphs(reset: bool = False) -> set[str]:
    """Characters drawn since the last reset that no face has (they print as boxes)."""
    found = set(_missing)
    if reset:
        _missing.clear()
    return found


def glyph_notes(text: str) -> list[str]:
    """Sentences for the preview: characters of the text drawn from a fallback face, and characters none has."""
    register_fonts()
    borrowed: dict[str, set[str]] = {}
    missing = []
    for char in dict.fromkeys(text):
        if char.isspace() or has_glyph(BODY, char):
            continue
        face = font_for(char, BODY)
        if face is None:
            missing.append(char)
        else:
            borrowed.setdefault(_FACE_LABEL.get(face, face), set()).add(char)
    notes = [f"生僻字“{''.join(sorted(chars))}”正文字体没有，按字改用“{label}”" for label, chars in borrowed.items()]
    if missing:
        notes.append(f"字符“{''.join(missing)}”所有字体均缺字，打印为方框，请核对")
    return notes


def font_notes(text: str) -> list[str]:
    """What a preview says about its faces: bundled stand-ins, rare characters borrowed or missing."""
    return stand_in_notes() + glyph_notes(text)


_FACE_LABEL = {face.name: face.label for face in FALLBACK_FACES} | {
    role.name: role.bundled_label for role in ROLES.values()
}


def glyph_extent(font: str, char: str) -> tuple[float, float]:
    """Bottom and top of the character's outline in em above the baseline, read from the face's glyf table; the
    ideographic em box (-0.12, 0.88) when the face has no outline for it."""
    import struct

    from reportlab.pdfbase import pdfmetrics

    register_fonts()
    face = pdfmetrics.getFont(font_for(char, font) or font).face
    gid = face.charToGlyph.get(ord(char))
    if not gid:
        return -0.12, 0.88
    start, end = face.glyphPos[gid], face.glyphPos[gid + 1]
    if end <= start:
        return -0.12, 0.88
    header = face.get_chunk(face.get_table_pos("glyf")[0] + start, 10)
    _contours, _x_min, y_min, _x_max, y_max = struct.unpack(">hhhhh", header)
    units = face.unitsPerEm
    return y_min / units, y_max / units


def _graphics_default_font() -> None:
    """Charts start from reportlab's Helvetica (never embedded); make the 黑体 role their default."""
    from reportlab.graphics import shapes

    shapes.STATE_DEFAULTS["fontName"] = HEADING


def _patch_to_unicode() -> None:
    """reportlab writes a code point above U+FFFF into the ToUnicode map as 5 hex digits, so copying 𠮷 out of the
    PDF gives garbage; write it as a UTF-16 surrogate pair as the PDF specification asks."""
    from reportlab.pdfbase import ttfonts

    if getattr(ttfonts.makeToUnicodeCMap, "_liandu", False):
        return
    original = ttfonts.makeToUnicodeCMap

    def make(fontname: str, subset) -> str:
        text = original(fontname, [v if v <= 0xFFFF else 0xFFFD for v in subset])
        for index, value in enumerate(subset):
            if value > 0xFFFF:
                utf16 = chr(value).encode("utf-16-be").hex().upper()
                text = text.replace(f"<{index:02X}> <FFFD>", f"<{index:02X}> <{utf16}>", 1)
        return text

    make._liandu = True  # type: ignore[attr-defined]
    ttfonts.makeToUnicodeCMap = make
