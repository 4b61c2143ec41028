"""Numbering and issuing held by the server: a 科员's login can draft but never take a number or issue."""

from __future__ import annotations

import datetime as dt
import io
import os
import uuid

import pytest
from conftest import confirm_test_settings
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from liandu_desk.cli import main
from liandu_desk.domain.errors import PermissionDenied
from liandu_desk.storage import ClerkRef, Database
from liandu_desk.storage.server_roles import check_server, setup_server
from tests.documents_factories import dangerous_house

PG = os.environ.get("LIANDU_DESK_TEST_PG", "")
pytestmark = pytest.mark.skipif(not PG, reason="needs LIANDU_DESK_TEST_PG (scripts/dev.sh test-pg)")
ISSUED_ON = dt.date(2021, 6, 1)


def _url(database: str, login: str | None = None, password: str | None = None) -> str:
    url = make_url(PG).set(database=database)
    if login:
        url = url.set(username=login, password=password)
    return url.render_as_string(hide_password=False)


def _add(mp: pytest.MonkeyPatch, db_url: str, login: str, name: str, role: str, password: str) -> None:
    mp.setattr("sys.stdin", io.StringIO(password + "\n"))
    argv = ["clerk", "add", login, "--name", name, "--role", role, "--password-stdin", "--db", db_url]
    assert main(argv) == 0


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A set-up server, an administrator, a 科员 and a 审核, a dangerous house with a draft notice by the 科员."""
    from liandu_desk.services.documents.house_notices import draft_house_notice

    name = f"is_{uuid.uuid4().hex[:8]}"
    setup_server(PG, name)
    mp = pytest.MonkeyPatch()
    mp.setenv("LIANDU_DESK_AUDIT_KEY_FILE", str(tmp_path_factory.mktemp("key") / "server.auditkey"))
    tag = uuid.uuid4().hex[:6]
    _add(mp, _url(name), f"ad_{tag}", "赵管理", "管理员", "admin-pass-1")
    admin_url = _url(name, f"ad_{tag}", "admin-pass-1")
    _add(mp, admin_url, f"kc_{tag}", "钱科员", "科员", "clerk-pass-1")
    _add(mp, admin_url, f"rv_{tag}", "孙审核", "审核", "review-pass-1")
    it = Database(_url(name), clerk=ClerkRef(None, "信息科", "it", "管理员"))
    confirm_test_settings(it)  # the bureau's details saved, as at the first start
    with it.session_scope() as session:
        house = dangerous_house(session)
    it.dispose()
    clerk_url = _url(name, f"kc_{tag}", "clerk-pass-1")
    clerk = Database(clerk_url, clerk=ClerkRef(None, "钱科员", "kc", "科员"))
    with clerk.session_scope() as session:
        draft = draft_house_notice(session, house, "钱科员", ISSUED_ON).id
    clerk.dispose()
    yield name, clerk_url, _url(name, f"rv_{tag}", "review-pass-1"), draft
    mp.undo()
    engine = create_engine(make_url(PG), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def _state(name: str) -> tuple:
    engine = create_engine(_url(name))
    with engine.connect() as conn:
        state = (
            conn.execute(text("SELECT count(*) FROM audit_log")).scalar(),
            tuple(conn.execute(text("SELECT doc_type, year, last_seq FROM doc_counter ORDER BY 1, 2")).all()),
            tuple(conn.execute(text("SELECT id, status, number FROM document ORDER BY id")).all()),
            conn.execute(text("SELECT count(*) FROM doc_number")).scalar(),
        )
    engine.dispose()
    return state


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE document SET status = '已签发'",
        "UPDATE document SET number = '莲建危改〔2021〕99号'",
        "INSERT INTO document (status, title) VALUES ('已签发', '伪造')",
        "SELECT * FROM liandu_take_number('危房整改通知书', 2021, '莲建危改', NULL)",
        "UPDATE doc_counter SET last_seq = 0",
        "INSERT INTO doc_counter (doc_type, year, last_seq) VALUES ('危房整改通知书', 2099, 0)",
        "INSERT INTO doc_number (doc_type, year, seq, prefix, number, status, version) "
        "VALUES ('危房整改通知书', 2021, 99, '莲建危改', '莲建危改〔2021〕99号', '使用中', 1)",
        "ALTER TABLE document DISABLE TRIGGER document_issue_guard",
    ],
)
def test_clerk_login_cannot_number_or_issue(server, statement):
    name, clerk_url, _reviewer_url, _draft = server
    before = _state(name)
    engine = create_engine(clerk_url)
    with pytest.raises(DBAPIError) as caught, engine.begin() as conn:
        conn.execute(text(statement))
    engine.dispose()
    message = str(caught.value)
    assert "permission denied" in message or "must be owner" in message or "不能签发" in message or "无权" in message
    assert _state(name) == before


def test_a_program_lying_about_its_role_cannot_issue_on_a_clerk_login(server):
    from liandu_desk.services.documents import lifecycle

    name, clerk_url, _reviewer_url, draft = server
    before = _state(name)
    liar = Database(clerk_url, clerk=ClerkRef(None, "钱科员", "kc", "审核"))
    with (
        pytest.raises(PermissionDenied, match="^数据库拒绝：本登录无权签发文书或占用文号。$"),
        liar.session_scope() as session,
    ):
        lifecycle.issue(session, draft, ISSUED_ON, "钱科员")
    liar.dispose()
    assert _state(name) == before


def test_a_reviewer_login_issues_through_the_number_function_and_the_chain_holds(server, capsys):
    from liandu_desk.services.documents import lifecycle

    name, _clerk_url, reviewer_url, draft = server
    reviewer = Database(reviewer_url, clerk=ClerkRef(None, "孙审核", "rv", "审核"))
    with reviewer.session_scope() as session:
        view = lifecycle.issue(session, draft, ISSUED_ON, "孙审核")
    reviewer.dispose()
    assert view.number.endswith("〔2021〕1号")
    engine = create_engine(_url(name))
    with engine.connect() as conn:
        entry = conn.execute(
            text("SELECT clerk_name, new_values->>'number' FROM audit_log WHERE table_name = 'doc_number'")
        ).one()
    engine.dispose()
    assert tuple(entry) == ("孙审核", view.number)
    assert check_server(PG, name).ok
    assert main(["check", "--db", _url(name)]) == 0, capsys.readouterr().out
