"""The business modules of the application and where each one's tab, CLI commands, figures and demo data live."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ModuleSpec:
    """One module. Each hook is 'package.module:attribute' (or 'package.module' for CLI), None if absent."""

    key: str
    title: str
    tab: str
    cli: str | None = None
    stats: str | None = None
    demo: str | None = None


MODULES: tuple[ModuleSpec, ...] = (
    ModuleSpec("home", "首页", "liandu_desk.ui.home.tab:HomeTab", demo="liandu_desk.demo.home:generate"),
    ModuleSpec(
        "houses",
        "危房",
        "liandu_desk.ui.houses.tab:HousesTab",
        cli="liandu_desk.cli.houses",
        stats="liandu_desk.services.houses.stats:section",
        demo="liandu_desk.demo.houses:generate",
    ),
    ModuleSpec(
        "elevators",
        "加装电梯",
        "liandu_desk.ui.elevators.tab:ElevatorsTab",
        cli="liandu_desk.cli.elevators",
        stats="liandu_desk.services.elevators.stats:section",
        demo="liandu_desk.demo.elevators:generate",
    ),
    ModuleSpec(
        "communities",
        "星级小区",
        "liandu_desk.ui.communities.tab:CommunitiesTab",
        cli="liandu_desk.cli.communities",
        stats="liandu_desk.services.communities.stats:section",
        demo="liandu_desk.demo.communities:generate",
    ),
)


def load(target: str) -> Any:
    """Import 'package.module:attribute' (or a module) and return it."""
    module_name, _, attribute = target.partition(":")
    module = importlib.import_module(module_name)
    return getattr(module, attribute) if attribute else module


def module_by_title(title: str) -> ModuleSpec | None:
    """Find a module by its tab title (首页, 危房 …) or key (houses …)."""
    return next((m for m in MODULES if title in (m.title, m.key)), None)
