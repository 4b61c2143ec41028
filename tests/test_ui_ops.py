"""kit.ops: reads and writes run in jobs with their own session, refusals roll back and are shown, and committed
writes are announced so the views that show the records refresh."""

from __future__ import annotations

import pytest

from liandu_desk.domain.errors import LianduError
from liandu_desk.services.settings import get_setting, save_settings
from liandu_desk.ui.kit import ops
from liandu_desk.ui.kit.jobs import inside_job


def test_read_runs_inside_a_job_and_hands_back_the_result(ctx) -> None:
    seen = []
    ops.read(ctx, lambda session: (inside_job(), get_setting(session, "bureau.name")), seen.append)
    assert seen == [(True, "丽水市莲都区建设局")]


def test_write_commits_then_announces_what_changed(ctx) -> None:
    announced, done = [], []
    ctx.changes.follow(["setting"], lambda kind, ids: announced.append((kind, ids)))
    ops.write(
        ctx, lambda s: save_settings(s, {"bureau.name": "丽水市莲都区住房和城乡建设局"}), done.append, changed="setting"
    )
    assert announced == [("setting", ())] and done
    with ctx.db.session_scope() as session:
        assert get_setting(session, "bureau.name") == "丽水市莲都区住房和城乡建设局"


def test_a_refused_write_changes_nothing_and_goes_to_the_form(ctx, no_blocking_message_boxes) -> None:
    refusals, announced = [], []
    ctx.changes.follow(["setting"], lambda kind, ids: announced.append(kind))

    def save_then_refuse(session) -> None:
        save_settings(session, {"bureau.name": "改过的名称"})
        raise LianduError("期限应在1至365之间")

    ops.write(ctx, save_then_refuse, changed="setting", refused=refusals.append)
    assert [r.message for r in refusals] == ["期限应在1至365之间"]
    assert announced == [] and not no_blocking_message_boxes
    with ctx.db.session_scope() as session:
        assert get_setting(session, "bureau.name") == "丽水市莲都区建设局"


def test_a_refusal_without_a_form_is_shown_in_chinese(ctx, no_blocking_message_boxes) -> None:
    ops.write(ctx, lambda session: (_ for _ in ()).throw(LianduError("案件已销号，不能再添加进展")))
    assert any("案件已销号" in text for text in no_blocking_message_boxes)


def test_the_guard_names_a_session_opened_by_widget_code_outside_a_job(ctx) -> None:
    import conftest

    before = len(conftest.GUI_SESSIONS)
    widget_code = compile("with ctx.session_scope():\n    pass\n", "/src/liandu_desk/ui/houses/fake.py", "exec")
    exec(widget_code, {"ctx": ctx})  # as a widget would, on the GUI thread
    caught = conftest.GUI_SESSIONS[before:]
    del conftest.GUI_SESSIONS[before:]
    assert caught == ["ui/houses/fake.py:1 <module>"]
    ops.read(ctx, lambda session: None, lambda _result: None)  # the same through kit.ops: not counted
    assert conftest.GUI_SESSIONS[before:] == []


@pytest.mark.parametrize("kinds", [["house"], ["house", "document"]])
def test_follow_only_hears_its_kinds(ctx, kinds) -> None:
    heard = []
    ctx.changes.follow(kinds, lambda kind, ids: heard.append((kind, ids)))
    ctx.changed("community", [3])
    ctx.changed("house", [1, 2])
    assert heard == [("house", (1, 2))]


def test_a_refusal_is_logged_at_info_without_a_traceback_and_a_fault_with_one(ctx, caplog) -> None:
    import logging

    caplog.set_level(logging.INFO, logger="liandu_desk.ui.kit.jobs")
    ops.write(ctx, lambda session: (_ for _ in ()).throw(LianduError("完成比例应在0至100之间")), refused=lambda e: None)
    ops.read(ctx, lambda session: 1 / 0, lambda _r: None)
    refused = [r for r in caplog.records if "完成比例" in r.getMessage()]
    fault = [r for r in caplog.records if "ZeroDivisionError" in r.getMessage()]
    assert [r.levelno for r in refused] == [logging.INFO] and "Traceback" not in refused[0].getMessage()
    assert [r.levelno for r in fault] == [logging.ERROR] and "Traceback" in fault[0].getMessage()
