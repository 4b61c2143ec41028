"""Figures marked unverified stay marked: subsidy, cost-sharing coefficients and star thresholds carry a 核对状态
until an administrator records the 文号 that verifies them; documents and screens using them say 未核实."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from documents_factories import pdf_text

from liandu_desk.domain.errors import PermissionDenied, ValidationError
from liandu_desk.services import figures
from liandu_desk.services.communities.ratings import save_star_rules, star_rules
from liandu_desk.services.documents.summary_data import summary_facts
from liandu_desk.services.elevators import config as ev
from liandu_desk.services.periods import Period
from liandu_desk.services.settings import save_settings
from liandu_desk.storage import ClerkRef, Database

SOURCE = "丽建城〔2022〕15号"
PERIOD = Period(dt.date(2021, 1, 1), dt.date(2021, 6, 30))


def test_every_figure_starts_unverified_and_says_so(db: Database) -> None:
    with db.session_scope() as session:
        statuses = figures.figure_statuses(session)
        config = ev.load_config(session)
    assert {s.key for s in statuses} == {figures.SUBSIDY, figures.COEFFICIENTS, figures.STAR_THRESHOLDS}
    assert all(s.status == figures.UNVERIFIED and not s.verified for s in statuses)
    assert config.unverified == (figures.SUBSIDY_LABEL, figures.COEFFICIENTS_LABEL)
    assert (
        config.unverified_mark(figures.SUBSIDY_LABEL)
        == "【未核实】加装电梯每台补助金额尚未经正式文件核实，相关数值仅供参考。"
    )
    assert ev.default_config().unverified == config.unverified


def test_administrator_records_the_source_and_the_mark_goes(db: Database) -> None:
    with db.session_scope() as session:
        status = figures.verify_figure(session, figures.SUBSIDY, f" {SOURCE} ", dt.date(2026, 12, 4))
    assert status.verified and status.source == SOURCE
    assert status.describe() == f"加装电梯每台补助金额：已核实（依据{SOURCE}，测试员于2026-12-04记录）"
    with db.session_scope() as session:
        config = ev.load_config(session)
    assert config.unverified == (figures.COEFFICIENTS_LABEL,)
    assert config.unverified_mark(figures.SUBSIDY_LABEL) == ""
    assert "分摊系数" in config.unverified_mark()


def test_editing_a_verified_value_makes_it_unverified_again(db: Database) -> None:
    with db.session_scope() as session:
        figures.verify_figure(session, figures.COEFFICIENTS, SOURCE)
        figures.verify_figure(session, figures.SUBSIDY, SOURCE)
    with db.session_scope() as session:
        save_settings(session, {ev.SETTING_SUBSIDY: 150000})
    with db.session_scope() as session:
        subsidy = figures.figure_status(session, figures.SUBSIDY)
        coefficients = figures.figure_status(session, figures.COEFFICIENTS)
    assert not subsidy.verified and subsidy.changed_since and "之后数值已修改" in subsidy.describe()
    assert coefficients.verified
    with db.session_scope() as session:
        assert not figures.withdraw_verification(session, figures.COEFFICIENTS).verified


def test_a_source_must_be_a_document_number_and_only_administrators_verify(db: Database) -> None:
    with pytest.raises(ValidationError, match="核实依据文号"), db.session_scope() as session:
        figures.verify_figure(session, figures.SUBSIDY, "丽水日报2023年5月24日")
    with pytest.raises(ValidationError, match="核对项目"), db.session_scope() as session:
        figures.verify_figure(session, "elevator.unknown", SOURCE)
    with pytest.raises(ValidationError, match="缺少核实文号"), db.session_scope() as session:
        save_settings(session, {figures.SETTING_KEY: {figures.SUBSIDY: {"source": ""}}})
    reviewer = Database(db.url.render_as_string(hide_password=False), clerk=ClerkRef(1, "审核甲", "x", "审核"))
    try:
        with pytest.raises(PermissionDenied), reviewer.session_scope() as session:
            figures.verify_figure(session, figures.SUBSIDY, SOURCE)
    finally:
        reviewer.dispose()


def test_summary_marks_star_counts_while_thresholds_are_unverified(db: Database) -> None:
    from liandu_desk.reports.engine import render_parts
    from liandu_desk.reports.summary import summary_parts

    with db.session_scope() as session:
        facts = summary_facts(session, PERIOD, dt.date(2021, 7, 5))
    assert facts.unverified == ("星级小区评定门槛",)
    assert "【未核实】星级小区评定门槛尚未经正式文件核实" in pdf_text(render_parts(summary_parts(facts)))
    with db.session_scope() as session:
        figures.verify_figure(session, figures.STAR_THRESHOLDS, SOURCE)
        verified = summary_facts(session, PERIOD, dt.date(2021, 7, 5))
    assert verified.unverified == ()
    assert "未核实" not in pdf_text(render_parts(summary_parts(verified)))
    with db.session_scope() as session:  # a changed threshold needs a new source
        rules = star_rules(session)
        save_star_rules(session, [dataclasses.replace(rules[-1], min_average=rules[-1].min_average - 1), *rules[:-1]])
        assert summary_facts(session, PERIOD).unverified == ("星级小区评定门槛",)


@pytest.mark.sqlite_only
def test_cli_lists_verifies_and_withdraws(db_path, capsys: pytest.CaptureFixture[str]) -> None:
    from liandu_desk.cli import main

    assert main(["figures", "list", "--db", str(db_path)]) == 0
    assert capsys.readouterr().out.count("未核实") == 3
    assert main(["figures", "verify", figures.SUBSIDY, SOURCE, "--db", str(db_path)]) == 0
    assert f"已核实（依据{SOURCE}" in capsys.readouterr().out
    assert main(["figures", "verify", figures.SUBSIDY, "丽水日报", "--db", str(db_path)]) == 1
    assert main(["figures", "withdraw", figures.SUBSIDY, "--db", str(db_path)]) == 0
    assert "未核实" in capsys.readouterr().out


def test_the_dialog_records_a_source_and_withdraws_it(ctx, qtbot, monkeypatch) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

    from liandu_desk.services import figures
    from liandu_desk.ui.admin.figures_dialog import FiguresDialog, VerifyFigureForm

    dialog = FiguresDialog(ctx)
    qtbot.addWidget(dialog)
    assert [r.status for r in dialog.model.rows] == ["未核实"] * len(figures.FIGURES)
    row = next(i for i, r in enumerate(dialog.model.rows) if r.key == figures.SUBSIDY)
    dialog.table.selectRow(row)

    def type_number(form: VerifyFigureForm) -> int:
        form.show()
        qtbot.keyClick(form.number, Qt.Key.Key_Return)  # empty: refused in the form
        assert "文号" in form.error_label.text() and form.result() == 0
        form.number.setText("丽建发〔2021〕12号")
        qtbot.keyClick(form.number, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: form.result() == 1)
        return 1

    monkeypatch.setattr(VerifyFigureForm, "exec", type_number)
    dialog.verify_button.click()
    shown = next(r for r in dialog.model.rows if r.key == figures.SUBSIDY)  # the list followed the change
    assert (shown.status, shown.source) == ("已核实", "丽建发〔2021〕12号")
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *_a, **_k: QMessageBox.StandardButton.Yes))
    dialog.table.selectRow(row)
    dialog.withdraw_button.click()
    with ctx.session_scope() as session:
        assert figures.figure_status(session, figures.SUBSIDY).status == "未核实"
