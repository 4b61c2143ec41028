"""`liandu-desk communities …` and `stats --json` on a small database."""

from __future__ import annotations

import datetime as dt
import json

from communities_factories import inspect, make_community

from liandu_desk.cli import main


def test_cli_lists_leaderboard_and_stats(db, db_path, capsys):
    with db.session_scope() as s:
        a, b = make_community(s, "甲小区"), make_community(s, "乙小区")
        inspect(s, a, dt.date(2021, 3, 1), 93)
        inspect(s, b, dt.date(2021, 3, 1), 70, veto=True)
    db.dispose()
    period = ["--from", "2021-01-01", "--to", "2021-06-30", "--db", str(db_path)]
    assert main(["communities", "lists", "--generate", *period]) == 0
    out = capsys.readouterr().out
    assert "红榜　甲小区" in out and "黑榜　乙小区" in out
    assert main(["communities", "leaderboard", *period]) == 0
    assert capsys.readouterr().out.splitlines()[0].split("　")[2] == "甲小区"
    assert main(["communities", "rate", *period]) == 0
    assert "没有小区达到星级" in capsys.readouterr().out  # one inspection each: below the 2-inspection minimum
    assert main(["stats", "--json", *period]) == 0
    figures = json.loads(capsys.readouterr().out)["communities"]
    assert figures["red_list"] == 0  # a draft is not a publication
    assert figures["issues_found"] > 0 and figures["stars"] == {"5": 0, "4": 0, "3": 0}
