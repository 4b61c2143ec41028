"""The Database object: resolves the URL, creates the engine lazily and hands out short sessions."""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from liandu_desk.domain.errors import ConflictError, RuleError
from liandu_desk.paths import DB_ENV_VAR, default_db_path
from liandu_desk.storage import audit_listener

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 10_000
CONNECT_TIMEOUT = 5  # seconds a server connection may take before the clerk is told it cannot be reached


@dataclass(frozen=True)
class ClerkRef:
    """Who is working: written into every audit row of a session."""

    id: int | None
    name: str
    login: str = ""
    role: str = ""


def resolve_db_url(option: str | None = None) -> str:
    """--db beats LIANDU_DESK_DB beats the default file; a plain path becomes a SQLite URL."""
    value = option or os.environ.get(DB_ENV_VAR) or str(default_db_path())
    if "://" in value:
        return value
    return URL.create("sqlite", database=str(Path(value).expanduser().resolve())).render_as_string()


def _sqlite_on_connect(dbapi_connection, _record) -> None:
    # Take transaction control away from the sqlite3 module (its legacy mode commits before DDL and
    # never emits BEGIN for SELECT); SQLAlchemy's "begin" event below emits a real BEGIN instead.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA synchronous = FULL")
    finally:
        cursor.close()


def _sqlite_query_only(dbapi_connection, _record) -> None:
    dbapi_connection.execute("PRAGMA query_only = ON")


def _sqlite_on_begin(connection) -> None:
    connection.exec_driver_sql("BEGIN")


def _explain(exc: OperationalError, read_only_reason: str) -> Exception:
    """Turn the SQLite failures a clerk can meet into plain Chinese; anything else stays as it is."""
    text = str(exc.orig if exc.orig is not None else exc).lower()
    if read_only_reason and "readonly" in text.replace(" ", ""):
        return RuleError(f"只读模式，不能保存：{read_only_reason}")
    if "disk is full" in text or "disk i/o error" in text:
        log.error("write failed: %s", exc)
        return RuleError("磁盘空间不足或磁盘出错，本次修改没有保存（数据库保持原样）。请清理磁盘空间后重试。")
    if "database is locked" in text:
        return RuleError("数据库正忙（其他程序正在写入），本次修改没有保存，请稍后重试。")
    return exc


def _identity(obj: object) -> object:
    """The primary key from the identity map (reading the attribute would try to reload the expired row)."""
    identity = inspect(obj).identity
    return identity[0] if identity and len(identity) == 1 else identity


def _stale_record(session: Session, exc: StaleDataError) -> ConflictError:
    """Name the record behind a failed versioned UPDATE/DELETE (the table is in SQLAlchemy's message)."""
    text = str(exc)
    candidates = [
        obj
        for obj in [*session.dirty, *session.deleted, *session.identity_map.values()]
        if getattr(obj, "__tablename__", "") and f"'{obj.__tablename__}'" in text
    ]
    ids = {_identity(obj) for obj in candidates}
    if len(ids) == 1:
        return ConflictError(table=candidates[0].__tablename__, row_id=ids.pop())
    return ConflictError()


class Database:
    """One database (SQLite file or server URL): engine created on first use, never at import time."""

    def __init__(self, url: str, clerk: ClerkRef | None = None, read_only_reason: str = "") -> None:
        self.url: URL = make_url(url)
        self.clerk = clerk
        self.read_only_reason = read_only_reason
        self._engine: Engine | None = None
        self._sessionmaker: sessionmaker[Session] | None = None

    @classmethod
    def from_option(cls, option: str | None = None) -> Database:
        """Open the database named by --db, LIANDU_DESK_DB or the default location."""
        return cls(resolve_db_url(option))

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @property
    def sqlite_path(self) -> Path | None:
        """The SQLite file, or None for a server database or an in-memory one."""
        if not self.is_sqlite or not self.url.database or self.url.database == ":memory:":
            return None
        return Path(self.url.database)

    def display_name(self) -> str:
        """How the database is named to the clerk (file path, or server URL without password)."""
        path = self.sqlite_path
        return str(path) if path else self.url.render_as_string(hide_password=True)

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = self._create_engine()
        return self._engine

    def _create_engine(self) -> Engine:
        if self.is_sqlite:
            path = self.sqlite_path
            if path is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(self.url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
            event.listen(engine, "connect", _sqlite_on_connect)
            if self.read_only_reason:
                event.listen(engine, "connect", _sqlite_query_only)
            event.listen(engine, "begin", _sqlite_on_begin)
        else:  # an unreachable server costs at most the connect timeout, never a hung program
            bounded = {} if "connect_timeout" in self.url.query else {"connect_timeout": CONNECT_TIMEOUT}
            engine = create_engine(self.url, pool_pre_ping=True, connect_args=bounded)
        log.info("engine created for %s", self.display_name())
        return engine

    def _maker(self) -> sessionmaker[Session]:
        if self._sessionmaker is None:
            # Every mapped class before the first session: a relationship may name a class of a module nothing has
            # imported yet (ListPublication → ListEntry), and the first query configures all mappers at once.
            import liandu_desk.domain.models  # noqa: F401

            self._sessionmaker = sessionmaker(self.engine, expire_on_commit=False)
            audit_listener.install(self._sessionmaker)
        return self._sessionmaker

    @contextlib.contextmanager
    def session_scope(self) -> Iterator[Session]:
        """One unit of work: commit on success, roll back on any error; stale edits become ConflictError."""
        session = self._maker()()
        session.info["clerk"] = self.clerk
        try:
            yield session
            session.commit()
        except StaleDataError as exc:
            conflict = _stale_record(session, exc)
            session.rollback()
            log.warning("version conflict: %s", exc)
            raise conflict from exc
        except OperationalError as exc:
            session.rollback()
            raise _explain(exc, self.read_only_reason) from exc
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        """Close every pooled connection (before copying or deleting the file)."""
        if self._engine is not None:
            self._engine.dispose()
