"""Document commands: `notice house`, `notice batch`, `report summary`, and the register (`document …`)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add the notice, report and document commands."""
    notice = subparsers.add_parser("notice", parents=[common], help="整改通知书")
    kinds = notice.add_subparsers(dest="notice_kind", metavar="KIND", required=True)
    house = kinds.add_parser("house", parents=[common], help="一户危房的整改通知书（默认草稿预览）")
    house.add_argument("house_id", type=int, metavar="HOUSE_ID")
    house.add_argument("--out", required=True, metavar="F.pdf")
    house.add_argument("--issue", action="store_true", help="签发：分配文号并存档PDF")
    house.add_argument("--date", metavar="YYYY-MM-DD", help="签发日期（默认今天）")
    house.set_defaults(handler=_notice_house)
    batch = kinds.add_parser("batch", parents=[common], help="按等级和乡镇批量生成整改通知书，合并为一个PDF")
    batch.add_argument("--grade", default="C,D", help="鉴定等级，逗号分隔（默认 C,D）")
    batch.add_argument("--division", metavar="NAME", help="乡镇（街道）名称或简称")
    batch.add_argument("--out", required=True, metavar="F.pdf")
    batch.add_argument("--issue", action="store_true", help="逐份签发，每份分配各自文号")
    batch.add_argument("--date", metavar="YYYY-MM-DD", help="签发日期（默认今天）")
    batch.add_argument("--limit", type=int, help="最多生成的份数")
    batch.add_argument("--no-receipt", action="store_true", help="不附送达回证")
    batch.set_defaults(handler=_notice_batch)

    report = subparsers.add_parser("report", parents=[common], help="报告")
    reports = report.add_subparsers(dest="report_kind", metavar="KIND", required=True)
    summary = reports.add_parser("summary", parents=[common], help="工作总结（所有数字来自统计服务）")
    summary.add_argument("--from", dest="date_from", required=True, metavar="YYYY-MM-DD")
    summary.add_argument("--to", dest="date_to", required=True, metavar="YYYY-MM-DD")
    summary.add_argument("--out", required=True, metavar="F.pdf")
    summary.add_argument("--date", metavar="YYYY-MM-DD", help="成文日期（默认今天）")
    summary.set_defaults(handler=_report_summary)

    document = subparsers.add_parser("document", parents=[common], help="文书登记簿")
    actions = document.add_subparsers(dest="document_action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", parents=[common], help="按文号、受送达人或状态查找")
    listing.add_argument("--search", default="")
    listing.add_argument("--status")
    listing.set_defaults(handler=_document_list)
    reprint = actions.add_parser("reprint", parents=[common], help="重印已签发文书（与签发时逐字节相同）")
    reprint.add_argument("document_id", type=int)
    reprint.add_argument("--out", required=True, metavar="F.pdf")
    reprint.set_defaults(handler=_document_reprint)
    dossier = actions.add_parser(
        "dossier", parents=[common], help="案卷：一户房屋、一个加装电梯项目或一个小区的全部记录"
    )
    dossier.add_argument("kind", choices=("house", "project", "community"))
    dossier.add_argument("record_id", type=int)
    dossier.add_argument("--out", required=True, metavar="F.pdf")
    dossier.set_defaults(handler=_document_dossier)
    batches = actions.add_parser("batches", parents=[common], help="批量签发的批次（文号范围、份数、存档PDF的SHA-256）")
    batches.set_defaults(handler=_document_batches)
    reprint_batch = actions.add_parser(
        "reprint-batch", parents=[common], help="重印一个批次的合并PDF（与签发时逐字节相同，崩溃后也可重印）"
    )
    reprint_batch.add_argument("batch_id", type=int)
    reprint_batch.add_argument("--out", required=True, metavar="F.pdf")
    reprint_batch.set_defaults(handler=_document_reprint_batch)
    cancel = actions.add_parser("cancel", parents=[common], help="作废文书（文号保留、不再使用）")
    cancel.add_argument("document_id", type=int)
    cancel.add_argument("--reason", required=True)
    cancel.set_defaults(handler=_document_cancel)


def _day(text: str | None, field: str) -> dt.date:
    from liandu_desk.services.periods import parse_date

    return parse_date(text, field) if text else dt.date.today()


def _progress(done: int, total: int, text: str) -> None:
    step = max(total // 20, 1)
    if done == total or done % step == 0:
        print(f"[{done}/{total}] {text}", file=sys.stderr, flush=True)


def _notice_house(args: argparse.Namespace) -> int:
    from liandu_desk.cli.core import open_database
    from liandu_desk.reports.engine import write_atomic
    from liandu_desk.services.documents import lifecycle
    from liandu_desk.services.documents.house_notices import draft_house_notice, notice_in_force

    db = open_database(args)
    if args.issue:  # refused before anything is drafted: a clerk who may not issue changes nothing
        from liandu_desk.domain.permissions import Permission, check_actor

        check_actor(db.clerk, Permission.ISSUE_NOTICES)
    issued_on = _day(args.date, "--date")
    clerk = db.clerk.name if db.clerk else ""
    with db.session_scope() as session:
        current = notice_in_force(session, args.house_id)
        if current is not None and not args.issue:
            print(f"该房屋已有在办的整改通知书：{current.number}（{current.status}），输出存档PDF")
            print(f"已写入：{write_atomic(args.out, lifecycle.stored_pdf(session, current.id))}")
            return 0
        draft = draft_house_notice(session, args.house_id, clerk, issued_on)
    if args.issue:

        def work():
            with db.session_scope() as session:
                return lifecycle.issue(session, draft.id, issued_on, clerk)

        view = lifecycle.with_retry(work)
        with db.session_scope() as session:
            data = lifecycle.stored_pdf(session, view.id)
        print(f"已签发：{view.number}（文书{view.id}，整改期限{view.deadline}）")
    else:
        with db.session_scope() as session:
            data = lifecycle.preview(session, draft.id, issued_on)
        print(f"草稿预览：文书{draft.id}（未分配文号）")
    print(f"已写入：{write_atomic(args.out, data)}")
    return 0


def _notice_batch(args: argparse.Namespace) -> int:
    from liandu_desk.cli.core import open_database
    from liandu_desk.services.documents.batch import BatchRequest, run_batch

    db = open_database(args)
    if args.issue:
        from liandu_desk.domain.permissions import Permission, check_actor

        check_actor(db.clerk, Permission.ISSUE_NOTICES)
    grades = tuple(g.strip().upper() for g in args.grade.split(",") if g.strip())
    request = BatchRequest(
        grades=grades,
        division=args.division,
        issue=args.issue,
        issued_on=_day(args.date, "--date"),
        limit=args.limit,
        with_receipt=not args.no_receipt,
    )
    result = run_batch(db, request, Path(args.out), progress=_progress)
    state = f"已签发{result.issued}份（{result.first_number}至{result.last_number}）" if args.issue else "草稿预览"
    print(f"{state}，共{result.count}份通知书，{result.pages}页，用时{result.seconds:.2f}秒")
    print(f"已写入：{result.path}")
    return 0


def _report_summary(args: argparse.Namespace) -> int:
    from liandu_desk.cli.core import open_database
    from liandu_desk.reports.engine import RenderOptions, render_parts, write_atomic
    from liandu_desk.reports.summary import summary_parts
    from liandu_desk.reports.summary_facts import period_label
    from liandu_desk.services.documents.summary_data import check_totals, summary_facts
    from liandu_desk.services.documents.templates import wordings
    from liandu_desk.services.periods import Period, parse_date

    period = Period(parse_date(args.date_from, "--from"), parse_date(args.date_to, "--to"))
    db = open_database(args, write=False)
    with db.session_scope() as session:
        facts = summary_facts(session, period, _day(args.date, "--date"))
        texts = wordings(session, ("summary",), strict=True)
    for problem in check_totals(facts):
        print(f"警告：{problem}", file=sys.stderr)
    label = f"{facts.bureau}{period_label(period.start, period.end)}工作总结"
    data = render_parts(summary_parts(facts, texts), RenderOptions(title=label, author=facts.bureau))
    print(f"已写入：{write_atomic(args.out, data)}")
    return 0


def _document_list(args: argparse.Namespace) -> int:
    from liandu_desk.cli.core import open_database
    from liandu_desk.services.documents.views import search_documents
    from liandu_desk.services.integrity import latest_anchor_text

    db = open_database(args, write=False)
    with db.session_scope() as session:
        rows = search_documents(session, args.search, args.status or None)
        anchor = latest_anchor_text(session)
    if anchor:
        print(anchor, file=sys.stderr)  # the register's anchor: the audit head this list was read against
    for r in rows:
        print(
            f"{r.id}\t{r.doc_type}\t{r.status}\t{r.number or '（未编号）'}\t{r.recipient}\t{r.issued_on or ''}\t"
            f"{r.deadline or ''}"
        )
    return 0


def _document_reprint(args: argparse.Namespace) -> int:
    from liandu_desk.cli.core import open_database
    from liandu_desk.reports.engine import write_atomic
    from liandu_desk.services.documents.lifecycle import stored_pdf

    db = open_database(args, write=False)
    with db.session_scope() as session:
        data = stored_pdf(session, args.document_id)
    print(f"已写入：{write_atomic(args.out, data)}")
    return 0


def _document_dossier(args: argparse.Namespace) -> int:
    from liandu_desk.cli.core import open_database
    from liandu_desk.reports.engine import write_atomic
    from liandu_desk.services.documents import module_dossiers
    from liandu_desk.services.documents.dossiers import house_dossier

    builders = {
        "house": house_dossier,
        "project": module_dossiers.project_dossier,
        "community": module_dossiers.community_dossier,
    }
    db = open_database(args, write=False)
    with db.session_scope() as session:
        data = module_dossiers.dossier_pdf(builders[args.kind](session, args.record_id))
    print(f"已写入：{write_atomic(args.out, data)}")
    return 0


def _document_cancel(args: argparse.Namespace) -> int:
    from liandu_desk.cli.core import open_database
    from liandu_desk.services.documents.lifecycle import cancel

    db = open_database(args)
    with db.session_scope() as session:
        view = cancel(session, args.document_id, args.reason, db.clerk.name if db.clerk else "")
    print(f"已作废：文书{view.id} {view.number or ''}（{view.cancel_reason}）")
    return 0


def _document_batches(args: argparse.Namespace) -> int:
    from liandu_desk.cli.core import open_database
    from liandu_desk.services.documents.batch import list_batches

    db = open_database(args, write=False)
    with db.session_scope() as session:
        rows = list_batches(session)
    for r in rows:
        print(
            f"{r.id}\t{r.doc_type}\t{r.issued_on}\t{r.issued_by}\t{r.count}份\t{r.first_number}至{r.last_number}\t"
            f"{r.sha256[:12]}"
        )
    return 0


def _document_reprint_batch(args: argparse.Namespace) -> int:
    from liandu_desk.cli.core import open_database
    from liandu_desk.reports.engine import write_atomic
    from liandu_desk.services.documents.batch import batch_pdf

    db = open_database(args, write=False)
    with db.session_scope() as session:
        data = batch_pdf(session, args.batch_id)
    print(f"已写入：{write_atomic(args.out, data)}")
    return 0
