"""One database login per clerk: the program makes and disables logins, and a 科员's own login cannot escalate."""

from __future__ import annotations

import datetime as dt
import io
import os
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError

from liandu_desk.cli import main
from liandu_desk.storage.server_roles import CLERK_GROUP, REVIEWER_GROUP, check_server, setup_server

PG = os.environ.get("LIANDU_DESK_TEST_PG", "")
pytestmark = pytest.mark.skipif(not PG, reason="needs LIANDU_DESK_TEST_PG (scripts/dev.sh test-pg)")
ADMIN_PW = "boss-pass-1"


def _url(database: str, login: str | None = None, password: str | None = None) -> str:
    url = make_url(PG).set(database=database)
    if login:
        url = url.set(username=login, password=password)
    return url.render_as_string(hide_password=False)


def _cli(monkeypatch, *argv: str, stdin: str = "") -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(list(argv))


def _superuser(database: str):
    return create_engine(_url(database), isolation_level="AUTOCOMMIT")


def _scalar(database: str, query: str, **params):
    engine = _superuser(database)
    try:
        with engine.connect() as conn:
            return conn.execute(text(query), params).scalar()
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A set-up server with its first administrator, added by IT with the superuser URL."""
    name = f"lg_{uuid.uuid4().hex[:8]}"
    setup_server(PG, name)
    boss = f"boss_{uuid.uuid4().hex[:6]}"
    mp = pytest.MonkeyPatch()
    mp.setenv("LIANDU_DESK_AUDIT_KEY_FILE", str(tmp_path_factory.mktemp("key") / "server.auditkey"))
    code = _cli(
        mp,
        "clerk",
        "add",
        boss,
        "--name",
        "王局长",
        "--role",
        "管理员",
        "--password-stdin",
        "--db",
        _url(name),
        stdin=ADMIN_PW + "\n",
    )
    assert code == 0
    yield name, boss
    mp.undo()
    engine = create_engine(make_url(PG), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


@pytest.fixture
def clerk(server, monkeypatch):
    """A 科员 added by the administrator through the CLI with the administrator's own login."""
    name, boss = server
    login = f"ke_{uuid.uuid4().hex[:6]}"
    password = f"pw-{login}-9"
    admin_url = _url(name, boss, ADMIN_PW)
    assert (
        _cli(
            monkeypatch,
            "clerk",
            "add",
            login,
            "--name",
            "张科员",
            "--role",
            "科员",
            "--password-stdin",
            "--db",
            admin_url,
            stdin=password + "\n",
        )
        == 0
    )
    return login, password, _url(name, login, password)


def test_admin_makes_a_scram_login_in_the_group_and_the_audit_names_the_admin(server, clerk):
    name, boss = server
    login, password, url = clerk
    verifier = _scalar(name, "SELECT rolpassword FROM pg_authid WHERE rolname = :r", r=login)
    assert verifier.startswith("SCRAM-SHA-256$") and password not in verifier
    assert _scalar(name, "SELECT pg_has_role(:r, :g, 'MEMBER')", r=login, g=CLERK_GROUP)
    assert _scalar(name, "SELECT rolcanlogin FROM pg_roles WHERE rolname = :r", r=login)
    assert _scalar(name, "SELECT password_hash FROM clerk WHERE login = :r", r=login) is None
    actor = _scalar(
        name, "SELECT clerk_name FROM audit_log WHERE table_name = 'clerk' AND new_values->>'login' = :r", r=login
    )
    assert actor == "王局长"
    engine = create_engine(url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT session_user")).scalar() == login
    engine.dispose()
    with pytest.raises(OperationalError, match="password authentication failed"):
        create_engine(_url(name, login, "wrong-password-1")).connect()
    assert check_server(PG, name).ok


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE clerk SET role = '管理员'",
        "UPDATE clerk SET active = false",
        "SELECT liandu_login_sync(session_user::text, NULL, 'liandu_admin', true)",
        "GRANT liandu_admin TO CURRENT_USER",
        "ALTER ROLE CURRENT_USER CREATEROLE",
        "SET ROLE liandu_admin",
        "DELETE FROM public.audit_log",
        "DELETE FROM audit_log",
        "UPDATE audit_log SET hash = 'x'",
        "UPDATE public.audit_log SET hash = 'x', prev_hash = 'y'",
        "ALTER TABLE public.audit_log DISABLE TRIGGER audit_log_append_only",
        "ALTER TABLE public.audit_log DISABLE TRIGGER audit_log_actor",
        "DROP TRIGGER audit_log_actor ON public.audit_log",
        "INSERT INTO audit_log (at, clerk_id, clerk_name, action, table_name, row_id, prev_hash, hash) "
        "VALUES (now(), 1, '王局长', 'update', 'clerk', '1', 'x', 'y')",
        "INSERT INTO audit_log (at, clerk_id, clerk_name, action, table_name, row_id, prev_hash, hash) "
        "VALUES (now(), NULL, '系统', 'update', 'clerk', '1', 'x', 'y')",
    ],
)
def test_clerk_login_cannot_escalate(server, clerk, statement):
    name, _boss = server
    _login, _password, url = clerk
    before = _snapshot(name)
    engine = create_engine(url)
    with pytest.raises(DBAPIError) as caught, engine.begin() as conn:
        conn.execute(text(statement))
    engine.dispose()
    message = str(caught.value)
    assert any(
        m in message
        for m in ("permission denied", "must be owner", "must have admin option", "不是本系统", "不符", "管理员")
    )
    assert _snapshot(name) == before
    assert check_server(PG, name).ok


def _snapshot(name: str) -> tuple:
    engine = _superuser(name)
    with engine.connect() as conn:
        clerks = conn.execute(text("SELECT login, role, active FROM clerk ORDER BY login")).all()
        audit = conn.execute(text("SELECT count(*), max(hash) FROM audit_log")).one()
        roles = conn.execute(
            text("SELECT rolname, rolcanlogin, rolcreaterole, rolsuper FROM pg_roles ORDER BY rolname")
        ).all()
        members = conn.execute(text("SELECT roleid, member FROM pg_auth_members ORDER BY 1, 2")).all()
    engine.dispose()
    return tuple(clerks), tuple(audit), tuple(roles), tuple(members)


def test_cli_as_a_clerk_acts_as_that_clerk_and_cannot_manage(server, clerk, monkeypatch, capsys, tmp_path):
    name, boss = server
    login, _password, url = clerk
    before = _snapshot(name)
    for argv, stdin in (
        (("clerk", "add", "intruder", "--name", "入侵者", "--role", "管理员", "--password-stdin"), "intruder-pass-1\n"),
        (("clerk", "disable", boss), ""),
        (("clerk", "edit", login, "--role", "管理员"), ""),
        (("clerk", "reset-password", boss, "--password-stdin"), "taken-over-1\n"),
        (("export", "houses", "--full", "--out", str(tmp_path / "all.xlsx")), ""),
    ):
        assert _cli(monkeypatch, *argv, "--db", url, stdin=stdin) == 1
        assert "没有" in capsys.readouterr().err
    assert not (tmp_path / "all.xlsx").exists()
    assert _snapshot(name) == before
    assert _cli(monkeypatch, "clerk", "list", "--db", url) == 0
    assert "张科员" in capsys.readouterr().out


def test_notice_issue_as_a_clerk_login_is_refused_and_drafts_nothing(server, clerk, monkeypatch, capsys, tmp_path):
    from liandu_desk.services.houses.registration import HouseInput, create_house
    from liandu_desk.storage import ClerkRef, Database

    name, _boss = server
    _login, _password, url = clerk
    admin = Database(_url(name), clerk=ClerkRef(None, "信息科", "it", "管理员"))
    with admin.session_scope() as session:
        from liandu_desk.domain.registry import DivisionLevel
        from liandu_desk.services.divisions import ensure_child, list_townships

        town = list_townships(session)[0].id
        village = ensure_child(session, town, "测试村", DivisionLevel.VILLAGE)
        data = HouseInput(
            kind="农村",
            township_id=town,
            village_id=village,
            address="测试村1号",
            owner_name="户主",
            floors=2,
            build_year=1980,
            area=96.0,
            structure="砖木",
        )
        house = create_house(session, data)
    admin.dispose()
    documents = _scalar(name, "SELECT count(*) FROM document")
    assert (
        _cli(monkeypatch, "notice", "house", str(house.id), "--issue", "--out", str(tmp_path / "n.pdf"), "--db", url)
        == 1
    )
    assert "签发文书" in capsys.readouterr().err
    assert _scalar(name, "SELECT count(*) FROM document") == documents


def test_a_lying_program_cannot_write_audit_entries_in_another_name(server, clerk):
    from liandu_desk.domain.registry import Person
    from liandu_desk.storage import ClerkRef, Database

    name, _boss = server
    login, _password, url = clerk
    own_id = _scalar(name, "SELECT id FROM clerk WHERE login = :r", r=login)
    liar = Database(url, clerk=ClerkRef(None, "王局长", "boss", "管理员"))
    with liar.session_scope() as session:
        session.add(Person(name="冒名者测试"))
    liar.dispose()
    row = _scalar(
        name,
        "SELECT clerk_id || ':' || clerk_name FROM audit_log WHERE table_name='person' AND "
        "new_values->>'name' = '冒名者测试'",
    )
    assert row == f"{own_id}:张科员"


def test_disable_enable_role_change_and_passwords(server, clerk, monkeypatch, capsys):
    name, boss = server
    login, password, url = clerk
    admin_url = _url(name, boss, ADMIN_PW)
    assert _cli(monkeypatch, "clerk", "disable", login, "--db", admin_url) == 0
    assert not _scalar(name, "SELECT rolcanlogin FROM pg_roles WHERE rolname = :r", r=login)
    with pytest.raises(OperationalError):
        create_engine(url).connect()
    assert check_server(PG, name).ok
    assert _cli(monkeypatch, "clerk", "enable", login, "--db", admin_url) == 0
    assert _cli(monkeypatch, "clerk", "edit", login, "--role", "审核", "--db", admin_url) == 0
    assert _scalar(name, "SELECT pg_has_role(:r, :g, 'MEMBER')", r=login, g=REVIEWER_GROUP)
    assert not _scalar(name, "SELECT pg_has_role(:r, :g, 'MEMBER')", r=login, g=CLERK_GROUP)
    assert check_server(PG, name).ok
    assert (
        _cli(
            monkeypatch,
            "clerk",
            "reset-password",
            login,
            "--password-stdin",
            "--db",
            admin_url,
            stdin="reset-pass-22\n",
        )
        == 0
    )
    with pytest.raises(OperationalError):
        create_engine(url).connect()
    new_url = _url(name, login, "reset-pass-22")
    assert (
        _cli(monkeypatch, "clerk", "passwd", "--password-stdin", "--db", new_url, stdin="wrong-old-1\nmine-pass-33\n")
        == 1
    )
    assert "原密码不正确" in capsys.readouterr().err
    assert (
        _cli(monkeypatch, "clerk", "passwd", "--password-stdin", "--db", new_url, stdin="reset-pass-22\nmine-pass-33\n")
        == 0
    )
    engine = create_engine(_url(name, login, "mine-pass-33"))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT session_user")).scalar() == login
    engine.dispose()
    entry = _scalar(name, "SELECT clerk_name FROM audit_log WHERE action = 'password' ORDER BY id DESC LIMIT 1")
    assert entry == "张科员"
    changed = _scalar(name, "SELECT password_changed_at FROM clerk WHERE login = :r", r=login)
    assert changed is not None and changed <= dt.datetime.now(dt.UTC)


def test_the_login_function_refuses_what_is_not_a_clerk_login(server):
    from liandu_desk.domain.errors import LianduError
    from liandu_desk.storage.server_logins import sync_login

    name, boss = server
    engine = create_engine(_url(name, boss, ADMIN_PW))
    for target in ("postgres", "liandu_owner", "liandu_admin", "liandu_login_admin"):
        with pytest.raises(LianduError), engine.begin() as conn:
            sync_login(conn, target, "管理员", True, "taken-over-1")
    with pytest.raises(LianduError), engine.begin() as conn:
        sync_login(conn, 'x"; DROP TABLE clerk; --', "科员", True, "whatever-1")
    engine.dispose()
    assert _scalar(name, "SELECT rolsuper FROM pg_roles WHERE rolname = 'postgres'")
    assert check_server(PG, name).ok


def test_a_login_that_is_no_clerk_is_refused_and_drift_is_reported(server, clerk, monkeypatch, capsys):
    name, _boss = server
    login, _password, url = clerk
    stranger = f"st_{uuid.uuid4().hex[:6]}"
    engine = _superuser(name)
    with engine.connect() as conn:
        conn.execute(text(f"CREATE ROLE \"{stranger}\" LOGIN PASSWORD 'stranger-1' IN ROLE {CLERK_GROUP}"))
    assert _cli(monkeypatch, "clerk", "list", "--db", _url(name, stranger, "stranger-1")) == 1
    assert "不是本系统的人员" in capsys.readouterr().err
    with engine.connect() as conn:
        conn.execute(text(f'DROP ROLE "{stranger}"'))
        conn.execute(text(f'GRANT liandu_admin TO "{login}"'))
    try:
        problems = check_server(PG, name).problems
        assert any(login in p and "liandu_admin" in p for p in problems)
    finally:
        with engine.connect() as conn:
            conn.execute(text(f'REVOKE liandu_admin FROM "{login}"'))
        engine.dispose()
    assert check_server(PG, name).ok


def test_the_gui_opens_as_the_logins_clerk_without_a_second_login(server, clerk):
    from liandu_desk.storage import Database
    from liandu_desk.ui.app import identify_clerk

    _name, _boss = server
    login, _password, url = clerk
    db = Database(url)
    info = identify_clerk(db, interactive=True)
    db.dispose()
    assert (info.login, info.name, info.role) == (login, "张科员", "科员")


def test_setup_gives_a_hand_made_clerk_login_the_masked_search_path(server):
    name, _boss = server
    login = f"hm_{uuid.uuid4().hex[:6]}"
    engine = _superuser(name)
    with engine.connect() as conn:
        conn.execute(text(f"CREATE ROLE \"{login}\" LOGIN PASSWORD 'hand-made-1' IN ROLE {CLERK_GROUP}"))
    setup_server(PG, name)
    settings = _scalar(
        name,
        "SELECT array_to_string(setconfig, ',') FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole "
        "WHERE r.rolname = :r",
        r=login,
    )
    with engine.connect() as conn:
        conn.execute(text(f'DROP ROLE "{login}"'))
    engine.dispose()
    assert "liandu_masked" in settings
