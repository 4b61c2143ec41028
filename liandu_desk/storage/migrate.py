"""Brings a database to the newest schema with Alembic, backing up an existing SQLite file first."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from liandu_desk.paths import migrations_path
from liandu_desk.storage.backup import backup_sqlite, timestamped_backup_path
from liandu_desk.storage.database import Database
from liandu_desk.storage.server_names import OWNER_ROLE
from liandu_desk.storage.writer_lock import require_writer

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class MigrationResult:
    """What start-up did to the schema."""

    before: tuple[str, ...]
    after: tuple[str, ...]
    backup: Path | None

    @property
    def changed(self) -> bool:
        return self.before != self.after


def alembic_config(db: Database) -> Config:
    """An Alembic Config pointing at db/ and at this database."""
    config = Config()
    config.set_main_option("script_location", str(migrations_path()))
    config.set_main_option("sqlalchemy.url", db.url.render_as_string(hide_password=False).replace("%", "%%"))
    return config


def head_revisions(db: Database) -> tuple[str, ...]:
    """The newest revisions the code knows."""
    return tuple(sorted(ScriptDirectory.from_config(alembic_config(db)).get_heads()))


def current_revisions(db: Database) -> tuple[str, ...]:
    """The revisions recorded in the database (empty for a new database)."""
    with db.engine.connect() as connection:
        return tuple(sorted(MigrationContext.configure(connection).get_current_heads()))


def may_migrate(db: Database) -> bool:
    """True for a superuser or a member of the owner role: only they change a server's schema."""

    with db.engine.connect() as connection:
        row = connection.execute(
            text(
                "SELECT r.rolsuper OR (EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :owner) "
                "AND pg_has_role(current_user, :owner, 'MEMBER')) FROM pg_roles r WHERE r.rolname = current_user"
            ),
            {"owner": OWNER_ROLE},
        ).first()
    return bool(row and row[0])


def upgrade(db: Database, backup: bool = True) -> MigrationResult:
    """Upgrade to head; an existing SQLite database at an older revision is backed up first."""
    before = current_revisions(db)
    heads = head_revisions(db)
    if before != heads:
        require_writer(db, "升级数据库结构")
    copy = None
    if before and before != heads and backup and db.sqlite_path is not None:
        copy = backup_sqlite(db.sqlite_path, timestamped_backup_path(db.sqlite_path, "pre-upgrade"))
    if before != heads and not db.is_sqlite and not may_migrate(db):
        from liandu_desk.domain.errors import PermissionDenied

        found = "、".join(before) or "空库"
        raise PermissionDenied(
            f"服务器数据库的结构版本（{found}）与本程序（{'、'.join(heads)}）不一致，"
            "科员登录不能升级数据库：请信息科用 liandu-desk server upgrade 升级后再登录。"
        )
    if before != heads:
        log.info("migrating %s from %s to %s", db.display_name(), before or "empty", heads)
        config = alembic_config(db)
        with db.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "heads")
    return MigrationResult(before, current_revisions(db), copy)
