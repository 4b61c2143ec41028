"""Document templates in the database: the current wording of each document type, its versions, an
administrator's edits and resets (each a new version), and the versions an issued document is worded by."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from liandu_desk.domain.documents import DocTemplate, TemplateOrigin
from liandu_desk.domain.errors import NotFoundError, RuleError, ValidationError
from liandu_desk.domain.permissions import Permission, requires
from liandu_desk.reports.wording import TEMPLATE_KEYS, TemplateError, Wording, check_slots, template_spec

log = logging.getLogger(__name__)
CACHE_KEY = "doc_templates_recorded"


@dataclass(frozen=True)
class TemplateVersion:
    """One stored version of a template."""

    id: int
    key: str
    revision: int
    origin: str
    note: str
    created_by: str
    created_at: dt.datetime | None
    slots: dict[str, str]


@dataclass(frozen=True)
class TemplateInfo:
    """A document type's template as the 文书模板 list shows it."""

    key: str
    name: str
    revision: int  # 0: the shipped default, never saved
    origin: str
    created_by: str
    created_at: dt.datetime | None
    differs_from_shipped: bool

    @property
    def version_text(self) -> str:
        if not self.revision:
            return "默认文本"
        return f"第{self.revision}版（{self.origin}）"


def _version(row: DocTemplate) -> TemplateVersion:
    return TemplateVersion(
        row.id,
        row.template_key,
        row.revision,
        row.origin.value,
        row.note,
        row.created_by,
        row.created_at,
        dict(row.slots),
    )


def _latest(session: Session, key: str) -> DocTemplate | None:
    query = select(DocTemplate).where(DocTemplate.template_key == key).order_by(DocTemplate.revision.desc()).limit(1)
    return session.scalars(query).first()


def _complete(key: str, slots: Mapping[str, str]) -> dict[str, str]:
    """A stored version's sections, with any section added to the program since then at its shipped text."""
    spec = template_spec(key)
    return {slot.key: str(slots.get(slot.key, slot.default)) for slot in spec.slots}


def _wording(key: str, row: DocTemplate | None, *, strict: bool) -> Wording:
    spec = template_spec(key)
    if row is None:
        return Wording(spec, spec.defaults(), strict=strict)
    return Wording(spec, _complete(key, row.slots), row.id, row.revision, row.origin.value, strict=strict)


def current_wording(session: Session, key: str, *, strict: bool = False) -> Wording:
    """The wording documents of this type are made with now: the latest version, else the shipped default."""
    return _wording(key, _latest(session, key), strict=strict)


def wordings(session: Session, keys: Iterable[str], *, strict: bool = False) -> dict[str, Wording]:
    """The current wording of several templates (a document and its 送达回证), for a preview or a draft."""
    return {key: current_wording(session, key, strict=strict) for key in keys}


def record_wordings(session: Session, keys: Iterable[str]) -> dict[str, Wording]:
    """Strict wordings that exist as database rows, so an issued document can name the version it used: the first
    use of a shipped default records it as revision 1 (audited). Cached for the rest of the transaction."""
    cache: dict[str, Wording] = session.info.setdefault(CACHE_KEY, {})
    for key in keys:
        if key in cache:
            continue
        row = _latest(session, key)
        if row is None:
            row = _add(session, key, template_spec(key).defaults(), TemplateOrigin.SHIPPED, "首次使用时记录的默认文本")
        cache[key] = _wording(key, row, strict=True)
    return {key: cache[key] for key in keys}


def _clerk_name(session: Session) -> str:
    return str(getattr(session.info.get("clerk"), "name", "") or "")


def _add(session: Session, key: str, slots: Mapping[str, str], origin: TemplateOrigin, note: str) -> DocTemplate:
    session.info.pop(CACHE_KEY, None)
    revision = (session.scalar(select(func.max(DocTemplate.revision)).where(DocTemplate.template_key == key)) or 0) + 1
    row = DocTemplate(
        template_key=key,
        revision=revision,
        slots=dict(slots),
        origin=origin,
        note=note[:200],
        created_by=_clerk_name(session)[:40],
    )
    session.add(row)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        raise RuleError(f"“{template_spec(key).name}”模板刚被其他人保存了新版本，请关闭后重新打开再修改") from None
    log.info("template %s revision %d (%s)", key, revision, origin.value)
    return row


def _known(key: str) -> None:
    if key not in TEMPLATE_KEYS:
        raise NotFoundError(f"没有“{key}”这种文书模板")


def list_templates(session: Session) -> list[TemplateInfo]:
    """Every document type's template with its current version."""
    found = []
    for key in TEMPLATE_KEYS:
        spec, row = template_spec(key), _latest(session, key)
        slots = _complete(key, row.slots) if row else spec.defaults()
        found.append(
            TemplateInfo(
                key,
                spec.name,
                row.revision if row else 0,
                row.origin.value if row else TemplateOrigin.SHIPPED.value,
                row.created_by if row else "",
                row.created_at if row else None,
                slots != spec.defaults(),
            )
        )
    return found


def history(session: Session, key: str) -> list[TemplateVersion]:
    """Every stored version of a template, newest first."""
    _known(key)
    query = select(DocTemplate).where(DocTemplate.template_key == key).order_by(DocTemplate.revision.desc())
    return [_version(row) for row in session.scalars(query)]


def template_version(session: Session, version_id: int) -> TemplateVersion:
    """One stored version (the one an issued document names)."""
    row = session.get(DocTemplate, version_id)
    if row is None:
        raise NotFoundError(f"文书模板版本（编号{version_id}）不存在")
    return _version(row)


def check_template(key: str, slots: Mapping[str, str]) -> list[str]:
    """Why these sections cannot be saved as the template (empty when they can), naming each placeholder."""
    _known(key)
    return check_slots(template_spec(key), slots)


@requires(Permission.EDIT_DOC_TEMPLATES)
def save_template(
    session: Session, key: str, slots: Mapping[str, str], note: str = "", base_revision: int | None = None
) -> TemplateVersion:
    """Save an edited template as its next version; refused, naming the placeholder, while any section breaks a
    rule, and refused when someone saved a newer version since `base_revision` was opened."""
    _known(key)
    spec = template_spec(key)
    cleaned = {slot.key: str(slots.get(slot.key, "")).strip() for slot in spec.slots}
    problems = check_slots(spec, {**cleaned, **{k: v for k, v in slots.items() if k not in cleaned}})
    if problems:
        raise TemplateError(f"“{spec.name}”模板未保存：" + "；".join(problems))
    latest = _latest(session, key)
    if base_revision is not None and (latest.revision if latest else 0) != base_revision:
        raise RuleError(f"“{spec.name}”模板已被他人改为第{latest.revision if latest else 0}版，请重新打开后再修改")
    current = _complete(key, latest.slots) if latest else spec.defaults()
    if cleaned == current:
        raise RuleError(f"“{spec.name}”模板内容没有变化，未保存新版本")
    note = (note or "").strip()
    if len(note) > 200:
        raise ValidationError("修改说明", "不超过200字")
    return _version(_add(session, key, cleaned, TemplateOrigin.EDITED, note))


@requires(Permission.EDIT_DOC_TEMPLATES)
def reset_template(session: Session, key: str, note: str = "") -> TemplateVersion:
    """恢复默认: the shipped default text becomes the template's next version (old versions are kept)."""
    _known(key)
    spec = template_spec(key)
    latest = _latest(session, key)
    if latest is None or _complete(key, latest.slots) == spec.defaults():
        raise RuleError(f"“{spec.name}”模板已是随程序发布的默认文本，无需恢复")
    return _version(_add(session, key, spec.defaults(), TemplateOrigin.RESET, note or "恢复随程序发布的默认文本"))
