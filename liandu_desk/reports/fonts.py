"""The bundled CJK TrueType fonts, registered once per process under role names (title, body, heading, kai)."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from liandu_desk.paths import resource_path

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FontFile:
    """One bundled font: its file under resources/fonts and the face index inside a collection."""

    name: str
    file: str
    subfont_index: int = 0


# Role → font. 小标宋 and 仿宋 are not redistributable; AR PL UMing (a Song/Ming face) stands in for the
# title, AR PL UKai for the body and （一） headings, WenQuanYi Zen Hei for 黑体 headings and tables.
FONT_FILES: dict[str, FontFile] = {
    "title": FontFile("LianduSong", "uming-cn.ttf"),
    "body": FontFile("LianduKai", "ukai-cn.ttf"),
    "kai": FontFile("LianduKai", "ukai-cn.ttf"),
    "heading": FontFile("LianduHei", "wqy-zenhei.ttf"),
}

_lock = threading.Lock()
_registered = False


def register_fonts() -> dict[str, str]:
    """Register every bundled font with reportlab (once); returns role → registered font name."""
    global _registered
    with _lock:
        if not _registered:
            from reportlab.pdfbase import pdfmetrics
            from reportlab.pdfbase.ttfonts import TTFont

            done: set[str] = set()
            for spec in FONT_FILES.values():
                if spec.name in done:
                    continue
                path = resource_path("fonts", spec.file)
                pdfmetrics.registerFont(TTFont(spec.name, str(path), subfontIndex=spec.subfont_index))
                pdfmetrics.registerFontFamily(
                    spec.name, normal=spec.name, bold=spec.name, italic=spec.name, boldItalic=spec.name
                )
                done.add(spec.name)
                log.debug("registered font %s from %s", spec.name, path)
            _graphics_default_font()
            _registered = True
    return font_names()


def font_names() -> dict[str, str]:
    """Role → registered reportlab font name."""
    return {role: spec.name for role, spec in FONT_FILES.items()}


TITLE = FONT_FILES["title"].name
BODY = FONT_FILES["body"].name
KAI = FONT_FILES["kai"].name
HEADING = FONT_FILES["heading"].name


def _graphics_default_font() -> None:
    """Charts start from reportlab's Helvetica (never embedded); make the bundled 黑体 face their default."""
    from reportlab.graphics import shapes

    shapes.STATE_DEFAULTS["fontName"] = FONT_FILES["heading"].name
