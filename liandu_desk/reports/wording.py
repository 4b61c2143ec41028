"""Wording as data: each document type's template (resources/templates/*.json) with named placeholders such as
{户主姓名}, checked when it is saved and filled when a document is made.

Syntax: `{名称}` is a placeholder; `{{` and `}}` print a literal brace. A template has sections (段); each section
may use the document's common placeholders and its own (a numbered item's {序号}, for example). A placeholder is
required unless its declaration says it may be empty ("可为空"); a required one without a value is refused.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from liandu_desk.domain.errors import RuleError
from liandu_desk.paths import resource_path

TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
NAME = re.compile(r"^[\w（）()·]+$")
LIST_SEPARATOR = "、"
MISSING_MARK = "【缺少：{{{}}}】"
UNKNOWN_MARK = "【未知占位符：{{{}}}】"
TEMPLATE_KEYS = (
    "house_notice",
    "community_notice",
    "mediation_record",
    "mediation_agreement",
    "list_publication",
    "receipt",
    "duban",
    "summary",
)


class TemplateError(RuleError):
    """A template that cannot be saved or filled: unknown placeholder, missing value, broken braces."""


@dataclass(frozen=True)
class PlaceholderSpec:
    """One placeholder a template may use: its name, what it stands for, and whether it may be empty."""

    name: str
    description: str
    optional: bool = False


@dataclass(frozen=True)
class SlotSpec:
    """One section of a template: its default text and the rules an edited text must keep."""

    key: str
    label: str
    default: str
    placeholders: tuple[PlaceholderSpec, ...] = ()  # this section's own, besides the document's common ones
    required: tuple[str, ...] = ()  # placeholders the text must keep (the appeal bodies, the deadline)
    must_contain: tuple[str, ...] = ()  # words the text must keep (evacuation where the appraisal calls for it)
    must_not_contain: tuple[str, ...] = ()  # words it may never hold (evacuation for a house still in use)
    items: int = 0  # a list section: exactly this many entries separated by "、" (column titles, signatures)
    note: str = ""


@dataclass(frozen=True)
class TemplateSpec:
    """A document type's template: its name, common placeholders and sections with their default text."""

    key: str
    name: str
    note: str
    placeholders: tuple[PlaceholderSpec, ...]
    slots: tuple[SlotSpec, ...]

    def slot(self, key: str) -> SlotSpec:
        for slot in self.slots:
            if slot.key == key:
                return slot
        raise KeyError(f"{self.key} has no section {key!r}")

    def allowed(self, slot_key: str) -> dict[str, PlaceholderSpec]:
        """The placeholders one section may use, by name."""
        found = {p.name: p for p in self.placeholders}
        found.update({p.name: p for p in self.slot(slot_key).placeholders})
        return found

    def defaults(self) -> dict[str, str]:
        return {slot.key: slot.default for slot in self.slots}


def _placeholders(data: Mapping[str, Mapping]) -> tuple[PlaceholderSpec, ...]:
    return tuple(PlaceholderSpec(n, str(d.get("说明", "")), bool(d.get("可为空", False))) for n, d in data.items())


def _slot(data: Mapping) -> SlotSpec:
    return SlotSpec(
        key=data["key"],
        label=data.get("label", data["key"]),
        default=data["text"],
        placeholders=_placeholders(data.get("placeholders", {})),
        required=tuple(data.get("必须保留", ())),
        must_contain=tuple(data.get("必须含有", ())),
        must_not_contain=tuple(data.get("不得含有", ())),
        items=int(data.get("项数", 0)),
        note=data.get("说明", ""),
    )


@functools.cache
def template_spec(key: str) -> TemplateSpec:
    """The shipped template of a document type (resources/templates/<key>.json)."""
    if key not in TEMPLATE_KEYS:
        raise KeyError(f"unknown template {key!r}")
    data = json.loads(resource_path("templates", f"{key}.json").read_text(encoding="utf-8"))
    return TemplateSpec(
        key,
        data["name"],
        data.get("_说明", ""),
        _placeholders(data.get("placeholders", {})),
        tuple(_slot(s) for s in data["slots"]),
    )


# -- parsing and checking -----------------------------------------------------------------------------------


def tokens(text: str) -> list[tuple[str, str]]:
    """('text', s) and ('name', placeholder) pieces; TemplateError for a stray or unclosed brace."""
    pieces: list[tuple[str, str]] = []
    position = 0
    for match in TOKEN.finditer(text):
        if match.start() > position:
            pieces.append(("text", text[position : match.start()]))
        token = match.group(0)
        if token in ("{{", "}}"):
            pieces.append(("text", token[0]))
        elif token in ("{", "}"):
            where = text[max(0, match.start() - 6) : match.start() + 6]
            raise TemplateError(f"“{where}”处有不成对的花括号“{token}”（要显示花括号本身请写“{token * 2}”）")
        else:
            pieces.append(("name", match.group(1).strip()))
        position = match.end()
    if position < len(text):
        pieces.append(("text", text[position:]))
    return pieces


def names_in(text: str) -> list[str]:
    """The placeholder names a text uses, in order (duplicates kept)."""
    return [value for kind, value in tokens(text) if kind == "name"]


def _braced(name: str) -> str:
    return "{" + name + "}"


def check_slot(spec: TemplateSpec, slot_key: str, text: str) -> list[str]:
    """Why this section's text cannot be saved (empty list when it can), in Chinese, naming the placeholder."""
    slot = spec.slot(slot_key)
    where = f"“{slot.label}”"
    if not text.strip():
        return [f"{where}不能为空"]
    try:
        used = names_in(text)
    except TemplateError as exc:
        return [f"{where}：{exc.message}"]
    allowed = spec.allowed(slot_key)
    problems = []
    for name in dict.fromkeys(used):
        if not name:
            problems.append(f"{where}有空的占位符“{{}}”")
        elif name not in allowed:
            choices = "、".join(_braced(n) for n in allowed) or "（本段不能使用占位符）"
            problems.append(f"{where}使用了未知的占位符{_braced(name)}；本段可用：{choices}")
    problems += [f"{where}必须保留占位符{_braced(n)}" for n in slot.required if n not in used]
    problems += [f"{where}必须含有“{w}”" for w in slot.must_contain if w not in text]
    problems += [f"{where}不得含有“{w}”" for w in slot.must_not_contain if w in text]
    if slot.items:
        entries = [e.strip() for e in text.split(LIST_SEPARATOR)]
        if len(entries) != slot.items or not all(entries):
            problems.append(f"{where}应为{slot.items}项，用“{LIST_SEPARATOR}”分隔（现为{len(entries)}项）")
    return problems


def check_slots(spec: TemplateSpec, slots: Mapping[str, str]) -> list[str]:
    """Every problem of a whole template: missing or unknown sections, then each section's own."""
    known = {slot.key for slot in spec.slots}
    problems = [f"模板缺少“{spec.slot(k).label}”段" for k in known - set(slots)]
    problems += [f"模板没有“{k}”段" for k in sorted(set(slots) - known)]
    for slot in spec.slots:
        if slot.key in slots:
            problems += check_slot(spec, slot.key, slots[slot.key])
    return problems


# -- filling ------------------------------------------------------------------------------------------------


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


@dataclass
class Wording:
    """One template version's sections, ready to fill. Strict: refuse a missing value or unknown placeholder
    (TemplateError); otherwise mark it in the text and collect the problem (previews)."""

    spec: TemplateSpec
    slots: dict[str, str]
    version_id: int | None = None
    revision: int = 0
    origin: str = "默认"
    strict: bool = False
    problems: list[str] = field(default_factory=list)

    def fill(self, slot_key: str, values: Mapping[str, object] | None = None) -> str:
        """The section's text with every placeholder replaced by its value."""
        slot = self.spec.slot(slot_key)
        text = self.slots.get(slot_key, slot.default)
        allowed = self.spec.allowed(slot_key)
        values = values or {}
        try:
            pieces = tokens(text)
        except TemplateError as exc:
            return self._problem(f"文书模板“{self.spec.name}”的“{slot.label}”：{exc.message}", text)
        out: list[str] = []
        for kind, value in pieces:
            if kind == "text":
                out.append(value)
            elif value not in allowed:
                message = f"文书模板“{self.spec.name}”的“{slot.label}”使用了未知的占位符{_braced(value)}"
                out.append(self._problem(message, UNKNOWN_MARK.format(value)))
            else:
                filled = _text(values.get(value))
                if not filled and not allowed[value].optional:
                    what = f"（{allowed[value].description}）" if allowed[value].description else ""
                    message = f"文书模板“{self.spec.name}”的“{slot.label}”中的占位符{_braced(value)}{what}没有取值"
                    filled = self._problem(message, MISSING_MARK.format(value))
                out.append(filled)
        return "".join(out)

    def items(self, slot_key: str) -> list[str]:
        """A list section's entries (column titles, signature labels)."""
        return [entry.strip() for entry in self.fill(slot_key).split(LIST_SEPARATOR)]

    def _problem(self, message: str, shown: str) -> str:
        if self.strict:
            raise TemplateError(message + "，不能签发。请补全有关记录，或由管理员在“文书模板”中修改。")
        if message not in self.problems:
            self.problems.append(message)
        return shown

    def checked(self) -> Wording:
        """A strict copy: the first problem raises."""
        return replace(self, strict=True, problems=[])

    def previewing(self) -> Wording:
        """A lenient copy with its own problem list."""
        return replace(self, strict=False, problems=[])

    @property
    def label(self) -> str:
        return f"第{self.revision}版" if self.revision else "随程序发布的默认文本"


def shipped_wording(key: str, *, strict: bool = False) -> Wording:
    """The default text of a document type as shipped with the program."""
    spec = template_spec(key)
    return Wording(spec, spec.defaults(), strict=strict)


Wordings = Mapping[str, Wording]


def pick(texts: Wordings | None, key: str) -> Wording:
    """The wording for `key` from `texts`, or the shipped default (lenient) when none is given."""
    if texts and key in texts:
        return texts[key]
    return shipped_wording(key)
