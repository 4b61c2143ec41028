"""The house list's columns and its paged model (rows fetched a page at a time through the job runner)."""

from __future__ import annotations

import inspect
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from liandu_desk.services.houses import batches as batch_service
from liandu_desk.services.houses import listing
from liandu_desk.ui.kit import ops
from liandu_desk.ui.kit.context import AppContext
from liandu_desk.ui.kit.paged_table import PagedColumn, PagedTableModel

Row = listing.HouseListRow
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
CENTER = Qt.AlignmentFlag.AlignCenter
RED = QBrush(QColor("#c0392b"))
GRADE_COLOURS = {"C": QBrush(QColor("#d35400")), "D": RED}


def _deadline(row: Row) -> str:
    if row.deadline is None:
        return ""
    return f"{row.deadline.isoformat()}（逾期）" if row.overdue else row.deadline.isoformat()


def _grade(row: Row) -> str:
    return f"{row.latest_grade}级" if row.latest_grade else "未鉴定"


def _sortable(key: str) -> str | None:
    return key if key in listing.SORT_KEYS else None


def house_columns() -> tuple[PagedColumn[Row], ...]:
    """Columns of the list; a column is sortable when the listing service offers its key."""
    return (
        PagedColumn("编号", lambda r: r.id, _sortable("id"), 60, RIGHT),
        PagedColumn("乡镇（街道）", lambda r: r.township, _sortable("township"), 92),
        PagedColumn("村（社区）", lambda r: r.village, _sortable("village"), 92),
        PagedColumn("地址", lambda r: r.address, _sortable("address"), 190, tooltip=lambda r: r.address),
        PagedColumn("户主", lambda r: r.owner_name, _sortable("owner"), 70),
        PagedColumn("身份证号", lambda r: r.owner_id_masked, None, 150),
        PagedColumn("类型", lambda r: r.kind, _sortable("kind"), 44, CENTER),
        PagedColumn("结构", lambda r: r.structure, _sortable("structure"), 70),
        PagedColumn("层数", lambda r: r.floors, _sortable("floors"), 44, RIGHT),
        PagedColumn("等级", _grade, _sortable("grade"), 54, CENTER, lambda r: GRADE_COLOURS.get(r.latest_grade)),
        PagedColumn("整治状态", lambda r: r.case_status, _sortable("status"), 66),
        PagedColumn("批次", lambda r: r.batch, _sortable("batch"), 100),
        PagedColumn("整治期限", _deadline, _sortable("deadline"), 130, foreground=lambda r: RED if r.overdue else None),
    )


def make_house_list_model(ctx: AppContext, parent: Any = None, page_size: int = 200) -> PagedTableModel[Row]:
    """A paged model whose pages are read by `house_rows` on a worker thread."""

    def fetch(ids: Sequence[int]) -> list[Row]:  # runs on a reader thread (submit), one session per page
        return ops.in_session(ctx, lambda session: listing.house_rows(session, ids))()

    def submit(work, done) -> None:
        ctx.jobs.run(lambda _job: work(), done)

    return PagedTableModel(house_columns(), fetch, submit=submit, page_size=page_size, parent=parent)


# Whether the listing service can return only the first ids of a result (for a quick first screen).
HOUSE_IDS_TAKES_LIMIT = "limit" in inspect.signature(listing.house_ids).parameters


@dataclass(frozen=True)
class ListQuery:
    """One reload of the list: filter, SQL sort key and direction, and a number telling reloads apart."""

    generation: int
    filter: listing.HouseFilter
    sort: str
    descending: bool


@dataclass(frozen=True)
class FirstScreen:
    """Phase 1 of a big unfiltered reload: the count and (when the service can limit) the first ids."""

    query: ListQuery
    total: int
    head: array
    rows: list[Row]


@dataclass(frozen=True)
class FullResult:
    """Every id in order, plus the batch figures sentence when a batch is chosen."""

    query: ListQuery
    ids: array
    batch_text: str


def first_screen(session, query: ListQuery, rows: int) -> FirstScreen:
    """The count (an index count, milliseconds) and, if the service offers a limit, the first `rows` ids with
    their list rows."""
    total = listing.count_houses(session, query.filter)
    head: Sequence[int] = ()
    if HOUSE_IDS_TAKES_LIMIT:
        head = listing.house_ids(session, query.filter, sort=query.sort, descending=query.descending, limit=rows)
    return FirstScreen(query, total, array("q", head), listing.house_rows(session, head) if head else [])


def full_result(session, query: ListQuery) -> FullResult:
    """All ids of the result in order (and the batch figures explained in one sentence)."""
    ids = array("q", listing.house_ids(session, query.filter, sort=query.sort, descending=query.descending))
    batch = query.filter.batch
    text = batch_service.batch_figures(session, batch).explanation() if batch else ""
    return FullResult(query, ids, text)
