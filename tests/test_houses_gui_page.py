"""The house page (timeline, audit trail, sections) and the 危房 forms: validation, warnings, case flow."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from houses_gui_factories import id_number, small_town
from PySide6.QtCore import QDate, Qt

from liandu_desk.services.houses import cases, registration
from liandu_desk.services.houses import detail as detail_service
from liandu_desk.ui.houses import case_forms as house_case_forms
from liandu_desk.ui.houses import plan_forms as house_plan_forms
from liandu_desk.ui.houses import record_forms as house_record_forms
from liandu_desk.ui.houses.house_form import HouseFormDialog
from liandu_desk.ui.houses.page import HousePageDialog
from liandu_desk.ui.kit import forms as house_form_base
from liandu_desk.ui.kit.conflict_dialog import KEEP_MINE, RELOAD, ConflictDialog
from liandu_desk.ui.kit.forms import CONFLICT_TEXT


@pytest.fixture
def houses(db) -> dict[str, int]:
    return small_town(db)


class Answers(list):
    """Confirmation questions asked; answered Yes unless a test queues False in `replies`."""

    def __init__(self) -> None:
        super().__init__()
        self.replies: list[bool] = []

    def __call__(self, _parent, title: str, text: str) -> bool:
        self.append(f"{title}：{text}")
        return self.replies.pop(0) if self.replies else True


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> Answers:
    asked = Answers()
    for module in (house_record_forms, house_case_forms, house_plan_forms, house_form_base):
        monkeypatch.setattr(module, "confirm", asked)
    return asked


def page(ctx, qtbot, house_id: int) -> HousePageDialog:
    dialog = HousePageDialog(ctx, house_id)
    qtbot.addWidget(dialog)
    return dialog


def detail(db, house_id: int) -> detail_service.HouseDetail:
    with db.session_scope() as session:
        return detail_service.house_detail(session, house_id)


def test_house_page_shows_header_timeline_and_audit_trail(ctx, qtbot, houses) -> None:
    dialog = page(ctx, qtbot, houses["王芳"])
    header = dialog.header.text()
    assert "王芳" in header and "碧湖镇下赵村 下赵村12号" in header
    assert id_number(11) not in header and "331102" in header, "the ID number is masked"
    assert "D级" in header and "待整改" in header
    assert dialog.timeline.lines() == [
        "2021-03-02 鉴定 鉴定为D级",
        "2021-03-08 核实 2021省委巡视核实：确认",
        "2021-03-10 立案 整治立案：拆除",
    ]
    audit = dialog.audit.model_.rows
    assert {r.table_name for r in audit} >= {"house", "house_appraisal", "house_case"}
    assert dialog.sections.tabText(1) == "鉴定记录（等级历史）（1）"
    assert dialog.cases.current().measure == "拆除"
    assert "已超过整改期限" in dialog.cases.hint.text()
    assert dialog.progress_button.isEnabled() and not dialog.close_button.isEnabled()
    assert not dialog.case_button.isEnabled(), "one open case at a time"


def test_new_house_form_saves_a_row(ctx, qtbot, db) -> None:
    form = HouseFormDialog(ctx, None)
    qtbot.addWidget(form)
    form.show()
    f = form.fields
    f["乡镇（街道）"].setCurrentIndex(f["乡镇（街道）"].findText("老竹畲族镇"))
    f["地址（门牌）"].setText("沙溪村7号")
    f["户主姓名"].setText("蓝玉")
    f["户主身份证号"].setText(id_number(21).lower())
    f["层数"].setValue(3)
    f["经纬度"].setText("119.98，28.51")
    with qtbot.waitSignal(form.saved) as saved:
        qtbot.keyClick(f["户主姓名"], Qt.Key.Key_Return)
    house = detail(db, saved.args[0])
    assert (house.owner_name, house.township, house.address, house.floors) == ("蓝玉", "老竹畲族镇", "沙溪村7号", 3)
    assert house.owner_id_number == id_number(21)
    assert (house.longitude, house.latitude) == (119.98, 28.51)
    assert form.result() == form.DialogCode.Accepted


def test_house_form_rejects_a_bad_id_number_in_chinese_and_focuses_it(ctx, qtbot, db) -> None:
    form = HouseFormDialog(ctx, None)
    qtbot.addWidget(form)
    form.show()
    f = form.fields
    f["乡镇（街道）"].setCurrentIndex(f["乡镇（街道）"].findText("碧湖镇"))
    f["地址（门牌）"].setText("下赵村1号")
    f["户主姓名"].setText("王芳")
    good = id_number(31)
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    f["户主身份证号"].setText(bad)
    form.accept()
    assert form.isVisible()
    assert form.error_label.text() == f"户主身份证号：校验码错误（末位应为{good[17]}）"
    assert form.focusWidget() is f["户主身份证号"]
    f["户主身份证号"].setText(good)
    f["经纬度"].setText("东经120度")
    form.accept()
    assert form.error_label.text().startswith("经纬度：")
    with db.session_scope() as session:
        from liandu_desk.services.houses import listing

        assert listing.count_houses(session, listing.HouseFilter()) == 0


def _conflicting_edit(ctx, qtbot, db, houses) -> HouseFormDialog:
    form = HouseFormDialog(ctx, houses["张伟"])
    qtbot.addWidget(form)
    assert form.fields["户主姓名"].text() == "张伟"
    with db.session_scope() as session:
        data, version = registration.house_input(session, houses["张伟"])
        registration.update_house(session, houses["张伟"], data.__class__(**{**data.__dict__, "floors": 4}), version)
    form.fields["层数"].setValue(5)
    return form


def _answer_conflict(monkeypatch, choice: int) -> list[dict[str, tuple[str, str]]]:
    seen: list[dict[str, tuple[str, str]]] = []

    def exec_dialog(dialog: ConflictDialog) -> int:
        table = dialog.table
        seen.append(
            {
                table.item(r, 0).text(): (table.item(r, 1).text(), table.item(r, 2).text())
                for r in range(table.rowCount())
            }
        )
        return choice

    monkeypatch.setattr(ConflictDialog, "exec", exec_dialog)
    return seen


def test_edit_conflict_shows_both_versions_and_giving_up_keeps_theirs(ctx, qtbot, db, houses, monkeypatch) -> None:
    seen = _answer_conflict(monkeypatch, RELOAD)
    form = _conflicting_edit(ctx, qtbot, db, houses)
    form.accept()
    assert seen and seen[0]["层数"] == ("5", "4")
    assert form.error_label.text() == CONFLICT_TEXT
    assert detail(db, houses["张伟"]).floors == 4


def test_edit_conflict_keep_mine_saves_on_the_newest_version(ctx, qtbot, db, houses, monkeypatch) -> None:
    _answer_conflict(monkeypatch, KEEP_MINE)
    form = _conflicting_edit(ctx, qtbot, db, houses)
    form.accept()
    assert detail(db, houses["张伟"]).floors == 5


def test_appraisal_warning_asks_and_never_blocks(ctx, qtbot, db, houses, answers) -> None:
    dialog = page(ctx, qtbot, houses["张伟"])
    form = dialog.add_appraisal()
    qtbot.addWidget(form)
    form.fields["鉴定等级"].setCurrentIndex(form.fields["鉴定等级"].findData("D"))
    assert form.fields["鉴定等级"].currentText() == "D级（整体危险，整幢危房）"
    form.fields["处理类型"].setCurrentIndex(form.fields["处理类型"].findData("处理使用"))
    answers.replies.append(False)
    form.accept()
    assert "D级房屋通常为停止使用或整体拆除" in answers[0]
    assert len(detail(db, houses["张伟"]).appraisals) == 1
    form.accept()
    grades = [a.grade for a in detail(db, houses["张伟"]).appraisals]
    assert grades == ["A", "D"], "the re-appraisal adds to the grade history"
    assert "D级" in dialog.header.text()
    assert dialog.timeline.lines()[-1].endswith("鉴定为D级")


def test_screening_form_adds_a_record_with_hazards(ctx, qtbot, db, houses) -> None:
    dialog = page(ctx, qtbot, houses["陈小红"])
    form = dialog.add_screening()
    qtbot.addWidget(form)
    form.fields["排查日期"].setDate(QDate(2021, 2, 1))
    form.fields["排查结论"].setCurrentText("一般安全隐患")
    form.fields["隐患情况"].boxes["墙体裂缝"].setChecked(True)
    form.accept()
    screenings = detail(db, houses["陈小红"]).screenings
    assert [(s.screened_on, s.conclusion, s.hazards) for s in screenings] == [
        (dt.date(2021, 2, 1), "一般安全隐患", ("墙体裂缝",))
    ]
    assert dialog.timeline.lines() == ["2021-02-01 排查 排查：一般安全隐患"]
    assert "排查记录已保存" in dialog.message.text()


def test_case_flow_progress_complete_close_out_with_evidence_rule(ctx, qtbot, db, houses, answers) -> None:
    dialog = page(ctx, qtbot, houses["王芳"])
    progress = dialog.add_progress()
    qtbot.addWidget(progress)
    progress.accept()
    assert progress.error_label.text() == "进展情况：不能为空"
    progress.fields["进展情况"].setText("已签订拆除协议")
    progress.accept()
    assert dialog.cases.current().status == "整改中"
    complete = dialog.complete_case()
    qtbot.addWidget(complete)
    complete.fields["完成日期"].setDate(QDate(2021, 5, 20))
    complete.accept()
    assert any("已整改完成" in q for q in answers)
    assert dialog.cases.current().status == "已完成"
    assert "尚无销号依据" in dialog.cases.hint.text()
    close = dialog.close_case()
    qtbot.addWidget(close)
    close.accept()
    assert close.error_label.text().startswith("销号需要依据")
    assert not any("不可撤销" in q for q in answers)  # the rule is checked before the clerk is asked to confirm
    assert detail(db, houses["王芳"]).cases[0].status == "已完成"


def test_demolition_recorded_allows_close_out(ctx, qtbot, db, houses, answers) -> None:
    dialog = page(ctx, qtbot, houses["王芳"])
    complete = dialog.complete_case()
    qtbot.addWidget(complete)
    complete.fields["完成日期"].setDate(QDate(2021, 5, 20))
    complete.fields["拆除日期"].setDate(QDate(2021, 5, 18))
    complete.accept()
    close = dialog.close_case()
    qtbot.addWidget(close)
    close.fields["销号日期"].setDate(QDate(2021, 6, 1))
    close.accept()
    case = detail(db, houses["王芳"]).cases[0]
    assert (case.status, case.closed_on) == ("已销号", dt.date(2021, 6, 1))
    assert dialog.timeline.lines()[-1] == "2021-06-01 销号 销号"
    assert "销号依据：已拆除（2021-05-18）" in dialog.message.text()


def test_open_case_refused_for_a_house_graded_a(ctx, qtbot, db, houses) -> None:
    dialog = page(ctx, qtbot, houses["张伟"])
    form = dialog.open_case()
    qtbot.addWidget(form)
    form.accept()
    assert "最近鉴定为A级" in form.error_label.text()
    assert detail(db, houses["张伟"]).cases == ()


def test_attachment_thumbnail_on_the_page(ctx, qtbot, db, houses, tmp_path, monkeypatch) -> None:
    from PySide6.QtGui import QColor, QImage

    image = QImage(64, 48, QImage.Format.Format_RGB32)
    image.fill(QColor("#884422"))
    path = tmp_path / "外墙裂缝.png"
    assert image.save(str(path))
    dialog = page(ctx, qtbot, houses["李建国"])
    dialog.attach_file(path, "照片")
    strip = dialog.attachments
    assert strip.count() == 1
    assert strip.item(0).text().startswith("外墙裂缝.png")
    assert not strip.item(0).icon().isNull()
    assert dialog.sections.tabText(5) == "附件（1）"
    dialog.attach_file(path, "鉴定报告")
    assert [(a.owner_table, a.role) for a in detail(db, houses["李建国"]).attachments] == [
        ("house", "照片"),
        ("house_appraisal", "鉴定报告"),
    ]
    assert "已添加到2021-03-05 的C级鉴定" in dialog.message.text()
    opened = []
    monkeypatch.setattr("liandu_desk.ui.houses.page_files.QDesktopServices.openUrl", opened.append)
    dialog.attachments.itemActivated.emit(strip.item(0))
    assert opened and opened[0].toLocalFile().endswith("外墙裂缝.png")
    assert Path(opened[0].toLocalFile()).read_bytes() == path.read_bytes()


def test_correcting_an_appraisal_saves_against_its_version(ctx, qtbot, db, houses, monkeypatch) -> None:
    seen = _answer_conflict(monkeypatch, RELOAD)
    dialog = page(ctx, qtbot, houses["李建国"])
    dialog.sections.setCurrentIndex(1)
    dialog.appraisals.selectRow(0)
    form = dialog.correct_appraisal()
    qtbot.addWidget(form)
    assert form.fields["报告编号"].text() == f"JD-{houses['李建国']}"
    stale = HousePageDialog(ctx, houses["李建国"])
    qtbot.addWidget(stale)
    stale.appraisals.selectRow(0)
    form.fields["报告编号"].setText("莲鉴2021-088")
    form.accept()
    appraisals = detail(db, houses["李建国"]).appraisals
    assert [(a.grade, a.report_no) for a in appraisals] == [("C", "莲鉴2021-088")]
    late = stale.correct_appraisal()
    qtbot.addWidget(late)
    late.fields["鉴定机构"].setText("别的机构")
    late.accept()
    assert late.error_label.text() == CONFLICT_TEXT
    assert seen, "the clerk saw both versions"


def test_buttons_follow_the_clerks_permissions(ctx, qtbot, db, houses) -> None:
    import dataclasses

    from liandu_desk.ui.kit.context import AppContext

    def page_as(role: str) -> HousePageDialog:
        clerk = dataclasses.replace(ctx.clerk, role=role)
        return page(AppContext(db=ctx.db, jobs=ctx.jobs, clerk=clerk), qtbot, houses["王芳"])

    clerk_page = page_as("科员")
    assert clerk_page.progress_button.isEnabled() and clerk_page.edit_button.isEnabled()
    assert "销号结案" in clerk_page.close_button.toolTip()
    viewer = page_as("")
    assert not any(b.isEnabled() for b in (viewer.edit_button, viewer.screening_button, viewer.progress_button))
    assert "没有“录入和修改案件”的权限" in viewer.edit_button.toolTip()


def test_edit_form_hides_full_id_number_from_a_clerk_without_the_permission(ctx, qtbot, db, houses) -> None:
    import dataclasses

    from liandu_desk.ui.kit.context import AppContext

    clerk_ctx = AppContext(db=ctx.db, jobs=ctx.jobs, clerk=dataclasses.replace(ctx.clerk, role="科员"))
    form = HouseFormDialog(clerk_ctx, houses["李建国"])
    qtbot.addWidget(form)
    id_field = form.fields["户主身份证号"]
    assert id_field.text() == ""
    assert id_number(13) not in id_field.placeholderText() and id_number(13)[-4:] in id_field.placeholderText()
    form.fields["层数"].setValue(4)
    form.accept()
    house = detail(db, houses["李建国"])
    assert (house.floors, house.owner_id_number) == (4, id_number(13)), "the hidden number is kept unchanged"


def test_editing_a_case_moves_its_deadline_and_clears_overdue(ctx, qtbot, db, houses) -> None:
    dialog = page(ctx, qtbot, houses["王芳"])
    form = dialog.edit_case()
    qtbot.addWidget(form)
    assert form.fields["来源批次"].currentText() == "2021省委巡视" and not form.fields["来源批次"].isEnabled()
    form.fields["整改期限"].setDate(QDate(2021, 3, 1))
    form.accept()
    assert form.error_label.text() == "整改期限：不能早于立案日期"
    form.fields["整改期限"].setDate(QDate(2099, 12, 31))
    form.accept()
    case = detail(db, houses["王芳"]).cases[0]
    assert (case.deadline, case.overdue, case.batch) == (dt.date(2099, 12, 31), False, "2021省委巡视")
    assert "已超过整改期限" not in dialog.cases.hint.text()


def test_enter_in_a_date_field_saves_and_escape_cancels(ctx, qtbot, db, houses) -> None:
    dialog = page(ctx, qtbot, houses["陈小红"])
    form = dialog.add_screening()
    qtbot.addWidget(form)
    form.show()
    form.fields["排查日期"].setDate(QDate(2021, 4, 2))
    qtbot.keyClick(form.fields["排查日期"], Qt.Key.Key_Return)
    assert [s.screened_on for s in detail(db, houses["陈小红"]).screenings] == [dt.date(2021, 4, 2)]
    other = dialog.add_screening()
    qtbot.addWidget(other)
    other.show()
    qtbot.keyClick(other.fields["排查结论"], Qt.Key.Key_Escape)
    assert other.result() == other.DialogCode.Rejected and not other.isVisible()
    assert len(detail(db, houses["陈小红"]).screenings) == 1


def test_plan_for_an_urban_building(ctx, qtbot, db, houses) -> None:
    dialog = page(ctx, qtbot, houses["陈小红"])
    assert dialog.plan_button.isEnabled() and not dialog.application_button.isEnabled()
    form = dialog.add_plan()
    qtbot.addWidget(form)
    form.fields["责任主体"].setText("")
    form.accept()
    assert form.error_label.text() == "责任主体：不能为空"
    form.fields["责任主体"].setText("陈小红（产权人）")
    form.fields["解危方式"].setCurrentIndex(form.fields["解危方式"].findData("回购"))
    form.fields["临时管控措施"].boxes["撤离"].setChecked(True)
    form.accept()
    plan = detail(db, houses["陈小红"]).plans[0]
    assert (plan.responsible_party, plan.method, plan.street, plan.interim_controls) == (
        "陈小红（产权人）",
        "回购",
        "紫金街道",
        ("撤离",),
    )
    assert dialog.sections.tabText(3) == "一房一策（1）"


def test_renovation_application_previews_eligibility_and_files(ctx, qtbot, db, houses) -> None:
    dialog = page(ctx, qtbot, houses["李建国"])
    form = dialog.add_application()
    qtbot.addWidget(form)
    assert form.fields["申请人身份证号"].text() == id_number(13)
    form.fields["家庭类别"].setCurrentIndex(form.fields["家庭类别"].findData("低保户"))
    assert form.preview.text().startswith("符合条件：低保户，房屋鉴定为C级")
    form.accept()
    applications = detail(db, houses["李建国"]).applications
    assert [(a.applicant_name, a.category, a.status) for a in applications] == [("李建国", "低保户", "待审核")]
    refused = page(ctx, qtbot, houses["张伟"]).add_application()
    qtbot.addWidget(refused)
    assert refused.preview.text().startswith("不符合条件：房屋鉴定为A级")
    refused.accept()
    assert refused.error_label.text().startswith("不符合申报条件")


def test_plan_resolved_with_evidence_then_closed_out(ctx, qtbot, db, houses, answers) -> None:
    dialog = page(ctx, qtbot, houses["陈小红"])
    form = dialog.add_plan()
    qtbot.addWidget(form)
    form.accept()
    dialog.plans.selectRow(0)
    resolve = dialog.advance_plan()
    qtbot.addWidget(resolve)
    resolve.accept()
    assert resolve.error_label.text() == "解危需要依据：解危证明编号，或复鉴为A级或B级"
    resolve.fields["解危证明"].setText("莲解危〔2021〕3号")
    resolve.accept()
    assert detail(db, houses["陈小红"]).plans[0].status == "已解危"
    dialog.plans.selectRow(0)
    assert dialog.advance_plan() is None
    assert any("不可撤销" in q for q in answers)
    plan = detail(db, houses["陈小红"]).plans[0]
    assert (plan.status, plan.evidence) == ("已销号", "解危证明莲解危〔2021〕3号")
    assert dialog.timeline.lines()[-1].endswith("解危 已解危")


def test_reviewer_decides_an_application(ctx, qtbot, db, houses, answers) -> None:
    dialog = page(ctx, qtbot, houses["李建国"])
    form = dialog.add_application()
    qtbot.addWidget(form)
    form.fields["家庭类别"].setCurrentIndex(form.fields["家庭类别"].findData("低保户"))
    form.accept()
    dialog.sections.setCurrentIndex(4)
    dialog.applications.selectRow(0)
    decision = dialog.decide_application()
    qtbot.addWidget(decision)
    decision.fields["审批结果"].setCurrentIndex(decision.fields["审批结果"].findData("已拨付"))
    decision.accept()
    assert decision.error_label.text() == "申请批准后才能拨付"
    decision.fields["审批结果"].setCurrentIndex(decision.fields["审批结果"].findData("已批准"))
    decision.accept()
    assert [a.status for a in detail(db, houses["李建国"]).applications] == ["已批准"]
    assert any("已批准" in q for q in answers)


def test_documents_menu_opens_the_notice_and_the_dossier(ctx, qtbot, houses, monkeypatch) -> None:
    from liandu_desk.ui.houses import page as house_page
    from liandu_desk.ui.kit import pdf_view

    opened = []
    monkeypatch.setattr(house_page, "open_house_notice", lambda _ctx, house_id, _p: opened.append(("通知书", house_id)))
    monkeypatch.setattr(pdf_view, "open_dossier", lambda _ctx, kind, rid, _p: opened.append((kind, rid)))
    dialog = page(ctx, qtbot, houses["王芳"])
    dialog.notice_action.trigger()
    dialog.dossier_action.trigger()
    assert opened == [("通知书", houses["王芳"]), ("house", houses["王芳"])]


def test_two_clerks_edit_one_case_the_second_sees_both_versions(ctx, qtbot, db, houses, monkeypatch) -> None:
    dialog = page(ctx, qtbot, houses["王芳"])
    form = dialog.edit_case()
    qtbot.addWidget(form)
    case = detail(db, houses["王芳"]).cases[0]
    with db.session_scope() as session:  # the other clerk saves first
        other = cases.CaseInput(
            measure=case.measure,
            opened_on=case.opened_on,
            deadline=dt.date(2021, 8, 31),
            batch=case.batch or "",
            responsible="李审核",
            note="",
        )
        cases.update_case(session, case.id, other, case.version)
    seen = _answer_conflict(monkeypatch, KEEP_MINE)
    form.fields["责任人"].setText("王科员")
    form.accept()
    assert seen[0]["责任人"] == ("王科员", "李审核")
    assert seen[0]["整改期限"][1] == "2021-08-31"
    assert detail(db, houses["王芳"]).cases[0].responsible == "王科员"


def test_plan_milestones_are_added_and_moved_along(ctx, qtbot, db, houses, answers) -> None:
    dialog = page(ctx, qtbot, houses["陈小红"])
    assert not dialog.milestone_button.isEnabled()  # no plan selected yet
    form = dialog.add_plan()
    qtbot.addWidget(form)
    form.accept()
    dialog.plans.selectRow(0)
    assert dialog.milestone_button.isEnabled() and not dialog.milestone_status_action.isEnabled()
    add = dialog.add_milestone()
    qtbot.addWidget(add)
    add.accept()
    assert add.error_label.text().startswith("节点名称")  # required
    add.fields["节点名称"].setText("人员撤离")
    add.accept()
    milestones = detail(db, houses["陈小红"]).plans[0].milestones
    assert [(m.title, m.status) for m in milestones] == [("人员撤离", "未开始")]
    dialog.plans.selectRow(0)
    assert dialog.milestone_status_action.isEnabled()
    update = dialog.update_milestone()
    qtbot.addWidget(update)
    assert update.fields["状态"].currentData() == "已完成"
    update.accept()
    plan = detail(db, houses["陈小红"]).plans[0]
    assert [(m.title, m.status, m.done_on is not None) for m in plan.milestones] == [("人员撤离", "已完成", True)]
    assert plan.status == "实施中"
    assert "人员撤离（已完成）" in dialog.plans.model_.data(dialog.plans.model_.index(0, 8))


def test_a_permitted_clerk_reveals_the_owner_numbers_and_the_view_is_audited(
    ctx, qtbot, db, houses, monkeypatch, no_blocking_message_boxes
) -> None:
    import dataclasses

    from PySide6.QtCore import Qt

    from liandu_desk.services import audit
    from liandu_desk.ui.houses.owner_forms import RevealForm

    def give_purpose(form: RevealForm) -> int:
        form.show()
        qtbot.keyClick(form.purpose, Qt.Key.Key_Return)  # no purpose: refused in the form, nothing revealed
        assert "请填写查看目的" in form.error_label.text() and form.result() == 0
        form.purpose.setText("核对补助申请")
        qtbot.keyClick(form.purpose, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: form.result() == 1)
        return 1

    monkeypatch.setattr(RevealForm, "exec", give_purpose)
    dialog = page(ctx, qtbot, houses["王芳"])
    owner = detail(db, houses["王芳"]).owner_id
    assert dialog.reveal_action.isEnabled()
    dialog.reveal_action.trigger()
    with db.session_scope() as session:
        full = detail_service.house_detail(session, houses["王芳"])
        views = [e for e in audit.history(session, "person", owner) if e.action == "view"]
    assert full.owner_id_number and any(full.owner_id_number in text for text in no_blocking_message_boxes)
    assert views and "核对补助申请" in str(views[-1].new_values)
    clerk_ctx = dataclasses.replace(ctx, clerk=dataclasses.replace(ctx.clerk, role="科员"))
    assert not page(clerk_ctx, qtbot, houses["王芳"]).reveal_action.isEnabled()


def test_the_owner_consent_to_electronic_service_is_recorded_from_the_page(ctx, qtbot, db, houses) -> None:
    import datetime as dt

    from PySide6.QtCore import QDate

    from liandu_desk.domain.registry import Person

    dialog = page(ctx, qtbot, houses["王芳"])
    assert dialog.consent_action.isEnabled()
    consent = dialog.record_consent()
    qtbot.addWidget(consent)
    consent.accept()  # nothing typed: refused in the form, which stays open
    assert "电子送达地址" in consent.error.text()
    qtbot.keyClicks(consent.address, "13957012345")
    consent.given_on.setDate(QDate(2021, 5, 6))
    consent.accept()
    owner = detail(db, houses["王芳"]).owner_id
    with db.session_scope() as session:
        person = session.get(Person, owner)
        assert (person.e_service_address, person.e_service_consent_on) == ("13957012345", dt.date(2021, 5, 6))
    assert "已登记电子送达同意" in dialog.message.text()
