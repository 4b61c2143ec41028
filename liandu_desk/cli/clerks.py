"""Clerk commands: `clerk list` (who may sign in, and who is locked) and `clerk unlock LOGIN`."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add the clerk commands."""
    clerk = subparsers.add_parser("clerk", parents=[common], help="人员与权限")
    actions = clerk.add_subparsers(dest="clerk_action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", parents=[common], help="列出人员、角色、状态和锁定情况")
    listing.set_defaults(handler=_list)
    unlock = actions.add_parser("unlock", parents=[common], help="解除因连续输错密码造成的锁定")
    unlock.add_argument("login", metavar="LOGIN")
    unlock.set_defaults(handler=_unlock)


def _list(args: argparse.Namespace) -> int:
    from liandu_desk.cli.core import open_database
    from liandu_desk.services.clerks import lock_states

    db = open_database(args, write=False)
    with db.session_scope() as session:
        rows = lock_states(session)
    for row in rows:
        print("\t".join(row))
    return 0


def _unlock(args: argparse.Namespace) -> int:
    from liandu_desk.cli.core import open_database
    from liandu_desk.services.clerks import find_clerk, unlock_clerk

    db = open_database(args)
    with db.session_scope() as session:
        info = unlock_clerk(session, find_clerk(session, args.login).id)
    print(f"已解锁：{info.name}（{info.login}）")
    return 0
