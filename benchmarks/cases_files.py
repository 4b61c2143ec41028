"""The benchmarks that read or write files: the 50k-row import, the 380-notice batch, the half-year summary PDF."""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

from benchmarks import workdb
from benchmarks.cases import H1_2021, Plan
from benchmarks.processes import repeat_ms, run_process
from benchmarks.report import Failure, Goal, Result

RATIO_GOAL = Goal(1.6, "x", inclusive=True, source="issue 7: import end to end ≤ 1.6 × calamine read + raw executemany")
IMPORT_MEMORY_GOAL = Goal(1024, "MB", source="issue 7: peak memory under 1 GB")
NOTICES_GOAL = Goal(3, "s", source="issue 6: 380 notices in one PDF under 3 s")
SUMMARY_GOAL = Goal(5, "s", source="chosen here: no issue gives a figure (a job with a progress bar)")


def house_import(plan: Plan) -> list[Result | Failure]:
    """benchmarks/import_houses.py: the bare minimum and the full import, alternately, each in its own process."""
    from benchmarks import import_houses
    from liandu_desk.storage.migrate import upgrade

    folder = plan.workdir / "import"
    folder.mkdir(parents=True, exist_ok=True)
    workbook, template = folder / f"screening-{plan.import_rows}.xlsx", folder / "template.sqlite3"
    if not workbook.exists():
        import_houses.make_workbook(workbook, plan.import_rows)
    template.unlink(missing_ok=True)
    template_db = workdb.open_db(template)
    upgrade(template_db, backup=False)
    template_db.dispose()  # checkpoint the WAL so that copying the file copies the schema
    phases = ("bare", "schema", "import") if hasattr(import_houses, "bare_schema") else ("bare", "import")
    results: dict[str, list[dict]] = {phase: [] for phase in phases}
    for _ in range(plan.import_runs):
        for phase in phases:
            results[phase].append(_import_child(import_houses.__file__, phase, workbook, template))
    bare, full = results["bare"], results["import"]
    ratios = [f["seconds"] / b["seconds"] for b, f in zip(bare, full, strict=True)]
    median = {phase: statistics.median(r["seconds"] for r in runs) for phase, runs in results.items()}
    rows = f"{plan.import_rows:,} rows"
    detail = f"per-run ratios; full import {median['import']:.2f} s vs bare minimum {median['bare']:.2f} s (medians)"
    if "schema" in median:
        schema = median["schema"]
        detail += (
            f"; floor (read + raw inserts into the real tables, no checks) {schema:.2f} s ="
            f" {schema / median['bare']:.2f}× the bare minimum; import / floor {median['import'] / schema:.2f}×"
        )
    extra = {f"{phase}_seconds": [r["seconds"] for r in runs] for phase, runs in results.items()}
    peaks = [r["peak_mb"] for r in full]
    return [
        Result("import.ratio", f"Import {rows} / bare-minimum baseline", ratios, "x", RATIO_GOAL, detail, extra),
        Result(
            "import.memory",
            f"Import {rows}: peak memory of the import process",
            peaks,
            "MB",
            IMPORT_MEMORY_GOAL,
            f"max {max(peaks):.0f} MB",
        ),
    ]


def _import_child(script: str, phase: str, workbook: Path, template: Path) -> dict:
    """One phase of benchmarks/import_houses.py in its own process, spawned through measure.py so that its peak
    memory is its own (its `run_child` would spawn it from this runner, whose peak the child would inherit)."""
    command = [sys.executable, script, "--child", phase, "--file", str(workbook), "--template", str(template)]
    run = run_process(command)
    if run.returncode != 0:
        raise RuntimeError(f"import benchmark phase {phase} exited {run.returncode}: {run.output.strip()[-300:]}")
    for line in reversed(run.output.strip().splitlines()):
        if line.startswith("{") and '"seconds"' in line:
            return json.loads(line)
    raise RuntimeError(f"import benchmark phase {phase} printed no figures")


def notice_batch(plan: Plan) -> list[Result | Failure]:
    """benchmarks/documents.py: 380 one-page 危房整改通知书 into one PDF (fonts registered once, untimed)."""
    from benchmarks import documents

    documents.register_fonts()
    out = plan.workdir / "bench-notices.pdf"
    times, pages, size = [], 0, 0
    for _ in range(plan.pdf_runs):
        seconds, pages, size = documents.run(380, False, out)
        times.append(seconds)
    detail = f"{pages} pages, {size / 1e6:.2f} MB, embedded font"
    return [Result("notices.380", "380 notices in one PDF", times, "s", NOTICES_GOAL, detail)]


def half_year_summary(plan: Plan, demo: workdb.DemoDb) -> list[Result | Failure]:
    """The half-year work summary for 2021 H1: figures from the database, then the PDF written to a file."""
    from liandu_desk.reports.engine import RenderOptions, render_parts, write_atomic
    from liandu_desk.reports.fonts import register_fonts
    from liandu_desk.reports.summary import summary_parts
    from liandu_desk.services.documents.summary_data import summary_facts
    from liandu_desk.services.periods import Period

    register_fonts()
    db = workdb.open_db(demo.path)
    out = plan.workdir / f"bench-summary-{demo.scale:g}.pdf"

    def build() -> int:
        with db.session_scope() as session:
            facts = summary_facts(session, Period(*H1_2021), H1_2021[1])
        options = RenderOptions(title="工作总结", author=facts.bureau)
        data = render_parts(summary_parts(facts), options)
        write_atomic(out, data)
        return len(data)

    times, size = repeat_ms(build, plan.pdf_runs, warmup=0)  # the first run is counted: a clerk pays for it too
    db.dispose()
    seconds = [t / 1000 for t in times]
    what = f"Half-year summary PDF (2021 H1), {plan.scale_label(demo.scale)}"
    detail = f"figures + render + write, {size / 1e3:.0f} KB; first run {seconds[0]:.2f} s"
    return [Result(f"summary.scale{demo.scale:g}", what, seconds, "s", SUMMARY_GOAL, detail)]
