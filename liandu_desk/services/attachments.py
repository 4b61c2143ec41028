"""Attachments for any record: safe names, content-addressed storage, EXIF photo dates and PNG thumbnails.

Storage: the bytes of a SQLite file database's attachments live beside it in ``<db stem>-files/ab/<sha256>``
(the first two hex digits of the SHA-256 as a sub-folder). A file is named by its content only, written
atomically and never overwritten, so identical uploads share one file and a clerk-supplied name (``../``,
``CON``, 300 characters) never reaches the file system: the sanitised original name is metadata only. Server
and in-memory databases keep the bytes in the ``attachment_blob`` table instead. Back up the folder together
with the database file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import mimetypes
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from liandu_desk.domain.attachments import ATTACHMENT_ROLES, Attachment, AttachmentBlob
from liandu_desk.domain.errors import NotFoundError, ValidationError

log = logging.getLogger(__name__)

MAX_BYTES = 50 * 1024 * 1024
MAX_NAME = 120
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
_BAD_CHARS = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_MAGIC = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"%PDF-", "application/pdf"),
    (b"PK\x03\x04", "application/zip"),
)
EXIF_IFD = 0x8769
_PENDING_UNLINK = "attachments_to_unlink"
EXIF_DATETIME_ORIGINAL = 36867
EXIF_DATETIME = 306


@dataclass(frozen=True)
class AttachmentInfo:
    """Attachment metadata for lists and the house page."""

    id: int
    owner_table: str
    owner_id: int
    role: str
    original_name: str
    mime: str
    size: int
    sha256: str
    taken_at: dt.datetime | None
    caption: str

    @property
    def is_image(self) -> bool:
        return self.mime.startswith("image/")


def sanitize_name(name: str) -> str:
    """A harmless display name: no folders, no control or reserved characters, no device names, ≤120 chars."""
    text = unicodedata.normalize("NFC", str(name or ""))
    text = re.split(r"[/\\]", text)[-1]
    text = _BAD_CHARS.sub("_", text).strip(" .")
    stem, dot, ext = text.rpartition(".")
    if not dot:
        stem, ext = text, ""
    if stem.split(".")[0].upper() in _RESERVED or text.upper() in _RESERVED:
        stem = "_" + stem if dot else "_" + text
        text = f"{stem}.{ext}" if dot else stem
    if len(text) > MAX_NAME:
        ext = ext[:10]
        keep = MAX_NAME - (len(ext) + 1 if ext else 0)
        text = (stem[:keep] + ("." + ext if ext else "")) if dot else text[:MAX_NAME]
    return text or "未命名"


def sniff_mime(data: bytes, name: str) -> str:
    """The MIME type from the content's magic bytes, else from the name, else octet-stream."""
    for magic, mime in _MAGIC:
        if data.startswith(magic):
            return mime
    guessed, _ = mimetypes.guess_type(name)
    if guessed and guessed.startswith("image/"):
        return "application/octet-stream"  # claims to be an image but is not one
    return guessed or "application/octet-stream"


def exif_taken_at(data: bytes) -> dt.datetime | None:
    """When the photo was taken (EXIF DateTimeOriginal, else DateTime), or None."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            exif = image.getexif()
            raw = exif.get_ifd(EXIF_IFD).get(EXIF_DATETIME_ORIGINAL) or exif.get(EXIF_DATETIME)
    except (UnidentifiedImageError, OSError, ValueError):
        return None
    if not raw:
        return None
    try:
        return dt.datetime.strptime(str(raw).strip("\x00 ")[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None


def thumbnail_png(data: bytes, size: int = 256) -> bytes | None:
    """A PNG thumbnail at most size×size, or None when the bytes are not an image."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            image = ImageOps.exif_transpose(image)
            image.thumbnail((size, size))
            if image.mode not in ("RGB", "RGBA", "L", "LA"):
                image = image.convert("RGBA")
            out = io.BytesIO()
            image.save(out, format="PNG")
            return out.getvalue()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None


def files_dir(session: Session) -> Path | None:
    """The attachment folder beside a SQLite file database, or None (server or in-memory: blobs)."""
    url = session.get_bind().url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    db_file = Path(url.database)
    return db_file.with_name(f"{db_file.stem}-files")


def _blob_path(folder: Path, sha: str) -> Path:
    return folder / sha[:2] / sha


def _store(session: Session, sha: str, data: bytes) -> str:
    folder = files_dir(session)
    if folder is None:
        if session.get(AttachmentBlob, sha) is None:
            session.add(AttachmentBlob(sha256=sha, data=data))
        return "blob"
    path = _blob_path(folder, sha)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{sha}.{os.getpid()}.partial")
        partial.write_bytes(data)
        os.replace(partial, path)
    return "file"


def _check_owner(session: Session, owner_table: str, owner_id: int) -> None:
    from liandu_desk.domain.models import metadata  # every module's tables, whoever imported what

    table = metadata.tables.get(owner_table)
    if table is None or "id" not in table.c:
        raise ValidationError("附件", f"不能附加到“{owner_table}”")
    if session.scalar(select(func.count()).select_from(table).where(table.c.id == owner_id)) == 0:
        raise NotFoundError(f"要附加的记录（{owner_table} {owner_id}）不存在")


def info(row: Attachment) -> AttachmentInfo:
    return AttachmentInfo(
        row.id,
        row.owner_table,
        row.owner_id,
        row.role,
        row.original_name,
        row.mime,
        row.size,
        row.sha256,
        row.taken_at,
        row.caption,
    )


def add_attachment(
    session: Session, owner_table: str, owner_id: int, name: str, data: bytes, role: str = "文件", caption: str = ""
) -> AttachmentInfo:
    """Attach bytes to a record; the original name is sanitised and kept as metadata only."""
    if not data:
        raise ValidationError("附件", "文件为空")
    if len(data) > MAX_BYTES:
        raise ValidationError("附件", f"文件超过{MAX_BYTES // 1024 // 1024} MB")
    if role not in ATTACHMENT_ROLES:
        raise ValidationError("附件类别", f"应为{'、'.join(ATTACHMENT_ROLES)}之一")
    _check_owner(session, owner_table, owner_id)
    safe = sanitize_name(name)
    mime = sniff_mime(data, safe)
    sha = hashlib.sha256(data).hexdigest()
    storage = _store(session, sha, data)
    taken = exif_taken_at(data) if mime.startswith("image/") else None
    row = Attachment(
        owner_table=owner_table,
        owner_id=owner_id,
        role=role,
        original_name=safe,
        mime=mime,
        size=len(data),
        sha256=sha,
        storage=storage,
        taken_at=taken,
        caption=caption.strip()[:200],
    )
    session.add(row)
    session.flush()
    log.info("attachment %s (%d bytes) added to %s %s", sha[:12], len(data), owner_table, owner_id)
    return info(row)


def read_attachment(session: Session, attachment_id: int) -> bytes:
    """The bytes of an attachment, checked against its SHA-256."""
    row = session.get(Attachment, attachment_id)
    if row is None:
        raise NotFoundError(f"附件（编号{attachment_id}）不存在")
    folder = files_dir(session)
    if row.storage == "blob" or folder is None:
        blob = session.get(AttachmentBlob, row.sha256)
        data = blob.data if blob else None
    else:
        path = _blob_path(folder, row.sha256)
        data = path.read_bytes() if path.exists() else None
    if data is None or hashlib.sha256(data).hexdigest() != row.sha256:
        raise NotFoundError(f"附件“{row.original_name}”的文件缺失或已损坏")
    return data


def thumbnail(session: Session, attachment_id: int, size: int = 256) -> bytes | None:
    """A PNG thumbnail of an image attachment, or None for documents."""
    return thumbnail_png(read_attachment(session, attachment_id), size)


def list_attachments(session: Session, owners: list[tuple[str, int]]) -> list[AttachmentInfo]:
    """Attachments of the given (table, id) owners, oldest first."""
    result: list[AttachmentInfo] = []
    by_table: dict[str, list[int]] = {}
    for table, row_id in owners:
        by_table.setdefault(table, []).append(row_id)
    for table, ids in by_table.items():
        query = select(Attachment).where(Attachment.owner_table == table, Attachment.owner_id.in_(ids))
        result += [info(a) for a in session.scalars(query)]
    return sorted(result, key=lambda a: a.id)


def delete_attachment(session: Session, attachment_id: int) -> None:
    """Remove an attachment; its file goes too when no other attachment shares the content."""
    row = session.get(Attachment, attachment_id)
    if row is None:
        raise NotFoundError(f"附件（编号{attachment_id}）不存在")
    sha = row.sha256
    session.delete(row)
    session.flush()
    if session.scalar(select(func.count()).select_from(Attachment).where(Attachment.sha256 == sha)):
        return
    folder = files_dir(session)
    if folder is not None:
        _unlink_after_commit(session, _blob_path(folder, sha))
    blob = session.get(AttachmentBlob, sha)
    if blob is not None:
        session.delete(blob)
        session.flush()


def _unlink_after_commit(session: Session, path: Path) -> None:
    """Remove the file only once the deletion is committed (a rollback keeps row and file together)."""
    pending: list[Path] = session.info.setdefault(_PENDING_UNLINK, [])
    if not pending:
        event.listen(session, "after_commit", _unlink_pending, once=True)
        event.listen(session, "after_rollback", _forget_pending, once=True)
    pending.append(path)


def _unlink_pending(session: Session) -> None:
    for path in session.info.pop(_PENDING_UNLINK, []):
        path.unlink(missing_ok=True)


def _forget_pending(session: Session) -> None:
    session.info.pop(_PENDING_UNLINK, None)
