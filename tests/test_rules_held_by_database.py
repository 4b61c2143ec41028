"""Rules the database holds: one notice in force per house and one open case per house survive two programs
racing and a clerk writing SQL by hand, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import datetime as dt
import multiprocessing
from pathlib import Path

import pytest
from documents_factories import dangerous_house
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from liandu_desk.domain.documents import DocNumber, DocStatus, DocType, Document
from liandu_desk.domain.errors import RuleError
from liandu_desk.services.houses.cases import CaseInput, open_case
from liandu_desk.storage import ClerkRef, Database

ISSUED_ON = dt.date(2021, 9, 17)
HOUSES = 12


def _batch_in_process(url: str, out: str, ready, start, results) -> None:
    """Child: select the houses without a notice in force, wait until the other child has too, then issue."""
    from liandu_desk.services.documents import batch

    own = Database(url, clerk=ClerkRef(None, "审核员", "reviewer", "管理员"))
    selected, _wording = batch._select(own, batch.BatchRequest(issue=True, issued_on=ISSUED_ON), ISSUED_ON)
    ready.put(len(selected))
    start.wait(60)
    try:
        issued = batch._issue_all(own, selected, ISSUED_ON, None, None)
        results.put(("issued", [f.number for f in issued]))
    except RuleError as exc:
        results.put(("refused", exc.message))
    finally:
        own.dispose()


def test_two_reviewers_issuing_the_same_houses_at_once(db, db_url: str, tmp_path: Path) -> None:
    with db.session_scope() as session:
        for n in range(HOUSES):
            dangerous_house(session, owner=f"业主{n}", address=f"下河村{n}号")
    spawn = multiprocessing.get_context("spawn")
    ready, start, results = spawn.Queue(), spawn.Event(), spawn.Queue()
    workers = [
        spawn.Process(target=_batch_in_process, args=(db_url, str(tmp_path / f"{i}.pdf"), ready, start, results))
        for i in range(2)
    ]
    for worker in workers:
        worker.start()
    assert [ready.get(timeout=120) for _ in workers] == [HOUSES, HOUSES]  # both saw every house without a notice
    start.set()
    outcomes = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    kinds = sorted(kind for kind, _ in outcomes)
    assert kinds == ["issued", "refused"], outcomes
    refusal = next(value for kind, value in outcomes if kind == "refused")
    assert "已有一份在办的危房整改通知书" in refusal and "文号未占用" in refusal
    with db.session_scope() as session:
        in_force = session.execute(
            select(Document.subject_id, func.count())
            .where(Document.doc_type == DocType.HOUSE_NOTICE, Document.status == DocStatus.ISSUED)
            .group_by(Document.subject_id)
        ).all()
        numbers = list(session.scalars(select(DocNumber.seq).order_by(DocNumber.seq)))
    assert len(in_force) == HOUSES and {count for _, count in in_force} == {1}
    assert numbers == list(range(1, HOUSES + 1))  # no gap, no duplicate: the refused batch took none


def test_a_second_open_case_is_refused(db) -> None:
    with db.session_scope() as session:
        house_id = dangerous_house(session)  # opens a case
    with pytest.raises(RuleError, match="已有未办结的整治案件"), db.session_scope() as session:
        open_case(session, house_id, CaseInput(measure="维修加固", opened_on=dt.date(2021, 5, 1)))


def test_the_database_itself_refuses_a_second_notice_in_force(db) -> None:
    """A clerk with a SQL prompt bypasses the program: the partial unique index still refuses."""
    from liandu_desk.services.documents import lifecycle
    from liandu_desk.services.documents.house_notices import draft_house_notice

    with db.session_scope() as session:
        house_id = dangerous_house(session)
        first = draft_house_notice(session, house_id, "测试员", ISSUED_ON)
    with db.session_scope() as session:
        lifecycle.issue(session, first.id, ISSUED_ON, "测试员")
    with db.engine.connect() as connection, pytest.raises(IntegrityError):
        copied = "doc_type, status, subject_table, subject_id, title, recipient, facts, text, drafted_by, version"
        connection.execute(  # a copy of the issued notice: a second one in force for the same house
            text(
                f"INSERT INTO document ({copied}, created_at, updated_at) "
                f"SELECT {copied}, created_at, updated_at FROM document WHERE id = :id"
            ),
            {"id": first.id},
        )


def test_schema_check_finds_the_rule_indexes_on_this_backend(db) -> None:
    from liandu_desk.storage.schema_check import check_schema

    report = check_schema(db)
    assert report.ok, report.lines()
    with db.engine.begin() as connection:
        connection.execute(text("DROP INDEX uq_house_case_open"))
    assert "缺少索引 uq_house_case_open" in check_schema(db).lines()
