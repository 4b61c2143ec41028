"""`liandu-desk elevators …`: list projects and show one project's timeline, tally, cost shares and disputes."""

from __future__ import annotations

import argparse
from fractions import Fraction

from liandu_desk.cli.core import open_database
from liandu_desk.services.periods import parse_date


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add the `elevators` command with `list` and `show`."""
    parser = subparsers.add_parser("elevators", parents=[common], help="加装电梯项目（列表、表决统计、费用分摊）")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", parents=[common], help="项目列表（阶段、超期、纠纷）")
    listing.add_argument("--stage", help="只列出该阶段的项目，如 施工")
    listing.add_argument("--overdue", action="store_true", help="只列出超期/停滞的项目")
    listing.add_argument("--as-of", dest="as_of", metavar="YYYY-MM-DD", help="超期按此日期计算（默认今天）")
    listing.set_defaults(handler=_list)
    show = actions.add_parser("show", parents=[common], help="一个项目的阶段、表决统计、费用分摊和纠纷")
    show.add_argument("project", help="项目名称（如 望湖公寓1幢2单元）或编号")
    show.add_argument("--as-of", dest="as_of", metavar="YYYY-MM-DD", help="超期按此日期计算（默认今天）")
    show.set_defaults(handler=_show)


def _m2(value: Fraction) -> str:
    return f"{float(value):.2f}㎡"


def _as_of(args: argparse.Namespace):
    return parse_date(args.as_of, "--as-of") if args.as_of else None


def _list(args: argparse.Namespace) -> int:
    from liandu_desk.services.elevators.projects import ProjectFilter, list_projects

    db = open_database(args)
    with db.session_scope() as session:
        rows = list_projects(session, ProjectFilter(stage=args.stage, only_overdue=args.overdue), _as_of(args))
    for r in rows:
        days = "已完成" if r.finished else f"{r.days_in_stage}/{r.expected_days}天"
        print(f"{r.id:>5}  {r.title:<16}  {r.community:<8}  {r.stage_index + 1:>2}.{r.stage:<12} {days:<10} {r.flags}")
    print(f"共 {len(rows)} 个项目")
    return 0


def _show(args: argparse.Namespace) -> int:
    from liandu_desk.services.elevators.pages import load_project_page
    from liandu_desk.services.elevators.projects import find_project

    db = open_database(args)
    with db.session_scope() as session:
        page = load_project_page(session, find_project(session, args.project), _as_of(args))
    print(f"{page.title}（{page.township} {page.community}，{page.floors}层）当前阶段：{page.stage}")
    for step in page.timeline:
        over = "（超期）" if step.overdue else ""
        print(f"  {step.index + 1:>2}. {step.stage:<12} {step.state} {step.dates_text} {over}")
    t = page.tally
    print(f"表决：{t.status_text()}　{'' if t.passed else t.gap_words()}")
    for warning in t.warnings:
        print(f"  注意：{warning}")
    print(f"  参与 人数 {t.persons_voted}/{t.persons_total} = {t.participation_persons}，", end="")
    print(f"面积 {_m2(t.area_voted)}/{_m2(t.area_total)} = {t.participation_area}")
    print(f"  同意 人数 {t.persons_yes}/{t.persons_voted} = {t.agreement_persons}，", end="")
    print(f"面积 {_m2(t.area_yes)}/{_m2(t.area_voted)} = {t.agreement_area}")
    if page.shares:
        print(f"费用分摊（合计 {sum(s.amount for s in page.shares)} 元）：")
        for s in page.shares:
            print(f"  {s.room:<5} {s.floor}层 {s.area}㎡ ×{s.coefficient} → {s.amount} 元")
    for d in page.disputes:
        print(f"纠纷：{d.opened_on} {d.type} {d.status}（{d.level}），调解 {len(d.sessions)} 次")
        for m in d.sessions:
            print(f"  {m.held_on} {m.level} {m.place} {m.mediator}：{m.outcome}")
    return 0
