"""Plain unit tests of the lazy paged table model with a fake fetcher (no database)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView

from liandu_desk.ui.kit.paged_table import ID_ROLE, LOADING_TEXT, ROW_ROLE, PagedColumn, PagedTableModel


@dataclass(frozen=True)
class FakeRow:
    id: int
    name: str


COLUMNS = (
    PagedColumn[FakeRow]("编号", lambda r: r.id, sort_key="id"),
    PagedColumn[FakeRow]("名称", lambda r: r.name, sort_key="name"),
    PagedColumn[FakeRow]("备注", lambda r: "—"),
)


class FakeFetcher:
    """Records every page it is asked for; returns rows in a scrambled order to check re-alignment."""

    def __init__(self) -> None:
        self.calls: list[list[int]] = []

    def __call__(self, ids: Sequence[int]) -> list[FakeRow]:
        self.calls.append(list(ids))
        return [FakeRow(i, f"户主{i}") for i in reversed(ids)]


class ManualSubmitter:
    """Queues work like a background runner; `run_all()` delivers the results later."""

    def __init__(self) -> None:
        self.queue: list[tuple[Callable, Callable]] = []

    def __call__(self, work: Callable, done: Callable) -> None:
        self.queue.append((work, done))

    def run_all(self) -> None:
        queue, self.queue = self.queue, []
        for work, done in queue:
            done(work())


def make_model(ids: Sequence[int], **kwargs) -> tuple[PagedTableModel, FakeFetcher]:
    fetcher = FakeFetcher()
    model = PagedTableModel(COLUMNS, fetcher, page_size=kwargs.pop("page_size", 10), **kwargs)
    model.set_ids(ids)
    return model, fetcher


def text(model: PagedTableModel, row: int, column: int) -> str:
    return model.data(model.index(row, column))


def test_row_count_and_no_fetch_until_shown(qapp) -> None:
    model, fetcher = make_model(range(1, 1001))
    assert model.rowCount() == 1000
    assert model.columnCount() == 3
    assert fetcher.calls == []
    assert model.data(model.index(5, 0), ID_ROLE) == 6
    assert fetcher.calls == []


def test_synchronous_fetch_fills_one_page_in_id_order(qapp) -> None:
    model, fetcher = make_model([30, 10, 20] + list(range(100, 200)))
    assert text(model, 0, 1) == "户主30"
    assert text(model, 1, 1) == "户主10"
    assert text(model, 2, 0) == "20"
    assert text(model, 2, 2) == "—"
    assert fetcher.calls == [[30, 10, 20, 100, 101, 102, 103, 104, 105, 106]]
    assert text(model, 12, 0) == "109"
    assert len(fetcher.calls) == 2
    assert model.data(model.index(0, 0), ROW_ROLE) == FakeRow(30, "户主30")


def test_missing_row_shows_loading_mark_not_crash(qapp) -> None:
    fetcher = FakeFetcher()
    model = PagedTableModel(COLUMNS, lambda ids: fetcher([i for i in ids if i != 2]), page_size=5)
    model.set_ids([1, 2, 3])
    assert text(model, 0, 1) == "户主1"
    assert text(model, 1, 1) == LOADING_TEXT
    assert model.row_at(1) is None


def test_lru_cache_is_bounded(qapp) -> None:
    model, fetcher = make_model(range(1000), max_pages=3)
    for page in (0, 1, 2, 0, 3):
        text(model, page * 10, 0)
    assert model.cached_pages == [2, 0, 3]
    assert len(fetcher.calls) == 4
    text(model, 15, 0)
    assert len(fetcher.calls) == 5


def test_background_fetch_shows_placeholder_then_signals_change(qapp, qtbot) -> None:
    submitter = ManualSubmitter()
    model, fetcher = make_model(range(1, 101), submit=submitter)
    assert text(model, 3, 1) == LOADING_TEXT
    assert text(model, 4, 1) == LOADING_TEXT
    assert len(submitter.queue) == 1, "a page in flight is requested once"
    with qtbot.waitSignal(model.dataChanged) as blocker:
        submitter.run_all()
    top_left, bottom_right = blocker.args[:2]
    assert (top_left.row(), bottom_right.row(), bottom_right.column()) == (0, 9, 2)
    assert text(model, 3, 1) == "户主4"


def test_fast_scrolling_keeps_two_pages_in_flight_and_serves_the_latest_first(qapp) -> None:
    submitter = ManualSubmitter()
    model, fetcher = make_model(range(1000), submit=submitter, max_pages=5)
    for page in range(10):
        text(model, page * 10, 0)
    assert len(submitter.queue) == 2
    work, done = submitter.queue.pop(0)
    done(work())
    submitter.run_all()
    assert [ids[0] for ids in fetcher.calls] == [0, 10, 90], "page 9, the last one asked for, is next"
    while submitter.queue:
        submitter.run_all()
    assert sorted(model.cached_pages) == [5, 6, 7, 8, 9]
    assert not {20, 30, 40} & {ids[0] for ids in fetcher.calls}, "pages 2-4 were scrolled past, never fetched"
    assert len(fetcher.calls) == 2 + 5, "wishes beyond the cache size are forgotten"


def test_stale_page_after_reset_is_dropped(qapp) -> None:
    submitter = ManualSubmitter()
    model, fetcher = make_model(range(1, 101), submit=submitter)
    text(model, 0, 1)
    model.set_ids([500, 600])
    submitter.run_all()
    assert model.cached_pages == []
    assert text(model, 0, 1) == LOADING_TEXT
    submitter.run_all()
    assert text(model, 0, 1) == "户主500"


def test_header_click_asks_for_sql_sort_and_never_sorts_itself(qapp, qtbot) -> None:
    model, _ = make_model([3, 1, 2])
    with qtbot.waitSignal(model.sort_requested) as blocker:
        model.sort(1, Qt.SortOrder.DescendingOrder)
    assert blocker.args == ["name", True]
    assert [model.id_at(r) for r in range(3)] == [3, 1, 2]
    assert model.sort_column() == 1
    with qtbot.assertNotEmitted(model.sort_requested):
        model.sort(2, Qt.SortOrder.AscendingOrder)  # not sortable
        model.sort(1, Qt.SortOrder.DescendingOrder)  # unchanged


def test_invalidate_refetches_but_keeps_ids(qapp) -> None:
    model, fetcher = make_model(range(1, 21))
    text(model, 0, 0)
    model.invalidate()
    assert model.cached_pages == []
    text(model, 0, 0)
    assert len(fetcher.calls) == 2
    assert model.row_of(7) == 6
    assert model.row_of(999) == -1


def test_partial_ids_show_the_first_screen_then_complete_without_reset(qapp, qtbot) -> None:
    model, fetcher = make_model([], page_size=10)
    model.set_ids(range(1, 11), total=50)
    assert model.rowCount() == 50 and not model.complete
    assert text(model, 3, 1) == "户主4"
    assert text(model, 30, 1) == LOADING_TEXT
    assert model.id_at(30) is None and model.data(model.index(30, 0), ID_ROLE) is None
    assert len(fetcher.calls) == 1, "a page whose ids are unknown is not fetched"
    with qtbot.assertNotEmitted(model.modelReset):
        model.complete_ids(range(1, 51))
    assert model.complete
    assert text(model, 30, 1) == "户主31"
    assert text(model, 3, 1) == "户主4"
    assert len(fetcher.calls) == 2, "the first page stayed cached"


def test_primed_first_page_needs_no_fetch(qapp) -> None:
    model, fetcher = make_model([], page_size=3)
    model.set_ids([7, 8, 9], total=10)
    model.prime(0, [FakeRow(9, "九"), FakeRow(7, "七"), FakeRow(8, "八")])
    assert [text(model, r, 1) for r in range(3)] == ["七", "八", "九"]
    assert fetcher.calls == []
    model.prime(1, [FakeRow(10, "十")])  # ids of page 1 not known yet: ignored
    assert model.cached_pages == [0]


def test_complete_ids_that_differ_reset_the_model(qapp, qtbot) -> None:
    model, _ = make_model([], page_size=10)
    model.set_ids([5, 6], total=4)
    with qtbot.waitSignal(model.modelReset):
        model.complete_ids([9, 8, 7])
    assert model.rowCount() == 3 and text(model, 0, 1) == "户主9"


@pytest.mark.parametrize("total", [500_000])
def test_view_over_half_a_million_ids_fetches_only_visible_pages(qapp, total: int) -> None:
    model, fetcher = make_model(range(1, total + 1), page_size=200)
    view = QTableView()
    view.setModel(model)
    view.resize(800, 600)
    view.show()
    view.grab()
    assert 1 <= len(fetcher.calls) <= 2
    view.scrollToBottom()
    view.grab()
    assert model.cached_pages[-1] == (total - 1) // 200
    assert len(model.cached_pages) <= 4
    view.close()
