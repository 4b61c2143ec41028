"""Faults: a full disk gives a clear message, leaves the database unchanged and the app usable."""

from __future__ import annotations

import pytest
from sqlalchemy import event, func, select

from liandu_desk.domain.errors import RuleError
from liandu_desk.domain.registry import Person
from liandu_desk.services.integrity import database_integrity, verify_audit_chain
from liandu_desk.storage import Database

pytestmark = pytest.mark.sqlite_only


def test_disk_full_is_explained_and_nothing_changes(db: Database) -> None:
    with db.session_scope() as session:
        session.add(Person(name="满盘前"))
    with db.engine.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()

    def cap(dbapi_connection, _record) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    db.dispose()
    event.listen(db.engine, "connect", cap)
    with pytest.raises(RuleError, match="磁盘空间不足"), db.session_scope() as session:
        session.add_all(Person(name=f"大量{i}", note="备注" * 500) for i in range(400))
    with db.session_scope() as session:
        assert session.scalar(select(func.count(Person.id))) == 1
        assert database_integrity(session) == ["ok"] and verify_audit_chain(session).ok
    event.remove(db.engine, "connect", cap)
    db.dispose()
    with db.session_scope() as session:  # still usable once space is back
        session.add(Person(name="恢复后"))
    with db.session_scope() as session:
        assert set(session.scalars(select(Person.name))) == {"满盘前", "恢复后"}
