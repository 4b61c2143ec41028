"""The benchmark runner's report: goals, medians, the Markdown table and the JSON, on made-up results (no timing)."""

from __future__ import annotations

import json

import pytest

from benchmarks.report import Failure, Goal, Result, as_json, format_value, machine_line, summary_line, table
from benchmarks.runner import GROUP_NAMES, parse_args

INFO = {
    "cores": 2,
    "memory_gb": 23.4,
    "cpu": "Test CPU",
    "os": "Linux-6",
    "python": "3.11.7",
    "sqlite": "3.40.1",
    "load_average": [1.5, 1.0, 0.5],
    "load_average_start": [3.25, 2.0, 1.0],
}


def fake_rows() -> list[Result | Failure]:
    return [
        Result("houses.00", "危房 list first page", [12.0, 80.0, 15.0], "ms", Goal(100, "ms"), "→ (500000, 100)"),
        Result("start.scale10", "Cold start | scale 10", [2.4, 2.6, 2.1], "s", Goal(2, "s", source="chosen here")),
        Result("import.ratio", "Import / baseline", [1.6, 1.7, 1.5], "x", Goal(1.6, "x", inclusive=True)),
        Result("memory.houses_list", "Peak memory", [251.0], "MB", Goal(250, "MB")),
        Failure("search", "search", "ImportError: no cases", Goal(100, "ms")),
    ]


def test_medians_and_goals() -> None:
    first, start, ratio, memory, _ = fake_rows()
    assert (first.median, first.met) == (15.0, True)
    assert (start.median, start.met) == (2.4, False)
    assert (ratio.median, ratio.met) == (1.6, True)  # ≤ 1.6 is met exactly at the limit
    assert (memory.median, memory.met) == (251.0, False)
    assert [g.text() for g in (first.goal, ratio.goal, memory.goal)] == ["< 100 ms", "≤ 1.6×", "< 250 MB"]


def test_values_are_rounded_for_reading() -> None:
    assert format_value(12.345, "ms") == "12.3 ms"
    assert format_value(1234.5, "ms") == "1,234 ms"
    assert format_value(1.419, "s") == "1.42 s"
    assert format_value(186.4, "MB") == "186 MB"
    assert format_value(1.268, "x") == "1.27×"


def test_table_has_one_line_per_row_with_median_goal_and_mark() -> None:
    lines = table(fake_rows()).splitlines()
    assert lines[0] == "| What | Median | Goal | Met | Notes |"
    assert len(lines) == 2 + 5
    assert lines[2] == "| 危房 list first page | 15.0 ms | < 100 ms | ✓ | 3 runs; → (500000, 100) |"
    assert lines[3].startswith("| Cold start / scale 10 | 2.40 s | < 2 s | ✗ | 3 runs")  # a pipe cannot break the table
    assert lines[5] == "| Peak memory | 251 MB | < 250 MB | ✗ | 1 run |"
    assert lines[6] == "| search | failed | < 100 ms | ✗ | ImportError: no cases |"
    assert summary_line(fake_rows()) == "2 of 5 goals met"


def test_json_carries_runs_goals_and_the_machine() -> None:
    data = json.loads(as_json(fake_rows(), INFO, {"quick": False}))
    assert data["machine"]["sqlite"] == "3.40.1" and data["settings"] == {"quick": False}
    start = next(r for r in data["results"] if r["key"] == "start.scale10")
    assert start["median"] == 2.4 and start["runs"] == [2.4, 2.6, 2.1] and start["met"] is False
    assert start["goal"] == {"limit": 2, "unit": "s", "inclusive": False, "text": "< 2 s", "source": "chosen here"}
    failed = data["results"][-1]
    assert failed == {
        "key": "search",
        "what": "search",
        "error": "ImportError: no cases",
        "goal": "< 100 ms",
        "met": False,
    }
    assert data["summary"] == "2 of 5 goals met"


def test_machine_line_names_cores_memory_python_and_sqlite() -> None:
    line = machine_line(INFO)
    assert line.startswith("2 cores (Test CPU), 23 GB RAM, Linux-6, Python 3.11.7, SQLite 3.40.1")
    assert line.endswith("; load average 3.25 at the start, 1.5 at the end")


def test_only_takes_known_groups_repeated_or_comma_separated(capsys: pytest.CaptureFixture[str]) -> None:
    args = parse_args(["--quick", "--only", "houses,stats", "--only", "import"])
    assert args.quick and args.only == ["houses", "stats", "import"]
    assert set(args.only) <= set(GROUP_NAMES)
    with pytest.raises(SystemExit):
        parse_args(["--only", "nonsense"])
    assert "unknown benchmark nonsense" in capsys.readouterr().err
