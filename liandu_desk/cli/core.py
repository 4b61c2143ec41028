"""Core subcommands: gui, init, demo and stats."""

from __future__ import annotations

import argparse
import json
import sys

from liandu_desk.storage import Database


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add the core subcommands."""
    gui = subparsers.add_parser("gui", parents=[common], help="启动图形界面（默认）")
    gui.add_argument("--screenshot", metavar="FILE.png", help="离屏构建主窗口，保存截图后退出")
    gui.add_argument("--tab", metavar="NAME", help="启动时切换到的选项卡（首页、危房、加装电梯、星级小区）")
    gui.add_argument("--size", metavar="WxH", type=window_size, help="窗口大小（像素），如 1024x700；截图默认 1280x800")
    gui.set_defaults(handler=_gui)

    init = subparsers.add_parser("init", parents=[common], help="创建数据库或升级到最新结构")
    init.set_defaults(handler=_init)

    demo = subparsers.add_parser("demo", parents=[common], help="生成演示数据")
    demo.add_argument("--scale", type=float, default=1.0, help="规模倍数（1 = 2021年上半年工作量）")
    demo.add_argument("--seed", type=int, default=2021, help="随机种子，相同种子生成相同数据")
    demo.set_defaults(handler=_demo)

    stats = subparsers.add_parser("stats", parents=[common], help="统计指标")
    stats.add_argument("--from", dest="date_from", required=True, metavar="YYYY-MM-DD")
    stats.add_argument("--to", dest="date_to", required=True, metavar="YYYY-MM-DD")
    stats.add_argument("--json", action="store_true", help="以 JSON 输出（见 formats/stats.md）")
    stats.set_defaults(handler=_stats)


def cli_database(args: argparse.Namespace) -> Database:
    """The database named on the command line, and who acts on it.

    A SQLite file: the command-line administrator (whoever can run commands on this computer can read and copy the
    file anyway; roles guard the GUI). A server: the clerk whose login the URL names (password from the URL,
    PGPASSWORD or the pgpass file), with that clerk's role; IT's superuser or owner login acts as 信息科.
    """
    from liandu_desk.domain.registry import ClerkRole
    from liandu_desk.services.clerks import os_login, session_clerk
    from liandu_desk.storage import ClerkRef

    url = Database.from_option(args.db).url.render_as_string(hide_password=False)
    db = Database(url)
    if not db.is_sqlite:
        clerk = session_clerk(db)
        db.clerk = ClerkRef(clerk.id or None, clerk.name, clerk.login, clerk.role)
        return db
    login = os_login()
    db.clerk = ClerkRef(None, f"命令行（{login}）", login, ClerkRole.ADMIN.value)
    return db


def open_database(args: argparse.Namespace, write: bool = True) -> Database:
    """The database named on the command line, migrated to the newest schema.

    A command that writes takes the writer lock first and refuses when another program holds it. A command that
    only reads opens the file read-only (so it runs while a clerk's program holds the lock); only a schema upgrade,
    which needs the lock, is done first if the file is older than the program.
    """
    from liandu_desk.domain.errors import RuleError
    from liandu_desk.services.clerks import os_login
    from liandu_desk.storage.migrate import current_revisions, head_revisions, upgrade
    from liandu_desk.storage.writer_lock import claim_writer

    db = cli_database(args)
    if not write and (db.sqlite_path is None or current_revisions(db) == head_revisions(db)):
        db.dispose()
        return read_only_database(args)
    reason = claim_writer(db, os_login())
    if reason:
        raise RuleError(reason.replace("本窗口以只读方式打开", "请关闭后再试"))
    upgrade(db)
    return db


def read_only_database(args: argparse.Namespace) -> Database:
    """The database named on the command line, opened read-only (SQLite `query_only`): never takes the lock."""
    db = cli_database(args)
    if db.sqlite_path is not None:
        db.read_only_reason = "命令行只读查询"
    return db


def _gui(args: argparse.Namespace) -> int:
    from liandu_desk.ui.app import run_gui

    return run_gui(args.db, screenshot=args.screenshot, tab=args.tab, size=args.size)


def window_size(text: str) -> tuple[int, int]:
    """'1024x700' (or 1024×700) as (width, height)."""
    parts = text.lower().replace("×", "x").split("x")
    if len(parts) != 2 or not all(part.strip().isdigit() for part in parts):
        raise argparse.ArgumentTypeError(f"窗口大小应写作 宽x高，如 1024x700：{text}")
    width, height = (int(part) for part in parts)
    if not (320 <= width <= 10000 and 240 <= height <= 10000):
        raise argparse.ArgumentTypeError(f"窗口大小超出范围（320x240 至 10000x10000）：{text}")
    return width, height


def _init(args: argparse.Namespace) -> int:
    from liandu_desk.storage.migrate import upgrade

    db = cli_database(args)
    result = upgrade(db)
    state = "已升级" if result.changed and result.before else ("已创建" if result.changed else "已是最新")
    print(f"数据库{state}：{db.display_name()}（版本 {', '.join(result.after)}）")
    if result.backup:
        print(f"升级前备份：{result.backup}")
    return 0


def _demo(args: argparse.Namespace) -> int:
    from liandu_desk.demo import generate_demo

    db = open_database(args)

    def progress(text: str, fraction: float) -> None:
        print(f"[{fraction:4.0%}] {text}", file=sys.stderr)

    generate_demo(db, scale=args.scale, seed=args.seed, progress=progress)
    print(f"演示数据已写入：{db.display_name()}")
    return 0


def _stats(args: argparse.Namespace) -> int:
    from liandu_desk.services.periods import Period, parse_date
    from liandu_desk.services.stats import collect_stats

    period = Period(parse_date(args.date_from, "--from"), parse_date(args.date_to, "--to"))
    db = open_database(args, write=False)
    with db.session_scope() as session:
        figures = collect_stats(session, period)
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=2))
    else:
        _print_tree(figures)
    return 0


def _print_tree(data: dict, indent: int = 0) -> None:
    for key, value in data.items():
        if isinstance(value, dict):
            print("  " * indent + f"{key}:")
            _print_tree(value, indent + 1)
        else:
            print("  " * indent + f"{key}: {value}")
