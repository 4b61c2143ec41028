"""Scoring templates: versions, categories and items; a version used by an inspection is frozen."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload

from liandu_desk.domain.communities import Inspection, ScoreCategory, ScoreItem, ScoreTemplate
from liandu_desk.domain.errors import NotFoundError, ValidationError
from liandu_desk.domain.permissions import Permission, requires
from liandu_desk.services.communities.defaults import ensure_defaults


@dataclass(frozen=True)
class ItemView:
    """One item of a template version."""

    id: int
    category: str
    seq: int
    text: str
    max_points: float
    deduction_rule: str
    deduct_per: float | None
    veto: bool


@dataclass(frozen=True)
class TemplateView:
    """One template version with its items in order."""

    id: int
    name: str
    version: int
    current: bool
    pass_mark: float
    used: bool
    items: tuple[ItemView, ...]

    @property
    def total_points(self) -> float:
        return sum(i.max_points for i in self.items if not i.veto)

    @property
    def label(self) -> str:
        return f"{self.name}（第{self.version}版）"


@dataclass
class ItemDraft:
    """An item as the template editor submits it."""

    category: str
    text: str
    max_points: float
    deduction_rule: str = ""
    deduct_per: float | None = None
    veto: bool = False


@dataclass
class TemplateDraft:
    """A whole template as the editor submits it: items in order, grouped by category name."""

    name: str
    pass_mark: float = 60.0
    items: list[ItemDraft] = field(default_factory=list)


def is_used(session: Session, template_id: int) -> bool:
    """Whether any inspection was scored with this version (then it may not change)."""
    query = select(func.count()).select_from(Inspection).where(Inspection.template_id == template_id)
    return (session.scalar(query) or 0) > 0


def _view(session: Session, template: ScoreTemplate) -> TemplateView:
    items = tuple(
        ItemView(i.id, c.name, i.seq, i.text, i.max_points, i.deduction_rule or "", i.deduct_per, i.veto)
        for c in template.categories
        for i in c.items
    )
    return TemplateView(
        template.id,
        template.name,
        template.version,
        template.current,
        template.pass_mark,
        is_used(session, template.id),
        items,
    )


def _load(session: Session, template_id: int) -> ScoreTemplate:
    query = (
        select(ScoreTemplate)
        .where(ScoreTemplate.id == template_id)
        .options(selectinload(ScoreTemplate.categories).selectinload(ScoreCategory.items))
    )
    template = session.scalar(query)
    if template is None:
        raise NotFoundError(f"评分模板（编号{template_id}）不存在")
    return template


def get_template(session: Session, template_id: int) -> TemplateView:
    """One template version with its items."""
    return _view(session, _load(session, template_id))


def current_template(session: Session) -> TemplateView:
    """The version new inspections use (the default template is created on first use)."""
    ensure_defaults(session)
    template_id = session.scalar(
        select(ScoreTemplate.id).where(ScoreTemplate.current.is_(True)).order_by(ScoreTemplate.id.desc()).limit(1)
    )
    if template_id is None:
        template_id = session.scalar(select(func.max(ScoreTemplate.id)))
    return get_template(session, template_id)


def list_templates(session: Session) -> list[TemplateView]:
    """Every version, newest first."""
    ids = session.scalars(select(ScoreTemplate.id).order_by(ScoreTemplate.name, ScoreTemplate.version.desc()))
    return [get_template(session, i) for i in list(ids)]


def validate_draft(draft: TemplateDraft) -> None:
    """Names present, points non-negative, veto items worth no points, at least one scored item."""
    if not draft.name.strip():
        raise ValidationError("模板名称", "不能为空")
    if not draft.items:
        raise ValidationError("评分项目", "至少需要一项")
    for row, item in enumerate(draft.items, start=1):
        if not item.category.strip():
            raise ValidationError(f"第{row}行 类别", "不能为空")
        if not item.text.strip():
            raise ValidationError(f"第{row}行 项目内容", "不能为空")
        if item.max_points < 0:
            raise ValidationError(f"第{row}行 满分", "不能为负数")
        if item.veto and item.max_points:
            raise ValidationError(f"第{row}行 满分", "一票否决项不计分，满分应为0")
    if not any(i.max_points > 0 for i in draft.items):
        raise ValidationError("评分项目", "至少需要一项计分项目")
    if not 0 <= draft.pass_mark <= 100:
        raise ValidationError("合格分", "应在0至100之间")


def _fill(template: ScoreTemplate, draft: TemplateDraft) -> None:
    categories: dict[str, ScoreCategory] = {}
    for item in draft.items:
        name = item.category.strip()
        if name not in categories:
            categories[name] = ScoreCategory(seq=len(categories) + 1, name=name)
            template.categories.append(categories[name])
        category = categories[name]
        category.items.append(
            ScoreItem(
                seq=len(category.items) + 1,
                text=item.text.strip(),
                max_points=float(item.max_points),
                deduction_rule=item.deduction_rule.strip() or None,
                deduct_per=item.deduct_per,
                veto=item.veto,
            )
        )


@requires(Permission.EDIT_TEMPLATES)
def save_template(session: Session, template_id: int, draft: TemplateDraft) -> int:
    """Edit a version: in place while unused, otherwise as a new current version; returns the id now current.

    Past inspections keep pointing at the version they were scored with, so their scores never change.
    """
    validate_draft(draft)
    old = _load(session, template_id)
    if not is_used(session, template_id):
        old.categories.clear()
        session.flush()
        old.name, old.pass_mark = draft.name.strip(), draft.pass_mark
        _fill(old, draft)
        session.flush()
        return old.id
    latest = session.scalar(select(func.max(ScoreTemplate.version)).where(ScoreTemplate.name == old.name)) or 0
    session.execute(update(ScoreTemplate).where(ScoreTemplate.current.is_(True)).values(current=False))
    new = ScoreTemplate(
        name=old.name,
        version=latest + 1,
        current=True,
        pass_mark=draft.pass_mark,
        based_on_id=old.id,
        note=f"由第{old.version}版修改",
    )
    _fill(new, draft)
    session.add(new)
    session.flush()
    return new.id


def draft_from(view: TemplateView) -> TemplateDraft:
    """A draft holding a version's content (the editor starts from it)."""
    items = [ItemDraft(i.category, i.text, i.max_points, i.deduction_rule, i.deduct_per, i.veto) for i in view.items]
    return TemplateDraft(view.name, view.pass_mark, items)
