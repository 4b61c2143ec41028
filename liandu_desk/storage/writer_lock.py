"""One writer per SQLite file: an OS lock beside the database, naming who holds it; network shares refused."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import socket
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

from liandu_desk.domain.errors import RuleError

if TYPE_CHECKING:
    from liandu_desk.storage.database import Database

log = logging.getLogger(__name__)
NETWORK_FILESYSTEMS = {"nfs", "nfs4", "cifs", "smbfs", "smb3", "ncpfs", "afs", "9p", "fuse.sshfs", "sshfs", "davfs"}


@dataclass(frozen=True)
class LockHolder:
    """Who has the database open for writing."""

    clerk: str
    host: str
    pid: int
    since: str

    def describe(self) -> str:
        return f"{self.clerk}（计算机 {self.host}，自 {self.since} 起）"


def _try_lock(handle: IO[str]) -> bool:
    try:
        if sys.platform == "win32":
            import msvcrt

            handle.seek(1 << 20)  # lock a byte past the holder text, so others can still read who holds it
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _mount_type(path: Path) -> str:
    """The file-system type of the mount holding path (Linux /proc/mounts), or ''."""
    try:
        mounts = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return ""
    best, kind = "", ""
    target = str(path.resolve())
    for line in mounts:
        parts = line.split()
        inside = len(parts) >= 3 and (target == parts[1] or target.startswith(parts[1].rstrip("/") + "/"))
        if inside and len(parts[1]) > len(best):
            best, kind = parts[1], parts[2]
    return kind


def is_network_path(path: Path) -> bool:
    """True for a UNC path or a mapped network drive (Windows) or a network file system mount (Linux)."""
    text = str(path)
    if text.startswith(("\\\\", "//")):
        return True
    if sys.platform == "win32":
        import ctypes

        root = os.path.splitdrive(str(path.resolve()))[0] + "\\"
        return ctypes.windll.kernel32.GetDriveTypeW(root) == 4  # DRIVE_REMOTE
    return _mount_type(path.parent if not path.exists() else path) in NETWORK_FILESYSTEMS


class WriterLock:
    """Held for as long as this process writes to the database; released by the OS if the process dies."""

    _held: dict[Path, WriterLock] = {}

    def __init__(self, db_path: Path) -> None:
        self.path = db_path.with_name(db_path.name + ".lock")
        self._handle: IO[str] | None = None

    @classmethod
    def acquire(cls, db_path: Path, clerk: str) -> tuple[WriterLock | None, LockHolder | None]:
        """(lock, None) when this process may write; (None, holder) when someone else holds it."""
        key = db_path.resolve()
        if key in cls._held:
            return cls._held[key], None
        lock = cls(db_path)
        holder = lock._take(clerk)
        if holder is None:
            cls._held[key] = lock
            return lock, None
        return None, holder

    def _take(self, clerk: str) -> LockHolder | None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - kept open while the lock is held
        if not _try_lock(handle):
            handle.seek(0)
            holder = _parse_holder(handle.read())
            handle.close()
            return holder
        me = LockHolder(clerk, socket.gethostname(), os.getpid(), dt.datetime.now().strftime("%Y-%m-%d %H:%M"))
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps(me.__dict__, ensure_ascii=False))
        handle.flush()
        self._handle = handle
        log.info("writer lock taken on %s", self.path)
        return None

    def release(self) -> None:
        """Give the database up (the lock file stays; its content is stale once unlocked)."""
        if self._handle is not None:
            self._handle.close()
            self._handle = None
        self._held.pop(self.path.with_name(self.path.name[: -len(".lock")]).resolve(), None)


def _parse_holder(text: str) -> LockHolder:
    try:
        data = json.loads(text[text.index("{") :])
        return LockHolder(str(data["clerk"]), str(data["host"]), int(data["pid"]), str(data["since"]))
    except (ValueError, KeyError, TypeError):
        return LockHolder("未知用户", "未知计算机", 0, "未知时间")


NETWORK_SHARE_REASON = (
    "数据库文件位于网络共享文件夹上。多台计算机通过共享文件夹同时写入同一个 SQLite 文件会损坏数据，"
    "因此本程序以只读方式打开。多人共用请使用共享服务器模式（--db postgresql+psycopg://…）。"
)


def require_writer(db: Database, action: str) -> None:
    """Take (or keep) the writer lock of a SQLite file before `action` writes to it; refuse, naming the holder.

    Used by the commands that rewrite the whole file or its schema (restore, migrations): they must never run
    while another program writes, or that program's committed work would be overwritten.
    """
    path = db.sqlite_path
    if path is None:
        return
    if is_network_path(path):
        raise RuleError(f"不能{action}：{NETWORK_SHARE_REASON}")
    clerk = db.clerk.name if db.clerk is not None else "未知用户"
    _lock, holder = WriterLock.acquire(path, clerk)
    if holder is not None:
        raise RuleError(f"不能{action}：数据库正由{holder.describe()}使用。请该程序关闭后再试。")


def claim_writer(db: Database, clerk: str) -> str:
    """Take the writer lock for a SQLite file before its engine exists; '' when writable, else why not.

    The reason is stored on the Database, which then opens every connection with PRAGMA query_only.
    """
    path = db.sqlite_path
    if path is None:
        return ""
    if is_network_path(path):
        reason = NETWORK_SHARE_REASON
    else:
        _lock, holder = WriterLock.acquire(path, clerk)
        reason = f"数据库正由{holder.describe()}使用，本窗口以只读方式打开" if holder else ""
    db.read_only_reason = reason
    if reason:
        log.warning("opening %s read-only: %s", path, reason)
    return reason
