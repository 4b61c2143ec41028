"""The document commands: notice house (draft, --issue), notice batch with numbers, reprint, report summary."""

from __future__ import annotations

import datetime as dt

from documents_factories import dangerous_house, pdf_reader, pdf_text

from liandu_desk.cli import main


def test_notice_house_issue_and_reprint(db, db_path, tmp_path, capsys) -> None:
    with db.session_scope() as session:
        house_id = dangerous_house(session)
    base = ["notice", "house", str(house_id), "--db", str(db_path), "--date", "2021-09-17"]
    draft = tmp_path / "draft.pdf"
    assert main([*base, "--out", str(draft)]) == 0
    assert "文号签发时生成" in pdf_text(draft.read_bytes())
    issued = tmp_path / "issued.pdf"
    assert main([*base, "--out", str(issued), "--issue"]) == 0
    assert "莲建危改〔2021〕1号" in capsys.readouterr().out
    assert "莲建危改〔2021〕1号" in pdf_text(issued.read_bytes())
    again = tmp_path / "again.pdf"
    assert main(["document", "reprint", "1", "--db", str(db_path), "--out", str(again)]) == 0
    assert again.read_bytes() == issued.read_bytes()
    current = tmp_path / "current.pdf"  # without --issue, a notice in force is printed as stored
    assert main([*base, "--out", str(current)]) == 0
    assert current.read_bytes() == issued.read_bytes()
    assert main([*base, "--out", str(current), "--issue"]) == 1  # no second notice while one is in force
    assert not list(tmp_path.glob(".*.tmp"))  # written to a temporary name, then renamed


def test_notice_batch_issues_each_with_its_own_number(db, db_path, tmp_path, capsys) -> None:
    with db.session_scope() as session:
        for i, grade in enumerate("CDCD"):
            dangerous_house(session, owner=f"户主{'甲乙丙丁'[i]}", grade=grade, address=f"下河村{i + 1}号")
        dangerous_house(session, owner="别镇户", grade="D", township="雅溪镇", village="里东村", address="里东村1号")
    out = tmp_path / "batch.pdf"
    args = [
        "notice",
        "batch",
        "--grade",
        "C,D",
        "--division",
        "碧湖",
        "--db",
        str(db_path),
        "--out",
        str(out),
        "--issue",
        "--date",
        "2021-09-17",
    ]
    assert main(args) == 0
    captured = capsys.readouterr()
    assert "[" in captured.err and "已签发4份" in captured.out
    text = pdf_text(out.read_bytes())
    for n in range(1, 5):
        assert f"莲建危改〔2021〕{n}号" in text
    assert "别镇户" not in text
    assert len(pdf_reader(out.read_bytes()).pages) == 12  # 4 two-page notices + 4 送达回证
    # Houses with a notice in force are not picked again.
    assert main([*args[:-2], "--date", "2021-09-18"]) == 1


def test_report_summary_command(db_path, tmp_path) -> None:
    out = tmp_path / "summary.pdf"
    args = [
        "report",
        "summary",
        "--from",
        "2021-01-01",
        "--to",
        "2021-06-30",
        "--db",
        str(db_path),
        "--out",
        str(out),
        "--date",
        dt.date(2021, 7, 10).isoformat(),
    ]
    assert main(args) == 0
    text = pdf_text(out.read_bytes()).replace(" ", "")
    assert "2021年上半年工作总结" in text and "排查录入0户" in text
