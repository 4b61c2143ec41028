"""The package's layer rules, checked against its import graph, and the ARCHITECTURE.md diagram drawn from them."""

from __future__ import annotations

import argparse
import ast
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "liandu_desk"
BEGIN, END = "<!-- layers:begin (scripts/layers.py --write) -->", "<!-- layers:end -->"

# Leaf helpers every layer may import: the package's own constants, data paths, logging set-up, the module list.
SHARED = frozenset({"__init__", "paths", "logs", "plugins"})
ENTRY = "__main__"  # `python -m liandu_desk`: runs the command line


@dataclass(frozen=True)
class Layer:
    """One top-level package: what it holds and which layers it may import."""

    name: str
    holds: str
    may_import: frozenset[str]


LAYERS: tuple[Layer, ...] = (
    Layer("domain", "SQLAlchemy models, enums, validators, field catalogue, permissions", frozenset()),
    Layer("storage", "engine, sessions, audit listener, migrations, backups, locks", frozenset({"domain"})),
    Layer("reports", "PDF rendering (reportlab) and the facts dataclasses it renders", frozenset({"domain"})),
    Layer("io", "file formats: read, check and write spreadsheets", frozenset({"domain", "reports"})),
    Layer(
        "services", "use cases: business rules, imports and exports", frozenset({"domain", "storage", "reports", "io"})
    ),
    Layer("demo", "demo data generators", frozenset({"domain", "storage", "services", "io"})),
    Layer("cli", "the liandu-desk command", frozenset({"domain", "storage", "reports", "io", "services", "demo"})),
    Layer(
        "ui",
        "the only package that imports PySide6",
        frozenset({"domain", "storage", "reports", "io", "services", "demo"}),
    ),
)
BY_NAME = {layer.name: layer for layer in LAYERS}

# ui/: feature rooms over a shared kit; the shell (app, main window, open_record) may import all of them.
UI_ROOMS = ("houses", "elevators", "communities", "documents", "home", "admin")
UI_KIT = "kit"
UI_SHELL = ("app", "main_window", "open_record", "__init__")
# The one way up the layers: the `gui` command starts the window.
EXCEPTIONS = frozenset({("liandu_desk.cli.core", "liandu_desk.ui.app")})


@dataclass(frozen=True)
class Edge:
    """One import: from a module (file and line) to a module of the package."""

    source: str
    target: str
    file: str
    line: int


def modules(root: Path = ROOT) -> dict[str, Path]:
    """Every module of the package by dotted name (packages by their __init__)."""
    found = {}
    for path in sorted((root / PACKAGE).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _targets(node: ast.AST, known: dict[str, Path]) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names if alias.name.startswith(PACKAGE)]
    if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 and node.module.startswith(PACKAGE):
        subs = [f"{node.module}.{alias.name}" for alias in node.names]
        found = [name for name in subs if name in known]
        return found if len(found) == len(subs) else [node.module, *found]
    return []


def edges(root: Path = ROOT) -> list[Edge]:
    """Every import of a package module by another, including those inside functions."""
    known = modules(root)
    result = []
    for name, path in known.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            for target in _targets(node, known):
                if target != name:
                    result.append(Edge(name, target, str(path.relative_to(root)), getattr(node, "lineno", 0)))
    return result


def _part(name: str, index: int) -> str:
    parts = name.split(".")
    return parts[index] if len(parts) > index else "__init__"


def _ui_problem(edge: Edge) -> str:
    source_room, target_room = _part(edge.source, 2), _part(edge.target, 2)
    if source_room in UI_SHELL or source_room == target_room:
        return ""
    if target_room in UI_SHELL:
        return "a ui room or the kit imports the shell"
    if source_room == UI_KIT and target_room in UI_ROOMS:
        return "the ui kit imports a feature room"
    if source_room in UI_ROOMS and target_room in UI_ROOMS:
        return "a ui room imports another room (use ctx.open_record)"
    return ""


def problem(edge: Edge) -> str:
    """Why this import breaks the rules ('' when it does not)."""
    if (edge.source, edge.target) in EXCEPTIONS:
        return ""
    source, target = _part(edge.source, 1), _part(edge.target, 1)
    if target in SHARED or source == target:
        return _ui_problem(edge) if source == target == "ui" else ""
    if source == ENTRY:
        return ""
    if source == "plugins":
        return "the module list imports the package (its hooks load on demand)"
    if source in SHARED:
        return ""
    layer = BY_NAME.get(source)
    if layer is None:
        return f"{source} is in no layer"
    if target not in layer.may_import:
        return f"{source} may not import {target}"
    return ""


def cycles(all_edges: Iterable[Edge]) -> list[list[str]]:
    """Groups of modules that import each other, directly or round a circle (Tarjan's algorithm, iteratively)."""
    graph: dict[str, set[str]] = {}
    for edge in all_edges:
        graph.setdefault(edge.source, set()).add(edge.target)
        graph.setdefault(edge.target, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        found.append(sorted(group))
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(graph[child]))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return found


def violations(root: Path = ROOT) -> list[str]:
    """Every broken rule, one line each."""
    all_edges = edges(root)
    lines = [f"{e.file}:{e.line}: {e.source} → {e.target}: {why}" for e in all_edges if (why := problem(e))]
    lines += ["import circle: " + " ↔ ".join(group) for group in cycles(all_edges)]
    return lines


def diagram() -> str:
    """The layer table for ARCHITECTURE.md, generated from LAYERS and the ui rules."""
    rows = ["| Layer | Holds | May import |", "|---|---|---|"]
    for layer in LAYERS:
        allowed = ", ".join(f"`{name}/`" for name in sorted(layer.may_import)) or "nothing of the package"
        rows.append(f"| `{layer.name}/` | {layer.holds} | {allowed} |")
    rows.append("")
    rows.append(
        f"Every layer may also import the shared leaf modules ({', '.join(sorted(f'`{m}`' for m in SHARED))}); "
        "`plugins` imports nothing of the package when it loads (its hooks import on first call)."
    )
    rows.append(
        f"In `ui/`, the rooms ({', '.join(f'`{room}/`' for room in UI_ROOMS)}) import `{UI_KIT}/` and the layers "
        "below, never each other; `kit/` imports no room; only the shell (`app`, `main_window`, `open_record`) "
        "imports the rooms. The one import up the layers: `cli.core` starts `ui.app` for `liandu-desk gui`."
    )
    rows.append("No two modules import each other, directly or round a circle.")
    return "\n".join(rows)


def write_architecture(path: Path = ROOT / "ARCHITECTURE.md") -> bool:
    """Replace the generated block in ARCHITECTURE.md; True when it changed."""
    text = path.read_text(encoding="utf-8")
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    updated = text[:start] + "\n" + diagram() + "\n" + text[end:]
    if updated != text:
        path.write_text(updated, encoding="utf-8")
    return updated != text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help="rewrite the layer table in ARCHITECTURE.md")
    args = parser.parse_args(argv)
    if args.write:
        write_architecture()
    problems = violations()
    for line in problems:
        print(line)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
