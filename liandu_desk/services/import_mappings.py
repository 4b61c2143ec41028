"""Saved column mappings for imports: save, load, list and delete by name."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from liandu_desk.domain.errors import NotFoundError, ValidationError
from liandu_desk.domain.import_mappings import ImportMapping


def save_mapping(session: Session, target: str, name: str, columns: dict[str, str]) -> int:
    """Create or replace the mapping `name` (source header → template header) for an import target."""
    name = (name or "").strip()
    if not name:
        raise ValidationError("映射名称", "不能为空")
    if len(name) > 60:
        raise ValidationError("映射名称", "不能超过60个字")
    cleaned = {str(k).strip(): str(v).strip() for k, v in columns.items() if str(k).strip() and str(v).strip()}
    if not cleaned:
        raise ValidationError("列映射", "至少需要一列对应关系")
    row = session.scalar(select(ImportMapping).where(ImportMapping.target == target, ImportMapping.name == name))
    if row is None:
        row = ImportMapping(target=target, name=name)
        session.add(row)
    row.columns = cleaned
    session.flush()
    return row.id


def load_mapping(session: Session, target: str, name: str) -> dict[str, str]:
    """The saved mapping, or NotFoundError naming the saved ones."""
    row = session.scalar(select(ImportMapping).where(ImportMapping.target == target, ImportMapping.name == name))
    if row is None:
        known = "、".join(list_mappings(session, target)) or "无"
        raise NotFoundError(f"没有名为“{name}”的列映射（已保存：{known}）")
    return dict(row.columns)


def list_mappings(session: Session, target: str) -> list[str]:
    """Names of the saved mappings of a target, alphabetically."""
    query = select(ImportMapping.name).where(ImportMapping.target == target).order_by(ImportMapping.name)
    return list(session.scalars(query))


def delete_mapping(session: Session, target: str, name: str) -> None:
    """Remove a saved mapping."""
    row = session.scalar(select(ImportMapping).where(ImportMapping.target == target, ImportMapping.name == name))
    if row is None:
        raise NotFoundError(f"没有名为“{name}”的列映射")
    session.delete(row)
    session.flush()
