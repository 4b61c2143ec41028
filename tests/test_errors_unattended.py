"""A screenshot run has no clerk to close an error dialog: errors are logged and collected, and the run fails."""

from __future__ import annotations

import logging

from liandu_desk.domain.errors import RuleError
from liandu_desk.ui.kit import errors


def test_unattended_errors_are_logged_and_collected_not_shown(qapp, monkeypatch, caplog) -> None:
    monkeypatch.setattr(errors, "_unattended", None)  # restored after the test
    assert errors.unattended_errors() == []
    errors.run_unattended()
    with caplog.at_level(logging.ERROR):
        errors.show_error(RuntimeError("读取失败"), "Traceback ...")  # would be a modal box: must return at once
        errors.show_error(RuleError("案件已销号"))
    assert errors.unattended_errors() == ["RuntimeError: 读取失败", "案件已销号"]
    assert "读取失败" in caplog.text and "Traceback" in caplog.text
