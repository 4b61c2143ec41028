"""Online copies of a SQLite database through SQLite's backup API (safe while the app is running)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import sqlite3
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


MANIFEST_FORMAT = 1
INSTALLATION_KEY = "installation.id"


def manifest_path(backup: Path) -> Path:
    """The manifest beside a backup file: <backup>.manifest.json."""
    return backup.with_name(backup.name + ".manifest.json")


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def describe_sqlite(path: Path) -> dict[str, Any]:
    """What a database file holds: schema revision, row counts, audit chain length and head, installation id."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        tables = [n for n in names if not n.startswith(("sqlite_", "house_fts"))]
        rows = {name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in tables}
        revision = (
            sorted(r[0] for r in conn.execute("SELECT version_num FROM alembic_version"))
            if "alembic_version" in names
            else []
        )
        audit_columns = {r[1] for r in conn.execute("PRAGMA table_info(audit_log)")} if "audit_log" in names else set()
        head = (  # a file older than the hash chain (migration 0002) has no head
            conn.execute("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
            if "hash" in audit_columns
            else None
        )
        found = (
            conn.execute("SELECT value FROM app_setting WHERE key = ?", (INSTALLATION_KEY,)).fetchone()
            if "app_setting" in names
            else None
        )
    finally:
        conn.close()
    installation = json.loads(found[0]) if found else ""
    return {
        "schema_revision": revision,
        "rows": rows,
        "installation_id": installation,
        "audit": {
            "length": rows.get("audit_log", 0),
            "head_id": head[0] if head else 0,
            "head_hash": head[1] if head else "",
        },
    }


def latest_anchor(source: Path) -> dict[str, Any]:
    """The newest line of the database's anchor journal ({} when there is none)."""
    journal = source.with_name(source.name + ".anchors")
    try:
        lines = journal.read_text(encoding="utf-8").splitlines()
        return json.loads(lines[-1]) if lines else {}
    except (OSError, ValueError):
        return {}


def write_manifest(backup: Path, created_by: str = "", source: Path | None = None) -> dict[str, Any]:
    """Write (atomically, fsynced) the manifest that lets a restore prove the backup is whole and whose it is;
    it carries the database's latest audit anchor, so the backup also proves how far the chain had reached."""
    manifest = {
        "anchor": latest_anchor(source) if source is not None else {},
        "format": MANIFEST_FORMAT,
        "file": backup.name,
        "sha256": file_sha256(backup),
        "size": backup.stat().st_size,
        **describe_sqlite(backup),
        "created_by": created_by,
        "created_at": dt.datetime.now().astimezone().isoformat(),
    }
    target = manifest_path(backup)
    partial = target.with_name(target.name + ".partial")
    with open(partial, "w", encoding="utf-8") as handle:
        json.dump(manifest, handle, ensure_ascii=False, indent=1)
        handle.flush()
        os.fsync(handle.fileno())
    partial.replace(target)
    return manifest


def read_manifest(backup: Path) -> dict[str, Any]:
    """The backup's manifest; ValueError (Chinese) when missing or unreadable."""
    path = manifest_path(backup)
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValueError(f"备份缺少清单文件（{path.name}），无法证明其完整和来源") from None
    except (OSError, ValueError):
        raise ValueError(f"备份的清单文件（{path.name}）无法读取或已损坏") from None
    if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
        raise ValueError(f"备份的清单文件（{path.name}）格式不符")
    return manifest


def backup_sqlite(source: Path, target: Path, created_by: str = "") -> Path:
    """Copy a live SQLite database to target with the online backup API; verify the copy opens clean; write its
    manifest beside it."""
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
    write_manifest(target, created_by, source)
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
        manifest_path(path).unlink(missing_ok=True)
    return doomed
