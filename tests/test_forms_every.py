"""Every form dialog of the app, opened the way the clerk opens it: type into the field that has the focus, press
Enter (Ctrl+Enter in a multi-line text), and the record is saved or the form says why in its own error line. Never
does Enter close a form without saving. A dialog class that is neither a kit form nor listed below as a viewer,
list or workspace fails the first test, so a new form cannot skip the rule."""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import pkgutil
from collections.abc import Iterator

import pytest
from communities_factories import inspect, make_community, make_company
from documents_factories import dangerous_house
from elevators_factories import add_unit, make_project
from houses_gui_factories import small_town
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QPlainTextEdit, QTextEdit

import liandu_desk.ui as ui_package
from liandu_desk.services import audit
from liandu_desk.services.communities.inspections import inspection_detail, list_inspections
from liandu_desk.services.communities.templates import current_template
from liandu_desk.services.documents import lifecycle
from liandu_desk.services.documents.house_notices import draft_house_notice
from liandu_desk.ui.kit.form_dialog import FormDialog

# Dialogs that are not record forms, and why: they list, show or walk through; their own forms are kit forms.
NOT_FORMS = {
    "liandu_desk.ui.admin.about.AboutDialog": "shows the version and licences",
    "liandu_desk.ui.admin.audit_viewer.AuditViewer": "lists the audit trail",
    "liandu_desk.ui.admin.clerks.ClerkAdminDialog": "lists clerks; 新增/修改/重置 open kit forms",
    "liandu_desk.ui.admin.figures_dialog.FiguresDialog": "lists figures; 记录核实文号 opens a kit form",
    "liandu_desk.ui.admin.log_viewer.LogViewer": "shows the log",
    "liandu_desk.ui.admin.record_import.RecordImportDialog": "an import with its own preview and progress",
    "liandu_desk.ui.admin.village_forms.VillageHistoryDialog": "shows a village's history",
    "liandu_desk.ui.admin.village_register.VillageRegisterDialog": "lists villages; its actions open kit forms",
    "liandu_desk.ui.communities.inspection.InspectionViewer": "shows a saved inspection",
    "liandu_desk.ui.communities.page.CommunityPage": "a community's record page",
    "liandu_desk.ui.communities.record_forms.StaffDialog": "lists grid staff; 新增网格员 opens a kit form",
    "liandu_desk.ui.documents.batch_dialog.BatchNoticeDialog": "issues a batch with progress and cancel",
    "liandu_desk.ui.documents.holiday_import.HolidayImportDialog": "an import with its changes confirmed",
    "liandu_desk.ui.documents.holidays.HolidayDialog": "lists the calendar; 新增/修改 open a kit form",
    "liandu_desk.ui.documents.preview.DocumentPreviewDialog": "previews and issues a document",
    "liandu_desk.ui.documents.register_dialog.DocumentRegisterDialog": "lists documents; 送达/复查/作废 are kit forms",
    "liandu_desk.ui.documents.summary_dialog.SummaryDialog": "exports the summary with progress",
    "liandu_desk.ui.documents.templates_dialog.DocumentTemplateDialog": "an editor workspace that stays open on "
    "save; 保存为新版本 is its default button (tests/test_documents_templates_gui.py)",
    "liandu_desk.ui.home.search.SearchDialog": "the search box",
    "liandu_desk.ui.houses.import_wizard.ImportWizard": "a wizard",
    "liandu_desk.ui.houses.page.HousePageDialog": "a house's record page",
    "liandu_desk.ui.kit.conflict_dialog.ConflictDialog": "shows a save conflict",
    "liandu_desk.ui.kit.pdf_view.PdfPreviewDialog": "shows a PDF",
}
# Bases that never open by themselves.
ID_NUMBER = "331102198001010019"
BASES = {
    "liandu_desk.ui.kit.form_dialog.FormDialog",
    "liandu_desk.ui.admin.clerks._SavingDialog",
    "liandu_desk.ui.admin.login._AccountDialog",
    "liandu_desk.ui.admin.village_forms.RegisterForm",
    "liandu_desk.ui.documents.serve_dialog._DocumentForm",
    "liandu_desk.ui.kit.forms.HouseFormDialogBase",
}


def _name(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def _subclasses(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _ui_dialogs() -> set[type]:
    for module in pkgutil.walk_packages(ui_package.__path__, "liandu_desk.ui."):
        importlib.import_module(module.name)
    return {c for c in _subclasses(QDialog) if c.__module__.startswith("liandu_desk.")}


@dataclasses.dataclass
class Drive:
    """The outcome of pressing Enter in each form, by class."""

    qtbot: object
    text: str = "1"
    outcomes: dict[str, tuple[bool, str]] = dataclasses.field(default_factory=dict)
    targets: dict[str, str] = dataclasses.field(default_factory=dict)
    last: tuple[str, bool, str] | None = None

    def __call__(self, dialog: FormDialog) -> int:
        qtbot = self.qtbot
        if dialog.parent() is None:  # a dialog over a page goes with the page (some delete themselves on close)
            qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)
        assert dialog.save_button.isDefault() and dialog.save_button.isEnabled(), _name(type(dialog))
        target = QApplication.focusWidget() if dialog.isAncestorOf(QApplication.focusWidget()) else None
        target = target or dialog.focusWidget() or dialog
        if isinstance(target, QLineEdit) and not target.text() and not target.isReadOnly():
            qtbot.keyClicks(target, self.text)
        multi_line = isinstance(target, QPlainTextEdit | QTextEdit)
        if multi_line:
            qtbot.keyClicks(target, self.text)
        modifier = Qt.KeyboardModifier.ControlModifier if multi_line else Qt.KeyboardModifier.NoModifier
        self.targets[_name(type(dialog))] = type(target).__name__
        qtbot.keyClick(target, Qt.Key.Key_Return, modifier)
        qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)
        for _ in range(60):  # a score sheet takes Enter row by row, then 保存 has the focus
            if not dialog.isVisible() or dialog.error_label.text():
                break
            qtbot.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_Return)
            qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)
        saved = dialog.result() == QDialog.DialogCode.Accepted
        message = dialog.error_label.text() if dialog.isVisible() else ""
        self.outcomes[_name(type(dialog))] = (saved, message)
        self.last = (dialog.windowTitle(), saved, message)
        where = f"{_name(type(dialog))} (Enter in {self.targets[_name(type(dialog))]})"
        assert saved != bool(message), f"{where}: saved={saved}, message={message!r}, open={dialog.isVisible()}"
        if not saved:
            dialog.closing_confirmed = True
            dialog.reject()
        return dialog.result()


@pytest.fixture
def drive(qtbot, monkeypatch) -> Drive:
    from PySide6.QtWidgets import QMessageBox

    driver = Drive(qtbot)
    yes = QMessageBox.StandardButton.Yes
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *_a, **_k: yes))  # the clerk confirms
    monkeypatch.setattr(FormDialog, "exec", lambda self: driver(self))
    monkeypatch.setattr(FormDialog, "open", lambda self: driver(self))
    return driver


def _audit_count(db) -> int:
    with db.session_scope() as session:
        return audit.count(session)


# --- how each form is opened ----------------------------------------------------------------------------------
def _house_page(ctx, qtbot, house_id: int):
    from liandu_desk.ui.houses.page import HousePageDialog

    page = HousePageDialog(ctx, house_id)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.data is not None)
    return page


def _houses(ctx, qtbot, db, action: str, owner: str = "王芳"):
    houses = small_town(db)
    page = _house_page(ctx, qtbot, houses[owner])
    if action in ("add_plan", "add_milestone", "update_milestone", "advance_plan"):
        owner = "陈小红"  # 一房一策 is for urban houses
        page = _house_page(ctx, qtbot, houses[owner])
    if action in ("add_milestone", "update_milestone", "advance_plan"):
        _with_plan(ctx, qtbot, db, page)
    if action == "decide_application":
        _with_application(ctx, db, page, houses[owner])
    getattr(page, action)()


def _with_plan(ctx, qtbot, db, page) -> None:
    from liandu_desk.services.houses import plans

    with db.session_scope() as session:
        plan = plans.create_plan(session, page.house_id, plans.PlanInput("户主", "维修加固", dt.date(2021, 3, 12)))
        plans.add_milestone(session, plan.id, "人员撤离", dt.date(2021, 4, 1))
    page.reload()
    qtbot.waitUntil(lambda: bool(page.data.detail.plans))
    page.plans.setCurrentIndex(page.plans.model_.index(0, 0))


def _with_application(ctx, db, page, house_id: int) -> None:
    from liandu_desk.services.houses import applications

    detail = page.data.detail
    with db.session_scope() as session:
        applications.submit_application(
            session,
            applications.ApplicationInput(
                detail.owner_name,
                ID_NUMBER,
                detail.township_id,
                2021,
                "低保户",
                "维修加固",
                dt.date(2021, 3, 15),
                house_id,
            ),
        )
    page.reload()
    page.applications.setCurrentIndex(page.applications.model_.index(0, 0))


def _document_register(ctx, qtbot, db, action: str) -> None:
    from liandu_desk.ui.documents.register import DocumentRegister

    with db.session_scope() as session:
        draft = draft_house_notice(session, dangerous_house(session), "测试员")
        lifecycle.issue(session, draft.id, dt.date(2021, 9, 17), "测试员")
    register = DocumentRegister(ctx)
    qtbot.addWidget(register)
    register.refresh()
    qtbot.waitUntil(lambda: register.model.rowCount() > 0)
    register.table.selectRow(0)
    getattr(register, action)()


def _elevator_page(ctx, qtbot, db, disputed: bool = False):
    from liandu_desk.ui.elevators.tab import ElevatorsTab

    with db.session_scope() as session:
        project = make_project(session)
        add_unit(session, project, floors=2)
    tab = ElevatorsTab(ctx)
    qtbot.addWidget(tab)
    tab.open_project(project)
    if disputed:
        from liandu_desk.services.elevators import disputes

        with db.session_scope() as session:
            disputes.create_dispute(session, project, "采光/日照", "低层住户担心采光", dt.date(2021, 3, 1))
        tab.page.reload()
        tab.page.disputes.table.selectRow(0)
    return tab


def _community(db) -> tuple[int, int]:
    with db.session_scope() as session:
        community = make_community(session, "丽阳花园", make_company(session))
        inspection = inspect(session, community, dt.date(2021, 3, 1), 90)
    return community, inspection


def _open(ctx, qtbot, db, name: str) -> None:
    from liandu_desk.ui.admin import clerks, figures_dialog, login, server_dialog, settings_dialog, village_forms
    from liandu_desk.ui.communities import correction, inspection, record_forms, template_dialog
    from liandu_desk.ui.documents.holidays import HolidayForm
    from liandu_desk.ui.elevators.settings_dialog import ElevatorSettingsDialog
    from liandu_desk.ui.home.tab import HomeTab
    from liandu_desk.ui.houses.owner_forms import AttachmentRoleForm
    from liandu_desk.ui.kit.prefs import Prefs

    short = name.rsplit(".", 1)[1]
    houses_actions = {
        "HouseFormDialog": "edit_house",
        "ScreeningFormDialog": "add_screening",
        "AppraisalFormDialog": "add_appraisal",
        "ProgressFormDialog": "add_progress",
        "CompleteCaseDialog": "complete_case",
        "CloseCaseDialog": "close_case",
        "PlanFormDialog": "add_plan",
        "MilestoneFormDialog": "add_milestone",
        "MilestoneStatusDialog": "update_milestone",
        "ResolvePlanDialog": "advance_plan",
        "ApplicationFormDialog": "add_application",
        "DecisionDialog": "decide_application",
        "ConsentDialog": "record_consent",
        "RevealForm": "reveal_owner",
    }
    if short in houses_actions:
        _houses(ctx, qtbot, db, houses_actions[short])
    elif short == "CaseFormDialog":
        _houses(ctx, qtbot, db, "open_case", "李建国")
    elif short == "AttachmentRoleForm":
        AttachmentRoleForm("照片.jpg", _house_page(ctx, qtbot, small_town(db)["王芳"])).exec()
    elif short in ("ServeDialog", "FollowUpDialog", "CancelDialog"):
        action = {"ServeDialog": "serve_selected", "FollowUpDialog": "follow_up_selected"}.get(short, "cancel_selected")
        _document_register(ctx, qtbot, db, action)
    elif short == "HolidayForm":
        HolidayForm(None, None, ctx).exec()
    elif short == "ClerkDialog":
        clerks.ClerkDialog(ctx).exec()
    elif short == "ResetPasswordDialog":
        from liandu_desk.services.clerks import list_clerks

        with db.session_scope() as session:
            row = list_clerks(session)[0]
        clerks.ResetPasswordDialog(ctx, row).exec()
    elif short == "ChangePasswordDialog":
        clerks.ChangePasswordDialog(ctx).exec()
    elif short == "VerifyFigureForm":
        from liandu_desk.services import figures

        with db.session_scope() as session:
            row = figures.figure_statuses(session)[0]
        figures_dialog.VerifyFigureForm(ctx, row, None).exec()
    elif short == "FirstAdminDialog":
        login.FirstAdminDialog(db).exec()  # db: the fresh database the test made
    elif short == "LoginDialog":
        login.LoginDialog(db).exec()
    elif short == "ServerDialog":
        server_dialog.ServerDialog(prefs=Prefs(), jobs=ctx.jobs).exec()
    elif short == "SettingsDialog":
        settings_dialog.SettingsDialog(ctx).exec()
    elif short in ("AddVillageForm", "RenameVillageForm", "RetireVillageForm"):
        from liandu_desk.services.division_register import list_register
        from liandu_desk.services.divisions import list_townships

        with db.session_scope() as session:
            town = list_townships(session)[0]
            village = list_register(session, town.id, include_retired=False)[0]
        if short == "AddVillageForm":
            village_forms.AddVillageForm(ctx, town.id, town.name).exec()
        else:
            getattr(village_forms, short)(ctx, village).exec()
    elif short == "InspectionDialog":
        inspection.InspectionDialog(ctx, _community(db)[0]).exec()
    elif short == "CorrectionDialog":
        community, _ = _community(db)
        with db.session_scope() as session:
            detail = inspection_detail(session, list_inspections(session, community_id=community)[0].id)
        correction.CorrectionDialog(ctx, detail).exec()
    elif short == "TemplateEditor":
        with db.session_scope() as session:
            template = current_template(session)
        template_dialog.TemplateEditor(ctx, template).exec()
    elif name == "liandu_desk.ui.communities.forms.FormDialog":
        staff = record_forms.StaffDialog(ctx)
        qtbot.addWidget(staff)
        staff.new_staff()
    elif short == "ElevatorSettingsDialog":
        ElevatorSettingsDialog(ctx).exec()
    elif short == "ProjectDialog":
        from liandu_desk.ui.elevators.tab import ElevatorsTab

        tab = ElevatorsTab(ctx)
        qtbot.addWidget(tab)
        tab.new_project()
    elif short == "HouseholdDialog":
        _elevator_page(ctx, qtbot, db).page._add_household()
    elif short == "BulkHouseholdDialog":
        _elevator_page(ctx, qtbot, db).page.bulk_households()
    elif short == "AdvanceDialog":
        _elevator_page(ctx, qtbot, db).page._advance()
    elif short == "StageRecordDialog":
        tab = _elevator_page(ctx, qtbot, db)
        tab.page._edit_stage(tab.page.page.timeline[0])
    elif short == "DisputeDialog":
        _elevator_page(ctx, qtbot, db).page.disputes._new_dispute()
    elif short == "MediationDialog":
        _elevator_page(ctx, qtbot, db, disputed=True).page.disputes._add_session()
    elif short == "CloseDisputeDialog":
        _elevator_page(ctx, qtbot, db, disputed=True).page.disputes._close()
    elif name == "liandu_desk.ui.elevators.forms.FormDialog":
        _elevator_page(ctx, qtbot, db).page._add_household()  # the base: its subclasses all go through it
    elif short == "TargetDialog":
        tab = HomeTab(ctx)
        qtbot.addWidget(tab)
        tab.activate()
        tab.new_target()
    else:  # pragma: no cover - the first test names it
        pytest.fail(f"no entry point for {name}")


def _forms() -> list[str]:
    return sorted(_name(c) for c in _ui_dialogs() if issubclass(c, FormDialog) and _name(c) not in BASES)


def test_every_dialog_is_a_kit_form_or_listed_as_not_a_form() -> None:
    unknown = sorted(_name(c) for c in _ui_dialogs() if not issubclass(c, FormDialog) and _name(c) not in NOT_FORMS)
    assert unknown == [], "a dialog that edits a record must build on kit.form_dialog.FormDialog"
    gone = sorted(set(NOT_FORMS) - {_name(c) for c in _ui_dialogs()})
    assert gone == [], "listed dialogs that no longer exist"


FIRST_START = {"liandu_desk.ui.admin.login.FirstAdminDialog"}


@pytest.mark.parametrize("name", _forms())
def test_enter_saves_or_says_why(ctx, qtbot, db, drive, name, tmp_path) -> None:
    if name in FIRST_START:  # a database before its first administrator
        from liandu_desk.storage import Database
        from liandu_desk.storage.migrate import upgrade

        db = Database(f"sqlite:///{tmp_path / 'first.sqlite3'}")
        upgrade(db, backup=False)
    before = _audit_count(db)
    _open(ctx, qtbot, db, name)
    driven = [n for n in drive.outcomes if n == name or issubclass_name(n, name)]
    assert driven, f"{name} did not open from its entry point"
    saved, message = drive.outcomes[driven[0]]
    if saved and name not in NO_RECORD:
        assert _audit_count(db) > before, f"{name} closed as saved but wrote nothing"


# Forms whose 保存 is not a database write: a choice handed back to the page, or a connection.
NO_RECORD = {
    "liandu_desk.ui.admin.settings_dialog.SettingsDialog",  # saved unchanged: nothing to write
    "liandu_desk.ui.elevators.settings_dialog.ElevatorSettingsDialog",
    "liandu_desk.ui.houses.owner_forms.AttachmentRoleForm",
    "liandu_desk.ui.admin.server_dialog.ServerDialog",
    "liandu_desk.ui.admin.login.LoginDialog",
}


def issubclass_name(child: str, parent: str) -> bool:
    classes = {_name(c): c for c in _ui_dialogs()}
    return child in classes and parent in classes and issubclass(classes[child], classes[parent])


def test_typed_is_known_for_rows_added_without_add_field(ctx, qtbot, monkeypatch) -> None:
    """A form built with form.addRow still asks before Esc drops what was typed."""
    from PySide6.QtWidgets import QMessageBox

    asked: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *_a: asked.append("asked") or QMessageBox.StandardButton.No)
    )
    form = FormDialog("测试", None, ctx)
    line = QLineEdit()
    form.form.addRow("名称：", line)
    qtbot.addWidget(form)
    form.show()
    assert form.focusWidget() is line
    line.setText("x")
    qtbot.keyClick(line, Qt.Key.Key_Escape)
    assert asked and form.isVisible()


def _community_page(ctx, qtbot, kind: str):
    from liandu_desk.ui.communities import list_pages, pages

    page = {
        "companies": list_pages.CompanyPage,
        "rules": list_pages.RulesPage,
        "issues": pages.IssuePage,
        "communities": pages.CommunityListPage,
    }[kind](ctx)
    qtbot.addWidget(page)
    if hasattr(page, "set_period"):
        from liandu_desk.services.periods import half_year

        page.set_period(half_year(2021, 1))
    page.refresh()
    return page


def _select_first(page) -> None:
    table = getattr(page, "table", None)
    if table is not None and table.model().rowCount():
        table.setCurrentIndex(table.model().index(0, 0))
        table.selectRow(0)
    rules = getattr(page, "rules", None)
    if rules is not None and rules.count():
        rules.setCurrentRow(0)


# The 星级小区 forms built from the module's one form class (`ui/communities/forms.py`), each from its page action.
COMMUNITY_FORMS = {
    "新增物业企业": ("companies", "new_company"),
    "综合评价": ("companies", "evaluate"),
    "综合评价权重": ("companies", "edit_weights"),
    "星级标准": ("rules", "edit_stars"),
    "修改榜单规则": ("rules", "edit_rule"),
    "报送整改情况": ("issues", "report"),
    "复查": ("issues", "reinspect"),
    "新增小区": ("communities", "edit"),
}


@pytest.mark.parametrize("title", list(COMMUNITY_FORMS))
def test_each_community_form_saves_on_enter_or_says_why(ctx, qtbot, db, drive, title) -> None:
    with db.session_scope() as session:
        community = make_community(session, "丽阳花园", make_company(session))
        inspect(session, community, dt.date(2021, 3, 1), 90)  # raises issues to report on and re-inspect
    kind, action = COMMUNITY_FORMS[title]
    page = _community_page(ctx, qtbot, kind)
    _select_first(page)
    before = _audit_count(db)
    getattr(page, action)(*([None] if action == "edit" else []))
    assert drive.last is not None and drive.last[0].startswith(title), f"{title} did not open ({drive.last})"
    _title, saved, _message = drive.last
    if saved and title not in SAVED_UNCHANGED:
        assert _audit_count(db) > before, f"{title} closed as saved but wrote nothing"


# Forms of numbers only (spin boxes): Enter saves the values shown, which writes nothing when none was changed.
SAVED_UNCHANGED = {"综合评价权重", "星级标准", "修改榜单规则"}
