"""Backups and restore of the embedded SQLite database: manual, automatic (daily when changed) and verified."""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from liandu_desk.domain.errors import RuleError
from liandu_desk.domain.permissions import Permission, check_actor
from liandu_desk.services.integrity import database_integrity, verify_audit_chain
from liandu_desk.storage.audit_key import AuditKey, append_restore_marker, load_key, rebase_after_restore
from liandu_desk.storage.backup import (
    backup_sqlite,
    describe_sqlite,
    file_sha256,
    read_manifest,
    restore_sqlite,
    rotate,
    sqlite_integrity,
    timestamped_backup_path,
)
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
    manifest_problem: str = ""
    manifest: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.integrity == "ok" and not self.chain_problem and not self.manifest_problem

    @property
    def problem(self) -> str:
        if self.integrity != "ok":
            return self.integrity
        return self.manifest_problem or self.chain_problem


class OlderBackupError(RuleError):
    """The backup is an earlier state of this database: restoring it loses the audit entries made since."""

    def __init__(self, lost: int) -> None:
        self.lost = lost
        super().__init__(
            f"该备份早于当前数据：恢复将丢失备份之后的{lost}条操作记录及其对应的数据。"
            "如确需恢复，请由管理员确认丢失这些记录（命令行加 --accept-loss），确认本身会记入操作记录。"
        )


def _sqlite_file(db: Database) -> Path:
    path = db.sqlite_path
    if path is None:
        raise RuleError("服务器数据库请由数据库管理员使用 pg_dump 等工具备份；本功能只用于本机 SQLite 数据库。")
    return path


def _actor(db: Database) -> str:
    return db.clerk.name if db.clerk is not None else ""


def backup_now(db: Database, out: Path | None = None, reason: str = "manual") -> Path:
    """An online, verified copy with its manifest: to `out` (a file, or a folder for a timestamped name) or to
    backups/."""
    source = _sqlite_file(db)
    target = timestamped_backup_path(source, reason, out) if out is None or out.is_dir() else out
    return backup_sqlite(source, target, _actor(db))


def _manifest_problem(path: Path, manifest: dict) -> str:
    """'' when the file is the one the manifest describes, else why not (Chinese)."""
    if file_sha256(path) != manifest.get("sha256"):
        return "备份文件的SHA-256与清单不符：文件在备份后被改动或损坏"
    actual = describe_sqlite(path)
    if actual["audit"] != manifest.get("audit"):
        return "备份中的操作记录链（条数或链头）与清单不符"
    if actual["installation_id"] != manifest.get("installation_id"):
        return "备份中的安装标识与清单不符"
    return ""


def verify_backup(path: Path, key: AuditKey | None = None) -> BackupCheck:
    """Check the manifest (hash, chain head, installation), then open a copy and check the file and the chain."""
    if not path.is_file():
        raise RuleError(f"找不到备份文件：{path}")
    try:
        manifest = read_manifest(path)
    except ValueError as exc:
        return BackupCheck("ok", 0, "", str(exc))
    integrity = sqlite_integrity(path)
    if integrity != "ok":
        return BackupCheck("文件已损坏，不是完好的数据库备份", 0, "", "", manifest)
    problem = _manifest_problem(path, manifest)
    if problem:
        return BackupCheck("ok", 0, "", problem, manifest)
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "check.sqlite3"
        shutil.copyfile(path, copy)
        probe = Database(f"sqlite:///{copy}")
        try:
            with probe.session_scope() as session:
                report = verify_audit_chain(session, key=key, installation_key=False)
                integrity = database_integrity(session)[0]
        except Exception:
            log.exception("backup %s could not be read", path)
            return BackupCheck("无法作为数据库读取", 0, "", "", manifest)
        finally:
            probe.dispose()
    return BackupCheck(integrity, report.checked, "" if report.ok else report.reason, "", manifest)


def _lost_entries(target: Path, manifest: dict) -> int:
    """How many audit entries the current database holds beyond the backup's head (0 if none); refuse a backup
    whose chain is not an earlier state of this database's."""
    current = describe_sqlite(target)
    theirs = manifest["installation_id"]  # '' only in a backup taken before installations had an id
    if current["installation_id"] and theirs and current["installation_id"] != theirs:
        raise RuleError("该备份来自另一套安装（安装标识不同），不是本数据库的备份，未恢复。")
    backup_head = manifest["audit"]
    if current["audit"]["length"] <= backup_head["length"]:
        return 0
    conn = sqlite3.connect(f"file:{target}?mode=ro", uri=True)
    try:
        row = conn.execute("SELECT hash FROM audit_log WHERE id = ?", (backup_head["head_id"],)).fetchone()
    finally:
        conn.close()
    if backup_head["head_id"] and (row is None or row[0] != backup_head["head_hash"]):
        raise RuleError("该备份的操作记录与当前数据不一致（不是本数据库较早的状态），未恢复。")
    return current["audit"]["length"] - backup_head["length"]


def restore_backup(db: Database, path: Path, accept_loss: bool = False) -> Path:
    """Verify the backup and its manifest, back up the current data first, then restore; returns the safety copy.

    Refused: a backup without a valid manifest, one whose hash or chain head disagrees with it, one from another
    installation, and one older than the current audit head unless `accept_loss` (the loss is then recorded)."""
    check_actor(db.clerk, Permission.RESTORE)
    target = _sqlite_file(db)
    require_writer(db, "恢复备份")
    check = verify_backup(path, load_key(db.url))
    if not check.ok:
        raise RuleError(f"备份文件未通过校验，未恢复：{check.problem}")
    outside = getattr(load_key(db.url), "installation", "")
    if outside and check.manifest["installation_id"] and outside != check.manifest["installation_id"]:
        raise RuleError("该备份来自另一套安装（与本机保存的安装标识不同），不是本数据库的备份，未恢复。")
    lost = _lost_entries(target, check.manifest) if target.exists() else 0
    if lost and not accept_loss:
        raise OlderBackupError(lost)
    safety = (
        backup_sqlite(target, timestamped_backup_path(target, "pre-restore"), _actor(db)) if target.exists() else None
    )
    db.dispose()
    head = check.manifest["audit"]
    append_restore_marker(db.url, head["length"], head["head_id"], head["head_hash"])
    restore_sqlite(path, target)
    rebase_after_restore(db.url, head["length"], head["head_hash"])
    log.info("restored %s from %s (safety copy %s, %d audit entries given up)", target, path, safety, lost)
    if lost:
        _record_loss(db, path, lost, safety)
    return safety or path


def _record_loss(db: Database, path: Path, lost: int, safety: Path | None) -> None:
    """An audited change naming the backup, how many entries were given up and where the replaced data went."""
    from liandu_desk.domain.settings import AppSetting
    from liandu_desk.storage.audit_listener import SYSTEM_KEY

    with db.session_scope() as session:
        session.info[SYSTEM_KEY] = "恢复较早的备份"
        row = session.get(AppSetting, "restore.last_accepted_loss") or AppSetting(key="restore.last_accepted_loss")
        row.value = {
            "backup": path.name,
            "lost_audit_entries": lost,
            "safety_copy": str(safety or ""),
            "by": _actor(db),
            "at": dt.datetime.now().astimezone().isoformat(),
        }
        session.add(row)


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
    path = backup_sqlite(source, timestamped_backup_path(source, AUTO_REASON), _actor(db))
    rotate(path.parent, f"{source.stem}-{AUTO_REASON}-*.sqlite3", keep)
    return path


def backup_before(db: Database, reason: str, keep: int = 10) -> Path | None:
    """A verified copy taken before a bulk change (import, restore); rotated per reason. None for a server database."""
    source = db.sqlite_path
    if source is None or not source.exists():
        return None
    path = backup_sqlite(source, timestamped_backup_path(source, reason), _actor(db))
    rotate(path.parent, f"{source.stem}-{reason}-*.sqlite3", keep)
    return path
