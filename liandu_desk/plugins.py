"""The business modules and every hook each one gives the shell: tab, commands, figures, demo data, settings, due
items, search, the record kinds it opens, and its audit table labels. No other file names a module."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any


def load(target: str) -> Any:
    """Import 'package.module:attribute' (or a module) and return it."""
    module_name, _, attribute = target.partition(":")
    module = importlib.import_module(module_name)
    return getattr(module, attribute) if attribute else module


@dataclass(frozen=True)
class Hook:
    """A module's function (or class, or table), imported on first use: listing the modules imports none of them,
    so the command line never loads Qt and a module's services load only when asked for."""

    target: str

    def resolve(self) -> Any:
        """The function, class, module or table itself."""
        return load(self.target)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.resolve()(*args, **kwargs)


@dataclass(frozen=True)
class ModuleSpec:
    """One module and its hooks (None when it has no such part).

    tab(ctx) → the tab widget; cli.register(subparsers, common) adds its commands; figures(session, period) → its
    section of the statistics; demo(db, DemoContext) writes its demo data; settings → its SettingSpec tuple;
    due(session, as_of, horizon, towns) → its DueItems; search(session, term, limit) → its SearchHits, in the order
    the modules are listed; opener(ctx, tab, kind, record_id, parent) shows a record of one of `opens`;
    audit_labels → {table: Chinese label} for the audit trail.
    """

    key: str
    title: str
    tab: Hook | None = None
    cli: Hook | None = None
    figures: Hook | None = None
    demo: Hook | None = None
    settings: Hook | None = None
    due: Hook | None = None
    search: Hook | None = None
    opens: tuple[str, ...] = ()
    opener: Hook | None = None
    audit_labels: Hook | None = None


def _spec(
    key: str,
    title: str,
    *,
    tab: str = "",
    cli: bool = False,
    figures: bool = False,
    demo: str = "",
    settings: str = "",
    due: bool = False,
    search: bool = False,
    opens: tuple[str, ...] = (),
    audit_labels: str = "",
) -> ModuleSpec:
    """A module laid out the usual way: services/<key>/, ui/<key>/, cli/<key>.py, demo/<key>.py."""
    services, ui = f"liandu_desk.services.{key}", f"liandu_desk.ui.{key}"
    return ModuleSpec(
        key,
        title,
        tab=Hook(f"{ui}.tab:{tab}") if tab else None,
        cli=Hook(f"liandu_desk.cli.{key}") if cli else None,
        figures=Hook(f"{services}.stats:section") if figures else None,
        demo=Hook(f"liandu_desk.demo.{demo}:generate") if demo else None,
        settings=Hook(settings) if settings else None,
        due=Hook(f"{services}.due:due_items") if due else None,
        search=Hook(f"{services}.search:search") if search else None,
        opens=opens,
        opener=Hook(f"{ui}.open:open_record") if opens else None,
        audit_labels=Hook(audit_labels) if audit_labels else None,
    )


MODULES: tuple[ModuleSpec, ...] = (
    _spec("home", "首页", tab="HomeTab", demo="home", audit_labels="liandu_desk.domain.home:HOME_TABLE_LABELS"),
    _spec(
        "houses",
        "危房",
        tab="HousesTab",
        cli=True,
        figures=True,
        demo="houses",
        due=True,
        search=True,
        opens=("house",),
        audit_labels="liandu_desk.domain.houses:HOUSE_TABLE_LABELS",
    ),
    _spec(
        "elevators",
        "加装电梯",
        tab="ElevatorsTab",
        cli=True,
        figures=True,
        demo="elevators",
        due=True,
        search=True,
        settings="liandu_desk.services.elevators.config:SETTINGS",
        opens=("elevator_project",),
        audit_labels="liandu_desk.domain.elevators:ELEVATOR_TABLE_LABELS",
    ),
    _spec(
        "communities",
        "星级小区",
        tab="CommunitiesTab",
        cli=True,
        figures=True,
        demo="communities",
        due=True,
        search=True,
        opens=("community",),
        audit_labels="liandu_desk.domain.community_lists:COMMUNITY_TABLE_LABELS",
    ),
    _spec(
        "documents",
        "文书",
        due=True,
        search=True,
        opens=("document",),
        audit_labels="liandu_desk.domain.documents:DOCUMENT_TABLE_LABELS",
    ),
)


def module_by_title(title: str) -> ModuleSpec | None:
    """Find a module by its tab title (首页, 危房 …) or key (houses …)."""
    return next((m for m in MODULES if title in (m.title, m.key)), None)


def with_hook(name: str) -> Iterator[tuple[ModuleSpec, Hook]]:
    """The modules that have this hook, in order, with it."""
    for spec in MODULES:
        hook = getattr(spec, name)
        if hook is not None:
            yield spec, hook


def module_opening(kind: str) -> ModuleSpec | None:
    """The module whose screens open records of this kind."""
    return next((m for m in MODULES if kind in m.opens), None)
