"""The 既有住宅加装电梯 workflow driven as a clerk would, on the real widgets of a fresh database made through the
first start: a project for a unit declaring 12 households → one household in 新增住户, five pasted into 表格录入住户 →
votes keyed into the grid (the six agree, yet the tally says 未通过: the six unregistered flats count as not voted,
and the warning says so) → the other six pasted with their votes (通过) → 登记纠纷 and 调解 → 完成本阶段 refused
while the dispute is open, with the reason shown → 结案 → 方案设计 … 竣工验收, with the cost shares summing to the
budget."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QInputMethodEvent
from PySide6.QtWidgets import QApplication, QDialog, QPushButton, QWidget
from sqlalchemy import func, select

from liandu_desk.domain.elevators import (
    ElevatorDispute,
    ElevatorHousehold,
    ElevatorMediation,
    ElevatorProject,
    ElevatorStageRecord,
)
from liandu_desk.services.elevators import households as household_service
from liandu_desk.ui.elevators.advance_dialog import AdvanceDialog
from liandu_desk.ui.elevators.bulk_households import BulkHouseholdDialog
from liandu_desk.ui.elevators.households_model import COL_VOTE
from liandu_desk.ui.elevators.mediation import CloseDisputeDialog, DisputeDialog, MediationDialog
from liandu_desk.ui.elevators.project_form import HouseholdDialog, ProjectDialog
from liandu_desk.ui.elevators.tab import ElevatorsTab

LEFT = Qt.MouseButton.LeftButton
OWNERS = ("周建国", "吴秀英", "郑国平", "王丽华", "陈志强", "李美玲", "张伟", "刘芳", "杨军", "赵敏", "黄磊", "徐静")
FLATS = {  # room: (area ㎡, owner); two flats a floor, six floors: 993.96 ㎡ in all
    f"{i // 2 + 1}0{i % 2 + 1}": ("89.46" if i % 2 == 0 else "76.20", owner) for i, owner in enumerate(OWNERS)
}
DECLARED_AREA = sum(Decimal(a) for a, _o in FLATS.values())


def _button(parent: QWidget, text: str) -> QPushButton:
    found = [b for b in parent.findChildren(QPushButton) if b.text() == text]
    assert len(found) == 1, f"{len(found)} buttons read {text!r}"
    return found[0]


def _type(qtbot, widget: QWidget, text: str) -> None:
    """Typed as the clerk types: Latin keys one by one, Chinese committed by the input method (QTest has no keys
    for it)."""
    for part in re.findall(r"[\x00-\x7f]+|[^\x00-\x7f]+", text):
        if part.isascii():
            qtbot.keyClicks(widget, part)
        else:
            event = QInputMethodEvent()
            event.setCommitString(part)
            QApplication.sendEvent(widget, event)


FAILURES: list[BaseException] = []  # raised inside a dialog the clerk filled: re-raised after the click


def _click(qtbot, button: QPushButton) -> None:
    assert button.isVisible() and button.isEnabled(), f"{button.text()} cannot be clicked: {button.toolTip()}"
    qtbot.mouseClick(button, LEFT)
    if FAILURES:
        raise FAILURES.pop()


def test_a_retrofit_from_the_vote_to_completion_acceptance(
    first_start, qtbot, monkeypatch, no_blocking_message_boxes
) -> None:
    ctx = first_start
    FAILURES.clear()
    today = dt.date.today()
    shown: dict[type, list[QDialog]] = {}

    def drive(kind: type, fill: Callable[[QDialog], None]) -> None:
        """The next `kind` dialog opens for real, the clerk fills it (`fill` presses Enter or clicks 保存)."""

        def exec_(dialog: QDialog) -> int:
            shown.setdefault(kind, []).append(dialog)
            dialog.show()
            try:
                fill(dialog)
            except BaseException as exc:  # kept from Qt's slot: re-raised by _click
                FAILURES.append(exc)
            if dialog.isVisible():  # refused: the clerk read the reason and cancels
                dialog.done(QDialog.DialogCode.Rejected)
            return dialog.result()

        monkeypatch.setattr(kind, "exec", exec_)

    tab = ElevatorsTab(ctx)
    qtbot.addWidget(tab)
    tab.resize(1400, 900)
    tab.show()
    tab.activate()
    assert "还没有加装电梯项目" in tab.count.text()

    # --- a new project for 丽阳花园3幢1单元, declaring 12 households -----------------------------------
    def new_project(form: ProjectDialog) -> None:
        form.community.setCurrentIndex(
            form.community.findText("紫金街道 永晖社区")
        )  # the 社区 shipped with the program
        _type(qtbot, form.estate, "丽阳花园")
        _type(qtbot, form.building, "3")
        _type(qtbot, form.unit, "1")
        form.households.lineEdit().selectAll()
        _type(qtbot, form.households, "12")
        _type(qtbot, form.declared_area, f"{DECLARED_AREA}")
        _type(qtbot, form.installer, "浙江通用电梯有限公司")
        _type(qtbot, form.budget, "600000")
        qtbot.keyClick(form.budget, Qt.Key.Key_Return)  # Enter saves

    drive(ProjectDialog, new_project)
    _click(qtbot, _button(tab, "新建项目…"))
    assert shown[ProjectDialog][-1].result() == QDialog.DialogCode.Accepted, shown[ProjectDialog][-1].error_label.text()
    page = tab.page
    assert tab.stack.currentWidget() is page
    assert page.title.text() == "丽阳花园3幢1单元　　当前阶段：意愿征询"
    assert page.info.text().startswith("紫金街道 永晖社区　6层")
    project_id = page.project_id
    with ctx.session_scope() as session:
        project = session.get(ElevatorProject, project_id)
        assert (project.planned_households, project.declared_area, project.budget) == (
            12,
            Decimal("993.96"),
            Decimal("600000"),
        )

    # --- 101 through 新增住户, then 102…302 pasted into 表格录入住户 --------------------------------------
    def one_household(form: HouseholdDialog) -> None:
        _type(qtbot, form.room, "101")
        _type(qtbot, form.area, FLATS["101"][0])
        _type(qtbot, form.owner, FLATS["101"][1])
        qtbot.keyClick(form.owner, Qt.Key.Key_Return)

    drive(HouseholdDialog, one_household)
    _click(qtbot, page.add_button)
    assert [r.room for r in page.households.rows] == ["101"]

    def paste(rooms: list[str], votes: dict[str, str]) -> Callable[[BulkHouseholdDialog], None]:
        def fill(dialog: BulkHouseholdDialog) -> None:
            lines = ["室号\t专有面积\t业主\t表决"]  # the header row as copied from Excel is dropped
            lines += [f"{room}\t{FLATS[room][0]}\t{FLATS[room][1]}\t{votes.get(room, '')}" for room in rooms]
            QGuiApplication.clipboard().setText("\r\n".join(lines) + "\r\n")
            grid = dialog.grid
            grid.setFocus()
            grid.setCurrentCell(0, 0)
            qtbot.keyClick(grid, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
            assert [r.room for r in grid.rows()] == rooms
            _click(qtbot, dialog.save_button)

        return fill

    first_batch = ["102", "201", "202", "301", "302"]
    drive(BulkHouseholdDialog, paste(first_batch, {}))
    _click(qtbot, page.bulk_button)
    bulk = shown[BulkHouseholdDialog][-1]
    assert bulk.result() == QDialog.DialogCode.Accepted, bulk.errors.text()
    assert [r.room for r in page.households.rows] == ["101", *first_batch]

    # --- 意愿征询 done; into 表决与协议 -------------------------------------------------------------------
    def advance(documents: str, reason: str = "") -> Callable[[AdvanceDialog], None]:
        def fill(dialog: AdvanceDialog) -> None:
            _type(qtbot, dialog.documents, documents)
            if reason:
                _type(qtbot, dialog.reason, reason)
            _click(qtbot, dialog.save_button)

        return fill

    drive(AdvanceDialog, advance("意愿征询表"))
    _click(qtbot, page.advance_button)
    assert page.title.text().endswith("当前阶段：表决与协议")

    # --- the six registered owners vote 同意, keyed 1 down the vote column ---------------------------------
    grid, model = page.grid, page.households
    grid.setFocus()
    grid.setCurrentIndex(model.index(0, COL_VOTE))
    for _ in range(6):
        qtbot.keyClick(grid, Qt.Key.Key_1)  # 1 同意, and the cursor moves down
    assert [r.vote for r in model.rows] == ["同意"] * 6
    tally = page.tally
    assert "未通过" in tally.verdict.text()
    assert tally.cells["participation_persons"].text() == "6/12（50.0%）"
    assert tally.cells["agreement_persons"].text() == "6/6（100.0%）"  # all who voted agree …
    assert tally.cells["participation_ok"].text() == "✘"  # … but half the unit has not voted
    assert tally.warnings.isVisible()
    assert tally.warnings.text() == "⚠ 申报12户，已登记6户，尚有6户未登记，按未表决计入分母"
    assert tally.gap.isVisible() and tally.gap.text() == "参与表决还差2户、165.66㎡"
    with ctx.session_scope() as session:
        assert not household_service.project_tally(session, project_id).passed

    drive(AdvanceDialog, advance("表决票"))  # the clerk tries to go on: refused, the reason in the dialog
    _click(qtbot, page.advance_button)
    refused = shown[AdvanceDialog][-1]
    assert refused.result() == QDialog.DialogCode.Rejected
    assert refused.errors.text() == "业主表决尚未通过，不能进入方案设计：参与表决还差2户、165.66㎡"
    assert page.title.text().endswith("当前阶段：表决与协议")

    # --- the other six pasted with their votes: 502 opposes, 602 has not voted ----------------------------
    second_batch = ["401", "402", "501", "502", "601", "602"]
    votes = {"401": "同意", "402": "同意", "501": "同意", "502": "反对", "601": "同意"}
    drive(BulkHouseholdDialog, paste(second_batch, votes))
    _click(qtbot, page.bulk_button)
    assert shown[BulkHouseholdDialog][-1].result() == QDialog.DialogCode.Accepted
    assert len(model.rows) == 12
    assert "未通过" not in tally.verdict.text() and "通过" in tally.verdict.text()
    assert tally.cells["participation_persons"].text() == "11/12（91.7%）"
    assert tally.cells["agreement_persons"].text() == "10/11（90.9%）"
    assert not tally.warnings.isVisible() and not tally.gap.isVisible()
    with ctx.session_scope() as session:
        db_tally = household_service.project_tally(session, project_id)
        assert (db_tally.passed, db_tally.persons_voted, db_tally.persons_yes) == (True, 11, 10)
        assert session.scalar(select(func.count(ElevatorHousehold.id))) == 12

    # --- 502 complains about the light: 登记纠纷, then a session of 调解 in which 502 agrees --------------
    disputes = page.disputes

    def register_dispute(form: DisputeDialog) -> None:
        form.type.setCurrentText("采光/日照")
        _type(qtbot, form.description, "502业主认为电梯井道遮挡南向采光")
        parties = form.parties
        row = next(i for i in range(parties.count()) if parties.item(i).text().startswith("502 "))
        parties.setFocus()
        parties.setCurrentRow(row)
        qtbot.keyClick(parties, Qt.Key.Key_Space)  # ticks the household
        _click(qtbot, form.save_button)

    drive(DisputeDialog, register_dispute)
    _click(qtbot, disputes.buttons["new"])
    assert shown[DisputeDialog][-1].result() == QDialog.DialogCode.Accepted, shown[DisputeDialog][-1].error_label.text()
    assert [(d.type, d.status, d.parties) for d in disputes.model.rows] == [("采光/日照", "待调解", ("502 赵敏",))]

    def mediate(form: MediationDialog) -> None:
        _type(qtbot, form.place, "社区党群服务中心议事厅")
        _type(qtbot, form.mediator, "社区调解员林海")
        _type(qtbot, form.attendees, "502业主、实施主体代表、设计单位")
        _type(qtbot, form.summary, "设计单位说明井道位置及日照分析")
        form.findChild(type(form.level), "vote_502").setCurrentText("同意")
        _type(qtbot, form.outcome, "502业主同意加装，井道外墙改用玻璃幕墙")
        qtbot.keyClick(form.outcome, Qt.Key.Key_Return)

    drive(MediationDialog, mediate)
    _click(qtbot, disputes.buttons["session"])
    assert shown[MediationDialog][-1].result() == QDialog.DialogCode.Accepted, shown[MediationDialog][
        -1
    ].error_label.text()
    assert [(d.status, len(d.sessions)) for d in disputes.model.rows] == [("调解中", 1)]
    assert [m.mediator for m in disputes.sessions.rows] == ["社区调解员林海"]
    assert tally.cells["agreement_persons"].text() == "11/11（100.0%）"
    changed = [(e.room, e.old_vote, e.new_vote, e.reason) for e in page.votes.rows if e.room == "502"]
    assert changed == [("502", "未表决", "反对", "表格批量录入"), ("502", "反对", "同意", "调解后改变表决意见")]

    # --- 完成本阶段 while the dispute is open: refused, the reason shown ------------------------------------
    drive(AdvanceDialog, advance("表决票、书面协议"))
    _click(qtbot, page.advance_button)
    held = shown[AdvanceDialog][-1]
    assert held.result() == QDialog.DialogCode.Rejected
    assert held.warning.text() == (  # the administrator is a reviewer: told what would let the project go on
        "尚有1件纠纷未化解：采光/日照（调解中）。进入“方案设计”须先调解结案，或填写推进理由（记入修改记录）。"
    )
    assert held.errors.text() == (
        f"丽阳花园3幢1单元尚有1件纠纷未化解（采光/日照（调解中，{today}登记）），不能进入“方案设计”。"
        "请先调解结案；确需推进的，由审核人员填写理由后办理。"
    )
    assert page.title.text().endswith("当前阶段：表决与协议")

    # --- 结案 (已化解), then the stage goes on -------------------------------------------------------------
    def close(form: CloseDisputeDialog) -> None:
        assert form.status.currentText() == "已化解"
        _type(qtbot, form.outcome, "调解成功，502业主签署同意书")
        _click(qtbot, form.save_button)

    drive(CloseDisputeDialog, close)
    _click(qtbot, disputes.buttons["close"])
    assert [d.status for d in disputes.model.rows] == ["已化解"]
    assert not disputes.buttons["close"].isEnabled()
    drive(AdvanceDialog, advance("表决票、书面协议"))
    _click(qtbot, page.advance_button)
    assert shown[AdvanceDialog][-1].result() == QDialog.DialogCode.Accepted, shown[AdvanceDialog][-1].errors.text()
    assert page.title.text().endswith("当前阶段：方案设计")

    # --- 费用分摊: every flat's share, by floor coefficient × area, summing to the budget ----------------------
    shares = {s.room: s for s in page.shares.rows}
    assert sorted(shares) == sorted(FLATS)
    assert sum(s.amount for s in shares.values()) == Decimal("600000.00")
    assert shares["101"].amount == shares["202"].amount == 0  # floors 1 and 2 pay nothing (the default table)
    assert shares["601"].amount > shares["501"].amount > shares["401"].amount > shares["301"].amount
    shown_amounts = [page.shares.index(r, 5).data() for r in range(page.shares.rowCount())]
    assert sum(Decimal(text.replace(",", "")) for text in shown_amounts) == Decimal("600000.00")
    assert "总额600,000.00元" in page.share_title.text()
    with ctx.session_scope() as session:
        stored = household_service.project_shares(session, project_id)
    assert {s.room: s.amount for s in stored} == {room: s.amount for room, s in shares.items()}

    # --- on through 公示 … 竣工验收 ----------------------------------------------------------------------
    for done, documents in (
        ("方案设计", "设计方案"),
        ("公示", "公示照片"),
        ("联合审查", "联合审查意见"),
        ("施工图审查/施工许可", "施工许可证"),
        ("施工", "施工日志"),
        ("竣工验收", "竣工验收报告"),
    ):
        assert page.title.text().endswith(f"当前阶段：{done}")
        drive(AdvanceDialog, advance(documents))
        _click(qtbot, page.advance_button)
        assert shown[AdvanceDialog][-1].result() == QDialog.DialogCode.Accepted, shown[AdvanceDialog][-1].errors.text()
    assert page.title.text().endswith("当前阶段：使用登记")
    states = [(b.step.stage, b.step.state) for b in page.timeline.boxes]
    assert states[:8] == [(s, "已完成") for s, _state in states[:8]]
    assert states[7][0] == "竣工验收" and states[8] == ("使用登记", "进行中")

    with ctx.session_scope() as session:
        project = session.get(ElevatorProject, project_id)
        assert project.current_stage.value == "使用登记"
        records = session.scalars(
            select(ElevatorStageRecord)
            .where(ElevatorStageRecord.project_id == project_id)
            .order_by(ElevatorStageRecord.seq)
        ).all()
        assert [(r.stage.value, r.completed_on) for r in records[:8]] == [(b[0], today) for b in states[:8]]
        assert records[1].documents == "表决票、书面协议"  # the refused tries left nothing behind
        assert all(r.override_reason is None for r in records)  # the dispute was closed, not overridden
        (dispute,) = session.scalars(select(ElevatorDispute)).all()
        assert (dispute.status.value, dispute.resolved_on) == ("已化解", today)
        assert session.scalar(select(func.count(ElevatorMediation.id))) == 1
    assert no_blocking_message_boxes == []  # every refusal was shown in its dialog, no message box popped up
    tab.show_list()
    assert [(r.title, r.stage, r.households, r.open_disputes) for r in tab.model.rows] == [
        ("丽阳花园3幢1单元", "使用登记", 12, 0)
    ]
