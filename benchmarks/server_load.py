"""Load test of the shared server on loopback: clerk processes, each with its own PostgreSQL login, for a while.

Each clerk process, until the time is up, in turn: registers a house; edits one of the same 20 houses (reads the
form, waits a moment as a clerk would, saves with the version it read: a stale save must be reported as a
conflict, never written over the other clerk's); drafts and issues a 危房整改通知书 for one of 40 shared dangerous
houses (refused while one is in force) or cancels one in force; and once, at a time of its own, imports a
2,000-row screening sheet. Afterwards the database is checked: every successful edit is in the audit trail and
the last one is what the house holds (0 lost updates), document numbers run 1…n per type and year without a gap or
a repeat, no house has two notices in force, and the audit chain is one unbroken chain. Save times are reported
(p50/p95 per kind of save).

Run (a superuser URL of a server on this machine; a database `liandu_load` and logins `liandu_load_1…` are created
and dropped again):

    python -m benchmarks.server_load --admin-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres \
        [--seconds 120] [--clerks 10] [--rows 2000] [--json FILE]

Exit 0 when every check holds. The logins are made by the program as an administrator makes them (`save_clerk`
creates each clerk's login in liandu_reviewer after `server setup`), one per process, so the server sees ten
different users.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

DATABASE = "liandu_load"
LOGIN = "liandu_load_{}"
PASSWORD = "load-test-password-1"
SHARED_HOUSES = 20
NOTICE_HOUSES = 40
ISSUED_ON = dt.date(2021, 9, 17)
TOWN = "碧湖镇"


@dataclass
class Outcome:
    """One operation of one clerk process."""

    kind: str  # register | edit | issue | cancel | import
    seconds: float
    result: str  # ok | conflict | refused | error
    message: str = ""
    house: int | None = None
    token: str = ""
    version: int | None = None


@dataclass
class Setup:
    """What the workers share: their URLs and the ids of the shared houses."""

    urls: list[str]
    clerk_ids: list[int]
    shared: list[int]
    notice_houses: list[int]
    workbooks: list[str]
    key_file: str


def _url(admin_url: str, database: str, user: str | None = None, password: str | None = None) -> str:
    from sqlalchemy.engine import make_url

    url = make_url(admin_url).set(database=database)
    if user:
        url = url.set(username=user, password=password)
    return url.render_as_string(hide_password=False)


def _drop(admin_url: str, clerks: int) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    engine = create_engine(make_url(admin_url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)"))
        for n in range(1, clerks + 1):
            connection.execute(text(f'DROP ROLE IF EXISTS "{LOGIN.format(n)}"'))
    engine.dispose()


def _house_input(village_id: int, town_id: int, address: str, owner: str):
    from liandu_desk.services.houses.registration import HouseInput

    return HouseInput(
        kind="农村",
        township_id=town_id,
        village_id=village_id,
        address=address,
        owner_name=owner,
        floors=2,
        build_year=1980,
        area=96.0,
        structure="砖木",
    )


def _seed(admin: object, clerks: int) -> tuple[list[int], list[int], list[int]]:
    """Clerks with their logins (made by the program, as an administrator would), the 20 houses everyone edits, the
    40 dangerous houses everyone issues notices for."""
    from liandu_desk.domain.registry import DivisionLevel
    from liandu_desk.services.clerks import save_clerk
    from liandu_desk.services.divisions import ensure_child, list_townships
    from liandu_desk.services.houses.appraisal import AppraisalInput, add_appraisal
    from liandu_desk.services.houses.cases import CaseInput, open_case
    from liandu_desk.services.houses.registration import create_house
    from liandu_desk.services.houses.screening import ScreeningInput, add_screening
    from liandu_desk.services.settings import PRINTED_ON_DOCUMENTS, get_all, save_settings

    on = dt.date(2021, 6, 1)
    with admin.session_scope() as session:  # the administrator confirms the bureau's details first (待确认 → saved)
        values = get_all(session)
        save_settings(session, {key: values[key] for key in PRINTED_ON_DOCUMENTS})
    with admin.session_scope() as session:
        clerk_ids = [
            save_clerk(session, LOGIN.format(n), f"负载审核{n}", "审核", PASSWORD).id for n in range(1, clerks + 1)
        ]
        town = next(t for t in list_townships(session) if t.name == TOWN).id
        village = ensure_child(session, town, "负载村", DivisionLevel.VILLAGE)
        shared = [
            create_house(session, _house_input(village, town, f"负载村共用{n}号", f"共户{n}")).id
            for n in range(SHARED_HOUSES)
        ]
        dangerous = []
        for n in range(NOTICE_HOUSES):
            house = create_house(session, _house_input(village, town, f"负载村危房{n}号", f"危户{n}")).id
            add_screening(
                session, house, ScreeningInput(on - dt.timedelta(days=20), "有结构倒塌风险", "王建国", ("墙体裂缝",))
            )
            add_appraisal(session, house, AppraisalInput(on, "D", "丽水市房屋安全鉴定所", f"鉴负载{n}", "整体拆除"))
            open_case(session, house, CaseInput(measure="拆除重建", opened_on=on + dt.timedelta(days=1)))
            dangerous.append(house)
    return clerk_ids, shared, dangerous


def setup(admin_url: str, clerks: int, rows: int, folder: Path) -> Setup:
    """A fresh database set up as IT would (`server setup`), one login per clerk, shared houses and sheets."""
    from benchmarks.import_houses import make_workbook
    from liandu_desk.storage import ClerkRef, Database
    from liandu_desk.storage.server_roles import setup_server

    _drop(admin_url, clerks)
    setup_server(admin_url, DATABASE)
    admin = Database(_url(admin_url, DATABASE), clerk=ClerkRef(None, "信息科", "it", "管理员"))
    try:
        clerk_ids, shared, dangerous = _seed(admin, clerks)
    finally:
        admin.dispose()
    workbooks = []
    for n in range(clerks):
        path = folder / f"sheet-{n + 1}.xlsx"
        make_workbook(path, rows, first=100_000 + n * rows, batch=None)
        workbooks.append(str(path))
    urls = [_url(admin_url, DATABASE, LOGIN.format(n), PASSWORD) for n in range(1, clerks + 1)]
    return Setup(urls, clerk_ids, shared, dangerous, workbooks, os.environ.get("LIANDU_DESK_AUDIT_KEY_FILE", ""))


# --- the clerk processes ------------------------------------------------------------------------------------------
def _timed(kind: str, action, *args, **extra) -> Outcome:
    from liandu_desk.domain.errors import ConflictError, LianduError

    began = time.perf_counter()
    try:
        found = action(*args) or {}
        result, message = "ok", ""
    except ConflictError as exc:
        found, result, message = {}, "conflict", exc.message
    except LianduError as exc:
        found, result, message = {}, "refused", exc.message
    except Exception as exc:  # an error a clerk would see as a crash: counted and reported, never hidden
        found, result, message = {}, "error", f"{type(exc).__name__}: {exc}"[:300]
    return Outcome(kind, time.perf_counter() - began, result, message, **{**extra, **found})


def _register(db, n: int, rng: random.Random, village: int, town: int) -> dict:
    from liandu_desk.services.houses.registration import create_house

    with db.session_scope() as session:
        create_house(session, _house_input(village, town, f"负载村{n}-{rng.randrange(10**9)}号", "新户"))
    return {}


def _edit(db, house: int, token: str, rng: random.Random) -> dict:
    import dataclasses

    from liandu_desk.services.houses.registration import house_input, update_house

    with db.session_scope() as session:
        data, version = house_input(session, house)
    time.sleep(rng.uniform(0.0, 0.05))  # the clerk looks at the form
    with db.session_scope() as session:
        saved = update_house(session, house, dataclasses.replace(data, note=token), version)
    return {"version": saved.version}


def _issue(db, house: int, name: str) -> dict:
    from liandu_desk.services.documents import lifecycle
    from liandu_desk.services.documents.house_notices import draft_house_notice

    with db.session_scope() as session:
        draft = draft_house_notice(session, house, name, ISSUED_ON).id
    with db.session_scope() as session:
        lifecycle.issue(session, draft, ISSUED_ON, name)
    return {}


def _cancel(db, house: int, name: str) -> dict:
    from sqlalchemy import select

    from liandu_desk.domain.documents import DocStatus, DocType, Document
    from liandu_desk.services.documents import lifecycle

    with db.session_scope() as session:
        found = session.scalar(
            select(Document.id).where(
                Document.doc_type == DocType.HOUSE_NOTICE,
                Document.subject_table == "house",
                Document.subject_id == house,
                Document.status == DocStatus.ISSUED,
            )
        )
        if found is not None:
            lifecycle.cancel(session, found, "负载测试：重新下发", name, ISSUED_ON)
    return {}


def _import(db, workbook: str) -> dict:
    from liandu_desk.services.imports.houses import ImportOptions, import_houses

    result = import_houses(db, workbook, ImportOptions(today=dt.date(2021, 12, 31)))
    if not result.written:
        from liandu_desk.domain.errors import RuleError

        raise RuleError(f"导入未写入：{len(result.rejected_rows)}行被拒")
    return {}


def clerk_process(index: int, setup_: Setup, seconds: float, ready, start, results) -> None:
    """One clerk's program: its own login, its own share of the work, until the time is up."""
    import logging

    from sqlalchemy import select

    from liandu_desk.domain.registry import Division
    from liandu_desk.storage import ClerkRef, Database

    logging.basicConfig(level=logging.ERROR)  # conflicts are counted, not logged one by one
    name = f"负载审核{index + 1}"
    db = Database(setup_.urls[index], clerk=ClerkRef(setup_.clerk_ids[index], name, LOGIN.format(index + 1), "审核"))
    with db.session_scope() as session:
        village, town = session.execute(select(Division.id, Division.parent_id).where(Division.name == "负载村")).one()
    rng = random.Random(index)
    outcomes: list[Outcome] = []
    ready.put(index)
    start.wait(120)
    began = time.monotonic()
    import_at = began + seconds * (0.1 + 0.8 * index / max(1, len(setup_.urls)))  # imports spread over the run
    imported = False
    step = 0
    while time.monotonic() - began < seconds:
        step += 1
        if not imported and time.monotonic() >= import_at:
            outcomes.append(_timed("import", _import, db, setup_.workbooks[index]))
            imported = True
            continue
        kind = ("register", "edit", "edit", "issue")[step % 4]
        if kind == "register":
            outcomes.append(_timed("register", _register, db, index, rng, village, town))
        elif kind == "edit":
            house, token = rng.choice(setup_.shared), f"{index + 1}-{step}"
            outcomes.append(_timed("edit", _edit, db, house, token, rng, house=house, token=token))
        elif rng.random() < 0.3:
            house = rng.choice(setup_.notice_houses)
            outcomes.append(_timed("cancel", _cancel, db, house, name, house=house))
        else:
            house = rng.choice(setup_.notice_houses)
            outcomes.append(_timed("issue", _issue, db, house, name, house=house))
    if not imported:
        outcomes.append(_timed("import", _import, db, setup_.workbooks[index]))
    db.dispose()
    results.put([asdict(o) for o in outcomes])


# --- the checks ---------------------------------------------------------------------------------------------------
@dataclass
class Checks:
    """What the database holds after the run."""

    lost_updates: int = 0
    lost_detail: list[str] = field(default_factory=list)
    number_problems: list[str] = field(default_factory=list)
    numbers: int = 0
    double_in_force: int = 0
    chain_ok: bool = False
    chain_entries: int = 0
    chain_reason: str = ""
    anchors: str = ""


def check(admin_url: str, outcomes: list[Outcome]) -> Checks:
    from sqlalchemy import func, select

    from liandu_desk.domain.audit import AuditEntry
    from liandu_desk.domain.documents import IN_FORCE_WHERE, DocNumber
    from liandu_desk.domain.houses import House
    from liandu_desk.services.integrity import verify_anchors, verify_audit_chain
    from liandu_desk.storage import Database

    found = Checks()
    db = Database(_url(admin_url, DATABASE))
    try:
        with db.session_scope() as session:
            _check_edits(session, outcomes, found, House, AuditEntry, select)
            rows = session.execute(select(DocNumber.doc_type, DocNumber.year, DocNumber.seq)).all()
            found.numbers = len(rows)
            by_series: dict[tuple, list[int]] = {}
            for doc_type, year, seq in rows:
                by_series.setdefault((doc_type, year), []).append(seq)
            for (doc_type, year), seqs in by_series.items():
                if sorted(seqs) != list(range(1, len(seqs) + 1)):
                    found.number_problems.append(f"{doc_type} {year}: {len(seqs)} numbers, max {max(seqs)}")
            from sqlalchemy import text

            found.double_in_force = session.execute(
                text(
                    f"SELECT count(*) FROM (SELECT subject_id FROM document WHERE {IN_FORCE_WHERE} "
                    "GROUP BY doc_type, subject_table, subject_id HAVING count(*) > 1) d"
                )
            ).scalar()
            report = verify_audit_chain(session)
            total = session.scalar(select(func.count()).select_from(AuditEntry))
            found.chain_ok, found.chain_entries, found.chain_reason = (
                report.ok and report.checked == total,
                total,
                report.reason,
            )
            found.anchors = verify_anchors(session)
    finally:
        db.dispose()
    return found


def _check_edits(session, outcomes: list[Outcome], found: Checks, House, AuditEntry, select) -> None:
    """Every successful edit is in the audit trail; each house holds its latest one; no two share a version."""
    saved = [o for o in outcomes if o.kind == "edit" and o.result == "ok"]
    written = Counter()
    for row_id, new in session.execute(
        select(AuditEntry.row_id, AuditEntry.new_values).where(
            AuditEntry.table_name == "house", AuditEntry.action == "update"
        )
    ):
        if new and "note" in new:
            written[(int(row_id), new["note"])] += 1
    versions = Counter((o.house, o.version) for o in saved)
    for o in saved:
        if written[(o.house, o.token)] != 1:
            found.lost_updates += 1
            found.lost_detail.append(
                f"house {o.house} edit {o.token}: in the audit trail {written[(o.house, o.token)]}×"
            )
        if versions[(o.house, o.version)] != 1:
            found.lost_updates += 1
            found.lost_detail.append(f"house {o.house}: two saves both reached version {o.version}")
    for house in {o.house for o in saved}:
        last = max((o for o in saved if o.house == house), key=lambda o: o.version)
        row = session.get(House, house)
        if row.note != last.token or row.version != last.version:
            found.lost_updates += 1
            found.lost_detail.append(
                f"house {house}: holds {row.note!r} v{row.version}, last save {last.token} v{last.version}"
            )


# --- running it -------------------------------------------------------------------------------------------------
def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def summarise(outcomes: list[Outcome], checks: Checks, seconds: float, clerks: int, rows: int) -> dict:
    kinds = {}
    for kind in ("register", "edit", "issue", "cancel", "import"):
        mine = [o for o in outcomes if o.kind == kind]
        ok = [o.seconds * 1000 for o in mine if o.result == "ok"]
        kinds[kind] = {
            "count": len(mine),
            "results": dict(Counter(o.result for o in mine)),
            "p50_ms": round(statistics.median(ok), 1) if ok else None,
            "p95_ms": round(percentile(ok, 95), 1) if ok else None,
        }
    saves = [
        o.seconds * 1000 for o in outcomes if o.kind in ("register", "edit", "issue", "cancel") and o.result == "ok"
    ]
    errors = [f"{o.kind}: {o.message}" for o in outcomes if o.result == "error"]
    conflicts = sum(1 for o in outcomes if o.kind == "edit" and o.result == "conflict")
    return {
        "clerks": clerks,
        "seconds": seconds,
        "rows_per_sheet": rows,
        "operations": len(outcomes),
        "kinds": kinds,
        "save_p50_ms": round(statistics.median(saves), 1) if saves else None,
        "save_p95_ms": round(percentile(saves, 95), 1) if saves else None,
        "edit_conflicts_reported": conflicts,
        "lost_updates": checks.lost_updates,
        "lost_detail": checks.lost_detail[:20],
        "document_numbers": checks.numbers,
        "number_problems": checks.number_problems,
        "houses_with_two_notices_in_force": checks.double_in_force,
        "audit_chain_ok": checks.chain_ok,
        "audit_entries": checks.chain_entries,
        "audit_chain_reason": checks.chain_reason,
        "anchors": checks.anchors,
        "errors": len(errors),
        "error_samples": errors[:10],
    }


def passed(summary: dict) -> bool:
    imports = summary["kinds"]["import"]
    return (
        summary["lost_updates"] == 0
        and not summary["number_problems"]
        and summary["houses_with_two_notices_in_force"] == 0
        and summary["audit_chain_ok"]
        and not summary["anchors"]
        and summary["errors"] == 0
        and imports["results"].get("ok", 0) == imports["count"] == summary["clerks"]
    )


def run(admin_url: str, seconds: float = 120, clerks: int = 10, rows: int = 2000, keep: bool = False) -> dict:
    """Set up, run the clerk processes, check the database, drop it (unless keep); the summary."""
    spawn = multiprocessing.get_context("spawn")
    with tempfile.TemporaryDirectory(prefix="liandu-load-") as folder:
        os.environ.setdefault("LIANDU_DESK_AUDIT_KEY_FILE", str(Path(folder) / "server.auditkey"))
        os.environ.setdefault("LIANDU_DESK_HOME", str(Path(folder) / "home"))
        from liandu_desk.storage.audit_key import forget_cached_keys

        forget_cached_keys()
        prepared = setup(admin_url, clerks, rows, Path(folder))
        ready, start, results = spawn.Queue(), spawn.Event(), spawn.Queue()
        workers = [
            spawn.Process(target=clerk_process, args=(n, prepared, seconds, ready, start, results))
            for n in range(clerks)
        ]
        for worker in workers:
            worker.start()
        for _ in workers:
            ready.get(timeout=300)
        start.set()
        outcomes = [Outcome(**o) for _ in workers for o in results.get(timeout=seconds + 600)]
        for worker in workers:
            worker.join(60)
        summary = summarise(outcomes, check(admin_url, outcomes), seconds, clerks, rows)
        summary["worker_exit_codes"] = [w.exitcode for w in workers]
        if not keep:
            _drop(admin_url, clerks)
    return summary


def report(summary: dict) -> str:
    s = summary
    lines = [f"{s['clerks']} clerk processes (own logins), {s['seconds']:g} s, {s['operations']} operations"]
    for kind, f in s["kinds"].items():
        lines.append(f"  {kind:<8} {f['count']:>6}  {f['results']}  p50 {f['p50_ms']} ms  p95 {f['p95_ms']} ms")
    lines += [
        f"save time (register, edit, issue, cancel): p50 {summary['save_p50_ms']} ms, p95 {summary['save_p95_ms']} ms",
        f"edit conflicts reported: {summary['edit_conflicts_reported']}; lost updates: {summary['lost_updates']}",
        f"document numbers: {summary['document_numbers']}, gaps or repeats: {len(summary['number_problems'])}",
        f"houses with two notices in force: {summary['houses_with_two_notices_in_force']}",
        f"audit chain: {'one unbroken chain' if s['audit_chain_ok'] else 'BROKEN ' + s['audit_chain_reason']}"
        f" ({summary['audit_entries']} entries); anchors: {summary['anchors'] or 'agree'}",
        f"errors: {summary['errors']}" + (f" e.g. {summary['error_samples'][:3]}" if summary["errors"] else ""),
        "RESULT: " + ("all checks hold" if passed(summary) else "CHECKS FAILED"),
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--admin-url", required=True, help="superuser URL of a PostgreSQL server on this machine")
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--clerks", type=int, default=10)
    parser.add_argument("--rows", type=int, default=2000, help="rows of each clerk's import sheet")
    parser.add_argument("--json", type=Path, help="write the summary as JSON")
    parser.add_argument("--keep", action="store_true", help="keep the database and logins afterwards")
    args = parser.parse_args(argv)
    summary = run(args.admin_url, args.seconds, args.clerks, args.rows, args.keep)
    print(report(summary))
    if args.json:
        args.json.write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0 if passed(summary) else 1


if __name__ == "__main__":
    sys.exit(main())
