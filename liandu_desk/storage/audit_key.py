"""The audit chain's key and anchor journal, both kept OUTSIDE the database file.

Key: a random secret per installation (`<database>.auditkey` beside a SQLite file, mode 0600; for a server
database the file named by LIANDU_DESK_AUDIT_KEY_FILE, which IT gives every clerk's PC). From the entry after the
head recorded in the key file on, each audit entry is an HMAC-SHA256 over its predecessor and content, so someone
holding only the database cannot recompute the chain after rewriting or deleting entries. Entries written before
the key existed keep their plain SHA-256 links; the first keyed entry covers the last plain hash, so they are
protected too.

Anchor journal: after every commit that added audit entries, one line (head id, head hash, time) is appended and
fsync'ed to `<database>.anchors`; truncating the chain or rewriting entries that an anchor has seen is detected by
`check` even by someone who also holds the key.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL

log = logging.getLogger(__name__)
KEY_ENV = "LIANDU_DESK_AUDIT_KEY_FILE"
_cache: dict[Path, AuditKey] = {}


@dataclass(frozen=True)
class AuditKey:
    """The installation's secret and the chain position from which entries are keyed."""

    secret: bytes
    since_length: int  # entries 1..since_length are plain SHA-256 links; later ones are keyed
    since_head: str
    installation: str = ""  # the installation id, kept outside the database as well as inside it

    @property
    def fingerprint(self) -> str:
        import hashlib

        return hashlib.sha256(b"liandu-audit-key" + self.secret).hexdigest()[:12]


def _sqlite_file(url: URL) -> Path | None:
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def key_path(url: URL) -> Path | None:
    """Where this database's key lives (None: an in-memory or unkeyed server database)."""
    path = _sqlite_file(url)
    if path is not None:
        return path.with_name(path.name + ".auditkey")
    configured = os.environ.get(KEY_ENV)
    return Path(configured) if configured else None


def anchor_path(url: URL) -> Path | None:
    """The anchor journal beside a SQLite file (server databases keep anchors in the audit_anchor table)."""
    path = _sqlite_file(url)
    return path.with_name(path.name + ".anchors") if path is not None else None


def load_key(url: URL) -> AuditKey | None:
    """The key if its file exists (read once per process and path)."""
    path = key_path(url)
    if path is None:
        return None
    if path in _cache:
        return _cache[path]
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        key = AuditKey(
            bytes.fromhex(data["secret"]),
            int(data["since_length"]),
            str(data["since_head"]),
            str(data.get("installation", "")),
        )
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError) as exc:
        raise RuntimeError(f"审计密钥文件 {path} 无法读取：{exc}") from None
    _cache[path] = key
    return key


def _payload(key: AuditKey) -> str:
    return json.dumps(
        {
            "secret": key.secret.hex(),
            "since_length": key.since_length,
            "since_head": key.since_head,
            "installation": key.installation,
        }
    )


def create_key(url: URL, since_length: int, since_head: str, installation: str = "") -> AuditKey | None:
    """Create the key at the chain's current head (exclusive create: a second process reads the first's key)."""
    path = key_path(url)
    if path is None:
        return None
    key = AuditKey(secrets.token_bytes(32), since_length, since_head, installation)
    if not _publish(path, _payload(key)):
        return load_key(url)  # another process created it first: use theirs
    _cache[path] = key
    log.info("audit key created at %s (keyed from entry %d on)", path, since_length + 1)
    return key


def _publish(path: Path, payload: str) -> bool:
    """Write the key whole under a temporary name, then link it into place: a reader (or a crash at any moment)
    never sees a half-written key file. False when the file already exists."""
    temp = path.with_name(f"{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temp, path)  # atomic, and refuses an existing file
        except FileExistsError:
            return False
        _sync_folder(path.parent)
        return True
    finally:
        temp.unlink(missing_ok=True)


def _sync_folder(folder: Path) -> None:
    """Make a new directory entry durable (POSIX; Windows has no directory handles to fsync)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def forget_cached_keys() -> None:
    """Drop the per-process cache (after a key file was replaced, and in tests)."""
    _cache.clear()


def append_anchor(url: URL, head_id: int, head_hash: str) -> None:
    """Append (head id, head hash, time) to the anchor journal and fsync it."""
    path = anchor_path(url)
    if path is None:
        return
    line = json.dumps({"head_id": head_id, "head": head_hash, "at": dt.datetime.now(dt.UTC).isoformat()}) + "\n"
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(line)
        handle.flush()
        os.fsync(handle.fileno())


def read_anchors(url: URL) -> list[dict]:
    """Every anchor of the journal, oldest first (unreadable lines are reported as such)."""
    path = anchor_path(url)
    if path is None or not path.exists():
        return []
    anchors = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        try:
            anchors.append({**json.loads(line), "line": number})
        except ValueError:
            anchors.append({"head_id": -1, "head": "", "at": "", "line": number})
    return anchors


def append_restore_marker(url: URL, length: int, head_id: int, head_hash: str) -> None:
    """Before a restore overwrites the file: the head the database is about to have. Anchors before the newest
    marker describe the replaced chain; if the restore never completed (a crash), they still describe the file."""
    path = anchor_path(url)
    if path is None:
        return
    line = {
        "restore": True,
        "length": length,
        "head_id": head_id,
        "head": head_hash,
        "at": dt.datetime.now(dt.UTC).isoformat(),
    }
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(line) + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def rebase_after_restore(url: URL, length: int, head_hash: str) -> None:
    """After a restore to an older state than the key's starting point: key from the restored head on (the same
    secret; verification treats a completed restore the same way if this step was cut short by a crash)."""
    key, path = load_key(url), key_path(url)
    if key is None or path is None or length >= key.since_length:
        return
    payload = _payload(AuditKey(key.secret, length, head_hash, key.installation))
    partial = path.with_name(path.name + ".partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(payload)
        handle.flush()
        os.fsync(handle.fileno())
    partial.replace(path)
    _cache.pop(path, None)


def split_at_restore(anchors: list[dict], head_of: dict[int, str]) -> tuple[list[dict], dict | None]:
    """The anchors that describe the chain now on file, and the restore marker it starts from (if any).

    `head_of` maps audit entry ids to their hashes for the ids the markers name."""
    markers = [i for i, a in enumerate(anchors) if a.get("restore")]
    if not markers:
        return anchors, None
    last = anchors[markers[-1]]
    restored = (last["head_id"] == 0 and not head_of) or head_of.get(last["head_id"]) == last["head"]
    if restored:
        return [a for a in anchors[markers[-1] + 1 :] if not a.get("restore")], last
    return split_at_restore(anchors[: markers[-1]], head_of)
