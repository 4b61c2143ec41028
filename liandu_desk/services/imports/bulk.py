"""Fast bulk inserts inside the session's transaction: raw executemany on SQLite, Core executemany elsewhere."""

from __future__ import annotations

import contextlib
import gc
import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import Column, Table, func, insert, select, text
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.orm import Session

from liandu_desk.services.houses import search_index

REBUILD_MIN_ROWS = 5_000  # below this, dropping and re-creating indexes is not worth it


def bulk_insert(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert rows (dicts with the same keys) applying the columns' Python defaults and type conversions.

    On SQLite the values go column by column through each column type's bind processor (a value seen before in
    the column is converted once) and then one DBAPI executemany, which skips SQLAlchemy's per-row parameter
    processing; other databases use a Core executemany."""
    if not rows:
        return
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        connection.execute(insert(table), list(rows))
        return
    _sqlite_insert(connection, table, rows, None)


def bulk_insert_ids(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> list[int]:
    """bulk_insert that returns the new rows' ids, in the order of the rows.

    SQLite: this transaction holds the only write lock, so the ids are the next ones after the highest and are
    given explicitly (a row written meanwhile by someone else would make the insert fail, never mix ids up).
    Elsewhere: INSERT … RETURNING, sorted by parameter order."""
    if not rows:
        return []
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        return list(connection.execute(statement, list(rows)).scalars())
    first = max_id(session, table) + 1
    ids = list(range(first, first + len(rows)))
    _sqlite_insert(connection, table, rows, ids)
    return ids


def _sqlite_insert(connection: Connection, table: Table, rows: Sequence[dict[str, Any]], ids: list[int] | None) -> None:
    dialect = connection.dialect
    keys = list(rows[0])
    columns = [table.c[k] for k in keys]
    extra = [c for c in table.columns if c.key not in keys and c.default is not None and not c.primary_key]
    defaults = [c.default.arg(None) if callable(c.default.arg) else c.default.arg for c in extra]
    values: list[Iterable[Any]] = [
        _converted([row[k] for row in rows], _processor(c, dialect)) for k, c in zip(keys, columns, strict=True)
    ]
    if ids is not None:
        columns.append(table.c.id)
        values.append(ids)
    for column, default in zip(extra, defaults, strict=True):  # one value, repeated for every row
        values.append(itertools.repeat(_converted([default], _processor(column, dialect))[0]))
    names = ", ".join(f'"{c.name}"' for c in (*columns, *extra))
    marks = ", ".join("?" for _ in range(len(columns) + len(extra)))
    cursor = connection.connection.driver_connection.cursor()
    try:
        with _indexes_rebuilt_if_cheaper(cursor, table.name, len(rows)):
            cursor.executemany(f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})', zip(*values, strict=False))
    finally:
        cursor.close()


@contextlib.contextmanager
def _indexes_rebuilt_if_cheaper(cursor: Any, table: str, new_rows: int) -> Iterator[None]:
    """Loading at least as many rows as a table already holds: drop its secondary indexes and create them again
    afterwards (one sort per index instead of a B-tree insert per row per index). In the caller's transaction, so
    a rollback restores them; constraint indexes (UNIQUE, primary key) are never touched."""
    held = cursor.execute(f'SELECT max(rowid) FROM "{table}"').fetchone()[0] or 0  # an upper bound, from the key
    if new_rows < max(REBUILD_MIN_ROWS, held):
        yield
        return
    query = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL"
    indexes = cursor.execute(query, (table,)).fetchall()
    for name, _ in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    try:
        yield
    finally:  # also after a failed insert: a caller that catches the error and commits keeps its indexes
        for _, sql in indexes:
            cursor.execute(sql)


def _processor(column: Column, dialect: Dialect) -> Callable[[Any], Any] | None:
    return column.type.dialect_impl(dialect).bind_processor(dialect)


def _converted(values: list[Any], processor: Callable[[Any], Any] | None) -> list[Any]:
    """The values as the driver gets them; each distinct hashable value is converted once."""
    if processor is None:
        return values
    seen: dict[Any, Any] = {}
    last: list[Any] = [None, None]  # the last unhashable value (a JSON list or dict) and its conversion

    def convert(value: Any) -> Any:
        if value is None:
            return None
        try:
            return seen[value]
        except KeyError:
            seen[value] = result = processor(value)
            return result
        except TypeError:
            if value is not last[0]:  # the same object passed for every row is converted once
                last[:] = [value, processor(value)]
            return last[1]

    return [convert(v) for v in values]


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while a file is loaded: the sheet's million cells are live objects that every
    full collection would walk again and again (a fifth of the validation time at 50,000 rows). The loaders make
    no reference cycles worth collecting; the collector is switched back on (if it was on) at the end."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def has_rows(session: Session, table: Table) -> bool:
    """Whether the table holds any row (a first load can skip looking its rows up)."""
    return session.execute(select(table.c.id).limit(1)).first() is not None


def max_id(session: Session, table: Table) -> int:
    """The highest id so far: rows this transaction inserts next get higher ids (autoincrement keys)."""
    return session.scalar(select(func.max(table.c.id))) or 0


@contextlib.contextmanager
def search_index_paused(session: Session, house_table: Table) -> Iterator[None]:
    """Pause the house search-index triggers for a bulk insert, then index the new rows and restore the triggers.

    Everything runs in the caller's transaction, so a rollback also restores the triggers."""
    connection = session.connection()
    if not search_index.has_search_index(connection):
        yield
        return
    before = max_id(session, house_table)
    search_index.pause_triggers(connection)
    yield
    connection.execute(
        # in rowid order: read through the search_text index, FTS5 would get the rows shuffled (four times slower)
        text(
            "INSERT INTO house_fts(rowid, search_text)"
            " SELECT id, search_text FROM house NOT INDEXED WHERE id > :before ORDER BY id"
        ),
        {"before": before},
    )
    for name, body in search_index.TRIGGERS.items():
        connection.exec_driver_sql(f"CREATE TRIGGER {name} {body}")
