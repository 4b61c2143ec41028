"""Maintenance subcommands: check (file integrity and audit chain), backup and restore."""

from __future__ import annotations

import argparse
from pathlib import Path

from liandu_desk.cli.core import cli_database, read_only_database


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add check, backup and restore."""
    check = subparsers.add_parser("check", parents=[common], help="检查数据库文件完整性和操作记录（审计）哈希链")
    check.add_argument("--repair", action="store_true", help="重建缺少的索引、触发器和全文检索索引（需独占写入）")
    check.set_defaults(handler=_check)
    backup = subparsers.add_parser("backup", parents=[common], help="在线备份数据库（可备份到U盘等任意文件夹）")
    backup.add_argument("--out", required=True, metavar="FILE_OR_FOLDER", help="备份文件路径，或保存备份的文件夹")
    backup.set_defaults(handler=_backup)
    restore = subparsers.add_parser("restore", parents=[common], help="从备份恢复（先校验备份，并先备份当前数据）")
    restore.add_argument("file", metavar="BACKUP_FILE")
    restore.add_argument(
        "--accept-loss", action="store_true", help="确认恢复比当前数据旧的备份（丢失之后的操作记录，并记入操作记录）"
    )
    restore.set_defaults(handler=_restore)


def _check(args: argparse.Namespace) -> int:
    from liandu_desk.services.integrity import (
        database_integrity,
        verify_anchors,
        verify_audit_chain,
        verify_stored_pdfs,
    )
    from liandu_desk.storage.schema_check import check_schema

    if args.repair and _repair(args):
        return 1
    db = read_only_database(args)
    try:
        with db.session_scope() as session:
            problems = [line for line in database_integrity(session) if line != "ok"]
            report = verify_audit_chain(session)
            anchors = verify_anchors(session)
            pdfs = verify_stored_pdfs(session)
        schema = check_schema(db)
    except Exception as exc:
        print(f"数据库无法读取：{exc}")
        return 1
    finally:
        db.dispose()
    print("数据库文件完整性：" + ("通过" if not problems else "发现问题"))
    for line in problems[:20]:
        print(f"  {line}")
    print("数据库结构（表、索引、触发器）：" + ("完整" if schema.ok else "不完整"))
    for line in schema.lines()[:50]:
        print(f"  {line}")
    if not schema.ok:
        print("  可运行 liandu-desk check --repair 重建索引和触发器")
    print(f"操作记录哈希链：共检查 {report.checked} 条，" + ("完好" if report.ok else f"断开：{report.reason}"))
    print("与锚点日志比对：" + (anchors or "一致"))
    print("存档PDF：" + ("全部与签发时一致" if not pdfs else f"{len(pdfs)}份不符"))
    for line in pdfs[:20]:
        print(f"  {line}")
    return 0 if report.ok and not problems and schema.ok and not anchors and not pdfs else 1


def _repair(args: argparse.Namespace) -> bool:
    """Re-create what can be rebuilt; True when the repair could not run."""
    from liandu_desk.domain.errors import RuleError
    from liandu_desk.storage.schema_check import repair_schema
    from liandu_desk.storage.writer_lock import require_writer

    db = cli_database(args)
    try:
        require_writer(db, "修复数据库结构")
        for line in repair_schema(db) or ["数据库结构完整，无需修复"]:
            print(line)
    except RuleError as exc:
        print(f"错误：{exc.message}")
        return True
    finally:
        db.dispose()
    return False


def _backup(args: argparse.Namespace) -> int:
    from liandu_desk.services.backups import backup_now

    db = read_only_database(args)
    path = backup_now(db, Path(args.out).expanduser())
    print(f"已备份到：{path}")
    return 0


def _restore(args: argparse.Namespace) -> int:
    from liandu_desk.services.backups import restore_backup
    from liandu_desk.storage.migrate import upgrade

    db = cli_database(args)
    safety = restore_backup(db, Path(args.file).expanduser(), accept_loss=args.accept_loss)
    print(f"已从 {args.file} 恢复；恢复前的数据已备份到：{safety}")
    upgrade(db)
    return 0
