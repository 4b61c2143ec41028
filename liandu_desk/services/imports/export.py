"""Exports to .xlsx: the house list with its filters, and the stats figures; formatted, frozen, real dates."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from liandu_desk.domain.fields import HOUSE_FIELDS
from liandu_desk.domain.houses import House, Screening
from liandu_desk.domain.permissions import Permission, check
from liandu_desk.domain.registry import Division, Person
from liandu_desk.domain.validators import mask_id_number, mask_phone
from liandu_desk.io.xlsx_out import WORKBOOK_OPTIONS, CellWriter, atomic_path
from liandu_desk.services.houses.listing import HouseFilter, batch_name_subquery, house_ids
from liandu_desk.services.imports.house_writer import chunks

EXPORTED = tuple(f for f in HOUSE_FIELDS.plain() if f.export_header)  # in catalogue order
HOUSE_EXPORT_COLUMNS: tuple[tuple[str, int], ...] = (
    ("编号", 8),
    ("乡镇（街道）", 12),
    ("村（社区）", 14),
    ("详细地址", 30),
    ("户主姓名", 10),
    ("身份证号", 21),
    ("联系电话", 15),
    ("类别", 6),
    *((f.export_header, max(6, len(f.export_header) * 2 + 1)) for f in EXPORTED),
    ("排查日期", 12),
    ("排查结论", 18),
    ("鉴定等级", 9),
    ("来源批次", 16),
    ("整治状态", 10),
    ("整治期限", 12),
    ("备注", 30),
)
Progress = Callable[[int, int, str], None]


def _cell(value: Any) -> Any:
    """A stored value as the sheet shows it (an enum by its text)."""
    return getattr(value, "value", value)


def _latest_screenings(session: Session, ids: Sequence[int]) -> dict[int, tuple]:
    query = (
        select(Screening.house_id, Screening.screened_on, Screening.conclusion, Screening.note)
        .where(Screening.house_id.in_(ids))
        .order_by(Screening.screened_on, Screening.id)
    )
    return {house_id: (day, conclusion, note) for house_id, day, conclusion, note in session.execute(query)}


def _house_rows(session: Session, ids: Sequence[int], full: bool) -> list[list[Any]]:
    town, village = aliased(Division), aliased(Division)
    query = (
        select(House, town.name, village.name, Person.id_number, Person.phone, batch_name_subquery())
        .join(town, town.id == House.township_id)
        .outerjoin(village, village.id == House.village_id)
        .outerjoin(Person, Person.id == House.owner_id)
        .where(House.id.in_(ids))
    )
    screenings = _latest_screenings(session, ids)
    found: dict[int, list[Any]] = {}
    for h, town_name, village_name, id_number, phone, batch in session.execute(query):
        day, conclusion, note = screenings.get(h.id, (None, None, None))
        found[h.id] = [
            h.id,
            town_name,
            village_name,
            h.address,
            h.owner_name,
            id_number if full else mask_id_number(id_number),
            phone if full else mask_phone(phone),
            h.kind.value,
            *(_cell(getattr(h, f.key)) for f in EXPORTED),
            day,
            conclusion.value if conclusion else None,
            h.latest_grade,
            batch,
            h.case_status,
            h.case_deadline,
            note or h.note,
        ]
    return [found[i] for i in ids if i in found]


def export_houses(
    session: Session,
    target: str | Path,
    house_filter: HouseFilter | None = None,
    *,
    full: bool = False,
    sort: str = "id",
    descending: bool = False,
    progress: Progress | None = None,
) -> int:
    """Write the houses matching the filter to .xlsx in the list's order (the same `house_ids` query, sort key and
    direction as the screen); ID numbers and phones masked unless full."""
    import xlsxwriter

    if full:
        check(session, Permission.VIEW_PERSONAL_DATA)
    ids = house_ids(session, house_filter or HouseFilter(), sort, descending)
    with atomic_path(target) as temp:
        workbook = xlsxwriter.Workbook(str(temp), {**WORKBOOK_OPTIONS, "constant_memory": True})
        sheet = workbook.add_worksheet("房屋清单")
        cells = CellWriter(workbook)
        cells.header(sheet, 0, [h for h, _ in HOUSE_EXPORT_COLUMNS], [w for _, w in HOUSE_EXPORT_COLUMNS])
        out_row = 1
        for part in chunks(ids, 2000):
            for values in _house_rows(session, part, full):
                for col, value in enumerate(values):
                    cells.write(sheet, out_row, col, value)
                out_row += 1
            if progress:
                progress(out_row - 1, len(ids), "导出房屋清单")
        sheet.autofilter(0, 0, max(out_row - 1, 1), len(HOUSE_EXPORT_COLUMNS) - 1)
        workbook.close()
    return out_row - 1


def _flatten(data: dict, prefix: str = "") -> list[tuple[str, Any]]:
    rows: list[tuple[str, Any]] = []
    for key, value in data.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        rows += _flatten(value, name) if isinstance(value, dict) else [(name, value)]
    return rows


def export_stats(figures: dict, target: str | Path) -> int:
    """The stats figures (formats/stats.md keys) as a two-column sheet: 指标, 数值."""
    import xlsxwriter

    rows = _flatten(figures)
    with atomic_path(target) as temp:
        workbook = xlsxwriter.Workbook(str(temp), WORKBOOK_OPTIONS)
        sheet = workbook.add_worksheet("统计指标")
        cells = CellWriter(workbook)
        cells.header(sheet, 0, ["指标", "数值"], [48, 16])
        for i, (name, value) in enumerate(rows, start=1):
            cells.write_text(sheet, i, 0, name)
            cells.write(sheet, i, 1, value)
        workbook.close()
    return len(rows)
