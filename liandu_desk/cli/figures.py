"""`liandu-desk figures`: the 核对状态 of unverified figures, and recording the 文号 that verifies one."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add the figures commands."""
    from liandu_desk.services.figures import FIGURES

    figures = subparsers.add_parser(
        "figures", parents=[common], help="未核实数值（补助、分摊系数、星级门槛）的核对状态"
    )
    actions = figures.add_subparsers(dest="figures_action", metavar="ACTION", required=True)
    actions.add_parser("list", parents=[common], help="列出各数值的核对状态").set_defaults(handler=_list)
    verify = actions.add_parser("verify", parents=[common], help="记录核实该数值的文件文号（管理员）")
    verify.add_argument("key", choices=sorted(FIGURES))
    verify.add_argument("source", metavar="文号", help="核实依据的文号，如 丽建城〔2022〕15号")
    verify.set_defaults(handler=_verify)
    withdraw = actions.add_parser("withdraw", parents=[common], help="撤销核实记录，恢复为未核实（管理员）")
    withdraw.add_argument("key", choices=sorted(FIGURES))
    withdraw.set_defaults(handler=_withdraw)


def _list(args: argparse.Namespace) -> int:
    from liandu_desk.cli.core import open_database
    from liandu_desk.services.figures import figure_statuses

    db = open_database(args, write=False)
    with db.session_scope() as session:
        for status in figure_statuses(session):
            print(f"{status.key}\t{status.describe()}")
    return 0


def _verify(args: argparse.Namespace) -> int:
    from liandu_desk.cli.core import open_database
    from liandu_desk.services.figures import verify_figure

    db = open_database(args)
    with db.session_scope() as session:
        print(verify_figure(session, args.key, args.source).describe())
    return 0


def _withdraw(args: argparse.Namespace) -> int:
    from liandu_desk.cli.core import open_database
    from liandu_desk.services.figures import withdraw_verification

    db = open_database(args)
    with db.session_scope() as session:
        print(withdraw_verification(session, args.key).describe())
    return 0
