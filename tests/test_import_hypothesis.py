"""Property: whatever the cells hold, the importer answers with validation results, never a crash."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from liandu_desk.io.house_layout import HEADER_OF, HOUSE_COLUMNS
from liandu_desk.io.house_validation import HouseRowParser, check_duplicates
from liandu_desk.services.divisions import DivisionInfo
from liandu_desk.services.imports.houses import ImportOptions, import_houses
from tests.import_factories import HEADERS, write_xlsx

TOWNSHIPS = {"紫金街道": DivisionInfo(1, "紫金街道", "街道", None), "紫金": DivisionInfo(1, "紫金街道", "街道", None)}
COLUMNS = {c.key: i for i, c in enumerate(HOUSE_COLUMNS)}
KNOWN = set(HEADER_OF.values())

plausible = st.sampled_from(
    [
        "紫金",
        "3层",
        "1985年",
        "2021-03-05",
        "20210305",
        "2021年3月5日",
        "A级",
        "Ｃ",
        "砖混",
        "无隐患",
        "自住",
        "3.31102196505E+17",
        "11010519491231002x",
        "138 1234 5678",
        "0578-2123456",
        "合计",
        "=1+2",
        "-",
        "@",
    ]
)
cells = st.one_of(
    st.none(),
    st.text(max_size=30),
    plausible,
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
    st.datetimes(min_value=dt.datetime(1, 1, 1)),
)
rows = st.lists(st.lists(cells, min_size=0, max_size=len(HOUSE_COLUMNS) + 2), min_size=1, max_size=6)


@settings(max_examples=300, deadline=None)
@given(rows)
def test_parser_only_returns_validation_results(raw_rows):
    parser = HouseRowParser(TOWNSHIPS)
    outcomes = [parser.parse(i + 2, cells_, COLUMNS) for i, cells_ in enumerate(raw_rows)]
    check_duplicates(outcomes, {})
    for outcome in outcomes:
        assert (outcome.parsed is None) == bool(outcome.rejections)
        assert all(r.column in KNOWN and r.reason for r in outcome.rejections)
        if outcome.parsed is not None:
            assert 1 <= outcome.parsed.floors <= 30
            assert outcome.parsed.screened_on <= dt.date.today()


file_cells = st.one_of(st.none(), st.text(max_size=12), plausible, st.integers(-(10**12), 10**12), st.floats(-1e9, 1e9))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(file_cells, min_size=len(HEADERS), max_size=len(HEADERS)), min_size=1, max_size=5))
def test_whole_import_of_random_workbooks_never_crashes(db, tmp_path, data):
    path = write_xlsx(tmp_path / "random.xlsx", [dict(zip(HEADERS, r, strict=True)) for r in data])
    result = import_houses(db, path, ImportOptions(skip_invalid=True))
    assert len(result.valid_rows) + len(result.rejected_rows) <= len(data)
    assert all(r.column in KNOWN for r in result.rejections)
