"""Bounded memory on hostile workbooks: long shared strings referenced by many cells, and a sheet whose dimension
lies, are refused before parsing; `import --dry-run` on them stays far below 1 GB."""

from __future__ import annotations

import os
import random
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from liandu_desk.io.safety import UnreadableFileError, check_file
from liandu_desk.io.workbook_budget import read_cost

OOXML = "http://schemas.openxmlformats.org"
SPREADSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml"
RELS = f"{OOXML}/officeDocument/2006/relationships"
CONTENT_TYPES = (
    f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{OOXML}/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{SPREADSHEET}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{SPREADSHEET}.worksheet+xml"/>'
    f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SPREADSHEET}.sharedStrings+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{OOXML}/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{OOXML}/spreadsheetml/2006/main" '
    f'xmlns:r="{RELS}"><sheets><sheet name="排查表" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{OOXML}/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{RELS}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _workbook(path: Path, shared: list[str], rows: int, cols: int, dimension: str, shared_cells: bool) -> Path:
    """A minimal .xlsx written row by row (the sheet is streamed into the zip, never built in memory)."""
    letters = "ABCDEFGHIJKLMNOPQR"[:cols]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        strings = "".join(f"<si><t>{text}</t></si>" for text in shared)
        archive.writestr("xl/sharedStrings.xml", f'<sst {NS} count="{len(shared)}">{strings}</sst>')
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(f'<?xml version="1.0"?><worksheet {NS}><dimension ref="{dimension}"/><sheetData>'.encode())
            for r in range(1, rows + 1):
                if shared_cells:
                    cells = "".join(
                        f'<c r="{c}{r}" t="s"><v>{(r + i) % len(shared)}</v></c>' for i, c in enumerate(letters)
                    )
                else:
                    cells = "".join(f'<c r="{c}{r}"><v>{r}</v></c>' for c in letters)
                sheet.write(f'<row r="{r}">{cells}</row>'.encode())
            sheet.write(b"</sheetData></worksheet>")
    return path


@pytest.fixture
def long_strings(tmp_path: Path) -> Path:
    """About 7 MB on disk: seventeen 200,000-character strings referenced by 90,000 cells (18 gigacharacters)."""
    rng = random.Random(7)
    shared = ["".join(chr(rng.randrange(0x4E00, 0x4E00 + 3000)) for _ in range(200_000)) for _ in range(17)]
    return _workbook(tmp_path / "长字符串.xlsx", shared, 5_000, 18, "A1:R5000", shared_cells=True)


@pytest.fixture
def lying_dimension(tmp_path: Path) -> Path:
    return _workbook(tmp_path / "尺寸造假.xlsx", [], 320_000, 3, "A1:C10", shared_cells=False)


def test_cost_is_counted_from_what_is_really_there(long_strings: Path, lying_dimension: Path) -> None:
    with zipfile.ZipFile(long_strings) as archive:
        cost = read_cost(archive, "xl/worksheets/sheet1.xml")
    assert (cost.rows, cost.cells, cost.text_chars) == (5_000, 90_000, 90_000 * 200_000)
    with zipfile.ZipFile(lying_dimension) as archive:
        cost = read_cost(archive, "xl/worksheets/sheet1.xml")
    assert (cost.rows, cost.cells) == (320_000, 960_000)


def test_both_are_refused_before_parsing(long_strings: Path, lying_dimension: Path) -> None:
    with pytest.raises(UnreadableFileError, match="百万字的上限"):
        check_file(long_strings)
    with pytest.raises(UnreadableFileError, match="与其声明的尺寸不符"):
        check_file(lying_dimension)


def _peak_rss_of(args: list[str], env: dict[str, str]) -> tuple[subprocess.CompletedProcess, int]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    run = subprocess.run(args, env=env, capture_output=True, text=True, timeout=280)
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return run, max(after, before) * 1024  # kilobytes on Linux


@pytest.mark.sqlite_only
def test_dry_run_on_the_hostile_workbooks_stays_under_1_gb(
    long_strings: Path, lying_dimension: Path, db_path: Path
) -> None:
    assert 5 * 1024 * 1024 < long_strings.stat().st_size < 8 * 1024 * 1024  # within the file-size limits
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    for workbook, reason in ((long_strings, "百万字的上限"), (lying_dimension, "与其声明的尺寸不符")):
        run, peak = _peak_rss_of(
            [sys.executable, "-m", "liandu_desk", "import", "houses", str(workbook), "--dry-run", "--db", str(db_path)],
            env,
        )
        assert run.returncode != 0 and reason in run.stderr, run.stderr[-1000:]
        assert peak < 1024**3, f"{workbook.name}: {peak / 1024**2:.0f} MB"


def test_one_enormous_shared_string_is_counted_while_streaming(tmp_path: Path) -> None:
    """A single shared string longer than the streaming window is counted by its bytes, never held whole."""
    from liandu_desk.io import workbook_budget

    huge = "长" * 7_000_000  # 21 MB of UTF-8, more than the window
    path = _workbook(tmp_path / "一个超长字符串.xlsx", [huge, "短"], 10, 2, "A1:B10", shared_cells=True)
    with zipfile.ZipFile(path) as archive:
        lengths = workbook_budget._shared_string_lengths(archive)
        cost = read_cost(archive, "xl/worksheets/sheet1.xml")
    assert len(lengths) == 2 and lengths[1] == 1 and lengths[0] >= 7_000_000
    assert cost.text_chars >= 10 * 7_000_000  # every cell that refers to it is counted
    with pytest.raises(UnreadableFileError, match="已拒绝读取"):  # (this one also trips the compression-ratio check)
        check_file(path)
