"""Online copies of a SQLite database through SQLite's backup API (safe while the app is running)."""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from pathlib import Path

log = logging.getLogger(__name__)


def backup_sqlite(source: Path, target: Path) -> Path:
    """Copy a live SQLite database to target with the online backup API; verify the copy opens clean."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst)
            result = dst.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            dst.close()
    finally:
        src.close()
    if result != "ok":
        partial.unlink(missing_ok=True)
        raise RuntimeError(f"备份校验失败：{result}")
    partial.replace(target)
    log.info("backup of %s written to %s", source, target)
    return target


def timestamped_backup_path(source: Path, reason: str, folder: Path | None = None) -> Path:
    """backups/<name>-<reason>-<YYYYmmdd-HHMMSS>.sqlite3 beside the database unless a folder is given."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    folder = folder or source.parent / "backups"
    return folder / f"{source.stem}-{reason}-{stamp}.sqlite3"
