"""Attachments: hostile names are harmless, content-addressed storage, EXIF dates, thumbnails, blob fallback."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from pathlib import Path

import pytest
from houses_factories import make_house
from PIL import Image

from liandu_desk.domain.errors import NotFoundError, ValidationError
from liandu_desk.services import attachments as att

HOSTILE = [
    ("../../etc/passwd", "passwd"),
    ("..\\..\\Windows\\system32\\cmd.exe", "cmd.exe"),
    ("CON", "_CON"),
    ("con.txt", "_con.txt"),
    ("LPT1.jpg", "_LPT1.jpg"),
    ("nul", "_nul"),
    ("a\x00b<c>d:e|f?.pdf", "a_b_c_d_e_f_.pdf"),
    ("...", "未命名"),
    ("", "未命名"),
]


def _jpeg(taken: str | None = "2021:03:05 09:30:00", size: tuple[int, int] = (640, 480)) -> bytes:
    image = Image.new("RGB", size, (180, 120, 60))
    exif = Image.Exif()
    if taken:
        exif.get_ifd(att.EXIF_IFD)[att.EXIF_DATETIME_ORIGINAL] = taken
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


@pytest.mark.parametrize(("name", "expected"), HOSTILE)
def test_hostile_names_are_sanitised(name: str, expected: str) -> None:
    assert att.sanitize_name(name) == expected


def test_very_long_name_keeps_its_extension() -> None:
    safe = att.sanitize_name("照" * 300 + ".jpg")
    assert len(safe) <= att.MAX_NAME and safe.endswith(".jpg")


def test_hostile_names_never_reach_the_file_system(db, db_path: Path) -> None:
    data = b"%PDF-1.4 report"
    with db.session_scope() as s:
        house = make_house(s)
        infos = [att.add_attachment(s, "house", house, name, data) for name, _ in HOSTILE + [("x" * 300, "")]]
    folder = db_path.with_name(f"{db_path.stem}-files")
    sha = hashlib.sha256(data).hexdigest()
    stored = [p for p in folder.rglob("*") if p.is_file()]
    assert stored == [folder / sha[:2] / sha]  # one content-addressed file for all the identical uploads
    assert not (db_path.parent / "etc").exists() and not list(db_path.parent.glob("CON*"))
    assert all(i.mime == "application/pdf" and len(i.original_name) <= att.MAX_NAME for i in infos)
    with db.session_scope() as s:
        assert att.read_attachment(s, infos[0].id) == data


def test_photo_taken_at_from_exif_and_png_thumbnail(db) -> None:
    photo = _jpeg()
    with db.session_scope() as s:
        house = make_house(s)
        info = att.add_attachment(s, "house", house, "整改前.JPG", photo, role="整改前")
        plain = att.add_attachment(s, "house", house, "无日期.jpg", _jpeg(taken=None))
        thumb = att.thumbnail(s, info.id, size=128)
        listed = att.list_attachments(s, [("house", house)])
    assert info.taken_at == dt.datetime(2021, 3, 5, 9, 30) and info.is_image and info.mime == "image/jpeg"
    assert plain.taken_at is None
    assert thumb.startswith(b"\x89PNG")
    with Image.open(io.BytesIO(thumb)) as image:
        assert max(image.size) == 128
    assert [a.original_name for a in listed] == ["整改前.JPG", "无日期.jpg"]


def test_fake_image_and_documents_get_no_thumbnail(db) -> None:
    with db.session_scope() as s:
        house = make_house(s)
        fake = att.add_attachment(s, "house", house, "photo.jpg", b"MZ\x90\x00 not an image")
        assert fake.mime == "application/octet-stream" and fake.taken_at is None
        assert att.thumbnail(s, fake.id) is None


def test_owner_and_size_checks(db) -> None:
    with db.session_scope() as s:
        with pytest.raises(NotFoundError):
            att.add_attachment(s, "house", 12345, "a.pdf", b"%PDF-")
        with pytest.raises(ValidationError):
            att.add_attachment(s, "no_such_table; DROP TABLE house", 1, "a.pdf", b"%PDF-")
        house = make_house(s)
        with pytest.raises(ValidationError, match="文件为空"):
            att.add_attachment(s, "house", house, "a.pdf", b"")
        with pytest.raises(ValidationError, match="附件类别"):
            att.add_attachment(s, "house", house, "a.pdf", b"%PDF-", role="秘密")


def test_delete_removes_file_when_unshared(db, db_path: Path) -> None:
    with db.session_scope() as s:
        house = make_house(s)
        first = att.add_attachment(s, "house", house, "a.pdf", b"%PDF-shared")
        second = att.add_attachment(s, "house", house, "b.pdf", b"%PDF-shared")
    path = db_path.with_name(f"{db_path.stem}-files") / first.sha256[:2] / first.sha256
    with db.session_scope() as s:
        att.delete_attachment(s, first.id)
    assert path.exists()
    with db.session_scope() as s:
        att.delete_attachment(s, second.id)
    assert not path.exists()


def test_tampered_file_is_reported(db, db_path: Path) -> None:
    with db.session_scope() as s:
        info = att.add_attachment(s, "house", make_house(s), "a.pdf", b"%PDF-original")
    (db_path.with_name(f"{db_path.stem}-files") / info.sha256[:2] / info.sha256).write_bytes(b"changed")
    with db.session_scope() as s, pytest.raises(NotFoundError, match="缺失或已损坏"):
        att.read_attachment(s, info.id)


def test_blob_storage_without_a_folder(db, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(att, "files_dir", lambda _session: None)
    with db.session_scope() as s:
        info = att.add_attachment(s, "house", make_house(s), "照片.png", _png())
        assert att.read_attachment(s, info.id) == _png()
        assert att.thumbnail(s, info.id) is not None
        att.delete_attachment(s, info.id)
        assert s.get(att.AttachmentBlob, info.sha256) is None


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 16), (0, 90, 200)).save(out, format="PNG")
    return out.getvalue()


def test_rolled_back_delete_keeps_the_file(db, db_path: Path) -> None:
    with db.session_scope() as s:
        info = att.add_attachment(s, "house", make_house(s), "a.pdf", b"%PDF-keep")
    path = db_path.with_name(f"{db_path.stem}-files") / info.sha256[:2] / info.sha256
    with pytest.raises(RuntimeError), db.session_scope() as s:
        att.delete_attachment(s, info.id)
        raise RuntimeError("clerk cancelled")
    assert path.exists()
    with db.session_scope() as s:
        assert att.read_attachment(s, info.id) == b"%PDF-keep"
