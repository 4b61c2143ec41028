"""Where Liandu Desk keeps its data, logs and bundled resources."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from platformdirs import user_data_path, user_log_path

from liandu_desk import APP_ID

DB_ENV_VAR = "LIANDU_DESK_DB"
DATA_DIR_ENV_VAR = "LIANDU_DESK_HOME"


def data_dir() -> Path:
    """The per-user data folder (overridable with LIANDU_DESK_HOME, e.g. for tests)."""
    override = os.environ.get(DATA_DIR_ENV_VAR)
    path = Path(override) if override else user_data_path(APP_ID, appauthor=False)
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_dir() -> Path:
    """The per-user log folder."""
    override = os.environ.get(DATA_DIR_ENV_VAR)
    path = Path(override) / "logs" if override else user_log_path(APP_ID, appauthor=False)
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db_path() -> Path:
    """The embedded SQLite database used when no --db and no LIANDU_DESK_DB is given."""
    return data_dir() / "liandu_desk.sqlite3"


def project_root() -> Path:
    """The folder holding resources/ and db/: the bundle when frozen, else the source checkout."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle)
    return Path(__file__).resolve().parent.parent


def resource_path(*parts: str) -> Path:
    """A file under resources/, found the same way from source and from a frozen build."""
    return project_root().joinpath("resources", *parts)


def migrations_path() -> Path:
    """The Alembic script folder (db/)."""
    return project_root() / "db"
