"""Writing imported screening rows: all-or-nothing, skip-invalid with the stats figures, idempotent re-import."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from liandu_desk.domain.audit import AuditEntry
from liandu_desk.domain.house_cases import BatchMember, SourceBatch
from liandu_desk.domain.houses import Appraisal, House, Screening
from liandu_desk.domain.registry import Person
from liandu_desk.services.houses.listing import HouseFilter, count_houses
from liandu_desk.services.houses.stats import section
from liandu_desk.services.imports.house_writer import ImportCancelled
from liandu_desk.services.imports.houses import ImportOptions, import_houses
from liandu_desk.services.integrity import verify_audit_chain
from liandu_desk.services.periods import Period
from tests.import_factories import good_row, valid_id, write_xlsx

H1 = Period(dt.date(2021, 1, 1), dt.date(2021, 6, 30))


def counts(db) -> dict[str, int]:
    with db.session_scope() as s:
        tables = {
            "house": House,
            "screening": Screening,
            "appraisal": Appraisal,
            "person": Person,
            "member": BatchMember,
        }
        return {k: s.scalar(select(func.count()).select_from(m)) for k, m in tables.items()}


def mixed_rows():
    return [
        good_row(1),
        good_row(2, 层数=0),
        good_row(3, 鉴定等级="C级", 鉴定日期="2021-04-01", 来源批次="2021省委巡视"),
        good_row(4, 排查日期="2021-02-30"),
        good_row(5, 鉴定等级="D", 鉴定日期="2021-05-01", 排查结论="有结构倒塌风险"),
        good_row(6, 乡镇="x", 详细地址="梅田村1号"),
    ]


def test_all_or_nothing_by_default(db, tmp_path):
    path = write_xlsx(tmp_path / "m.xlsx", mixed_rows())
    result = import_houses(db, path)
    assert result.rejected_rows == [6, 8, 10]
    assert not result.written
    assert counts(db) == {"house": 0, "screening": 0, "appraisal": 0, "person": 0, "member": 0}


def test_dry_run_writes_nothing_even_when_all_valid(db, tmp_path):
    path = write_xlsx(tmp_path / "v.xlsx", [good_row(1), good_row(2)])
    result = import_houses(db, path, ImportOptions(dry_run=True))
    assert result.rejections == [] and not result.written
    assert counts(db)["house"] == 0


def test_skip_invalid_writes_valid_rows_and_stats_match(db, tmp_path):
    path = write_xlsx(tmp_path / "m.xlsx", mixed_rows())
    result = import_houses(db, path, ImportOptions(skip_invalid=True))
    assert result.written and len(result.valid_rows) == 3
    with db.session_scope() as s:
        figures = section(s, H1)
    assert figures["rural_screened"] == 3
    assert figures["rural_appraised"] == 2 and figures["rural_dangerous"] == 2
    assert figures["grades"] == {"A": 0, "B": 0, "C": 1, "D": 1}
    assert figures["batches"]["2021省委巡视"]["flagged"] == 1
    with db.session_scope() as s:
        grades = dict(s.execute(select(House.address, House.latest_grade)).all())
        assert grades == {"梅田村1号": None, "梅田村3号": "C", "梅田村5号": "D"}
        audit = s.scalars(select(AuditEntry).where(AuditEntry.action == "import")).all()
        assert len(audit) == 1 and audit[0].new_values["houses_created"] == 3
        report = verify_audit_chain(s)
        assert report.ok and report.checked >= 2


def test_importing_twice_adds_nothing(db, tmp_path):
    path = write_xlsx(tmp_path / "m.xlsx", mixed_rows())
    import_houses(db, path, ImportOptions(skip_invalid=True))
    before = counts(db)
    with db.session_scope() as s:
        audit_before = s.scalar(select(func.count()).select_from(AuditEntry))
        versions = dict(s.execute(select(House.id, House.version)).all())
    second = import_houses(db, path, ImportOptions(skip_invalid=True))
    assert counts(db) == before
    assert second.counts.houses_unchanged == 3 and not second.counts.changed
    with db.session_scope() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == audit_before
        assert dict(s.execute(select(House.id, House.version)).all()) == versions


def test_reimport_updates_house_and_adds_screening_only_for_a_new_date(db, tmp_path):
    import_houses(db, write_xlsx(tmp_path / "a.xlsx", [good_row(1), good_row(2)]))
    changed = [good_row(1, 层数=3, 排查日期="2021-06-01"), good_row(2, 排查结论="一般安全隐患")]
    result = import_houses(db, write_xlsx(tmp_path / "b.xlsx", changed))
    assert result.counts.houses_updated == 1 and result.counts.houses_unchanged == 1
    with db.session_scope() as s:
        assert verify_audit_chain(s).ok
    assert result.counts.screenings_added == 1 and result.counts.screenings_updated == 1
    with db.session_scope() as s:
        house = s.scalar(select(House).where(House.address == "梅田村1号"))
        assert house.floors == 3 and house.version == 2
        assert s.scalar(select(func.count()).select_from(Screening)) == 3
        assert s.scalar(select(func.count()).select_from(Person)) == 2
        updates = s.scalars(select(AuditEntry).where(AuditEntry.action == "update", AuditEntry.table_name == "house"))
        assert [e.new_values.get("floors") for e in updates] == [3]


def test_reappraisal_updates_latest_grade(db, tmp_path):
    import_houses(db, write_xlsx(tmp_path / "a.xlsx", [good_row(1, 鉴定等级="B", 鉴定日期="2021-03-10")]))
    import_houses(db, write_xlsx(tmp_path / "b.xlsx", [good_row(1, 鉴定等级="D", 鉴定日期="2021-05-10")]))
    with db.session_scope() as s:
        assert s.scalar(select(House.latest_grade)) == "D"
        assert s.scalar(select(func.count()).select_from(Appraisal)) == 2


def test_batch_joins_existing_batch_and_search_index_finds_imported_owner(db, tmp_path):
    rows = [good_row(i, 来源批次="2021省委巡视") for i in range(1, 4)]
    import_houses(db, write_xlsx(tmp_path / "a.xlsx", rows))
    with db.session_scope() as s:
        assert s.scalar(select(func.count()).select_from(SourceBatch)) == 1
        assert count_houses(s, HouseFilter(batch="2021省委巡视")) == 3
        assert count_houses(s, HouseFilter(search=valid_id(2))) == 1
        assert count_houses(s, HouseFilter(search="梅田村3号")) == 1
        assert count_houses(s, HouseFilter(search="王")) == 3


def test_owner_without_id_is_kept_on_reimport(db, tmp_path):
    rows = [good_row(1, 身份证号=None)]
    import_houses(db, write_xlsx(tmp_path / "a.xlsx", rows))
    import_houses(db, write_xlsx(tmp_path / "b.xlsx", [good_row(1, 身份证号=None, 排查日期="2021-06-01")]))
    assert counts(db)["person"] == 1


def test_cancel_writes_nothing(db, tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", [good_row(1), good_row(2)])
    calls = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) > 3

    try:
        import_houses(db, path, cancelled=cancelled)
    except ImportCancelled:
        pass
    else:
        raise AssertionError("expected ImportCancelled")
    assert counts(db)["house"] == 0
    assert counts(db)["person"] == 0


@pytest.mark.sqlite_only
def test_failure_inside_the_bulk_insert_keeps_the_search_triggers(db, tmp_path, monkeypatch):
    from sqlalchemy import text

    from liandu_desk.services.imports import house_writer

    real = house_writer.bulk_insert_ids

    def failing(session, table, rows):
        if table.name == "house":
            raise RuntimeError("disk full")
        return real(session, table, rows)

    monkeypatch.setattr(house_writer, "bulk_insert_ids", failing)
    with pytest.raises(RuntimeError):
        import_houses(db, write_xlsx(tmp_path / "a.xlsx", [good_row(1)]))
    query = text("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'house_fts%'")
    with db.session_scope() as s:
        triggers = set(s.scalars(query))
    assert triggers == {"house_fts_ai", "house_fts_ad", "house_fts_au"}
    assert counts(db)["house"] == 0 and counts(db)["person"] == 0


def test_owner_gains_an_id_number_on_reimport(db, tmp_path):
    import_houses(db, write_xlsx(tmp_path / "a.xlsx", [good_row(1, 身份证号=None), good_row(2, 身份证号=None)]))
    rows = [good_row(1), good_row(2, 身份证号=valid_id(1), 户主姓名=good_row(1)["户主姓名"])]
    result = import_houses(db, write_xlsx(tmp_path / "b.xlsx", rows))
    assert result.rejections == [] and result.written
    with db.session_scope() as s:
        people = s.execute(select(Person.name, Person.id_number).order_by(Person.id)).all()
        owners = s.execute(select(House.address, House.owner_id).order_by(House.id)).all()
    assert people[0] == (good_row(1)["户主姓名"], valid_id(1))
    assert owners[0][1] == owners[1][1] == 1


@pytest.mark.sqlite_only
def test_a_verified_backup_is_taken_before_writing(db, tmp_path):
    import sqlite3

    path = write_xlsx(tmp_path / "m.xlsx", mixed_rows())
    dry = import_houses(db, path, ImportOptions(skip_invalid=True, dry_run=True))
    assert dry.backup is None  # nothing is written, nothing to protect
    result = import_houses(db, path, ImportOptions(skip_invalid=True))
    assert result.written and result.backup is not None and "pre-import" in result.backup.name
    copy = sqlite3.connect(result.backup)
    assert copy.execute("SELECT count(*) FROM house").fetchone()[0] == 0
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    copy.close()


def test_bulk_insert_ids_returns_each_rows_own_id_in_order(db):
    from liandu_desk.services.imports.bulk import bulk_insert_ids
    from liandu_desk.storage.audit_listener import SYSTEM_KEY

    with db.session_scope() as s:
        s.info[SYSTEM_KEY] = True
        s.add(Person(name="先来的"))
        s.flush()
        names = [f"户主{i:02d}" for i in range(30, 0, -1)]  # not in id order by name
        ids = bulk_insert_ids(s, Person.__table__, [{"name": n, "id_number": None, "phone": None} for n in names])
    with db.session_scope() as s:
        stored = dict(s.execute(select(Person.id, Person.name)).all())
    assert [stored[i] for i in ids] == names
    assert len(set(ids)) == 30 and "先来的" not in [stored[i] for i in ids]
