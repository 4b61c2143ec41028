"""案卷 of an elevator project and of a community, read through the elevators and communities services."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from liandu_desk.reports.dossier import DossierFacts, Section
from liandu_desk.services.audit import history
from liandu_desk.services.communities.inspections import list_inspections
from liandu_desk.services.communities.issues import list_issues
from liandu_desk.services.communities.records import get_community
from liandu_desk.services.documents.views import search_documents
from liandu_desk.services.elevators.disputes import list_disputes
from liandu_desk.services.elevators.households import list_households
from liandu_desk.services.elevators.projects import get_project
from liandu_desk.services.settings import get_setting


def _d(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def _audit_section(session: Session, owners: list[tuple[str, int]]) -> Section:
    entries = sorted((e for t, i in owners for e in history(session, t, i)), key=lambda e: e.id)
    rows = tuple(
        (e.at.strftime("%Y-%m-%d %H:%M"), e.clerk_name, f"{e.action_label}{e.table_label}", e.summary()[:300])
        for e in entries
    )
    return Section("修改记录", ("时间", "操作人", "操作", "内容"), rows, (1.3, 0.9, 1.2, 3.6))


def _documents_section(session: Session, subjects: list[tuple[str, int]]) -> Section:
    docs = [d for subject in subjects for d in search_documents(session, subject=subject)]
    rows = tuple((d.doc_type, d.number or "（未编号）", d.status, _d(d.issued_on), d.recipient) for d in docs)
    return Section("文书", ("文书", "文号", "状态", "签发", "受送达人"), rows, (1.6, 1.8, 0.8, 1.1, 2.2))


def _bureau(session: Session) -> str:
    return str(get_setting(session, "bureau.name"))


def project_dossier(session: Session, project_id: int, today: dt.date | None = None) -> DossierFacts:
    """Stages, households and votes, disputes and mediations, documents and the audit trail of one project."""
    p = get_project(session, project_id)
    stages = tuple(
        (s.stage.value, _d(s.started_on), _d(s.completed_on), s.documents or "", s.note or "") for s in p.stages
    )
    households = tuple(
        (h.room, str(h.floor), f"{h.area}", h.owner_name, h.vote, _d(h.voted_on))
        for h in list_households(session, project_id)
    )
    disputes = list_disputes(session, project_id)
    dispute_rows = tuple(
        (
            _d(d.opened_on),
            d.type,
            d.status,
            d.level,
            "；".join(d.parties),
            "；".join(x for x in (d.description, d.outcome or "") if x),
        )
        for d in disputes
    )
    sessions = tuple((_d(m.held_on), m.place, m.mediator, m.summary, m.outcome) for d in disputes for m in d.sessions)
    mediation_ids = [("elevator_mediation", m.id) for d in disputes for m in d.sessions]
    sections = (
        Section(
            "项目概况",
            rows=(
                ("项目", p.title),
                ("层数", str(p.floors)),
                ("当前阶段", p.current_stage.value),
                ("实施主体", p.implementing_body or "—"),
                ("设计单位", p.designer or "—"),
                ("安装单位", p.installer or "—"),
                ("预算（元）", str(p.budget or "—")),
            ),
            form=True,
        ),
        Section("阶段记录", ("阶段", "开始", "完成", "材料", "备注"), stages, (1.4, 1.1, 1.1, 2, 1.6)),
        Section(
            "住户与表决",
            ("房号", "楼层", "面积㎡", "业主", "表决", "表决日期"),
            households,
            (0.8, 0.6, 0.9, 1.4, 1, 1.1),
        ),
        Section(
            "纠纷", ("发生", "类型", "状态", "层级", "当事人", "争议与结果"), dispute_rows, (1.1, 1, 0.8, 0.8, 2, 2)
        ),
        Section("调解", ("日期", "地点", "调解人", "经过", "结果"), sessions, (1.1, 1.3, 1.2, 2, 2)),
        _documents_section(session, mediation_ids),
        _audit_section(session, [("elevator_project", project_id)] + [("elevator_stage", s.id) for s in p.stages]),
    )
    cover = (
        ("案卷对象", p.title),
        ("当前阶段", p.current_stage.value),
        ("住户数", str(len(households))),
        ("纠纷数", str(len(disputes))),
    )
    return DossierFacts(
        _bureau(session), "既有住宅加装电梯项目案卷", p.title, cover, sections, generated_on=today or dt.date.today()
    )


def community_dossier(session: Session, community_id: int, today: dt.date | None = None) -> DossierFacts:
    """Inspections, issues with rectification, documents and the audit trail of one community."""
    c = get_community(session, community_id)
    inspections = list_inspections(session, community_id=community_id)
    inspection_rows = tuple(
        (_d(i.inspected_on), i.inspectors, i.template, f"{i.total:g}", "是" if i.vetoed else "", str(i.issues))
        for i in inspections
    )
    issues = list_issues(session, community_id=community_id, today=today)
    issue_rows = tuple(
        (_d(i.found_on), i.description, i.responsible, _d(i.deadline), i.status, _d(i.rectified_on)) for i in issues
    )
    sections = (
        Section(
            "小区概况",
            rows=(
                ("小区", c.name),
                ("乡镇（街道）", c.township or "—"),
                ("社区", c.division or "—"),
                ("地址", c.address or "—"),
                ("户数/幢数", f"{c.households}户 / {c.buildings}幢"),
                ("封闭式物管", "是" if c.closed_managed else "否"),
                ("类型", c.type),
                ("物业服务企业", c.company or "—"),
                ("网格员", c.grid_staff or "—"),
            ),
            form=True,
        ),
        Section(
            "检查评分",
            ("日期", "检查人员", "评分表", "得分", "否决", "问题数"),
            inspection_rows,
            (1.1, 1.6, 1.6, 0.7, 0.6, 0.7),
        ),
        Section(
            "问题与整改", ("发现", "问题", "责任方", "期限", "状态", "整改"), issue_rows, (1.1, 2.6, 1.4, 1.1, 0.8, 1.1)
        ),
        _documents_section(session, [("cm_inspection", i.id) for i in inspections]),
        _audit_section(session, [("cm_community", community_id)]),
    )
    cover = (
        ("案卷对象", c.name),
        ("物业服务企业", c.company or "—"),
        ("检查次数", str(len(inspections))),
        ("问题数", str(len(issues))),
    )
    return DossierFacts(
        _bureau(session), "物管小区案卷", c.name, cover, sections, generated_on=today or dt.date.today()
    )


def dossier_pdf(facts: DossierFacts) -> bytes:
    """Render a dossier (generated on demand, not numbered)."""
    from liandu_desk.reports.dossier import dossier_parts
    from liandu_desk.reports.engine import RenderOptions, render_parts

    return render_parts(dossier_parts(facts), RenderOptions(title=f"{facts.title}（{facts.subject}）"))
