"""Import of the rural house screening layout: read, validate every row, then write all (or the valid) rows."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from liandu_desk.domain.permissions import Permission, check
from liandu_desk.domain.registry import Person
from liandu_desk.io.headers import HeaderError, HeaderMatch, data_rows, find_header
from liandu_desk.io.house_layout import HOUSE_COLUMNS, HouseRow
from liandu_desk.io.house_validation import HouseRowParser, Rejection, RowOutcome, check_duplicates
from liandu_desk.io.reader import RawSheet, read_sheet
from liandu_desk.io.safety import UnreadableFileError
from liandu_desk.io.village_names import VillageMatcher
from liandu_desk.services.backups import backup_before
from liandu_desk.services.division_register import village_names
from liandu_desk.services.divisions import township_lookup
from liandu_desk.services.imports.bulk import collector_paused, has_rows
from liandu_desk.services.imports.house_writer import HouseWriter, Progress, WriteCounts, chunks, write_audit_summary
from liandu_desk.services.personal_data import person_ids_by_number
from liandu_desk.services.settings import STRICT_VILLAGES, get_setting
from liandu_desk.storage import Database

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ImportOptions:
    """How to import: dry run, skip invalid rows, a saved column mapping, 'today' for the date rules."""

    dry_run: bool = False
    skip_invalid: bool = False
    mapping: Mapping[str, str] | None = None
    today: dt.date | None = None
    strict_villages: bool | None = None  # reject villages the register does not name; None: the setting decides


@dataclass
class ImportResult:
    """What an import found and did."""

    file_name: str
    header_row: int = 0
    total_rows: int = 0
    outcomes: list[RowOutcome] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)
    written: bool = False
    counts: WriteCounts = field(default_factory=WriteCounts)
    raw_rows: dict[int, list[Any]] = field(default_factory=dict)
    header_cells: list[Any] = field(default_factory=list)
    text_columns: list[int] = field(default_factory=list)
    backup: Path | None = None  # the verified copy taken just before writing

    @property
    def rejections(self) -> list[Rejection]:
        return [r for o in self.outcomes for r in o.rejections]

    @property
    def rejected_rows(self) -> list[int]:
        return [o.row for o in self.outcomes if o.rejections]

    @property
    def valid_rows(self) -> list[HouseRow]:
        return [o.parsed for o in self.outcomes if o.parsed is not None]

    def summary_lines(self) -> list[str]:
        c = self.counts
        lines = [
            f"文件：{self.file_name}（表头在第{self.header_row}行）",
            f"数据行 {self.total_rows}，有效 {len(self.valid_rows)}，拒绝 {len(self.rejected_rows)}",
        ]
        if self.unknown_columns:
            lines.append("未识别的列（已忽略）：" + "、".join(self.unknown_columns))
        if self.written:
            lines.append(
                f"已写入：新增房屋 {c.houses_created}，更新房屋 {c.houses_updated}，未变 {c.houses_unchanged}；"
                f"新增排查记录 {c.screenings_added}（更新 {c.screenings_updated}），"
                f"新增鉴定记录 {c.appraisals_added}（更新 {c.appraisals_updated}），批次标记 {c.batch_members_added}，"
                f"新建村（社区）{c.villages_created}"
            )
        else:
            lines.append("未写入任何数据")
        return lines


def parse_sheet(
    session: Session,
    sheet: RawSheet,
    file_name: str,
    mapping: Mapping[str, str] | None,
    today: dt.date | None,
    strict_villages: bool | None = None,
) -> ImportResult:
    """Find the header, parse and check every data row (no writes). Each row's 村（社区） is mapped to the
    township's register; with strict_villages (default: the setting) a village it does not name is rejected."""
    header: HeaderMatch = find_header(sheet, HOUSE_COLUMNS, mapping)
    rows = data_rows(sheet, header)
    strict = get_setting(session, STRICT_VILLAGES) if strict_villages is None else strict_villages
    villages = VillageMatcher(village_names(session), bool(strict), today)
    parser = HouseRowParser(township_lookup(session, today), today, villages)
    outcomes = parser.parse_rows(rows, header.columns)
    check_duplicates(outcomes, _known_names(session, outcomes))
    result = ImportResult(
        file_name=file_name,
        header_row=sheet.row_number(header.row_index),
        total_rows=len(rows),
        outcomes=outcomes,
        unknown_columns=header.unknown,
        header_cells=list(sheet.rows[header.row_index]),
    )
    result.text_columns = [header.columns[k] for k in ("id_number", "phone") if k in header.columns]
    rejected = set(result.rejected_rows)
    result.raw_rows = {number: cells for number, cells in rows if number in rejected}
    return result


def _known_names(session: Session, outcomes: list[RowOutcome]) -> dict[str, str]:
    if not has_rows(session, Person.__table__):  # a first load: nothing to look up, chunk by chunk
        return {}
    ids = sorted({o.parsed.id_number for o in outcomes if o.parsed is not None and o.parsed.id_number})
    found = person_ids_by_number(session, ids)  # on a server also for a 科员, who cannot read the numbers
    names: dict[str, str] = {}
    by_id = {pid: number for number, pid in found.items()}
    for part in chunks(sorted(by_id)):
        query = select(Person.id, Person.name).where(Person.id.in_(part))
        names.update((by_id[pid], name) for pid, name in session.execute(query))
    return names


def import_houses(
    db: Database,
    path: str | Path,
    options: ImportOptions = ImportOptions(),
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    sheet: RawSheet | None = None,
) -> ImportResult:
    """Read, validate and (unless a dry run, or rows were rejected without skip_invalid) write in one transaction.

    Raises UnreadableFileError for a file that cannot be read as a table, ImportCancelled when cancelled.
    A sheet already read (e.g. by the wizard's preview) may be passed in to skip reading the file again."""
    path = Path(path)
    with collector_paused():
        result = _import(db, path, options, progress, cancelled, sheet)
    rows, rejected = result.total_rows, len(result.rejected_rows)
    log.info("import of %s: %d rows, %d rejected, written: %s", path.name, rows, rejected, result.written)
    return result


def _import(
    db: Database,
    path: Path,
    options: ImportOptions,
    progress: Progress | None,
    cancelled: Callable[[], bool] | None,
    sheet: RawSheet | None,
) -> ImportResult:
    """import_houses without the collector pause."""
    sheet = sheet if sheet is not None else read_sheet(path)
    with db.session_scope() as session:
        try:
            result = parse_sheet(session, sheet, path.name, options.mapping, options.today, options.strict_villages)
        except HeaderError as exc:
            raise UnreadableFileError(str(exc)) from exc
        valid = result.valid_rows
        if options.dry_run or not valid or (result.rejected_rows and not options.skip_invalid):
            return result
        check(session, Permission.EDIT_CASES)  # the bulk inserts bypass the ORM's write guard
        result.backup = backup_before(db, "pre-import")
        result.counts = HouseWriter(session, progress, cancelled).write(valid)
        if result.counts.changed:
            write_audit_summary(session, path.name, result.counts, result.total_rows, len(result.rejected_rows))
        result.written = True
    return result
