"""Fast bulk inserts inside the session's transaction: raw executemany on SQLite, Core executemany elsewhere."""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import Column, Table, func, insert, select, text
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

from liandu_desk.services.houses import search_index


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
    dialect = connection.dialect
    keys = list(rows[0])
    columns = [table.c[k] for k in keys]
    extra = [c for c in table.columns if c.key not in keys and c.default is not None and not c.primary_key]
    defaults = [c.default.arg(None) if callable(c.default.arg) else c.default.arg for c in extra]
    values: list[Iterable[Any]] = [
        _converted([row[k] for row in rows], _processor(c, dialect)) for k, c in zip(keys, columns, strict=True)
    ]
    for column, default in zip(extra, defaults, strict=True):  # one value, repeated for every row
        values.append(itertools.repeat(_converted([default], _processor(column, dialect))[0]))
    names = ", ".join(f'"{c.name}"' for c in (*columns, *extra))
    marks = ", ".join("?" for _ in range(len(columns) + len(extra)))
    cursor = connection.connection.driver_connection.cursor()
    try:
        cursor.executemany(f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})', zip(*values, strict=False))
    finally:
        cursor.close()


def _processor(column: Column, dialect: Dialect) -> Callable[[Any], Any] | None:
    return column.type.dialect_impl(dialect).bind_processor(dialect)


def _converted(values: list[Any], processor: Callable[[Any], Any] | None) -> list[Any]:
    """The values as the driver gets them; each distinct hashable value is converted once."""
    if processor is None:
        return values
    seen: dict[Any, Any] = {}

    def convert(value: Any) -> Any:
        if value is None:
            return None
        try:
            return seen[value]
        except KeyError:
            seen[value] = result = processor(value)
            return result
        except TypeError:  # unhashable (a JSON list or dict)
            return processor(value)

    return [convert(v) for v in values]


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
