"""Rules the database holds beyond notices and cases: every rule a service checks in Python is also a unique index,
so a check overtaken by someone else's save ends in a Chinese message naming the record, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
from pathlib import Path

import pytest
from communities_factories import make_community
from elevators_factories import make_project
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from liandu_desk.domain.community_lists import ListEntry, ListPublication
from liandu_desk.domain.elevators import ElevatorProject
from liandu_desk.domain.errors import ConflictError, LianduError
from liandu_desk.services.communities import lists
from liandu_desk.services.constraints import HELD_RULES
from liandu_desk.services.periods import half_year
from liandu_desk.storage import ClerkRef, Database

H1 = half_year(2021, 1)


def _first_lookup_finds_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """The service's "is there one already?" look-up answers before someone else's save lands (a lost race)."""
    real = Session.scalar
    answers = iter([None])

    def overtaken(self: Session, *args: object, **kwargs: object) -> object:
        found = real(self, *args, **kwargs)
        return next(answers, found)

    monkeypatch.setattr(Session, "scalar", overtaken)


def test_every_held_rule_is_in_the_database(db: Database) -> None:
    """Each rule's index or constraint exists under the name the translation looks for, on this backend."""
    with db.engine.connect() as connection:
        if db.is_sqlite:
            rows = connection.execute(text("SELECT name, coalesce(sql, '') FROM sqlite_master")).all()
            present = " ".join(f"{name} {sql}" for name, sql in rows)
        else:
            indexes = connection.execute(text("SELECT indexname FROM pg_indexes WHERE schemaname = 'public'"))
            present = " ".join(name for (name,) in indexes)
    missing = [rule.name for rule in HELD_RULES if rule.name not in present]
    assert not missing


def test_a_unit_registered_by_someone_else_meanwhile_is_named(db: Database, monkeypatch) -> None:
    with db.session_scope() as session:
        make_project(session)
    _first_lookup_finds_nothing(monkeypatch)
    with pytest.raises(ConflictError, match="望湖公寓1幢2单元已有加装电梯项目"), db.session_scope() as session:
        make_project(session)
    with db.session_scope() as session:
        assert session.scalar(select(func.count()).select_from(ElevatorProject)) == 1


def _register_unit(url: str, ready, start, results) -> None:
    """Child: wait until both programs are up, then register the same building unit."""
    own = Database(url, clerk=ClerkRef(None, "科员", "clerk", "科员"))
    ready.put(True)
    start.wait(60)
    try:
        with own.session_scope() as session:
            make_project(session)
        results.put(("saved", ""))
    except LianduError as exc:
        results.put(("refused", exc.message))
    finally:
        own.dispose()


def test_two_clerks_registering_the_same_unit_at_once(db: Database, db_url: str) -> None:
    spawn = multiprocessing.get_context("spawn")
    ready, start, results = spawn.Queue(), spawn.Event(), spawn.Queue()
    workers = [spawn.Process(target=_register_unit, args=(db_url, ready, start, results)) for _ in range(2)]
    for worker in workers:
        worker.start()
    assert [ready.get(timeout=120) for _ in workers] == [True, True]
    start.set()
    outcomes = sorted(results.get(timeout=120) for _ in workers)
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    assert [kind for kind, _ in outcomes] == ["refused", "saved"], outcomes
    # the loser saw the winner's project, lost the race at the index, or (SQLite) found the file busy
    assert any(word in outcomes[0][1] for word in ("望湖公寓1幢2单元已有加装电梯项目", "数据库正忙")), outcomes
    with db.session_scope() as session:
        assert session.scalar(select(func.count()).select_from(ElevatorProject)) == 1


@pytest.fixture
def publication(db: Database) -> tuple[int, int]:
    with db.session_scope() as session:
        community = make_community(session, "望湖小区")
        return lists.generate_publication(session, "小区", H1, dt.date(2021, 7, 1)), community


COPIED = "publication_id, list_kind, community_id, reason, manual, version, created_at, updated_at"


def _copy_entry(connection, community: int, removed: bool) -> None:
    connection.execute(
        text(
            f"INSERT INTO cm_list_entry ({COPIED}, removed) SELECT {COPIED}, :removed FROM cm_list_entry "
            "WHERE community_id = :c AND NOT removed"
        ),
        {"c": community, "removed": removed},
    )


def test_the_database_refuses_a_live_duplicate_list_entry(db: Database, publication) -> None:
    publication_id, community = publication
    with db.session_scope() as session:
        lists.add_manual_entry(session, publication_id, "黑榜", community, "群众投诉属实")
    with db.engine.connect() as connection, pytest.raises(IntegrityError):
        _copy_entry(connection, community, removed=False)
    with db.engine.begin() as connection:  # a removed entry keeps its place in the record: no clash
        _copy_entry(connection, community, removed=True)


def test_a_manual_entry_added_by_someone_else_meanwhile_is_named(db: Database, publication) -> None:
    publication_id, community = publication
    stale = db._maker()()  # a clerk's session that read the list before the other clerk saved
    stale.info["clerk"] = db.clerk
    try:
        seen = stale.get(ListPublication, publication_id)  # held: the identity map keeps rows only while referenced
        assert seen.entries == []
        stale.commit()  # rows stay loaded (expire_on_commit=False): the next check reads the stale list
        with db.session_scope() as session:
            lists.add_manual_entry(session, publication_id, "黑榜", community, "群众投诉属实")
        with pytest.raises(ConflictError, match=f"小区（编号{community}）已在此黑榜上"):
            lists.add_manual_entry(stale, publication_id, "黑榜", community, "再次加入")
    finally:
        stale.rollback()
        stale.close()
    with db.session_scope() as session:
        live = select(func.count()).select_from(ListEntry).where(ListEntry.removed.is_(False))
        assert session.scalar(live) == 1


@pytest.mark.sqlite_only
def test_upgrade_keeps_the_first_of_duplicate_entries_and_records_the_removal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from alembic import command

    from liandu_desk.domain.audit import AuditEntry
    from liandu_desk.services.integrity import verify_audit_chain
    from liandu_desk.storage.migrate import alembic_config, upgrade

    db = Database(f"sqlite:///{tmp_path / 'old.sqlite3'}", clerk=ClerkRef(None, "管理员", "admin", "管理员"))
    config = alembic_config(db)
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "r0001")  # before the rule was held by the database
    # The rule finders read inspection columns added after r0001 (c0002); this old file has no inspections anyway.
    monkeypatch.setattr(lists, "community_candidates", lambda *_args: [])
    with db.session_scope() as session:
        community = make_community(session, "望湖小区")
        publication_id = lists.generate_publication(session, "小区", H1, dt.date(2021, 7, 1))
        lists.add_manual_entry(session, publication_id, "黑榜", community, "群众投诉属实")
    with db.engine.begin() as connection:  # what two clerks racing could leave behind under the old schema
        _copy_entry(connection, community, removed=False)
    upgrade(db)
    with db.session_scope() as session:
        entries = session.execute(select(ListEntry.id, ListEntry.removed, ListEntry.removed_reason)).all()
        # w0001 also records its load of the village register (table division)
        upgraded = (AuditEntry.clerk_name == "系统（升级）", AuditEntry.table_name == "cm_list_entry")
        audit = session.scalars(select(AuditEntry).where(*upgraded)).all()
        assert verify_audit_chain(session).ok
    (first, kept, _), (second, removed, reason) = sorted(entries)
    assert not kept and removed and "保留最早一条" in reason
    assert [(a.table_name, a.row_id, a.new_values["removed"]) for a in audit] == [("cm_list_entry", str(second), True)]
    db.dispose()


def test_the_years_first_number_taken_by_two_clerks_at_once(db: Database) -> None:
    """Found by the load test: both found no counter for the year, the second insert failed on its key (a crash)."""
    import threading

    from liandu_desk.domain.documents import DocType
    from liandu_desk.services.documents.numbering import assign_number, claim_write_lock

    first = db._maker()()
    first.info["clerk"] = db.clerk
    claim_write_lock(first)
    taken = assign_number(first, DocType.HOUSE_NOTICE, 2030, None).seq  # the year's counter, not committed yet
    second: dict[str, object] = {}

    def other_clerk() -> None:
        try:
            with db.session_scope() as session:
                claim_write_lock(session)
                second["seq"] = assign_number(session, DocType.HOUSE_NOTICE, 2030, None).seq
        except Exception as exc:  # reported to the test, not lost in the thread
            second["error"] = exc

    thread = threading.Thread(target=other_clerk)
    thread.start()
    thread.join(1.0)
    assert thread.is_alive()  # waiting for the first clerk's transaction
    first.commit()
    first.close()
    thread.join(30)
    assert (taken, second) == (1, {"seq": 2})
