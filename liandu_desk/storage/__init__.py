"""Storage layer: engine, sessions, SQLite pragmas, migrations at start-up and backups."""

from liandu_desk.storage.database import ClerkRef, Database, resolve_db_url

__all__ = ["ClerkRef", "Database", "resolve_db_url"]
