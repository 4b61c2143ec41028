"""A batch that can be printed again: the combined PDF is stored with the batch in the issuing transaction, so it
reprints byte for byte, also after the program was killed between the commit and writing the file."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from documents_factories import dangerous_house, pdf_reader

from liandu_desk.cli import main
from liandu_desk.services.documents.batch import BatchRequest, batch_pdf, list_batches, run_batch

ISSUED_ON = dt.date(2021, 9, 17)


def _houses(db, count: int) -> None:
    with db.session_scope() as session:
        for n in range(count):
            dangerous_house(session, owner=f"业主{n}", address=f"下河村{n}号")


def test_issued_batch_is_recorded_and_reprints_byte_for_byte(db, tmp_path: Path) -> None:
    _houses(db, 3)
    out = tmp_path / "batch.pdf"
    result = run_batch(db, BatchRequest(issue=True, issued_on=ISSUED_ON), out)
    with db.session_scope() as session:
        [batch] = list_batches(session)
        again = batch_pdf(session, batch.id)
    assert batch.count == 3 and batch.first_number == result.first_number and batch.last_number == result.last_number
    assert again == out.read_bytes() and hashlib.sha256(again).hexdigest() == batch.sha256


def test_draft_batches_are_not_recorded(db, tmp_path: Path) -> None:
    _houses(db, 2)
    run_batch(db, BatchRequest(issue=False, issued_on=ISSUED_ON), tmp_path / "draft.pdf")
    with db.session_scope() as session:
        assert list_batches(session) == []


KILLED_WRITER = """
import os, signal, sys, datetime as dt
from pathlib import Path
from liandu_desk.services.documents import batch
from liandu_desk.storage import ClerkRef, Database

def killed(*_args, **_kwargs):
    os.kill(os.getpid(), signal.SIGKILL)  # the commit is done; the file on disk is never written

batch.write_atomic = killed
import liandu_desk.reports.engine as engine
engine.write_atomic = killed
db = Database(sys.argv[1], clerk=ClerkRef(None, "审核员", "reviewer", "管理员"))
batch.run_batch(db, batch.BatchRequest(issue=True, issued_on=dt.date(2021, 9, 17)), Path(sys.argv[2]))
"""


@pytest.mark.sqlite_only
def test_batch_killed_after_the_commit_can_still_be_printed(db, db_path: Path, tmp_path: Path, capsys) -> None:
    _houses(db, 4)
    db.dispose()
    out = tmp_path / "never.pdf"
    run = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(KILLED_WRITER), f"sqlite:///{db_path}", str(out)],
        env={**os.environ},
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert run.returncode == -9 and not out.exists()
    assert main(["document", "batches", "--db", str(db_path)]) == 0
    listing = capsys.readouterr().out
    assert "4份" in listing and "莲建危改〔2021〕1号至莲建危改〔2021〕4号" in listing
    batch_id = listing.split("\t")[0]
    reprint = tmp_path / "reprint.pdf"
    assert main(["document", "reprint-batch", batch_id, "--db", str(db_path), "--out", str(reprint)]) == 0
    assert len(pdf_reader(reprint.read_bytes()).pages) == 4 * 3  # four two-page notices, each with its 送达回证
    second = tmp_path / "second.pdf"
    assert main(["document", "reprint-batch", batch_id, "--db", str(db_path), "--out", str(second)]) == 0
    assert second.read_bytes() == reprint.read_bytes()


def test_register_lists_batches_and_saves_one(ctx, qtbot, tmp_path: Path) -> None:
    from liandu_desk.ui.documents.register_dialog import DocumentRegisterDialog

    _houses(ctx.db, 2)
    out = tmp_path / "batch.pdf"
    run_batch(ctx.db, BatchRequest(issue=True, issued_on=ISSUED_ON), out)
    dialog = DocumentRegisterDialog(ctx)
    qtbot.addWidget(dialog)
    [row] = dialog.batches.model.rows
    assert row.count == 2 and dialog.tabs.tabText(1) == "批次"
    copy = tmp_path / "copy.pdf"
    dialog.batches.save_to(row.id, copy)
    assert copy.read_bytes() == out.read_bytes()
