"""Does a database hold every table, index and trigger its migrations create? Re-create what can be rebuilt."""

from __future__ import annotations

import functools
import logging
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Connection

from liandu_desk.paths import migrations_path
from liandu_desk.storage.database import Database

log = logging.getLogger(__name__)
KIND_NAMES = {"table": "表", "index": "索引", "trigger": "触发器", "view": "视图"}
REBUILDABLE = ("index", "trigger")
REFERENCE_QUERY = "SELECT type, name, sql, tbl_name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY rowid"


@dataclass(frozen=True)
class SchemaObject:
    """One table, index, trigger or view the migrations create, with the SQL that creates it where known."""

    kind: str
    name: str
    sql: str = ""
    table: str = ""

    def describe(self) -> str:
        return f"{KIND_NAMES.get(self.kind, self.kind)} {self.name}"


@dataclass(frozen=True)
class SchemaReport:
    """What the schema check found: objects missing, and the schema revision against the program's."""

    revision: tuple[str, ...]
    heads: tuple[str, ...]
    missing: tuple[SchemaObject, ...]

    @property
    def ok(self) -> bool:
        return not self.missing and self.revision == self.heads

    def lines(self) -> list[str]:
        """The findings in Chinese, one per line."""
        out = []
        if self.revision != self.heads:
            out.append(f"数据库结构版本 {', '.join(self.revision) or '（无）'} 与程序的 {', '.join(self.heads)} 不一致")
        out += [f"缺少{item.describe()}" for item in self.missing]
        return out


def _present_sqlite(connection: Connection) -> set[tuple[str, str]]:
    rows = connection.execute(text("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"))
    return {(kind, name) for kind, name in rows}


@functools.lru_cache(maxsize=4)
def _sqlite_reference(heads: tuple[str, ...]) -> tuple[SchemaObject, ...]:
    """Every object of a fresh SQLite database migrated to `heads` (a throw-away file), with its SQL."""
    from liandu_desk.storage.migrate import upgrade

    with tempfile.TemporaryDirectory() as folder:
        probe = Database(f"sqlite:///{Path(folder) / 'reference.sqlite3'}")
        try:
            upgrade(probe, backup=False)
            with probe.engine.connect() as connection:
                rows = connection.execute(text(REFERENCE_QUERY)).all()
        finally:
            probe.dispose()
    # FTS5 shadow tables (house_fts_data …) come with their virtual table; they have no SQL of their own to replay
    return tuple(SchemaObject(kind, name, sql or "", table) for kind, name, sql, table in rows)


def _postgres_trigger_names() -> set[str]:
    """Trigger names the migrations create on PostgreSQL (their POSTGRES_TRIGGERS statements)."""
    names: set[str] = set()
    for path in sorted((migrations_path() / "versions").glob("*.py")):
        source = path.read_text(encoding="utf-8")
        if "POSTGRES_TRIGGERS = (" in source:
            block = source.split("POSTGRES_TRIGGERS = (", 1)[1].split("\n)\n", 1)[0]
            names |= set(re.findall(r"CREATE TRIGGER (\w+)", block))
    return names


def _postgres_reference() -> tuple[SchemaObject, ...]:
    from liandu_desk.domain.models import metadata

    objects = [SchemaObject("table", table.name) for table in metadata.sorted_tables]
    objects += [SchemaObject("index", index.name) for t in metadata.sorted_tables for index in t.indexes if index.name]
    objects += [SchemaObject("trigger", name) for name in sorted(_postgres_trigger_names())]
    return tuple(objects)


def _present_postgres(connection: Connection) -> set[tuple[str, str]]:
    tables = connection.execute(text("SELECT 'table', tablename FROM pg_tables WHERE schemaname = current_schema()"))
    indexes = connection.execute(text("SELECT 'index', indexname FROM pg_indexes WHERE schemaname = current_schema()"))
    triggers = connection.execute(text("SELECT 'trigger', tgname FROM pg_trigger WHERE NOT tgisinternal"))
    return {(kind, name) for rows in (tables, indexes, triggers) for kind, name in rows}


def check_schema(db: Database) -> SchemaReport:
    """Compare the database with what its migrations create (SQLite: a freshly migrated reference file)."""
    from liandu_desk.storage.migrate import current_revisions, head_revisions

    heads, revision = head_revisions(db), current_revisions(db)
    with db.engine.connect() as connection:
        if db.is_sqlite:
            expected, present = _sqlite_reference(heads), _present_sqlite(connection)
        else:
            expected, present = _postgres_reference(), _present_postgres(connection)
    missing = tuple(item for item in expected if (item.kind, item.name) not in present)
    return SchemaReport(revision, heads, missing)


def repair_schema(db: Database) -> list[str]:
    """Re-create missing indexes and triggers (and refill the house search index) in one transaction.

    Returns what was done, in Chinese. Missing tables are not invented: they need a restore from a backup.
    """
    report = check_schema(db)
    done: list[str] = []
    virtual = [item for item in report.missing if item.sql.upper().startswith("CREATE VIRTUAL TABLE")]
    shadows = tuple(item.name + "_" for item in virtual)  # created again by their virtual table
    gone = {item.name for item in report.missing if item.kind == "table" and item not in virtual}
    rebuildable = virtual + [
        item for item in report.missing if item.kind in REBUILDABLE and item.sql and item.table not in gone
    ]
    with db.engine.begin() as connection:
        for item in rebuildable:
            connection.exec_driver_sql(item.sql)
            done.append(f"已重建{item.describe()}")
        if any(item.name.startswith("house_fts") for item in rebuildable):
            connection.exec_driver_sql("INSERT INTO house_fts(house_fts) VALUES ('rebuild')")
            done.append("已重新填充房屋全文检索索引")
    left = [item for item in report.missing if item not in rebuildable and not item.name.startswith(shadows)]
    done += [f"无法自动重建{item.describe()}：请从备份恢复" for item in left]
    log.info("schema repair: %s", "; ".join(done) or "nothing to do")
    return done
