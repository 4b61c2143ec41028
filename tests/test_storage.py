"""Storage: URL resolution, SQLite pragmas, real transactions, migrations with backup, audit rows, version conflicts."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import select, text

from liandu_desk.domain.audit import AuditEntry
from liandu_desk.domain.errors import ConflictError
from liandu_desk.domain.registry import Division, Person
from liandu_desk.storage import ClerkRef, Database, resolve_db_url
from liandu_desk.storage.migrate import alembic_config, current_revisions, head_revisions, upgrade


def test_resolve_url_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIANDU_DESK_DB", str(tmp_path / "env.db"))
    assert resolve_db_url(None).endswith("env.db")
    assert resolve_db_url(str(tmp_path / "opt.db")) == f"sqlite:///{tmp_path / 'opt.db'}"
    assert resolve_db_url("postgresql+psycopg://u:p@localhost/x") == "postgresql+psycopg://u:p@localhost/x"
    monkeypatch.delenv("LIANDU_DESK_DB")
    assert resolve_db_url(None).endswith("home/liandu_desk.sqlite3")


@pytest.mark.sqlite_only
def test_no_engine_at_construction(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'lazy.db'}")
    assert db._engine is None
    assert not (tmp_path / "lazy.db").exists()


@pytest.mark.sqlite_only
def test_sqlite_pragmas(db: Database) -> None:
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_rollback_undoes_everything(db: Database) -> None:
    with pytest.raises(RuntimeError), db.session_scope() as session:
        session.add(Person(name="张三"))
        session.flush()
        raise RuntimeError("boom")
    with db.session_scope() as session:
        assert session.scalar(select(Person).where(Person.name == "张三")) is None
        assert session.scalar(select(AuditEntry).where(AuditEntry.table_name == "person")) is None


def test_savepoint_rolls_back_only_inner(db: Database) -> None:
    with db.session_scope() as session:
        session.add(Person(name="外层"))
        nested = session.begin_nested()
        session.add(Person(name="内层"))
        session.flush()
        nested.rollback()
    with db.session_scope() as session:
        names = set(session.scalars(select(Person.name)))
    assert names == {"外层"}


def test_foreign_keys_enforced(db: Database) -> None:
    with pytest.raises(Exception, match="(?i)foreign key"), db.session_scope() as session:
        session.execute(text("INSERT INTO division (name, level, sort_order, parent_id) VALUES ('x', '村', 0, 99999)"))


def test_init_records_head_and_seeds_townships(db: Database) -> None:
    assert current_revisions(db) == head_revisions(db)
    with db.session_scope() as session:
        names = list(session.scalars(select(Division.name).where(Division.parent_id.is_(None))))
    assert len(names) == 15 and "老竹畲族镇" in names and "南明山街道" in names


@pytest.mark.sqlite_only
def test_upgrade_from_older_revision_backs_up_first(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'old.db'}")
    if head_revisions(db) == ("0001",):
        pytest.skip("only one revision exists: nothing older to upgrade from")
    config = alembic_config(db)
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
    with db.engine.begin() as connection:  # rows written by the old code: raw SQL, old audit columns only
        connection.execute(text("INSERT INTO person (name, version) VALUES ('升级前的人', 1)"))
        connection.execute(
            text(
                "INSERT INTO audit_log (at, clerk_name, action, table_name, row_id, new_values) "
                "VALUES ('2021-03-05 08:00:00.000000', '旧', 'insert', 'person', '1', '{\"name\": \"升级前的人\"}')"
            )
        )
    result = upgrade(db)
    assert result.before == ("0001",) and result.after == head_revisions(db)
    assert result.backup is not None and result.backup.exists()
    copy = sqlite3.connect(result.backup)
    assert copy.execute("SELECT version_num FROM alembic_version").fetchall() == [("0001",)]
    assert copy.execute("SELECT name FROM person").fetchall() == [("升级前的人",)]
    copy.close()
    with db.session_scope() as session:
        from liandu_desk.services.integrity import verify_audit_chain

        # the old entry, then the one w0001 writes when it loads the village register into a database in use
        assert verify_audit_chain(session).checked == 2 and verify_audit_chain(session).ok


def test_upgrade_of_current_database_takes_no_backup(db: Database) -> None:
    result = upgrade(db)
    assert not result.changed and result.backup is None


def test_quick_head_check_agrees_with_alembic(db: Database, tmp_path: Path) -> None:
    """Start-up skips Alembic only when the revision files' headers give Alembic's heads and the database records
    exactly them; an older, empty or unreadable state, or a header it does not follow, goes to Alembic."""
    from liandu_desk.paths import migrations_path
    from liandu_desk.storage.migrate import _script_heads, at_head

    assert _script_heads(migrations_path() / "versions") == head_revisions(db)
    assert at_head(db) == head_revisions(db)
    assert at_head(Database(f"sqlite:///{tmp_path / 'new.db'}")) is None
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    assert at_head(db) is None
    odd = tmp_path / "versions"
    odd.mkdir()
    (odd / "a.py").write_text('revision = "a"\ndown_revision = None\n', "utf-8")
    (odd / "b.py").write_text('revision = "b"\ndown_revision = (\n    "a",\n)\n', "utf-8")
    assert _script_heads(odd) is None
    (odd / "b.py").write_text('revision = "b"\ndown_revision = ("a",)\n', "utf-8")
    assert _script_heads.__wrapped__(odd) == ("b",)
    (odd / "c.py").write_text('revision = "c"\ndown_revision = "a"\ndepends_on = "b"\n', "utf-8")
    assert _script_heads.__wrapped__(odd) is None


def test_audit_rows_for_insert_update_delete(db: Database) -> None:
    with db.session_scope() as session:
        person = Person(name="李四", phone="13800138000")
        session.add(person)
        session.flush()
        person_id = person.id
    with db.session_scope() as session:
        session.get(Person, person_id).phone = "13900139000"
    with db.session_scope() as session:
        session.delete(session.get(Person, person_id))
    with db.session_scope() as session:
        rows = list(
            session.scalars(select(AuditEntry).where(AuditEntry.table_name == "person").order_by(AuditEntry.id))
        )
    assert [r.action for r in rows] == ["insert", "update", "delete"]
    assert all(r.row_id == str(person_id) and r.clerk_name == "测试员" for r in rows)
    assert rows[0].new_values["name"] == "李四"
    assert rows[1].old_values["phone"] == "13800138000" and rows[1].new_values["phone"] == "13900139000"
    assert rows[2].old_values["phone"] == "13900139000" and rows[2].new_values is None


def test_stale_edit_raises_conflict(db: Database) -> None:
    with db.session_scope() as session:
        session.add(Person(name="王五"))
    first = Database(str(db.url), clerk=ClerkRef(1, "甲", role="科员"))
    second = Database(str(db.url), clerk=ClerkRef(2, "乙", role="科员"))
    with first.session_scope() as s1:
        mine = s1.scalar(select(Person).where(Person.name == "王五"))
    with second.session_scope() as s2:
        s2.scalar(select(Person).where(Person.name == "王五")).phone = "13700137000"
    with pytest.raises(ConflictError, match="已被其他人修改"), first.session_scope() as s1:
        s1.add(mine)
        mine.phone = "13600136000"
    with db.session_scope() as session:
        assert session.scalar(select(Person.phone).where(Person.name == "王五")) == "13700137000"
    first.dispose()
    second.dispose()


def test_migrations_have_one_head(db: Database) -> None:
    assert len(head_revisions(db)) == 1, "merge the migration branches: a database must record one head"
    assert current_revisions(db) == head_revisions(db)


@pytest.mark.sqlite_only
def test_models_match_the_migrations(db: Database) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from liandu_desk.domain.models import metadata

    with db.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), metadata)
    ignored = ("house_fts",)  # the SQLite full-text index is created by its migration, not by a model
    assert [d for d in diff if not any(name in str(d) for name in ignored)] == []
