"""The SQLite FTS5 trigram index of house search text: pausing its triggers for bulk loads, then rebuilding.

The table and triggers are created by migration h0001 (the same SQL as below, which must stay in step).
"""

from __future__ import annotations

from sqlalchemy.engine import Connection

TRIGGERS = {
    "house_fts_ai": "AFTER INSERT ON house BEGIN "
    "INSERT INTO house_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "house_fts_ad": "AFTER DELETE ON house BEGIN "
    "INSERT INTO house_fts(house_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
    "house_fts_au": "AFTER UPDATE OF search_text ON house BEGIN "
    "INSERT INTO house_fts(house_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO house_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
}


def has_search_index(conn: Connection) -> bool:
    """Whether this database has the FTS5 table (SQLite databases migrated to h0001)."""
    if conn.dialect.name != "sqlite":
        return False
    found = conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'house_fts'").first()
    return found is not None


def pause_triggers(conn: Connection) -> None:
    """Drop the sync triggers before a bulk load (call rebuild() afterwards)."""
    for name in TRIGGERS:
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")


def rebuild(conn: Connection) -> None:
    """Re-create the sync triggers and rebuild the index from the house table."""
    for name, body in TRIGGERS.items():
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
        conn.exec_driver_sql(f"CREATE TRIGGER {name} {body}")
    conn.exec_driver_sql("INSERT INTO house_fts(house_fts) VALUES ('rebuild')")
