"""`liandu-desk communities …`: the 擂台赛 leaderboard, star ratings and red/black lists of a period."""

from __future__ import annotations

import argparse

from liandu_desk.cli.core import open_database
from liandu_desk.services.periods import Period, parse_date


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add the `communities` command with `leaderboard`, `rate` and `lists`."""
    parser = subparsers.add_parser("communities", parents=[common], help="星级小区（擂台赛排行、星级评定、红黑榜）")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    board = actions.add_parser("leaderboard", parents=[common], help="擂台赛排行（含较上期名次变化）")
    _period_args(board)
    board.add_argument("--type", dest="type_", help="只看一种小区类型，如 智慧管理型")
    board.set_defaults(handler=_leaderboard)
    rate = actions.add_parser("rate", parents=[common], help="按现行星级标准评定该期星级")
    _period_args(rate)
    rate.set_defaults(handler=_rate)
    lists = actions.add_parser("lists", parents=[common], help="显示（或按规则生成）该期红黑榜")
    _period_args(lists)
    lists.add_argument("--subject", default="小区", choices=("小区", "物业企业"))
    lists.add_argument("--generate", action="store_true", help="按现行规则生成（或重新生成）草稿")
    lists.set_defaults(handler=_lists)


def _period_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="date_from", required=True, metavar="YYYY-MM-DD")
    parser.add_argument("--to", dest="date_to", required=True, metavar="YYYY-MM-DD")


def _period(args: argparse.Namespace) -> Period:
    return Period(parse_date(args.date_from, "--from"), parse_date(args.date_to, "--to"))


def _movement(value: int | None) -> str:
    if value is None:
        return "新"
    return f"↑{value}" if value > 0 else f"↓{-value}" if value < 0 else "—"


def _leaderboard(args: argparse.Namespace) -> int:
    from liandu_desk.services.communities.ratings import leaderboard

    db = open_database(args)
    with db.session_scope() as session:
        rows = leaderboard(session, _period(args), args.type_)
    for row in rows:
        stars = "★" * row.stars or "—"
        veto = "　一票否决" if row.vetoed else ""
        head = f"{row.rank:>3}　{_movement(row.movement):>4}　{row.community}"
        print(f"{head}　{row.type}　{stars}　{row.average:.2f}{veto}")
    return 0


def _rate(args: argparse.Namespace) -> int:
    from liandu_desk.services.communities.ratings import rate_period

    db = open_database(args)
    with db.session_scope() as session:
        counts = rate_period(session, _period(args))
    print("，".join(f"{s}星 {n}个" for s, n in sorted(counts.items(), reverse=True) if s) or "没有小区达到星级")
    return 0


def _lists(args: argparse.Namespace) -> int:
    from liandu_desk.services.communities import lists

    db = open_database(args)
    period = _period(args)
    with db.session_scope() as session:
        if args.generate:
            lists.generate_publication(session, args.subject, period)
        view = lists.publication_view(session, args.subject, period)
    if view is None:
        print(f"{period.start}至{period.end}尚未生成{args.subject}红黑榜（加 --generate 按规则生成）")
        return 0
    print(f"{args.subject}红黑榜 {period.start}至{period.end}：{view.status}")
    for entry in view.entries:
        state = f"（已移除：{entry.removed_reason}）" if entry.removed else "（人工）" if entry.manual else ""
        print(f"{entry.list_kind}　{entry.name}{state}　{entry.reason}　依据：{entry.evidence}")
    return 0
