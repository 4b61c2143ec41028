"""Import of appraisal results (鉴定结果导入表) for houses already on file: one appraisal per row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from liandu_desk.domain.houses import Appraisal, Handling, House, HouseKind
from liandu_desk.domain.permissions import Permission, check
from liandu_desk.domain.registry import Division
from liandu_desk.io import cells as c
from liandu_desk.io.cells import CellError
from liandu_desk.io.headers import Column, HeaderError, data_rows, find_header
from liandu_desk.io.house_layout import identity_key
from liandu_desk.io.house_validation import Rejection, RowOutcome
from liandu_desk.io.reader import RawSheet, read_sheet
from liandu_desk.io.safety import UnreadableFileError
from liandu_desk.io.village_names import VillageMatcher
from liandu_desk.services.backups import backup_before
from liandu_desk.services.division_register import village_names
from liandu_desk.services.divisions import township_lookup
from liandu_desk.services.imports.bulk import bulk_insert
from liandu_desk.services.imports.house_writer import WriteCounts, chunks, refresh_latest_grade, write_audit_summary
from liandu_desk.services.imports.houses import ImportOptions, ImportResult
from liandu_desk.storage import Database

HANDLINGS = tuple(h.value for h in Handling)
APPRAISAL_COLUMNS: tuple[Column, ...] = (
    Column("township", "乡镇（街道）", True),
    Column("village", "村（社区）", True),
    Column("address", "详细地址", True),
    Column("appraised_on", "鉴定日期", True),
    Column("grade", "鉴定等级", True, choices=("A", "B", "C", "D")),
    Column("agency", "鉴定机构"),
    Column("report_no", "报告编号"),
    Column("handling", "处理类型", choices=HANDLINGS),
    Column("note", "备注"),
)
HEADER = {col.key: col.header for col in APPRAISAL_COLUMNS}
APPRAISAL_TITLE = "莲都区房屋安全鉴定结果汇总表"
NOT_ON_FILE = "找不到该房屋（乡镇、村、详细地址），请先导入排查记录"


@dataclass(frozen=True)
class AppraisalRow:
    """One valid appraisal row, matched to the house it is about."""

    row: int
    house_id: int
    appraised_on: dt.date
    grade: str
    agency: str
    report_no: str
    handling: str | None
    note: str | None


class AppraisalResult(ImportResult):
    """ImportResult whose summary speaks of appraisals."""

    def summary_lines(self) -> list[str]:
        lines = super().summary_lines()
        if self.written:
            lines[-1] = f"已写入：新增鉴定记录 {self.counts.appraisals_added}（更新 {self.counts.appraisals_updated}）"
        return lines


def _houses_on_file(session: Session, townships: Mapping[str, Any]) -> dict[tuple[int, str, str], int]:
    """Identity → house id for the rural houses of the townships the file names."""
    ids = {t.id for t in townships.values()}
    villages = dict(session.execute(select(Division.id, Division.name).where(Division.parent_id.in_(ids))).all())
    query = select(House.id, House.township_id, House.village_id, House.address).where(
        House.township_id.in_(ids), House.kind == HouseKind.RURAL
    )
    return {identity_key(t, villages.get(v, ""), a): h for h, t, v, a in session.execute(query)}


def _parse_row(
    number: int, cells: Sequence[Any], cols: Mapping[str, int], townships, houses, today, villages: VillageMatcher
) -> RowOutcome:
    def cell(key: str) -> Any:
        index = cols.get(key, -1)
        return cells[index] if 0 <= index < len(cells) else None

    values: dict[str, Any] = {}
    rejections: list[Rejection] = []
    parsers = {
        "township": lambda v: _township(v, townships),
        "village": lambda v: c.required_text(v, 40),
        "address": lambda v: c.required_text(v, 200),
        "appraised_on": lambda v: c.checked_date(v, today) if not c.is_blank(v) else c.required_text(v, 1),
        "grade": c.grade,
        "agency": lambda v: c.optional_text(v, 100) or "",
        "report_no": lambda v: c.optional_text(v, 60) or "",
        "handling": lambda v: None if c.is_blank(v) else c.choice(v, HANDLINGS),
        "note": lambda v: c.optional_text(v, 2000),
    }
    for key, parse in parsers.items():
        try:
            values[key] = parse(cell(key))
        except CellError as exc:
            rejections.append(Rejection(number, HEADER[key], str(exc)))
    identity = None
    if all(k in values for k in ("township", "village", "address")):
        township = values["township"]
        village = villages.resolve(township.id, township.name, values["village"])  # as the house import stored it
        identity = identity_key(township.id, village, values["address"])
        if identity not in houses:
            rejections.append(Rejection(number, HEADER["address"], NOT_ON_FILE))
    if rejections:
        return RowOutcome(number, None, rejections, None)
    fields = {k: values[k] for k in ("appraised_on", "grade", "agency", "report_no", "handling", "note")}
    return RowOutcome(number, AppraisalRow(row=number, house_id=houses[identity], **fields), [], None)


def _township(value: Any, townships: Mapping[str, Any]) -> Any:
    text = c.fold(c.text_of(value)).replace(" ", "")
    if not text:
        raise CellError("不能为空")
    if text not in townships:
        raise CellError(f"“{text}”不是莲都区的乡镇（街道）")
    return townships[text]


def _check_duplicates(outcomes: list[RowOutcome]) -> None:
    seen: dict[tuple[int, dt.date], int] = {}
    for outcome in outcomes:
        row = outcome.parsed
        if row is None:
            continue
        first = seen.setdefault((row.house_id, row.appraised_on), row.row)
        if first != row.row:
            reason = f"与第{first}行是同一房屋同一鉴定日期，重复行不导入"
            outcome.rejections.append(Rejection(row.row, HEADER["appraised_on"], reason))
            outcome.parsed = None


def parse_appraisals(session: Session, sheet: RawSheet, file_name: str, options: ImportOptions) -> AppraisalResult:
    """Header, rows and the house each row is about (no writes)."""
    header = find_header(sheet, APPRAISAL_COLUMNS, options.mapping)
    rows = data_rows(sheet, header)
    townships = township_lookup(session, options.today)
    houses = _houses_on_file(session, townships)
    today = options.today or dt.date.today()
    villages = VillageMatcher(village_names(session), strict=False, today=today)  # finds the house, never rejects
    outcomes = [_parse_row(n, cells, header.columns, townships, houses, today, villages) for n, cells in rows]
    _check_duplicates(outcomes)
    result = AppraisalResult(
        file_name=file_name,
        header_row=sheet.row_number(header.row_index),
        total_rows=len(rows),
        outcomes=outcomes,
        unknown_columns=header.unknown,
        header_cells=list(sheet.rows[header.row_index]),
    )
    rejected = set(result.rejected_rows)
    result.raw_rows = {n: cells for n, cells in rows if n in rejected}
    return result


def _plain(value: Any) -> Any:
    return value.value if hasattr(value, "value") else value


def _write(session: Session, rows: list[AppraisalRow]) -> WriteCounts:
    counts = WriteCounts()
    on_file: dict[tuple[int, dt.date], Appraisal] = {}
    for part in chunks(sorted({r.house_id for r in rows})):
        for appraisal in session.scalars(select(Appraisal).where(Appraisal.house_id.in_(part)).order_by(Appraisal.id)):
            on_file.setdefault((appraisal.house_id, appraisal.appraised_on), appraisal)
    new: list[dict[str, Any]] = []
    for r in rows:
        row = on_file.get((r.house_id, r.appraised_on))
        wanted = {"grade": r.grade, "agency": r.agency, "report_no": r.report_no, "handling": r.handling}
        if row is None:
            new.append({"house_id": r.house_id, "appraised_on": r.appraised_on, **wanted, "note": r.note})
            continue
        changed = {k: v for k, v in wanted.items() if _plain(getattr(row, k)) != v}
        for key, value in changed.items():
            setattr(row, key, value)
        counts.appraisals_updated += bool(changed)
    bulk_insert(session, Appraisal.__table__, new)
    counts.appraisals_added = len(new)
    session.flush()
    refresh_latest_grade(session, sorted({r.house_id for r in rows}))
    return counts


def import_appraisals(db: Database, path: str | Path, options: ImportOptions | None = None) -> AppraisalResult:
    """Validate every row, then write all of them (or the valid ones with skip_invalid) in one transaction."""
    path, options = Path(path), options or ImportOptions()
    sheet = read_sheet(path)
    with db.session_scope() as session:
        try:
            result = parse_appraisals(session, sheet, path.name, options)
        except HeaderError as exc:
            raise UnreadableFileError(str(exc)) from exc
        valid = [o.parsed for o in result.outcomes if o.parsed is not None]
        if options.dry_run or not valid or (result.rejected_rows and not options.skip_invalid):
            return result
        check(session, Permission.EDIT_CASES)
        backup_before(db, "pre-import")
        result.counts = _write(session, valid)
        if result.counts.changed:
            rows, rejected = result.total_rows, len(result.rejected_rows)
            write_audit_summary(session, path.name, result.counts, rows, rejected, Appraisal.__tablename__)
        result.written = True
    return result
