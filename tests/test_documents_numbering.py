"""Document numbers: format, per type and year, gapless and unique under two concurrent writers, voids kept."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from documents_factories import dangerous_house

from liandu_desk.domain.documents import DocType
from liandu_desk.domain.errors import RuleError
from liandu_desk.services.documents import lifecycle
from liandu_desk.services.documents.numbering import list_numbers, reserve_void
from liandu_desk.services.settings import save_settings
from liandu_desk.storage import Database

D = dt.date


def _drafts(db: Database, count: int) -> list[int]:
    """One draft notice for each of `count` houses (one notice in force per house is a rule the database holds)."""
    with db.session_scope() as session:
        houses = [dangerous_house(session, address=f"下河村{i}号") for i in range(count)]
        return [
            lifecycle.create_draft(
                session,
                DocType.HOUSE_NOTICE,
                _facts(session, house_id),
                title=f"通知{i}",
                recipient="李秀英",
                subject_table="house",
                subject_id=house_id,
            ).id
            for i, house_id in enumerate(houses)
        ]


def _facts(session, house_id):
    from liandu_desk.services.documents.house_notices import house_notice_facts

    return house_notice_facts(session, [house_id], D(2021, 9, 1))[0]


def test_number_format_and_sequence_per_type_and_year(db) -> None:
    ids = _drafts(db, 3)
    with db.session_scope() as session:
        first = lifecycle.issue(session, ids[0], D(2021, 9, 1), "甲")
        second = lifecycle.issue(session, ids[1], D(2021, 9, 2), "甲")
        next_year = lifecycle.issue(session, ids[2], D(2022, 1, 4), "甲")
    assert first.number == "莲建危改〔2021〕1号"
    assert second.number == "莲建危改〔2021〕2号"
    assert next_year.number == "莲建危改〔2022〕1号"


def test_prefix_comes_from_settings(db) -> None:
    ids = _drafts(db, 1)
    with db.session_scope() as session:
        save_settings(session, {"prefix.house_notice": "莲建危"})
        assert lifecycle.issue(session, ids[0], D(2021, 9, 1), "甲").number == "莲建危〔2021〕1号"


def test_void_number_is_kept_and_never_reused(db) -> None:
    ids = _drafts(db, 3)
    with db.session_scope() as session:
        lifecycle.issue(session, ids[0], D(2021, 9, 1), "甲")
        cancelled = lifecycle.cancel(session, ids[0], "受送达人姓名有误", "甲", D(2021, 9, 2))
        spoiled = reserve_void(session, DocType.HOUSE_NOTICE, 2021, "打印损坏", "甲")
    with db.session_scope() as session:
        third = lifecycle.issue(session, ids[1], D(2021, 9, 3), "甲")
        with pytest.raises(RuleError):
            lifecycle.issue(session, ids[0], D(2021, 9, 3), "甲")
        numbers = list_numbers(session, DocType.HOUSE_NOTICE, 2021)
    assert cancelled.status == "已作废" and cancelled.cancel_reason == "受送达人姓名有误"
    assert spoiled.seq == 2
    assert third.number == "莲建危改〔2021〕3号"
    assert [(n.seq, n.status) for n in numbers] == [(1, "已作废"), (2, "已作废"), (3, "使用中")]
    assert numbers[0].void_reason == "受送达人姓名有误" and numbers[1].void_reason == "打印损坏"


def test_two_concurrent_writers_get_gapless_unique_numbers(db, db_path) -> None:
    per_writer = 12
    ids = _drafts(db, per_writer * 2)
    batches = [ids[0::2], ids[1::2]]
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []
    issued: list[str] = []
    lock = threading.Lock()

    def writer(batch: list[int]) -> None:
        own = Database(f"sqlite:///{db_path}", clerk=db.clerk)
        try:
            barrier.wait()
            for document_id in batch:

                def action(document_id=document_id):
                    with own.session_scope() as session:
                        return lifecycle.issue(session, document_id, D(2021, 9, 1), "并发").number

                number = lifecycle.with_retry(action)
                with lock:
                    issued.append(number)
        except BaseException as exc:
            errors.append(exc)
        finally:
            own.dispose()

    threads = [threading.Thread(target=writer, args=(batch,)) for batch in batches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    expected = {f"莲建危改〔2021〕{n}号" for n in range(1, per_writer * 2 + 1)}
    assert sorted(issued) == sorted(expected) and len(issued) == len(set(issued))
    with db.session_scope() as session:
        assert [n.seq for n in list_numbers(session, DocType.HOUSE_NOTICE, 2021)] == list(range(1, per_writer * 2 + 1))


def _issue_in_process(url: str, ids: list[int], start, results) -> None:
    """Child process: wait for the start signal, then issue each draft in its own transaction."""
    from liandu_desk.storage import ClerkRef

    own = Database(url, clerk=ClerkRef(None, "进程", "proc", "管理员"))
    start.wait(30)
    numbers = []
    for document_id in ids:

        def action(document_id=document_id):
            with own.session_scope() as session:
                return lifecycle.issue(session, document_id, D(2021, 9, 1), "进程").number

        numbers.append(lifecycle.with_retry(action))
    own.dispose()
    results.put(numbers)


def test_two_processes_issuing_at_once(db, db_path) -> None:
    import multiprocessing

    per_writer = 5
    ids = _drafts(db, per_writer * 2)
    spawn = multiprocessing.get_context("spawn")
    start, results = spawn.Event(), spawn.Queue()
    url = f"sqlite:///{db_path}"
    workers = [spawn.Process(target=_issue_in_process, args=(url, ids[i::2], start, results)) for i in range(2)]
    for worker in workers:
        worker.start()
    start.set()
    issued = [n for _ in workers for n in results.get(timeout=60)]
    for worker in workers:
        worker.join(30)
        assert worker.exitcode == 0
    assert sorted(issued) == sorted(f"莲建危改〔2021〕{n}号" for n in range(1, per_writer * 2 + 1))
