"""Personal data by privilege on a server: a 科员's login reads ID numbers and phones masked, and only a reviewer's
login reveals one, with its `view` audit entry written by the same statement."""

from __future__ import annotations

import dataclasses
import io
import os
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from liandu_desk.cli import main
from liandu_desk.domain.errors import PermissionDenied
from liandu_desk.storage import ClerkRef, Database
from liandu_desk.storage.server_roles import CLERK_GROUP, check_server, setup_server
from tests.houses_factories import make_house
from tests.import_factories import valid_id

PG = os.environ.get("LIANDU_DESK_TEST_PG", "")
pytestmark = pytest.mark.skipif(not PG, reason="needs LIANDU_DESK_TEST_PG (scripts/dev.sh test-pg)")
OWNER_ID = valid_id(7)
OWNER_PHONE = "13856785678"


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
    """A set-up server: an administrator (by IT), a 科员 and a 审核 (by the administrator), one owner on record."""
    name = f"pd_{uuid.uuid4().hex[:8]}"
    setup_server(PG, name)
    mp = pytest.MonkeyPatch()
    mp.setenv("LIANDU_DESK_AUDIT_KEY_FILE", str(tmp_path_factory.mktemp("key") / "server.auditkey"))
    tag = uuid.uuid4().hex[:6]
    logins = {"admin": f"ad_{tag}", "clerk": f"kc_{tag}", "reviewer": f"rv_{tag}"}
    _add(mp, _url(name), logins["admin"], "赵管理", "管理员", "admin-pass-1")
    admin_url = _url(name, logins["admin"], "admin-pass-1")
    _add(mp, admin_url, logins["clerk"], "钱科员", "科员", "clerk-pass-1")
    _add(mp, admin_url, logins["reviewer"], "孙审核", "审核", "review-pass-1")
    db = Database(_url(name), clerk=ClerkRef(None, "信息科", "it", "管理员"))
    with db.session_scope() as session:
        house = make_house(session, owner="周大伯", id_number=OWNER_ID, owner_phone=OWNER_PHONE)
        owner = session.scalar(text("SELECT owner_id FROM house WHERE id = :h"), {"h": house})
    db.dispose()
    urls = {
        "clerk": _url(name, logins["clerk"], "clerk-pass-1"),
        "reviewer": _url(name, logins["reviewer"], "review-pass-1"),
    }
    yield name, urls, house, owner
    mp.undo()
    engine = create_engine(make_url(PG), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def _audit_state(name: str) -> tuple:
    engine = create_engine(_url(name))
    with engine.connect() as conn:
        state = conn.execute(text("SELECT count(*), max(id) FROM audit_log")).one()
    engine.dispose()
    return tuple(state)


@pytest.mark.parametrize(
    "statement",
    [
        "SELECT id_number FROM public.person",
        "SELECT phone FROM public.person",
        "SELECT * FROM public.person",
        "SELECT count(*) FROM public.person WHERE id_number LIKE '3%'",
        "SELECT new_values FROM public.audit_log",
        "SELECT old_values FROM public.audit_log",
        "SELECT * FROM liandu_reveal_contact(1, now(), NULL, 'x', '{\"viewed\": 1}', 'a', 'b')",
        "ALTER VIEW liandu_masked.person RENAME TO p2",
        "CREATE OR REPLACE VIEW liandu_masked.person AS SELECT * FROM public.person",
    ],
)
def test_clerk_login_cannot_read_full_numbers(server, statement):
    name, urls, _house, _owner = server
    before = _audit_state(name)
    engine = create_engine(urls["clerk"])
    with pytest.raises(DBAPIError) as caught, engine.begin() as conn:
        conn.execute(text(statement))
    engine.dispose()
    assert "permission denied" in str(caught.value) or "must be owner" in str(caught.value)
    assert _audit_state(name) == before


def test_clerk_login_reads_every_number_masked(server):
    name, urls, _house, _owner = server
    engine = create_engine(urls["clerk"])
    with engine.connect() as conn:
        people = conn.execute(text("SELECT id_number, phone FROM person")).all()
        audit = conn.execute(text("SELECT old_values::text, new_values::text FROM audit_log")).all()
        found = conn.execute(text("SELECT id FROM liandu_person_ids(ARRAY[:n])"), {"n": OWNER_ID}).scalars().all()
    engine.dispose()
    assert ("331102********" + OWNER_ID[-4:], "138****5678") in people
    everything = repr(people) + repr(audit)
    assert OWNER_ID not in everything and OWNER_PHONE not in everything
    assert len(found) == 1  # the number the clerk typed is on record, and no other number is told


def test_clerk_program_registers_and_edits_owners_without_seeing_them(server):
    from liandu_desk.services.houses.listing import HouseFilter, house_ids, house_rows
    from liandu_desk.services.houses.registration import house_input, update_house

    name, urls, house, owner = server
    clerk = Database(urls["clerk"], clerk=ClerkRef(None, "钱科员", "kc", "科员"))
    with clerk.session_scope() as session:
        second = make_house(session, owner="周大伯", id_number=OWNER_ID, address="梅田村99号")  # found by number
        data, version = house_input(session, house)
        assert data.owner_id_number == "331102********" + OWNER_ID[-4:]
        update_house(session, house, dataclasses.replace(data, floors=3), version)  # the masked values sent back
        rows = house_rows(session, house_ids(session, HouseFilter()))
    with clerk.session_scope() as session:  # a new phone is written through the view, the ID number untouched
        data, version = house_input(session, house)
        update_house(session, house, dataclasses.replace(data, owner_phone="13900001111"), version)
    admin = create_engine(_url(name))
    with admin.connect() as conn:
        changed = conn.execute(text("SELECT id_number, phone FROM person WHERE id = :p"), {"p": owner}).one()
    assert tuple(changed) == (OWNER_ID, "13900001111")
    with clerk.session_scope() as session:
        data, version = house_input(session, house)
        update_house(session, house, dataclasses.replace(data, owner_phone=OWNER_PHONE), version)
    clerk.dispose()
    assert all(OWNER_ID not in repr(r) for r in rows)
    admin = create_engine(_url(name))
    with admin.connect() as conn:
        stored = conn.execute(text("SELECT id_number, phone FROM person WHERE id = :p"), {"p": owner}).one()
        owners = conn.execute(text("SELECT owner_id FROM house WHERE id IN (:a, :b)"), {"a": house, "b": second})
        assert set(owners.scalars()) == {owner}
    admin.dispose()
    assert tuple(stored) == (OWNER_ID, OWNER_PHONE)


def test_reveal_needs_a_reviewer_login_and_is_audited_in_the_same_statement(server):
    from liandu_desk.services.personal_data import reveal_contact

    name, urls, _house, owner = server
    before = _audit_state(name)
    lying = Database(urls["clerk"], clerk=ClerkRef(None, "钱科员", "kc", "审核"))  # a program claiming 审核
    with pytest.raises(PermissionDenied), lying.session_scope() as session:
        reveal_contact(session, owner, "试图查看")
    lying.dispose()
    assert _audit_state(name) == before
    reviewer = Database(urls["reviewer"], clerk=ClerkRef(None, "孙审核", "rv", "审核"))
    with reviewer.session_scope() as session:
        contact = reveal_contact(session, owner, "电话通知整改")
    reviewer.dispose()
    assert (contact.id_number, contact.phone) == (OWNER_ID, OWNER_PHONE)
    engine = create_engine(_url(name))
    with engine.connect() as conn:
        entry = conn.execute(text("SELECT action, clerk_name, row_id FROM audit_log ORDER BY id DESC LIMIT 1")).one()
    engine.dispose()
    assert tuple(entry) == ("view", "孙审核", str(owner))


def test_policy_is_clean_drift_is_reported_and_the_chain_holds(server, capsys):
    name, _urls, _house, _owner = server
    assert check_server(PG, name).ok
    engine = create_engine(_url(name), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f"GRANT SELECT ON person TO {CLERK_GROUP}"))
    problems = check_server(PG, name).problems
    assert any("person.id_number" in p for p in problems)
    setup_server(PG, name)
    assert check_server(PG, name).ok
    engine.dispose()
    assert main(["check", "--db", _url(name)]) == 0, capsys.readouterr().out


def test_clerk_login_imports_a_sheet_through_the_masked_view(server, tmp_path):
    from liandu_desk.services.imports.houses import import_houses
    from tests.import_factories import good_row, write_xlsx

    name, urls, _house, owner = server
    path = tmp_path / "sheet.xlsx"
    rows = [good_row(i) for i in range(300, 305)]
    rows[0]["身份证号"], rows[0]["户主姓名"] = OWNER_ID, "周大伯"  # an owner already on record, found by number
    write_xlsx(path, rows)
    clerk = Database(urls["clerk"], clerk=ClerkRef(None, "钱科员", "kc", "科员"))
    result = import_houses(clerk, path)
    clerk.dispose()
    assert result.written, [o for o in result.outcomes if not o.ok]
    engine = create_engine(_url(name))
    with engine.connect() as conn:
        numbers = set(conn.execute(text("SELECT id_number FROM person")).scalars())
        linked = conn.execute(text("SELECT count(*) FROM house WHERE owner_id = :p"), {"p": owner}).scalar()
    engine.dispose()
    assert {valid_id(i) for i in range(301, 305)} <= numbers
    assert linked >= 2


def test_clerk_login_checks_only_the_chain_links_and_raises_no_false_alarm(server):
    from liandu_desk.services.integrity import verify_audit_chain

    _name, urls, _house, _owner = server
    clerk = Database(urls["clerk"], clerk=ClerkRef(None, "钱科员", "kc", "科员"))
    with clerk.session_scope() as session:
        report = verify_audit_chain(session)
    clerk.dispose()
    assert report.ok and report.checked > 0 and "只核对了链接" in report.reason
