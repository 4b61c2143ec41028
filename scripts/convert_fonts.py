"""Builds the bundled TrueType fonts from the Fandol OpenType (CFF) faces and the Hanazono rare-character faces."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable

log = logging.getLogger("convert_fonts")

# Fandol face → bundled file name. Outlines are converted from cubic (CFF) to quadratic (glyf) curves.
FANDOL = {
    "FandolFang-Regular.otf": "fandol-fang.ttf",
    "FandolHei-Regular.otf": "fandol-hei.ttf",
    "FandolKai-Regular.otf": "fandol-kai.ttf",
    "FandolSong-Regular.otf": "fandol-song.ttf",
    "FandolSong-Bold.otf": "fandol-song-bold.ttf",
}
# Hanazono face → (bundled file name, code point ranges kept): CJK Ext-A from HanaMinA, Ext-B to Ext-F from HanaMinB.
HANAZONO = {
    "HanaMinA.ttf": ("hanamin-ext-a.ttf", [(0x3400, 0x4DBF)]),
    "HanaMinB.ttf": ("hanamin-ext-b.ttf", [(0x20000, 0x2EBEF)]),
}
MAX_ERR = 1.0  # font units (1/1000 em): the largest distance between a cubic curve and its quadratic approximation
TRUETYPE_MAXP = (
    "maxTwilightPoints",
    "maxStorage",
    "maxFunctionDefs",
    "maxInstructionDefs",
    "maxStackElements",
    "maxSizeOfInstructions",
    "maxComponentElements",
)
NOTICE = (
    "Modified for Liandu Desk by scripts/convert_fonts.py on {date}: {what}. "
    "Distributed under the same licence as the original font."
)


def _glyf_from_cff(font: TTFont) -> tuple[dict, dict]:
    """Quadratic TrueType glyphs and unchanged advance widths for every glyph of a CFF font."""
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in font.getGlyphOrder():
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, MAX_ERR, reverse_direction=True))
        glyphs[name] = pen.glyph()
    return glyphs, dict(font["hmtx"].metrics)


def _mark(font: TTFont, text: str) -> None:
    """Record the modification in the name table (ID 10, description) for every platform present."""
    names = font["name"]
    for record in list(names.names):
        if record.nameID == 10:
            names.removeNames(nameID=10)
            break
    names.setName(text, 10, 3, 1, 0x409)
    names.setName(text, 10, 1, 0, 0)


def convert_cff(source: Path, target: Path, date: str) -> None:
    """One Fandol .otf → .ttf with glyf outlines, post format 3 and TrueType maxp, ready for reportlab to embed."""
    font = TTFont(source)
    glyphs, metrics = _glyf_from_cff(font)
    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = font.getGlyphOrder()
    glyf.glyphs = glyphs
    font["hmtx"].metrics = metrics
    for tag in ("CFF ", "VORG"):
        if tag in font:
            del font[tag]
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for attr in TRUETYPE_MAXP:
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    maxp.maxComponentDepth = 0
    post = font["post"]
    post.formatType = 3.0
    post.extraNames, post.mapping = [], {}
    post.glyphOrder = None
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"
    what = "outlines converted from CFF to TrueType (quadratic) with fontTools cu2qu"
    _mark(font, NOTICE.format(date=date, what=what))
    target.parent.mkdir(parents=True, exist_ok=True)
    font.save(target)
    log.info("%s → %s (%d glyphs, %.1f MB)", source.name, target, len(glyphs), target.stat().st_size / 1e6)


def subset_ranges(source: Path, target: Path, ranges: list[tuple[int, int]], date: str) -> None:
    """Keep only the given code point ranges of a TrueType font, without hinting or layout tables."""
    options = subset.Options()
    options.hinting = False
    options.layout_features = []
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "vhea", "vmtx", "VORG", "EBDT", "EBLC", "EBSC"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    font = TTFont(source)
    unicodes = [cp for low, high in ranges for cp in range(low, high + 1)]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)
    kept = ", ".join(f"U+{low:04X}–U+{high:04X}" for low, high in ranges)
    _mark(font, NOTICE.format(date=date, what=f"subset to {kept}, hinting and layout tables removed"))
    font.save(target)
    log.info("%s → %s (%.1f MB)", source.name, target, target.stat().st_size / 1e6)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fandol", type=Path, help="folder holding the Fandol .otf files")
    parser.add_argument("--hanazono", type=Path, help="folder holding HanaMinA.ttf and HanaMinB.ttf")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "resources" / "fonts")
    parser.add_argument("--date", required=True, help="date written into each file's modification notice")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    if args.fandol:
        for source, target in FANDOL.items():
            convert_cff(args.fandol / source, args.out / target, args.date)
    if args.hanazono:
        for source, (target, ranges) in HANAZONO.items():
            subset_ranges(args.hanazono / source, args.out / target, ranges, args.date)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
