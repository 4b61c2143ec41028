"""Brings a database to the newest schema with Alembic, backing up an existing SQLite file first.

Alembic (a fifth of a second to import) loads only when the database is not plainly at the newest revisions: start-up
first compares the database's alembic_version rows with the heads read from the revision files' headers, and hands
over to Alembic whenever either reading is not certain.
"""

from __future__ import annotations

import ast
import functools
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from liandu_desk.paths import migrations_path
from liandu_desk.storage.backup import backup_sqlite, timestamped_backup_path
from liandu_desk.storage.database import Database
from liandu_desk.storage.server_names import OWNER_ROLE
from liandu_desk.storage.writer_lock import require_writer

if TYPE_CHECKING:
    from alembic.config import Config

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
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_path()))
    config.set_main_option("sqlalchemy.url", db.url.render_as_string(hide_password=False).replace("%", "%%"))
    return config


def head_revisions(db: Database) -> tuple[str, ...]:
    """The newest revisions the code knows."""
    from alembic.script import ScriptDirectory

    return tuple(sorted(ScriptDirectory.from_config(alembic_config(db)).get_heads()))


def current_revisions(db: Database) -> tuple[str, ...]:
    """The revisions recorded in the database (empty for a new database)."""
    from alembic.runtime.migration import MigrationContext

    with db.engine.connect() as connection:
        return tuple(sorted(MigrationContext.configure(connection).get_current_heads()))


_HEADER = re.compile(r"^(revision|down_revision|branch_labels|depends_on)\s*(?::[^=]*)?=\s*(.+?)\s*$", re.MULTILINE)


@functools.cache
def _script_heads(versions: Path) -> tuple[str, ...] | None:
    """The heads of the revision files in `versions`, read from their header lines without importing them; None
    when any file says something this reading does not follow (Alembic decides then)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in sorted(versions.glob("*.py")):
        if path.name.startswith(("__init__", ".#")):
            continue
        header: dict[str, object] = {}
        for name, value in _HEADER.findall(path.read_text("utf-8")):
            if name in header:
                return None
            try:
                header[name] = ast.literal_eval(value)
            except (ValueError, SyntaxError):
                return None
        revision, down = header.get("revision"), header.get("down_revision", ())
        if not isinstance(revision, str) or revision in revisions or "down_revision" not in header:
            return None
        if header.get("branch_labels") is not None or header.get("depends_on") is not None:
            return None
        down = () if down is None else (down,) if isinstance(down, str) else down
        if not isinstance(down, tuple) or not all(isinstance(parent, str) for parent in down):
            return None
        revisions.add(revision)
        parents.update(down)
    if not revisions or not parents <= revisions:
        return None
    return tuple(sorted(revisions - parents))


def _recorded_revisions(db: Database) -> tuple[str, ...] | None:
    """The database's alembic_version rows read with plain SQL; None when they cannot be read."""
    with db.engine.connect() as connection:  # a database that cannot be reached fails here, once, as before
        try:
            rows = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
        except DBAPIError:  # no table yet, no right to read it, …: Alembic finds out
            log.debug("alembic_version not read directly", exc_info=True)
            return None
    return tuple(sorted(rows))


def at_head(db: Database) -> tuple[str, ...] | None:
    """The database's revisions when they certainly are the newest the code knows (no Alembic needed), else None."""
    heads = _script_heads(migrations_path() / "versions")
    if heads is None:
        return None
    recorded = _recorded_revisions(db)
    return recorded if recorded == heads else None


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
    current = at_head(db)
    if current is not None:
        return MigrationResult(current, current, None)
    from alembic import command

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
