"""Clerk commands: add, edit, disable, enable, reset-password, passwd (one's own), list and unlock."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import TYPE_CHECKING

from liandu_desk.domain.errors import ValidationError

if TYPE_CHECKING:
    from liandu_desk.services.clerks import ClerkInfo

ROLES = ("科员", "审核", "管理员")


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add the clerk commands."""
    clerk = subparsers.add_parser("clerk", parents=[common], help="人员与权限")
    actions = clerk.add_subparsers(dest="clerk_action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", parents=[common], help="列出人员、角色、状态和锁定情况")
    listing.set_defaults(handler=_list)
    unlock = actions.add_parser("unlock", parents=[common], help="解除因连续输错密码造成的锁定")
    unlock.add_argument("login", metavar="LOGIN")
    unlock.set_defaults(handler=_unlock)
    stdin_help = "从标准输入读取密码（一行），不提示"
    add = actions.add_parser("add", parents=[common], help="添加人员（服务器上同时建立其数据库登录）")
    add.add_argument("login", metavar="LOGIN")
    add.add_argument("--name", required=True, help="姓名")
    add.add_argument("--role", required=True, choices=ROLES, help="角色")
    add.add_argument("--password-stdin", action="store_true", help=stdin_help)
    add.set_defaults(handler=_add)
    edit = actions.add_parser("edit", parents=[common], help="修改人员的姓名或角色（服务器上同时调整其组角色）")
    edit.add_argument("login", metavar="LOGIN")
    edit.add_argument("--name", default=None, help="新姓名")
    edit.add_argument("--role", default=None, choices=ROLES, help="新角色")
    edit.set_defaults(handler=_edit)
    for name, active, text in (
        ("disable", False, "停用人员（服务器上其数据库登录不能再登录）"),
        ("enable", True, "重新启用人员"),
    ):
        toggle = actions.add_parser(name, parents=[common], help=text)
        toggle.add_argument("login", metavar="LOGIN")
        toggle.set_defaults(handler=_set_active, active=active)
    reset = actions.add_parser("reset-password", parents=[common], help="管理员为人员设置新密码（并解除锁定）")
    reset.add_argument("login", metavar="LOGIN")
    reset.add_argument("--password-stdin", action="store_true", help=stdin_help)
    reset.set_defaults(handler=_reset)
    own = actions.add_parser("passwd", parents=[common], help="修改本人的密码")
    own.add_argument("--login", default=None, help="本人登录名（本机数据库；服务器上即连接所用的登录）")
    own.add_argument("--password-stdin", action="store_true", help="从标准输入读取原密码和新密码（两行）")
    own.set_defaults(handler=_passwd)


def _read_password(from_stdin: bool, prompt: str = "新密码：") -> str:
    """A password from stdin (one line) or typed twice without echo; never printed or logged."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(prompt)
    if getpass.getpass("再次输入：") != first:
        raise ValidationError("密码", "两次输入不一致")
    return first


def _add(args: argparse.Namespace) -> int:
    from liandu_desk.cli.core import open_database
    from liandu_desk.services.clerks import add_clerk

    password = _read_password(args.password_stdin)
    db = open_database(args)
    with db.session_scope() as session:
        info = add_clerk(session, args.login, args.name, args.role, password)
    where = "，并已建立其数据库登录" if not db.is_sqlite else ""
    print(f"已添加：{info.name}（{info.login}），角色 {info.role}{where}")
    return 0


def _edit(args: argparse.Namespace) -> int:
    from liandu_desk.cli.core import open_database
    from liandu_desk.services.clerks import edit_clerk, find_clerk

    db = open_database(args)
    with db.session_scope() as session:
        found = _existing(find_clerk(session, args.login))
        info = edit_clerk(session, found.id, args.name or found.name, args.role or found.role)
    print(f"已修改：{info.name}（{info.login}），角色 {info.role}")
    return 0


def _existing(info: ClerkInfo) -> ClerkInfo:
    from liandu_desk.domain.errors import NotFoundError

    if not info.id:
        raise NotFoundError(f"没有登录名为 {info.login} 的人员")
    return info


def _set_active(args: argparse.Namespace) -> int:
    from liandu_desk.cli.core import open_database
    from liandu_desk.services.clerks import find_clerk, set_active

    db = open_database(args)
    with db.session_scope() as session:
        info = set_active(session, _existing(find_clerk(session, args.login)).id, args.active)
    print(f"已{'启用' if info.active else '停用'}：{info.name}（{info.login}）")
    return 0


def _reset(args: argparse.Namespace) -> int:
    from liandu_desk.cli.core import open_database
    from liandu_desk.services.clerks import find_clerk, reset_password

    password = _read_password(args.password_stdin)
    db = open_database(args)
    with db.session_scope() as session:
        info = reset_password(session, _existing(find_clerk(session, args.login)).id, password)
    print(f"已为 {info.name}（{info.login}）设置新密码")
    return 0


def _passwd(args: argparse.Namespace) -> int:
    from liandu_desk.cli.core import open_database
    from liandu_desk.services.clerks import change_own_password, find_clerk

    if args.password_stdin:
        old = sys.stdin.readline().rstrip("\r\n")
        new = sys.stdin.readline().rstrip("\r\n")
    else:
        old = getpass.getpass("原密码：")
        new = _read_password(False)
    db = open_database(args)
    login = db.clerk.login if not db.is_sqlite else (args.login or db.clerk.login)
    with db.session_scope() as session:
        info = _existing(find_clerk(session, login))
        change_own_password(session, info.id, old, new)
    print(f"{info.name}（{info.login}）的密码已修改")
    return 0


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
