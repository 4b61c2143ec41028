"""The shared-server load test (benchmarks/server_load.py) kept from rotting: two clerk processes with their own
logins for a few seconds, every check holding. The full run (10 clerks, 2 minutes) is a benchmark, not a test."""

from __future__ import annotations

import os

import pytest

PG_SERVER = os.environ.get("LIANDU_DESK_TEST_PG", "")
pytestmark = pytest.mark.skipif(not PG_SERVER, reason="needs a PostgreSQL server (scripts/dev.sh test-pg)")


def test_a_short_load_run_holds_every_check(tmp_path, monkeypatch) -> None:
    from benchmarks import server_load

    monkeypatch.setenv("LIANDU_DESK_AUDIT_KEY_FILE", str(tmp_path / "load.auditkey"))
    summary = server_load.run(PG_SERVER, seconds=4, clerks=2, rows=50)
    print(server_load.report(summary))
    assert server_load.passed(summary), server_load.report(summary)
    assert summary["kinds"]["edit"]["count"] > 0 and summary["kinds"]["import"]["results"] == {"ok": 2}
    assert summary["worker_exit_codes"] == [0, 0]
    assert summary["kinds"]["issue"]["results"].get("ok", 0) > 0  # notices were really issued (not all refused)
