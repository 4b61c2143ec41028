"""Calendar commands: import a year's arrangement (changes shown before saving) and list the years on file."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add the calendar commands."""
    calendar = subparsers.add_parser("calendar", parents=[common], help="节假日与调休（工作日日历）")
    actions = calendar.add_subparsers(dest="calendar_action", metavar="ACTION", required=True)
    load = actions.add_parser("import", parents=[common], help="导入一年的放假调休安排（holiday-cn 格式 JSON）")
    load.add_argument("file", metavar="FILE.json")
    load.add_argument("--source", default="", help="依据的国务院办公厅通知（名称或文号，默认取文件中的出处）")
    load.add_argument("--yes", action="store_true", help="确认保存（不加此项只显示将要发生的变化）")
    load.set_defaults(handler=_import)
    years = actions.add_parser("years", parents=[common], help="已录入安排的年份，以及缺少的年份提示")
    years.set_defaults(handler=_years)


def _import(args: argparse.Namespace) -> int:
    from liandu_desk.cli.core import open_database
    from liandu_desk.domain.errors import RuleError
    from liandu_desk.services.documents.calendar_import import diff_year, import_year, parse_holiday_cn

    path = Path(args.file).expanduser()
    try:
        text = path.read_bytes()
    except OSError as exc:
        raise RuleError(f"无法读取文件 {path}：{exc.strerror or exc}") from None
    arrangement = parse_holiday_cn(text, args.source)
    db = open_database(args, write=args.yes)
    with db.session_scope() as session:
        diff = import_year(session, arrangement) if args.yes else diff_year(session, arrangement)
    print(f"{arrangement.year}年安排（依据：{arrangement.source}），共{len(arrangement.days)}天：")
    for line in diff.lines():
        print(f"  {line}")
    print("已保存。" if args.yes else "尚未保存：确认无误后加 --yes 再运行一次。")
    return 0


def _years(args: argparse.Namespace) -> int:
    from liandu_desk.cli.core import open_database
    from liandu_desk.services.documents.calendar import covered_years, missing_year_warning

    db = open_database(args, write=False)
    with db.session_scope() as session:
        years = sorted(covered_years(session))
        warning = missing_year_warning(session, dt.date.today())
    print("已录入：" + ("、".join(str(y) for y in years) if years else "（无）"))
    if warning:
        print(f"提示：{warning}")
    return 0
