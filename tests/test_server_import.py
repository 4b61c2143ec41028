"""`server import`: a desk (a small demo file with issued notices and a photo) moves onto an empty server database
with every row, its numbers, its attachment bytes and its audit chain; `check` passes there; a second import into the
now non-empty database is refused."""

from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path

import pytest
from conftest import confirm_test_settings
from documents_factories import dangerous_house
from sqlalchemy import func, select, text

from liandu_desk.cli import main
from liandu_desk.domain.documents import DocNumber, Document
from liandu_desk.domain.models import metadata
from liandu_desk.storage import ClerkRef, Database
from liandu_desk.storage.audit_key import KEY_ENV, forget_cached_keys

pytestmark = pytest.mark.skipif(
    not os.environ.get("LIANDU_DESK_TEST_PG"), reason="needs a PostgreSQL server (scripts/dev.sh test-pg)"
)
ISSUED_ON = dt.date(2021, 9, 17)
ADMIN = ClerkRef(None, "管理员", "admin", "管理员")


def _photo() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 120, 40)).save(out, format="PNG")
    return out.getvalue()


def _desk(path: Path) -> dict:
    """A small demo desk with two issued notices and one photo attached; what it holds, for comparison."""
    from liandu_desk.demo import generate_demo
    from liandu_desk.services.attachments import add_attachment
    from liandu_desk.services.documents import lifecycle
    from liandu_desk.services.documents.house_notices import draft_house_notice
    from liandu_desk.storage.migrate import upgrade

    db = Database(f"sqlite:///{path}", clerk=ADMIN)
    upgrade(db, backup=False)
    confirm_test_settings(db)  # the bureau's details saved at the desk's first start
    generate_demo(db, scale=0.02)
    drafts = []
    with db.session_scope() as session:
        for n in range(2):
            house = dangerous_house(session, owner=f"迁移户{n}", address=f"迁移村{n}号")
            drafts.append(draft_house_notice(session, house, "测试员", ISSUED_ON).id)
        add_attachment(session, "house", house, "现场照片.png", _photo(), role="照片")
    for draft in drafts:
        with db.session_scope() as session:
            lifecycle.issue(session, draft, ISSUED_ON, "测试员")
    with db.session_scope() as session:
        held = {t.name: session.scalar(select(func.count()).select_from(t)) for t in metadata.sorted_tables}
        numbers = sorted(session.scalars(select(Document.number).where(Document.number.is_not(None))))
    db.dispose()
    return {"rows": held, "numbers": numbers, "house": house}


def test_a_desk_moves_onto_an_empty_server(tmp_path: Path, pg_database: str, monkeypatch, capsys) -> None:
    from liandu_desk.services.attachments import list_attachments, read_attachment

    key_file = tmp_path / "server" / "liandu.auditkey"
    monkeypatch.setenv(KEY_ENV, str(key_file))
    forget_cached_keys()
    desk = tmp_path / "desk.sqlite3"
    before = _desk(desk)
    assert len(before["numbers"]) == 2 and before["rows"]["attachment"] == 1
    assert before["rows"]["attachment_blob"] == 0  # the photo's bytes are a file beside the desk

    assert main(["server", "import", "--from", str(desk), "--db", pg_database]) == 0, capsys.readouterr().out
    out = capsys.readouterr().out
    assert "附件文件 1 个存入服务器数据库" in out and key_file.exists()
    assert main(["check", "--db", pg_database]) == 0, capsys.readouterr().out
    checked = capsys.readouterr().out
    assert "完好" in checked and "一致" in checked and "全部与签发时一致" in checked

    server = Database(pg_database, clerk=ADMIN)
    try:
        with server.session_scope() as session:
            after = {t.name: session.scalar(select(func.count()).select_from(t)) for t in metadata.sorted_tables}
            numbers = sorted(session.scalars(select(Document.number).where(Document.number.is_not(None))))
            [photo] = list_attachments(session, [("house", before["house"])])
            assert read_attachment(session, photo.id) == _photo()
            assert session.scalar(select(func.max(DocNumber.seq))) == 2
        expected = {**before["rows"], "attachment_blob": 1}
        expected["audit_log"] += 1  # the import's own entry continues the chain
        expected["audit_anchor"] = after["audit_anchor"]  # the desk's journal anchors plus the import's
        assert after == expected and after["audit_anchor"] >= 2
        assert numbers == before["numbers"]
        with server.session_scope() as session:  # sequences continue past the copied ids: a new house saves
            dangerous_house(session, owner="迁移后新户", address="迁移村9号")
        with server.engine.connect() as connection:
            ids = connection.execute(text("SELECT count(*), count(DISTINCT id) FROM house")).one()
        assert ids[0] == ids[1] == before["rows"]["house"] + 1
    finally:
        server.dispose()

    assert main(["server", "import", "--from", str(desk), "--db", pg_database]) == 1
    assert "服务器数据库不是空的" in capsys.readouterr().out
