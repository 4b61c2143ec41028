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


def sqlite_integrity(path: Path) -> str:
    """'ok' or the first problem PRAGMA integrity_check reports for a SQLite file."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        return str(exc)
    finally:
        conn.close()


def restore_sqlite(source: Path, target: Path) -> None:
    """Overwrite target's content with source's through the backup API (the caller closed its connections)."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
            dst.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            dst.close()
    finally:
        src.close()
    log.info("database %s restored from %s", target, source)


def rotate(folder: Path, pattern: str, keep: int) -> list[Path]:
    """Delete all but the newest `keep` files matching pattern; return the deleted ones."""
    files = sorted(folder.glob(pattern), key=lambda p: p.stat().st_mtime, reverse=True)
    doomed = files[keep:]
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed
