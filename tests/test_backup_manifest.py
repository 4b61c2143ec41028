"""Backups that prove themselves: a manifest beside each backup; restore refuses a doctored file, a file without
a manifest, a foreign file or installation, and an older backup unless the loss is confirmed (and recorded)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select

from liandu_desk.domain.errors import RuleError
from liandu_desk.domain.registry import Person
from liandu_desk.domain.settings import AppSetting
from liandu_desk.services.backups import OlderBackupError, backup_now, restore_backup, verify_backup
from liandu_desk.services.integrity import verify_audit_chain
from liandu_desk.storage import Database
from liandu_desk.storage.audit_key import load_key
from liandu_desk.storage.backup import manifest_path, read_manifest, write_manifest

pytestmark = pytest.mark.sqlite_only


def _add(db: Database, name: str, phone: str = "13812345678") -> None:
    with db.session_scope() as session:
        session.add(Person(name=name, phone=phone))


def _names(db: Database) -> set[str]:
    with db.session_scope() as session:
        return set(session.scalars(select(Person.name)))


def _backup(db: Database, folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    return backup_now(db, folder)


def _foreign_backup(db: Database, tmp_path: Path, template_db: Path) -> Path:
    """A valid backup, with its manifest, of another installation's database."""
    other_path = tmp_path / "other.sqlite3"
    shutil.copyfile(template_db, other_path)
    conn = sqlite3.connect(other_path)
    conn.execute("UPDATE app_setting SET value = '\"another-installation\"' WHERE key = 'installation.id'")
    conn.commit()
    conn.close()
    other = Database(f"sqlite:///{other_path}", clerk=db.clerk)
    copy = _backup(other, tmp_path / "theirs")
    other.dispose()
    return copy


def test_manifest_describes_the_backup(db: Database, tmp_path: Path) -> None:
    _add(db, "甲")
    copy = _backup(db, tmp_path / "usb")
    manifest = read_manifest(copy)
    assert manifest["rows"]["person"] == 1 and manifest["schema_revision"]
    assert manifest["audit"]["length"] >= 1 and len(manifest["audit"]["head_hash"]) == 64
    assert manifest["installation_id"] and manifest["created_by"] == "测试员" and len(manifest["sha256"]) == 64
    assert verify_backup(copy, load_key(db.url)).ok


def test_one_changed_phone_digit_is_refused(db: Database, tmp_path: Path) -> None:
    _add(db, "甲", "13812345678")
    copy = _backup(db, tmp_path / "usb")
    conn = sqlite3.connect(copy)
    conn.execute("UPDATE person SET phone = '13812345679'")
    conn.commit()
    conn.close()
    _add(db, "乙")
    with pytest.raises(RuleError, match="SHA-256与清单不符"):
        restore_backup(db, copy, accept_loss=True)
    assert _names(db) == {"甲", "乙"}


def test_missing_or_broken_manifest_is_refused(db: Database, tmp_path: Path) -> None:
    copy = _backup(db, tmp_path / "usb")
    text = manifest_path(copy).read_text(encoding="utf-8")
    manifest_path(copy).unlink()
    with pytest.raises(RuleError, match="缺少清单文件"):
        restore_backup(db, copy)
    manifest_path(copy).write_text(text[:40], encoding="utf-8")
    with pytest.raises(RuleError, match="无法读取或已损坏"):
        restore_backup(db, copy)


def test_foreign_file_with_an_empty_audit_log_is_refused(db: Database, tmp_path: Path, template_db: Path) -> None:
    _add(db, "甲")
    foreign = tmp_path / "foreign.sqlite3"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE audit_log (id INTEGER PRIMARY KEY, hash TEXT)")
    conn.execute("CREATE TABLE person (id INTEGER PRIMARY KEY, name TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(RuleError, match="缺少清单文件"):
        restore_backup(db, foreign)
    write_manifest(foreign, "攻击者")  # a manifest made for it does not make it this installation's backup
    with pytest.raises(RuleError, match="未恢复"):
        restore_backup(db, foreign)
    assert _names(db) == {"甲"}


def test_backup_of_another_installation_is_refused(db: Database, tmp_path: Path, template_db: Path) -> None:
    copy = _foreign_backup(db, tmp_path, template_db)
    _add(db, "甲")
    with pytest.raises(RuleError, match="另一套安装"):
        restore_backup(db, copy, accept_loss=True)
    assert _names(db) == {"甲"}


def test_older_backup_needs_the_loss_confirmed_and_the_confirmation_is_recorded(db: Database, tmp_path: Path) -> None:
    _add(db, "甲")
    copy = _backup(db, tmp_path / "usb")
    _add(db, "乙")
    _add(db, "丙")
    with pytest.raises(OlderBackupError) as refused:
        restore_backup(db, copy)
    assert refused.value.lost == 2 and "丢失" in refused.value.message
    assert _names(db) == {"甲", "乙", "丙"}
    restore_backup(db, copy, accept_loss=True)
    assert _names(db) == {"甲"}
    with db.session_scope() as session:
        record = session.get(AppSetting, "restore.last_accepted_loss")
        assert record is not None and record.value["lost_audit_entries"] == 2 and record.value["by"] == "测试员"
        assert verify_audit_chain(session).ok
    assert json.loads(manifest_path(copy).read_text(encoding="utf-8"))["rows"]["person"] == 1


def test_installation_id_is_kept_outside_the_file_too(db: Database, tmp_path: Path, template_db: Path) -> None:
    """The database file deleted: a foreign backup is still refused, by the id kept beside it in the key file."""
    from liandu_desk.storage.audit_key import load_key

    _add(db, "甲")
    with db.session_scope() as session:
        inside = session.get(AppSetting, "installation.id").value
    assert load_key(db.url).installation == inside
    copy = _foreign_backup(db, tmp_path, template_db)
    db.dispose()
    db.sqlite_path.unlink()
    with pytest.raises(RuleError, match="本机保存的安装标识"):
        restore_backup(db, copy)
