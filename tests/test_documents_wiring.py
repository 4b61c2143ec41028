"""Document entries on the module pages: project 案卷 and mediation documents, community notice and 案卷, 红黑榜通报."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from communities_factories import inspect, make_community, make_company
from documents_factories import pdf_text
from elevators_factories import add_unit, make_project

from liandu_desk.domain.registry import ClerkRole
from liandu_desk.services.communities import lists
from liandu_desk.services.elevators.disputes import MediationInput, add_session, create_dispute
from liandu_desk.services.periods import half_year
from liandu_desk.ui.communities.list_pages import PublicationPage
from liandu_desk.ui.communities.page import CommunityPage
from liandu_desk.ui.documents.preview import DocumentPreviewDialog
from liandu_desk.ui.elevators.project_page import ProjectPageWidget
from liandu_desk.ui.kit.context import AppContext
from liandu_desk.ui.kit.pdf_view import PdfPreviewDialog

D = dt.date
H1 = half_year(2021, 1)
OUTCOME = "高层业主补偿一楼业主8000元"


def _text(data: bytes) -> str:
    return "".join(pdf_text(data).split())


@pytest.fixture
def shown(monkeypatch) -> list:
    """Preview dialogs that would have been shown (exec records instead of blocking)."""
    dialogs: list = []

    def record(dialog) -> int:
        dialogs.append(dialog)
        return 0

    monkeypatch.setattr(DocumentPreviewDialog, "exec", record)
    monkeypatch.setattr(PdfPreviewDialog, "exec", record)
    return dialogs


def as_role(ctx: AppContext, role: str) -> AppContext:
    return replace(ctx, clerk=replace(ctx.clerk, role=role, name=f"{role}小王"))


def _project(ctx) -> tuple[int, int, int]:
    """A project with one dispute and two sessions: the first without an outcome, the second with one."""
    with ctx.session_scope() as session:
        project = make_project(session)
        households = add_unit(session, project)
        dispute = create_dispute(
            session, project, "采光/日照", "一楼业主认为电梯井遮挡采光", D(2021, 3, 1), [households[0], households[-1]]
        )
        open_session = add_session(session, dispute, MediationInput(D(2021, 3, 5), "望湖社区会议室", "社区调解员王芳"))
        agreed = add_session(
            session,
            dispute,
            MediationInput(
                D(2021, 3, 10),
                "望湖社区会议室",
                "社区调解员王芳",
                attendees="双方业主、社区",
                summary="听取双方意见",
                outcome=OUTCOME,
            ),
        )
    return project, open_session, agreed


def _project_page(ctx, qtbot, project: int) -> ProjectPageWidget:
    page = ProjectPageWidget(ctx)
    qtbot.addWidget(page)
    page.load(project)
    return page


def _select_session(page: ProjectPageWidget, session_id: int) -> None:
    panel = page.disputes
    row = next(i for i, r in enumerate(panel.sessions.rows) if r.id == session_id)
    panel.session_table.selectRow(row)
    assert panel.current_session().id == session_id


def test_project_page_dossier_record_and_agreement(ctx, qtbot, shown) -> None:
    project, open_session, agreed = _project(ctx)
    page = _project_page(ctx, qtbot, project)
    panel = page.disputes
    assert page.dossier_button.isEnabled()
    page.dossier_button.click()
    assert isinstance(shown[-1], PdfPreviewDialog)
    dossier = _text(shown[-1].preview.pdf_bytes)
    assert "既有住宅加装电梯项目案卷" in dossier and "望湖公寓1幢2单元" in dossier

    assert panel.current_session().id == agreed  # the latest session is selected
    assert panel.record_button.isEnabled() and panel.agreement_button.isEnabled()
    assert "在预览中签发" in panel.agreement_button.toolTip()
    panel.record_button.click()
    record = _text(shown[-1].preview.pdf_bytes)
    assert "加装电梯调解记录" in record and "社区调解员王芳" in record and "听取双方意见" in record

    panel.agreement_button.click()
    dialog = shown[-1]
    assert isinstance(dialog, DocumentPreviewDialog)
    assert "草稿" in dialog.header.text() and dialog.issue_button.isEnabled()
    agreement = _text(dialog.preview.pdf_bytes)
    assert "加装电梯调解协议书" in agreement and OUTCOME in agreement and "业主101" in agreement

    _select_session(page, open_session)  # no outcome: no agreement, the record is still there
    assert panel.record_button.isEnabled() and not panel.agreement_button.isEnabled()
    assert "没有形成调解结果" in panel.agreement_button.toolTip()


def test_mediation_log_context_menu_mirrors_the_buttons(ctx, qtbot, shown) -> None:
    project, open_session, _agreed = _project(ctx)
    page = _project_page(ctx, qtbot, project)
    table = page.disputes.session_table
    row = next(i for i, r in enumerate(page.disputes.sessions.rows) if r.id == open_session)
    pos = table.visualRect(table.model().index(row, 0)).center()
    table.customContextMenuRequested.emit(pos)  # right-click selects the row under the cursor
    actions = {a.text(): a for a in table.last_context_menu.actions()}
    assert set(actions) == {"调解记录(PDF)…", "调解协议书…"}
    assert actions["调解记录(PDF)…"].isEnabled() and not actions["调解协议书…"].isEnabled()
    actions["调解记录(PDF)…"].trigger()
    assert "加装电梯调解记录" in _text(shown[-1].preview.pdf_bytes)


def test_mediation_documents_follow_role_and_read_only(ctx, qtbot, shown) -> None:
    project, _open, _agreed = _project(ctx)
    clerk_page = _project_page(as_role(ctx, ClerkRole.CLERK.value), qtbot, project)
    assert clerk_page.disputes.agreement_button.isEnabled()  # a 科员 drafts …
    assert "签发需要审核人员或管理员权限" in clerk_page.disputes.agreement_button.toolTip()
    clerk_page.disputes.agreement_button.click()
    assert not shown[-1].issue_button.isEnabled()  # … but cannot issue from the preview

    nobody = _project_page(as_role(ctx, "访客"), qtbot, project)
    assert not nobody.disputes.agreement_button.isEnabled()
    assert "起草文书" in nobody.disputes.agreement_button.toolTip()

    ctx.db.read_only_reason = "另一台电脑正在录入"
    try:
        read_only = _project_page(ctx, qtbot, project)
        assert not read_only.disputes.agreement_button.isEnabled()
        assert "只读模式" in read_only.disputes.agreement_button.toolTip()
        assert read_only.disputes.record_button.isEnabled() and read_only.dossier_button.isEnabled()
    finally:
        ctx.db.read_only_reason = ""


def _community(ctx) -> tuple[int, int, int]:
    with ctx.session_scope() as session:
        community = make_community(session, "望江花园", make_company(session))
        deducted = inspect(session, community, D(2021, 3, 15), 85.0)
        clean = inspect(session, community, D(2021, 5, 20), 100.0)
    return community, deducted, clean


def _select_inspection(page: CommunityPage, inspection_id: int) -> None:
    row = next(i for i, r in enumerate(page.inspections.rows) if r.id == inspection_id)
    page.inspection_table.selectRow(row)
    assert page.current_inspection().id == inspection_id


def test_community_page_notice_only_for_deductions_and_dossier(ctx, qtbot, shown) -> None:
    community, deducted, clean = _community(ctx)
    page = CommunityPage(ctx, community)
    qtbot.addWidget(page)
    assert page.current_inspection().id == clean  # newest first
    assert not page.notice_button.isEnabled() and "没有扣分项" in page.notice_button.toolTip()
    _select_inspection(page, deducted)
    assert page.notice_button.isEnabled()
    page.notice_button.click()
    dialog = shown[-1]
    assert isinstance(dialog, DocumentPreviewDialog) and "草稿" in dialog.header.text()
    notice = _text(dialog.preview.pdf_bytes)
    assert "小区整改通知书" in notice and "望江花园" in notice and "得分85分" in notice

    page.dossier_button.click()
    dossier = _text(shown[-1].preview.pdf_bytes)
    assert isinstance(shown[-1], PdfPreviewDialog)
    assert "物管小区案卷" in dossier and "望江花园" in dossier and "检查评分" in dossier

    table = page.inspection_table
    row = next(i for i, r in enumerate(page.inspections.rows) if r.id == clean)
    table.customContextMenuRequested.emit(table.visualRect(table.model().index(row, 0)).center())
    actions = {a.text(): a.isEnabled() for a in table.last_context_menu.actions()}
    assert actions == {"整改通知书(&T)…": False, "小区案卷(PDF)(&D)…": True}


def test_community_notice_follows_role_and_read_only(ctx, qtbot) -> None:
    community, deducted, _clean = _community(ctx)
    for context, enabled in ((as_role(ctx, ClerkRole.REVIEWER.value), True), (as_role(ctx, ""), False)):
        page = CommunityPage(context, community)
        qtbot.addWidget(page)
        _select_inspection(page, deducted)
        assert page.notice_button.isEnabled() is enabled
    ctx.db.read_only_reason = "数据库文件只读"
    try:
        page = CommunityPage(ctx, community)
        qtbot.addWidget(page)
        _select_inspection(page, deducted)
        assert not page.notice_button.isEnabled() and "只读模式" in page.notice_button.toolTip()
        assert page.dossier_button.isEnabled()
    finally:
        ctx.db.read_only_reason = ""


def _publication_page(ctx, qtbot) -> PublicationPage:
    page = PublicationPage(ctx)
    qtbot.addWidget(page)
    page.set_period(H1)
    return page


def test_list_publication_notice_for_the_shown_period(ctx, qtbot, shown) -> None:
    with ctx.session_scope() as session:
        good = make_community(session, "红榜花园", make_company(session))
        inspect(session, good, D(2021, 2, 1), 95.0)
        inspect(session, good, D(2021, 5, 1), 96.0)
        publication = lists.generate_publication(session, "小区", H1, today=D(2021, 7, 1))
    page = _publication_page(ctx, qtbot)
    button = page.buttons["notice"]
    assert not button.isEnabled() and "发布后" in button.toolTip()  # generated, not yet published
    with ctx.session_scope() as session:
        lists.publish(session, publication, "测试员", D(2021, 7, 2))
    page.refresh()
    assert button.isEnabled()
    button.click()
    dialog = shown[-1]
    assert isinstance(dialog, DocumentPreviewDialog) and "草稿" in dialog.header.text()
    text = _text(dialog.preview.pdf_bytes)
    assert "关于2021年物管小区“红黑榜”的通报" in text and "红榜花园" in text

    page.subject.setCurrentText("物业企业")  # nothing generated for companies in this period
    assert not page.buttons["notice"].isEnabled() and "请先生成" in page.buttons["notice"].toolTip()
    ctx.db.read_only_reason = "备份恢复中"
    try:
        page = _publication_page(ctx, qtbot)
        assert not page.buttons["notice"].isEnabled() and "只读模式" in page.buttons["notice"].toolTip()
    finally:
        ctx.db.read_only_reason = ""


def _right_click_first_row(table) -> dict:
    table.customContextMenuRequested.emit(table.visualRect(table.model().index(0, 0)).center())
    return {a.text(): a for a in table.last_context_menu.actions()}


def test_list_context_menus_show_the_dossiers(ctx, qtbot, shown) -> None:
    from liandu_desk.ui.communities.pages import CommunityListPage
    from liandu_desk.ui.elevators.tab import ElevatorsTab

    _project(ctx)
    _community(ctx)
    tab = ElevatorsTab(ctx)
    qtbot.addWidget(tab)
    tab.refresh()
    actions = _right_click_first_row(tab.table)
    assert list(actions) == ["打开项目", "项目案卷(PDF)…"]
    actions["项目案卷(PDF)…"].trigger()
    assert "既有住宅加装电梯项目案卷" in _text(shown[-1].preview.pdf_bytes)

    communities = CommunityListPage(ctx)
    qtbot.addWidget(communities)
    communities.refresh()
    actions = _right_click_first_row(communities.table)
    assert list(actions) == ["打开小区页", "小区案卷(PDF)…"]
    actions["小区案卷(PDF)…"].trigger()
    assert "物管小区案卷" in _text(shown[-1].preview.pdf_bytes) and "望江花园" in _text(shown[-1].preview.pdf_bytes)


def test_second_click_opens_the_same_document_instead_of_a_new_draft(ctx, qtbot, shown) -> None:
    from liandu_desk.services.documents import lifecycle
    from liandu_desk.services.documents.views import search_documents

    community, deducted, _clean = _community(ctx)
    page = CommunityPage(ctx, community)
    qtbot.addWidget(page)
    _select_inspection(page, deducted)
    page.notice_button.click()
    first = shown[-1].document_id
    shown[-1].issue(D(2021, 3, 18))
    page.notice_button.click()
    assert shown[-1].document_id == first and "莲建物改〔2021〕1号" in shown[-1].header.text()
    with ctx.session_scope() as session:
        assert len(search_documents(session, doc_type="小区整改通知书", subject=("cm_inspection", deducted))) == 1
        lifecycle.cancel(session, first, "送达地址有误", "测试员", D(2021, 3, 19))
    page.notice_button.click()  # the void one is left alone: a new draft
    assert shown[-1].document_id != first and "草稿" in shown[-1].header.text()
