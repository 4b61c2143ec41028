"""Demo data for 星级小区: reproduces the 2021 H1 summary (93 closed communities, 60 grid staff, 557 issues
rectified, red list 9, black list 7, 2 five-star and 3 four-star) through the module's own rules."""

from __future__ import annotations

import datetime as dt
import logging
import random
from collections.abc import Sequence

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from liandu_desk.demo import DemoContext
from liandu_desk.demo.community_plan import ROUNDS, CommunityPlan, plan_communities, sheet
from liandu_desk.demo.names import pool
from liandu_desk.domain.communities import (
    Community,
    CommunityType,
    GridStaff,
    Inspection,
    InspectionScore,
    Issue,
    IssueReinspection,
    IssueStatus,
    PropertyCompany,
)
from liandu_desk.domain.errors import RuleError
from liandu_desk.domain.registry import Division, DivisionLevel
from liandu_desk.domain.validators import uscc_check_char
from liandu_desk.services.communities import evaluations, lists, ratings
from liandu_desk.services.communities.inspections import compute_totals, issue_deadline, issue_text
from liandu_desk.services.communities.templates import TemplateView, current_template
from liandu_desk.services.periods import half_year
from liandu_desk.storage.database import Database

log = logging.getLogger(__name__)
H1, H2_2020 = half_year(2021, 1), half_year(2020, 2)
CLOSED, STAFF, RECTIFIED, OPEN_COMMUNITIES, COMPANIES = 93, 60, 557, 12, 16
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董叶程蔡潘"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍建国志红燕鹏辉"
NAME_PARTS = pool(
    "锦绣 阳光 翠竹 金桥 碧水 丽景 和园 瓯江 南明 万象 紫金 白云 云景 香樟 桂花 枫林 望湖 "
    "城北 天宁 处州 江滨 书香 怡景 文昌"
)
SUFFIXES = ("花园", "小区", "公寓", "家园", "苑", "名邸", "新村", "华庭")
COMPANY_WORDS = pool("安居 绿城 华宇 丽府 中环 万家 瓯江 莲城 颐和 金盾 恒泰 东方 嘉诚 康居 城建 正祥 宏达 锦江")
INSPECTOR = "区建设局物业科"


def generate(db: Database, ctx: DemoContext) -> None:
    """Add the module's demo data; refuses if communities are already on file."""
    rng = random.Random(ctx.seed * 31 + 5)
    with db.session_scope() as session:
        if session.scalar(select(func.count()).select_from(Community)):
            raise RuleError("数据库中已有小区数据，不能再生成星级小区演示数据")
        template = current_template(session)
        companies = _companies(session, rng, max(ctx.scaled(COMPANIES), 3))
        staff = _staff(session, rng, max(ctx.scaled(STAFF), 1))
        ctx.progress("星级小区：小区与物业企业", 0.1)
        closed = _communities(session, rng, ctx.scaled(CLOSED), companies, staff)
        _communities(session, rng, ctx.scaled(OPEN_COMMUNITIES), companies, [], closed_managed=False)
        plans = plan_communities(rng, len(closed), ctx.scaled)
        ctx.progress("星级小区：检查评分与问题", 0.3)
        issues = _inspections(session, rng, template, closed, plans, staff)
        _rectify(session, rng, issues, ctx.scaled(RECTIFIED))
        ctx.progress("星级小区：星级、红黑榜与企业评价", 0.7)
        for period in (H2_2020, H1):
            ratings.rate_period(session, period)
            pub = lists.generate_publication(session, "小区", period, today=period.end + dt.timedelta(days=3))
            lists.publish(session, pub, INSPECTOR, period.end + dt.timedelta(days=5))
        _evaluations(session, rng, companies)
        pub = lists.generate_publication(session, "物业企业", H1, today=H1.end + dt.timedelta(days=10))
        lists.publish(session, pub, INSPECTOR, H1.end + dt.timedelta(days=12))
    log.info("communities demo: %d closed communities, %d inspections planned", len(closed), len(plans) * 4)


def _person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _companies(session: Session, rng: random.Random, count: int) -> list[int]:
    ids = []
    for n, word in enumerate(rng.sample(COMPANY_WORDS, min(count, len(COMPANY_WORDS))), start=1):
        first17 = f"91331102MA2{n:06d}"[:17]
        company = PropertyCompany(
            name=f"丽水市{word}物业服务有限公司",
            uscc=first17 + uscc_check_char(first17),
            contact_name=_person_name(rng),
            contact_phone=f"1{rng.choice('3579')}{rng.randint(100000000, 999999999)}",
        )
        session.add(company)
        session.flush()
        ids.append(company.id)
    return ids


def _staff(session: Session, rng: random.Random, count: int) -> list[tuple[int, str]]:
    rows = [GridStaff(name=_person_name(rng), phone=f"139{rng.randint(10000000, 99999999)}") for _ in range(count)]
    session.add_all(rows)
    session.flush()
    return [(s.id, s.name) for s in rows]


def _community_divisions(session: Session) -> list[int]:
    query = select(Division.id).where(Division.level == DivisionLevel.COMMUNITY).order_by(Division.id)
    return list(session.scalars(query)) or [None]


def _communities(
    session: Session, rng: random.Random, count: int, companies: list[int], staff: list, closed_managed: bool = True
) -> list[int]:
    divisions = _community_divisions(session)
    names = {c for (c,) in session.execute(select(Community.name))}  # keep names unique within the module
    rows: list[Community] = []
    for n in range(count):
        name = _unique_name(rng, names)
        kind = rng.choices(list(CommunityType), weights=(1, 3, 6))[0]
        community = Community(
            name=name,
            division_id=divisions[n % len(divisions)],
            address=f"{name}（{rng.randint(1, 399)}号）",
            households=rng.randint(120, 1600),
            buildings=rng.randint(3, 32),
            closed_managed=closed_managed,
            type=kind,
            company_id=rng.choice(companies),
            grid_staff_id=staff[n % len(staff)][0] if staff else None,
        )
        rows.append(community)
    session.add_all(rows)
    session.flush()
    return [c.id for c in rows]


def _unique_name(rng: random.Random, taken: set[str]) -> str:
    while True:
        name = rng.choice(NAME_PARTS) + rng.choice(SUFFIXES)
        if name in taken:
            name = name + rng.choice("一二三四五六") + "期"
        if name not in taken:
            taken.add(name)
            return name


def _inspections(
    session: Session,
    rng: random.Random,
    template: TemplateView,
    closed: list[int],
    plans: Sequence[CommunityPlan],
    staff: list[tuple[int, str]],
) -> list[dict]:
    """Insert every round's inspections with their scores; returns the issues raised (inserted too)."""
    assignment = dict(session.execute(select(Community.id, Community.grid_staff_id)).all())
    staff_names = dict(staff)
    responsible = dict(
        session.execute(
            select(Community.id, PropertyCompany.name).join(PropertyCompany, PropertyCompany.id == Community.company_id)
        ).all()
    )
    items = {i.id: i for i in template.items}
    sheets: list[tuple[dict, list]] = []
    for round_no, day in enumerate(ROUNDS):
        for community_id, plan in zip(closed, plans, strict=True):
            inputs = sheet(rng, template.items, plan.totals[round_no], plan.veto_round == round_no)
            totals = compute_totals(template.items, inputs)
            row = {
                "community_id": community_id,
                "template_id": template.id,
                "inspected_on": day,
                "inspectors": f"{staff_names.get(assignment[community_id], '')}、{INSPECTOR}",
                "total": totals.total,
                "vetoed": totals.vetoed,
            }
            sheets.append((row, inputs))
    session.execute(insert(Inspection), [row for row, _ in sheets])  # no RETURNING: row-at-a-time on SQLite
    keys = select(Inspection.community_id, Inspection.inspected_on, Inspection.id)
    by_key = {(cid, day): inspection_id for cid, day, inspection_id in session.execute(keys)}
    ids = [by_key[(row["community_id"], row["inspected_on"])] for row, _ in sheets]
    deadlines = {day: issue_deadline(session, day) for day in ROUNDS}
    scores, issues = [], []
    for inspection_id, (row, inputs) in zip(ids, sheets, strict=True):
        community_id, day = row["community_id"], row["inspected_on"]
        for entry in inputs:
            item = items[entry.item_id]
            scores.append(
                {
                    "inspection_id": inspection_id,
                    "item_id": item.id,
                    "deduction": entry.deduction,
                    "veto_triggered": entry.veto,
                    "note": entry.note,
                }
            )
            issues.append(
                {
                    "community_id": community_id,
                    "inspection_id": inspection_id,
                    "item_id": item.id,
                    "description": issue_text(item, entry.note, entry.veto),
                    "responsible": responsible[community_id],
                    "found_on": day,
                    "deadline": deadlines[day],
                    "status": IssueStatus.OPEN,
                    "reopen_count": 0,
                    "reported_on": None,
                    "rectified_on": None,
                    "evidence": None,
                }
            )
    session.execute(insert(InspectionScore), scores)
    return issues


def _rectify(session: Session, rng: random.Random, issues: list[dict], target: int) -> None:
    """2020 issues all rectified in 2020; exactly `target` of the 2021 H1 issues rectified within H1, the rest
    reported (awaiting re-inspection) or still open, some of them overdue."""
    h1 = [i for i in issues if H1.contains(i["found_on"])]
    if len(h1) < target:
        raise RuleError(f"演示检查只发现{len(h1)}个问题，少于要整改销号的{target}个")
    rng.shuffle(h1)
    closing = {id(i) for i in h1[:target]}
    reports = {id(i) for i in h1[target : target + (len(h1) - target) // 2]}
    reinspections: list[tuple[dict, dt.date, bool]] = []
    for issue in issues:
        found = issue["found_on"]
        if not H1.contains(found) or id(issue) in closing:
            done = min(
                found + dt.timedelta(days=rng.randint(4, 30)), dt.date(found.year, 12 if found.year == 2020 else 6, 30)
            )
            issue.update(
                status=IssueStatus.CLOSED,
                rectified_on=done,
                reported_on=done - dt.timedelta(days=2),
                evidence=f"整改完成照片及说明（{done}）",
            )
            if rng.random() < 0.08:
                issue["reopen_count"] = 1
                reinspections.append((issue, done - dt.timedelta(days=1), False))
            reinspections.append((issue, done, True))
        elif id(issue) in reports:
            issue.update(
                status=IssueStatus.REPORTED,
                reported_on=found + dt.timedelta(days=rng.randint(5, 20)),
                evidence="物业企业已报送整改说明，待复查",
            )
    session.execute(insert(Issue), issues)
    keys = select(Issue.inspection_id, Issue.item_id, Issue.id)
    by_key = {(inspection_id, item_id): issue_id for inspection_id, item_id, issue_id in session.execute(keys)}
    index = {id(issue): by_key[(issue["inspection_id"], issue["item_id"])] for issue in issues}
    session.execute(
        insert(IssueReinspection),
        [
            {
                "issue_id": index[id(issue)],
                "inspected_on": day,
                "inspector": INSPECTOR,
                "passed": passed,
                "evidence": issue.get("evidence"),
                "note": "复查通过" if passed else "整改不到位，重新整改",
            }
            for issue, day, passed in reinspections
        ],
    )


def _evaluations(session: Session, rng: random.Random, companies: list[int]) -> None:
    """Four parties score every company for 2021 H1: two companies well above 90, one below 60."""
    for n, company_id in enumerate(companies):
        band = (91, 98) if n < 2 else (45, 58) if n == 2 else (66, 89)
        for party in evaluations.PARTIES:
            evaluations.record_evaluation(session, company_id, H1, party, round(rng.uniform(*band), 1))
