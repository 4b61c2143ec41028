"""Fast bulk inserts inside the session's transaction: raw executemany on SQLite, Core executemany elsewhere."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Table, func, insert, select, text
from sqlalchemy.orm import Session

from liandu_desk.services.houses import search_index


def bulk_insert(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert rows (dicts with the same keys) applying the columns' Python defaults and type conversions.

    On SQLite the values go through each column type's bind processor and one DBAPI executemany, which skips
    SQLAlchemy's per-row parameter processing; other databases use a Core executemany."""
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
    processors = [c.type.bind_processor(dialect) for c in (*columns, *extra)]
    fixed = [p(v) if p and v is not None else v for p, v in zip(processors[len(keys) :], defaults, strict=True)]
    own = processors[: len(keys)]
    names = ", ".join(f'"{c.name}"' for c in (*columns, *extra))
    marks = ", ".join("?" for _ in range(len(columns) + len(extra)))
    params = [
        [p(v) if p is not None and v is not None else v for p, v in zip(own, row.values(), strict=True)] + fixed
        for row in rows
    ]
    cursor = connection.connection.driver_connection.cursor()
    try:
        cursor.executemany(f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})', params)
    finally:
        cursor.close()


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
        text("INSERT INTO house_fts(rowid, search_text) SELECT id, search_text FROM house WHERE id > :before"),
        {"before": before},
    )
    for name, body in search_index.TRIGGERS.items():
        connection.exec_driver_sql(f"CREATE TRIGGER {name} {body}")
