"""`liandu-desk houses …`: search the house list, show one house's history, overdue cases and batch figures."""

from __future__ import annotations

import argparse

from liandu_desk.cli.core import open_database
from liandu_desk.services.periods import parse_date


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add the `houses` command with `search`, `show`, `overdue` and `batches`."""
    parser = subparsers.add_parser("houses", parents=[common], help="危房（查询、档案、超期案件、批次完成率）")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    search = actions.add_parser("search", parents=[common], help="按户主、地址或身份证号查询房屋")
    search.add_argument("text", help="户主姓名、地址或身份证号的一部分")
    search.add_argument("--limit", type=int, default=20, help="最多列出几户（默认20）")
    search.set_defaults(handler=_search)
    show = actions.add_parser("show", parents=[common], help="一户房屋的完整档案（排查→鉴定→整治→销号）")
    show.add_argument("house_id", type=int, help="房屋编号")
    show.set_defaults(handler=_show)
    overdue = actions.add_parser("overdue", parents=[common], help="超过整改期限仍未完成的案件")
    overdue.add_argument("--as-of", dest="as_of", metavar="YYYY-MM-DD", help="按此日期判断超期（默认今天）")
    overdue.add_argument("--limit", type=int, default=50)
    overdue.set_defaults(handler=_overdue)
    batch = actions.add_parser("batches", parents=[common], help="核查批次的交办、核实、整治数和完成率（含分母）")
    batch.add_argument("--as-of", dest="as_of", metavar="YYYY-MM-DD", help="统计截至此日期（默认全部）")
    batch.set_defaults(handler=_batches)


def _as_of(args: argparse.Namespace):
    return parse_date(args.as_of, "--as-of") if args.as_of else None


def _search(args: argparse.Namespace) -> int:
    from liandu_desk.services.houses.listing import HouseFilter, count_houses, house_ids_query, house_rows

    db = open_database(args)
    with db.session_scope() as session:
        f = HouseFilter(search=args.text)
        total = count_houses(session, f)
        ids = list(session.scalars(house_ids_query(session, f).limit(args.limit)))
        rows = house_rows(session, ids)
    print(f"共{total}户")
    for r in rows:
        print(
            f"{r.id}\t{r.township}{r.village}\t{r.address}\t{r.owner_name}\t{r.owner_id_masked}\t"
            f"{r.latest_grade or '未鉴定'}\t{r.case_status or ''}"
        )
    return 0


def _show(args: argparse.Namespace) -> int:
    from liandu_desk.services.houses.detail import house_detail

    db = open_database(args)
    with db.session_scope() as session:
        d = house_detail(session, args.house_id)
    print(f"{d.id} {d.kind} {d.township}{d.village} {d.address} 户主：{d.owner_name} {d.owner_id_masked}")
    print(f"结构：{d.structure} {d.floors or '?'}层 建于{d.build_year or '?'}年 最近鉴定：{d.latest_grade or '未鉴定'}")
    for event in d.timeline:
        print(f"  {event.date}  {event.kind}  {event.title}  {event.detail}")
    return 0


def _overdue(args: argparse.Namespace) -> int:
    from liandu_desk.services.houses.overdue import count_overdue, overdue_cases

    db = open_database(args)
    with db.session_scope() as session:
        total = count_overdue(session, _as_of(args))
        rows = overdue_cases(session, _as_of(args), limit=args.limit)
    print(f"超期案件共{total}件")
    for c in rows:
        print(
            f"案件{c.case_id}\t房屋{c.house_id}\t{c.owner_name}\t{c.address}\t{c.measure}\t{c.status}\t"
            f"期限{c.deadline}\t超期{c.days_overdue}天"
        )
    return 0


def _batches(args: argparse.Namespace) -> int:
    from liandu_desk.services.houses.batches import all_batch_figures

    db = open_database(args)
    with db.session_scope() as session:
        figures = all_batch_figures(session, _as_of(args))
    if not figures:
        print("没有核查批次")
    for f in figures.values():
        print(f.explanation())
    return 0
