"""Import of property companies (物业企业) and communities (小区) through the communities services, row by row.

Volumes are small (hundreds of rows), so every row goes through the module's own save service inside a savepoint:
the service's rules (credit code check, uniqueness) reject the row with its own Chinese reason. A dry run, or a
file with rejections and no skip_invalid, rolls the whole transaction back.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from liandu_desk.domain.communities import Community, CommunityType, GridStaff, PropertyCompany
from liandu_desk.domain.errors import ValidationError
from liandu_desk.domain.registry import DivisionLevel
from liandu_desk.domain.validators import normalize_uscc
from liandu_desk.io import cells as c
from liandu_desk.io.cells import CellError
from liandu_desk.io.headers import Column, HeaderError, data_rows, find_header
from liandu_desk.io.house_validation import Rejection, RowOutcome
from liandu_desk.io.reader import read_sheet
from liandu_desk.io.safety import UnreadableFileError
from liandu_desk.services.communities.records import save_community, save_company, save_staff
from liandu_desk.services.divisions import ensure_child, township_lookup
from liandu_desk.services.imports.houses import ImportOptions, ImportResult
from liandu_desk.storage import Database

COMMUNITY_TYPES = tuple(t.value for t in CommunityType)
YES_NO = ("是", "否")
COMPANY_COLUMNS: tuple[Column, ...] = (
    Column("name", "企业名称", True),
    Column("uscc", "统一社会信用代码", True),
    Column("contact_name", "联系人"),
    Column("contact_phone", "联系电话"),
    Column("address", "地址"),
)
COMMUNITY_COLUMNS: tuple[Column, ...] = (
    Column("township", "乡镇（街道）", True),
    Column("division", "所属社区", True),
    Column("name", "小区名称", True),
    Column("address", "地址"),
    Column("households", "户数"),
    Column("buildings", "幢数"),
    Column("closed_managed", "封闭式物管", choices=YES_NO),
    Column("type", "小区类型", choices=COMMUNITY_TYPES),
    Column("company", "物业企业"),
    Column("grid_staff", "网格员"),
    Column("grid_phone", "网格员电话"),
)


@dataclass(frozen=True)
class RecordLayout:
    """A small layout saved row by row: its columns, title and the function that saves one row."""

    key: str
    title: str
    columns: tuple[Column, ...]
    save: Callable[[Session, dict[str, Any], dict], tuple[str, int]]

    @property
    def headers(self) -> dict[str, str]:
        return {col.key: col.header for col in self.columns}


def _text(values: dict[str, Any], key: str) -> str:
    return c.text_of(values.get(key))


def _save_company(session: Session, values: dict[str, Any], seen: dict) -> tuple[str, int]:
    uscc = normalize_uscc(_text(values, "uscc"))
    if uscc in seen:
        raise ValidationError("统一社会信用代码", f"与第{seen[uscc]}行重复，重复行不导入")
    seen[uscc] = values["_row"]
    existing = session.scalar(select(PropertyCompany).where(PropertyCompany.uscc == uscc))
    data = {key: _text(values, key) for key in ("name", "contact_name", "contact_phone", "address")} | {"uscc": uscc}
    if existing is not None and _same(existing, data):
        return "unchanged", existing.id
    company_id = save_company(session, data, existing.id if existing else None)
    return ("updated" if existing else "created"), company_id


def _same(row: Any, data: dict[str, Any]) -> bool:
    for key, value in data.items():
        current = getattr(row, key)
        current = current.value if hasattr(current, "value") else current
        if (current or None) != (value or None):
            return False
    return True


def _count(values: dict[str, Any], key: str, header: str, unit: str) -> int:
    if c.is_blank(values.get(key)):
        return 0
    try:
        return c.integer(values.get(key), unit, 0, 1_000_000)
    except CellError as exc:
        raise ValidationError(header, str(exc)) from None


def _company_id(session: Session, text: str) -> int | None:
    if not text:
        return None
    query = select(PropertyCompany.id).where((PropertyCompany.name == text) | (PropertyCompany.uscc == text.upper()))
    found = session.scalar(query)
    if found is None:
        raise ValidationError("物业企业", f"“{text}”未登记，请先导入物业企业")
    return found


def _staff_id(session: Session, name: str, phone: str) -> int | None:
    if not name:
        return None
    found = session.scalar(select(GridStaff.id).where(GridStaff.name == name).order_by(GridStaff.id))
    return found if found is not None else save_staff(session, name, phone or None)


def _community_data(session: Session, values: dict[str, Any], townships: Mapping[str, Any]) -> dict[str, Any]:
    town_text = c.fold(_text(values, "township")).replace(" ", "")
    if not town_text:
        raise ValidationError("乡镇（街道）", "不能为空")
    if town_text not in townships:
        raise ValidationError("乡镇（街道）", f"“{town_text}”不是莲都区的乡镇（街道）")
    division = _text(values, "division")
    if not division:
        raise ValidationError("所属社区", "不能为空")
    closed = _text(values, "closed_managed") or "是"
    if closed not in YES_NO:
        raise ValidationError("封闭式物管", "应为“是”或“否”")
    kind = _text(values, "type") or CommunityType.BASIC.value
    if kind not in COMMUNITY_TYPES:
        raise ValidationError("小区类型", f"“{kind}”不是可选值（可选：{'、'.join(COMMUNITY_TYPES)}）")
    return {
        "name": _text(values, "name"),
        "address": _text(values, "address"),
        "closed_managed": closed == "是",
        "division_id": ensure_child(session, townships[town_text].id, division, DivisionLevel.COMMUNITY),
        "households": _count(values, "households", "户数", "户"),
        "buildings": _count(values, "buildings", "幢数", "幢"),
        "type": kind,
        "company_id": _company_id(session, _text(values, "company")),
        "grid_staff_id": _staff_id(session, _text(values, "grid_staff"), _text(values, "grid_phone")),
    }


def _save_community(session: Session, values: dict[str, Any], seen: dict) -> tuple[str, int]:
    if "_townships" not in seen:
        seen["_townships"] = township_lookup(session)
    data = _community_data(session, values, seen["_townships"])
    key = (data["division_id"], data["name"])
    if key in seen:
        raise ValidationError("小区名称", f"与第{seen[key]}行是同一小区，重复行不导入")
    seen[key] = values["_row"]
    query = select(Community).where(Community.division_id == data["division_id"], Community.name == data["name"])
    existing = session.scalar(query)
    if existing is not None and _same(existing, data):
        return "unchanged", existing.id
    community_id = save_community(session, data, existing.id if existing else None)
    return ("updated" if existing else "created"), community_id


LAYOUTS = {
    "companies": RecordLayout("companies", "莲都区物业服务企业名录", COMPANY_COLUMNS, _save_company),
    "communities": RecordLayout("communities", "莲都区物业小区名录", COMMUNITY_COLUMNS, _save_community),
}


class RecordResult(ImportResult):
    """ImportResult whose summary speaks of created/updated records."""

    created: int = 0
    updated: int = 0

    def summary_lines(self) -> list[str]:
        lines = super().summary_lines()
        if self.written:
            lines[-1] = f"已写入：新增 {self.created}，更新 {self.updated}"
        return lines


def _save_row(session: Session, layout: RecordLayout, number: int, cells: list, cols: dict, seen: dict) -> RowOutcome:
    values = {key: cells[i] if i < len(cells) else None for key, i in cols.items()} | {"_row": number}
    missing = [col.header for col in layout.columns if col.required and c.is_blank(values.get(col.key))]
    if missing:
        return RowOutcome(number, None, [Rejection(number, h, "不能为空") for h in missing])
    try:
        with session.begin_nested():
            state, _row_id = layout.save(session, values, seen)
    except ValidationError as exc:
        return RowOutcome(number, None, [Rejection(number, exc.field, exc.reason)])
    return RowOutcome(number, state, [])


def import_records(db: Database, layout_key: str, path: str | Path, options: ImportOptions | None = None):
    """Import a companies or communities file; all-or-nothing unless skip_invalid; a dry run writes nothing."""
    layout, path, options = LAYOUTS[layout_key], Path(path), options or ImportOptions()
    sheet = read_sheet(path)
    with db.session_scope() as session:
        try:
            header = find_header(sheet, layout.columns, options.mapping)
        except HeaderError as exc:
            raise UnreadableFileError(str(exc)) from exc
        rows = data_rows(sheet, header)
        seen: dict = {}
        outcomes = [_save_row(session, layout, n, cells, header.columns, seen) for n, cells in rows]
        result = RecordResult(
            file_name=path.name,
            header_row=sheet.row_number(header.row_index),
            total_rows=len(rows),
            outcomes=outcomes,
            unknown_columns=header.unknown,
            header_cells=list(sheet.rows[header.row_index]),
        )
        rejected = set(result.rejected_rows)
        result.raw_rows = {n: cells for n, cells in rows if n in rejected}
        states = [o.parsed for o in outcomes if o.parsed is not None]
        if options.dry_run or not states or (rejected and not options.skip_invalid):
            session.rollback()
            return result
        result.created, result.updated = states.count("created"), states.count("updated")
        result.written = True
    return result
