"""On a server the anchors live in the append-only audit_anchor table: check compares the chain with them."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from liandu_desk.domain.audit import AuditAnchor
from liandu_desk.domain.registry import Person
from liandu_desk.services.integrity import verify_anchors

pytestmark = pytest.mark.skipif(
    "not __import__('os').environ.get('LIANDU_DESK_TEST_PG')", reason="the anchor table is used on PostgreSQL"
)


def test_server_anchors_catch_a_truncated_chain(db) -> None:
    for n in range(4):
        with db.session_scope() as session:
            session.add(Person(name=f"户主{n}"))
    with db.session_scope() as session:
        assert session.scalar(select(func.count()).select_from(AuditAnchor)) == 4
        assert verify_anchors(session) == ""
    with db.engine.begin() as connection, pytest.raises(Exception, match="append-only"):
        connection.execute(text("DELETE FROM audit_anchor"))
    with db.engine.begin() as connection:  # a superuser disables the guard and truncates the chain
        connection.execute(text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only"))
        connection.execute(text("DELETE FROM audit_log WHERE id > 2"))
    with db.session_scope() as session:
        assert "已不存在" in verify_anchors(session)
