"""Shared server subcommands: `server setup` (roles, grants, drift check) and `server upgrade`."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add `server setup` and `server upgrade`."""
    server = subparsers.add_parser("server", help="共享服务器（PostgreSQL）管理：建库、角色与授权")
    actions = server.add_subparsers(dest="server_command", metavar="ACTION", required=True)
    setup = actions.add_parser("setup", help="用超级用户 URL 建库、建角色并授予最小权限（可重复运行）")
    setup.add_argument("--admin-url", required=True, metavar="URL", help="超级用户连接 URL")
    setup.add_argument("--database", default=None, metavar="NAME", help="数据库名（默认 liandu_desk）")
    setup.add_argument("--check", action="store_true", help="只检查权限、所有者与触发器是否偏离，不做修改")
    setup.set_defaults(handler=_setup)
    upgrade = actions.add_parser("upgrade", help="以所有者身份升级数据库结构，并重新核对授权")
    upgrade.add_argument("--admin-url", required=True, metavar="URL", help="超级用户连接 URL")
    upgrade.add_argument("--database", default=None, metavar="NAME", help="数据库名（默认 liandu_desk）")
    upgrade.set_defaults(handler=_setup)
    move = actions.add_parser("import", help="把一台电脑上的本机数据库（含附件和存档PDF）整体迁入空的服务器数据库")
    move.add_argument("--from", dest="source", required=True, metavar="FILE.sqlite3", help="本机数据库文件")
    move.add_argument("--db", required=True, metavar="URL", help="服务器数据库 URL（所有者或超级用户身份）")
    move.add_argument(
        "--key-file", default=None, metavar="PATH", help="服务器审计密钥文件的位置（默认取 LIANDU_DESK_AUDIT_KEY_FILE）"
    )
    move.set_defaults(handler=_import)


def _setup(args: argparse.Namespace) -> int:
    from liandu_desk.storage.server_roles import check_server, setup_server

    if getattr(args, "check", False):
        report = check_server(args.admin_url, args.database)
        if report.ok:
            print("服务器权限与策略一致，未发现偏离。")
            return 0
        print(f"发现 {len(report.problems)} 处偏离：")
        for line in report.problems:
            print(f"  {line}")
        return 1
    url = setup_server(args.admin_url, args.database)
    print(f"服务器数据库 {url.database} 已就绪：所有者角色与科员、审核、管理员组角色的授权已核对。")
    return 0


def _import(args: argparse.Namespace) -> int:
    from pathlib import Path

    from liandu_desk.domain.errors import RuleError
    from liandu_desk.services.clerks import os_login
    from liandu_desk.services.server_import import import_desk
    from liandu_desk.storage import Database

    target = Database(args.db)
    try:
        key_file = Path(args.key_file).expanduser() if args.key_file else None
        report = import_desk(Path(args.source).expanduser(), target, key_file, actor=f"命令行（{os_login()}）")
    except RuleError as exc:
        print(f"错误：{exc.message}")
        return 1
    finally:
        target.dispose()
    print(f"已导入到 {target.display_name()}：")
    for line in report.lines():
        print(f"  {line}")
    print("请运行 liandu-desk check --db <服务器URL> 核对。")
    return 0
