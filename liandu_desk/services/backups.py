"""Backups and restore of the embedded SQLite database: manual, automatic (daily when changed) and verified."""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from liandu_desk.domain.errors import RuleError
from liandu_desk.services.integrity import database_integrity, verify_audit_chain
from liandu_desk.services.permissions import Permission, check_actor
from liandu_desk.storage.backup import backup_sqlite, restore_sqlite, rotate, sqlite_integrity, timestamped_backup_path
from liandu_desk.storage.database import Database
from liandu_desk.storage.writer_lock import require_writer

log = logging.getLogger(__name__)
AUTO_REASON = "auto"


@dataclass(frozen=True)
class BackupCheck:
    """What verifying a backup file found."""

    integrity: str
    audit_entries: int
    chain_problem: str

    @property
    def ok(self) -> bool:
        return self.integrity == "ok" and not self.chain_problem


def _sqlite_file(db: Database) -> Path:
    path = db.sqlite_path
    if path is None:
        raise RuleError("服务器数据库请由数据库管理员使用 pg_dump 等工具备份；本功能只用于本机 SQLite 数据库。")
    return path


def backup_now(db: Database, out: Path | None = None, reason: str = "manual") -> Path:
    """An online, verified copy: to `out` (a file, or a folder for a timestamped name) or to backups/."""
    source = _sqlite_file(db)
    target = timestamped_backup_path(source, reason, out) if out is None or out.is_dir() else out
    return backup_sqlite(source, target)


def verify_backup(path: Path) -> BackupCheck:
    """Open a copy of the backup and check the file and the audit chain."""
    if not path.is_file():
        raise RuleError(f"找不到备份文件：{path}")
    integrity = sqlite_integrity(path)
    if integrity != "ok":
        return BackupCheck(integrity, 0, "")
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "check.sqlite3"
        shutil.copyfile(path, copy)
        probe = Database(f"sqlite:///{copy}")
        try:
            with probe.session_scope() as session:
                report = verify_audit_chain(session)
                integrity = database_integrity(session)[0]
        except Exception as exc:
            return BackupCheck(f"无法读取：{exc}", 0, "")
        finally:
            probe.dispose()
    return BackupCheck(integrity, report.checked, "" if report.ok else report.reason)


def restore_backup(db: Database, path: Path) -> Path:
    """Verify the backup, back up the current data first, then restore; returns the safety copy's path."""
    check_actor(db.clerk, Permission.RESTORE)
    target = _sqlite_file(db)
    require_writer(db, "恢复备份")
    check = verify_backup(path)
    if not check.ok:
        raise RuleError(
            f"备份文件未通过校验，未恢复：{check.integrity if check.integrity != 'ok' else check.chain_problem}"
        )
    safety = backup_sqlite(target, timestamped_backup_path(target, "pre-restore")) if target.exists() else None
    db.dispose()
    restore_sqlite(path, target)
    log.info("restored %s from %s (safety copy %s)", target, path, safety)
    return safety or path


def auto_backup_due(db: Database, now: dt.datetime | None = None) -> bool:
    """True when there is no automatic backup from the last 24 hours older than the database's last change."""
    source = db.sqlite_path
    if source is None or not source.exists():
        return False
    folder = source.parent / "backups"
    latest = max(folder.glob(f"{source.stem}-{AUTO_REASON}-*.sqlite3"), key=lambda p: p.stat().st_mtime, default=None)
    if latest is None:
        return True
    changed = max(p.stat().st_mtime for p in source.parent.glob(source.name + "*"))
    age = (now or dt.datetime.now()).timestamp() - latest.stat().st_mtime
    return changed > latest.stat().st_mtime and age >= 24 * 3600


def auto_backup(db: Database, keep: int = 10, now: dt.datetime | None = None) -> Path | None:
    """At most daily, and only when the data changed: a verified copy in backups/, keeping the newest `keep`."""
    if not auto_backup_due(db, now):
        return None
    source = _sqlite_file(db)
    path = backup_sqlite(source, timestamped_backup_path(source, AUTO_REASON))
    rotate(path.parent, f"{source.stem}-{AUTO_REASON}-*.sqlite3", keep)
    return path


def backup_before(db: Database, reason: str, keep: int = 10) -> Path | None:
    """A verified copy taken before a bulk change (import, restore); rotated per reason. None for a server database."""
    source = db.sqlite_path
    if source is None or not source.exists():
        return None
    path = backup_sqlite(source, timestamped_backup_path(source, reason))
    rotate(path.parent, f"{source.stem}-{reason}-*.sqlite3", keep)
    return path
