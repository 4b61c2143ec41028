"""Import and export subcommands: `import houses FILE`, `import template`, `import mapping`, `export houses|stats`."""

from __future__ import annotations

import argparse
import sys

from liandu_desk.cli.core import open_database

HOUSES_TARGET = "houses"
LAYOUTS = ("houses", "appraisals", "companies", "communities")
EXIT_OK, EXIT_REJECTED, EXIT_UNREADABLE = 0, 1, 2


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add `import` and `export` with their own subcommands."""
    _register_import(subparsers, common)
    _register_export(subparsers, common)


def _register_import(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("import", parents=[common], help="从表格导入（危房排查表等）")
    inner = parser.add_subparsers(dest="import_target", metavar="WHAT", required=True)
    layouts = (
        ("houses", "导入农村房屋排查表（.xlsx/.xls/.csv）"),
        ("appraisals", "导入鉴定结果（房屋须已在库）"),
        ("companies", "导入物业服务企业名录"),
        ("communities", "导入物业小区名录（物业企业须已在库）"),
    )
    for name, text in layouts:
        parser_ = inner.add_parser(name, parents=[common], help=text)
        parser_.add_argument("file", metavar="FILE")
        parser_.add_argument("--dry-run", action="store_true", help="只校验并报告，不写入")
        parser_.add_argument("--skip-invalid", action="store_true", help="跳过被拒绝的行，只写入有效行")
        parser_.add_argument("--report", metavar="OUT.xlsx", help="把被拒绝的行连同“错误原因”写入此工作簿")
        parser_.add_argument("--mapping", metavar="NAME", help="使用已保存的列映射")
        if name == "houses":
            villages = parser_.add_mutually_exclusive_group()
            villages.add_argument(
                "--strict-villages",
                dest="strict_villages",
                action="store_const",
                const=True,
                help="拒绝村（社区）名册中没有的村（社区）（默认按设置）",
            )
            villages.add_argument(
                "--lenient-villages",
                dest="strict_villages",
                action="store_const",
                const=False,
                help="名册中没有的村（社区）按表中文字新建（导入格式的约定）",
            )
        parser_.set_defaults(handler=_import_file, layout=name)

    template = inner.add_parser("template", parents=[common], help="生成空白导入模板（含下拉选项）")
    template.add_argument("--out", required=True, metavar="F.xlsx")
    template.add_argument("--layout", choices=LAYOUTS, default="houses", help="模板类型")
    template.set_defaults(handler=_template)

    mapping = inner.add_parser("mapping", parents=[common], help="管理列映射：save/list/delete")
    mapping.add_argument("action", choices=("save", "list", "delete"))
    mapping.add_argument("name", nargs="?", metavar="NAME")
    mapping.add_argument("columns", nargs="*", metavar="源列=模板列", help="如 “所在乡镇=乡镇（街道）”")
    mapping.add_argument("--layout", choices=LAYOUTS, default=HOUSES_TARGET, help="适用的导入表")
    mapping.set_defaults(handler=_mapping)


def _register_export(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("export", parents=[common], help="导出为 .xlsx")
    inner = parser.add_subparsers(dest="export_target", metavar="WHAT", required=True)
    houses = inner.add_parser("houses", parents=[common], help="导出房屋清单（可筛选）")
    houses.add_argument("--out", required=True, metavar="F.xlsx")
    houses.add_argument("--township", help="乡镇（街道），可用简称")
    houses.add_argument("--village", help="村（社区）名称（需同时指定乡镇）")
    houses.add_argument("--kind", choices=("农村", "城镇"))
    houses.add_argument("--grade", help="最新鉴定等级 A/B/C/D 或 未鉴定")
    houses.add_argument("--status", help="整治状态，如 待整改")
    houses.add_argument("--batch", help="来源批次名称")
    houses.add_argument("--search", default="", help="户主、身份证号或地址包含的文字")
    houses.add_argument("--overdue", action="store_true", help="只导出逾期未整改的")
    houses.add_argument("--full", action="store_true", help="身份证号和电话不打码")
    houses.set_defaults(handler=_export_houses)

    stats = inner.add_parser("stats", parents=[common], help="导出统计指标")
    stats.add_argument("--from", dest="date_from", required=True, metavar="YYYY-MM-DD")
    stats.add_argument("--to", dest="date_to", required=True, metavar="YYYY-MM-DD")
    stats.add_argument("--out", required=True, metavar="F.xlsx")
    stats.set_defaults(handler=_export_stats)


def _import_file(args: argparse.Namespace) -> int:
    from liandu_desk.io.report import write_rejection_report
    from liandu_desk.io.safety import UnreadableFileError
    from liandu_desk.services.import_mappings import load_mapping
    from liandu_desk.services.imports.appraisals import import_appraisals
    from liandu_desk.services.imports.communities import import_records
    from liandu_desk.services.imports.houses import ImportOptions, import_houses

    db = open_database(args, write=not args.dry_run)
    mapping = None
    if args.mapping:
        with db.session_scope() as session:
            mapping = load_mapping(session, args.layout, args.mapping)
    options = ImportOptions(
        dry_run=args.dry_run,
        skip_invalid=args.skip_invalid,
        mapping=mapping,
        strict_villages=getattr(args, "strict_villages", None),
    )
    try:
        if args.layout in ("houses", "appraisals"):
            result = (import_houses if args.layout == "houses" else import_appraisals)(db, args.file, options)
        else:
            result = import_records(db, args.layout, args.file, options)
    except UnreadableFileError as exc:
        print(f"错误：{exc.message}", file=sys.stderr)
        return EXIT_UNREADABLE
    for rejection in result.rejections:
        print(rejection.line())
    if args.report:
        rows, header = result.raw_rows, result.header_cells
        write_rejection_report(args.report, header, rows, result.rejections, result.text_columns)
    for line in result.summary_lines():
        print(line)
    if args.report:
        print(f"被拒绝的行已写入：{args.report}")
    if result.written or not result.rejected_rows:
        return EXIT_OK
    return EXIT_REJECTED


def _template(args: argparse.Namespace) -> int:
    from liandu_desk.services.divisions import list_townships
    from liandu_desk.services.imports.templates import write_template

    db = open_database(args, write=False)
    with db.session_scope() as session:
        townships = [t.name for t in list_townships(session)]
    write_template(args.layout, args.out, townships)
    print(f"空白模板已写入：{args.out}")
    return EXIT_OK


def _mapping(args: argparse.Namespace) -> int:
    from liandu_desk.services.import_mappings import delete_mapping, list_mappings, save_mapping

    db = open_database(args)
    with db.session_scope() as session:
        if args.action == "list":
            for name in list_mappings(session, args.layout):
                print(name)
            return EXIT_OK
        if not args.name:
            print("错误：请给出映射名称", file=sys.stderr)
            return EXIT_REJECTED
        if args.action == "delete":
            delete_mapping(session, args.layout, args.name)
            print(f"已删除列映射“{args.name}”")
            return EXIT_OK
        pairs = [c.split("=", 1) for c in args.columns if "=" in c]
        save_mapping(session, args.layout, args.name, {src: dst for src, dst in pairs})
    print(f"已保存列映射“{args.name}”（{len(pairs)}列）")
    return EXIT_OK


def _house_filter(session, args: argparse.Namespace):
    from liandu_desk.domain.errors import ValidationError
    from liandu_desk.services.divisions import list_children, resolve_township
    from liandu_desk.services.houses.listing import HouseFilter

    township_id = resolve_township(session, args.township).id if args.township else None
    village_id = None
    if args.village:
        if township_id is None:
            raise ValidationError("--village", "需要同时指定 --township")
        found = [v.id for v in list_children(session, township_id) if v.name == args.village.strip()]
        if not found:
            raise ValidationError("--village", f"“{args.village}”不在该乡镇（街道）下")
        village_id = found[0]
    return HouseFilter(
        township_id=township_id,
        village_id=village_id,
        kind=args.kind,
        grade=args.grade,
        case_status=args.status,
        batch=args.batch,
        overdue=args.overdue,
        search=args.search,
    )


def _export_houses(args: argparse.Namespace) -> int:
    from liandu_desk.services.imports.export import export_houses

    db = open_database(args, write=False)
    with db.session_scope() as session:
        count = export_houses(session, args.out, _house_filter(session, args), full=args.full)
    print(f"已导出 {count} 户房屋：{args.out}")
    return EXIT_OK


def _export_stats(args: argparse.Namespace) -> int:
    from liandu_desk.services.imports.export import export_stats
    from liandu_desk.services.periods import Period, parse_date
    from liandu_desk.services.stats import collect_stats

    period = Period(parse_date(args.date_from, "--from"), parse_date(args.date_to, "--to"))
    db = open_database(args, write=False)
    with db.session_scope() as session:
        figures = collect_stats(session, period)
    count = export_stats(figures, args.out)
    print(f"已导出 {count} 项统计指标：{args.out}")
    return EXIT_OK
