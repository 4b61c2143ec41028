"""Shared server roles: setup is idempotent, --check finds drift, a 科员 login cannot escalate."""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ProgrammingError

from liandu_desk.cli import main
from liandu_desk.storage.server_roles import CLERK_GROUP, OWNER_ROLE, check_server, setup_server

PG = os.environ.get("LIANDU_DESK_TEST_PG", "")
pytestmark = pytest.mark.skipif(not PG, reason="needs LIANDU_DESK_TEST_PG (scripts/dev.sh test-pg)")


@pytest.fixture(scope="module")
def server_db():
    name = f"srv_{uuid.uuid4().hex[:8]}"
    setup_server(PG, name)
    yield name
    engine = create_engine(make_url(PG), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


@pytest.fixture
def clerk_login(server_db):
    login = f"k_{uuid.uuid4().hex[:8]}"
    admin = create_engine(make_url(PG).set(database=server_db), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE ROLE \"{login}\" LOGIN PASSWORD 'pw-{login}' IN ROLE {CLERK_GROUP}"))
    engine = create_engine(make_url(PG).set(database=server_db, username=login, password=f"pw-{login}"))
    yield engine
    engine.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP OWNED BY "{login}"'))
        conn.execute(text(f'DROP ROLE "{login}"'))
    admin.dispose()


def _superuser(server_db):
    return create_engine(make_url(PG).set(database=server_db), isolation_level="AUTOCOMMIT")


def test_setup_twice_is_idempotent_and_check_is_clean(server_db, capsys):
    setup_server(PG, server_db)
    assert check_server(PG, server_db).ok
    assert main(["server", "setup", "--admin-url", PG, "--database", server_db, "--check"]) == 0
    assert "未发现偏离" in capsys.readouterr().out
    engine = _superuser(server_db)
    with engine.connect() as conn:
        owners = {r[0] for r in conn.execute(text("SELECT tableowner FROM pg_tables WHERE schemaname='public'"))}
    engine.dispose()
    assert owners == {OWNER_ROLE}


def test_check_reports_manufactured_drift(server_db, capsys):
    engine = _superuser(server_db)
    with engine.connect() as conn:
        conn.execute(text(f"GRANT TRUNCATE ON house TO {CLERK_GROUP}"))
        conn.execute(text("ALTER TABLE audit_log DISABLE TRIGGER USER"))
        conn.execute(text("ALTER TABLE house OWNER TO postgres"))
    try:
        assert main(["server", "setup", "--admin-url", PG, "--database", server_db, "--check"]) == 1
        out = capsys.readouterr().out
        assert f"多余权限：{CLERK_GROUP} 对表 house 有 TRUNCATE" in out
        assert "触发器已被停用：表 audit_log" in out
        assert "对象 house 的所有者是 postgres" in out
    finally:
        with engine.connect() as conn:
            conn.execute(text("ALTER TABLE audit_log ENABLE TRIGGER USER"))
        engine.dispose()
    setup_server(PG, server_db)
    assert check_server(PG, server_db).ok


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE clerk SET role = '管理员'",
        "INSERT INTO clerk (login) VALUES ('x')",
        "DELETE FROM audit_log",
        "UPDATE audit_log SET hash = 'x'",
        "TRUNCATE house",
        "TRUNCATE audit_log",
        "ALTER TABLE audit_log DISABLE TRIGGER USER",
        "DROP TABLE house",
        "CREATE TABLE mine (id int)",
        "ALTER TABLE house OWNER TO CURRENT_USER",
    ],
)
def test_clerk_login_cannot_escalate(server_db, clerk_login, statement):
    with pytest.raises(ProgrammingError) as caught, clerk_login.begin() as conn:
        conn.execute(text(statement))
    assert "permission denied" in str(caught.value) or "must be owner" in str(caught.value)
    assert check_server(PG, server_db).ok


def test_clerk_login_reads_and_writes_case_tables_but_only_appends_audit(server_db, clerk_login):
    with clerk_login.begin() as conn:
        assert conn.execute(text("SELECT count(*) FROM house")).scalar() == 0
        assert conn.execute(text("SELECT count(*) FROM clerk")).scalar() >= 0
        audit_before = conn.execute(text("SELECT count(*) FROM audit_log")).scalar()
    assert audit_before >= 0


def test_clerk_login_never_migrates_an_old_server(server_db, clerk_login):
    from liandu_desk.domain.errors import PermissionDenied
    from liandu_desk.storage.database import Database
    from liandu_desk.storage.migrate import upgrade

    engine = _superuser(server_db)
    with engine.connect() as conn:
        (revision,) = conn.execute(text("SELECT version_num FROM alembic_version LIMIT 1")).one()
        conn.execute(text("UPDATE alembic_version SET version_num = '0001' WHERE version_num = :v"), {"v": revision})
    try:
        db = Database(clerk_login.url.render_as_string(hide_password=False))
        with pytest.raises(PermissionDenied) as caught:
            upgrade(db)
        db.dispose()
        assert "server upgrade" in caught.value.message
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM alembic_version WHERE version_num='0001'")).scalar() == 1
    finally:
        with engine.connect() as conn:
            conn.execute(
                text("UPDATE alembic_version SET version_num = :v WHERE version_num = '0001'"), {"v": revision}
            )
        engine.dispose()
