"""The package's layers as drawn in ARCHITECTURE.md hold in its import graph: no import up a layer, no circle."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _rules():
    spec = importlib.util.spec_from_file_location("layer_rules", ROOT / "scripts" / "layers.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["layer_rules"] = module
    spec.loader.exec_module(module)
    return module


def test_no_import_breaks_a_layer_rule_or_closes_a_circle() -> None:
    assert _rules().violations() == []


def test_architecture_shows_the_rules_the_check_uses() -> None:
    rules = _rules()
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    block = text[text.index(rules.BEGIN) + len(rules.BEGIN) : text.index(rules.END)]
    assert block.strip() == rules.diagram().strip(), "run: python scripts/layers.py --write"


def test_the_check_sees_a_broken_rule(tmp_path: Path) -> None:
    rules = _rules()
    package = tmp_path / "liandu_desk"
    for folder in ("domain", "services", "ui/houses", "ui/elevators", "ui/kit"):
        (package / folder).mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "domain" / "model.py").write_text("from liandu_desk.services import rules\n")
    (package / "services" / "rules.py").write_text("from liandu_desk.domain import model\n")
    (package / "ui" / "houses" / "tab.py").write_text("from liandu_desk.ui.elevators import tab\n")
    (package / "ui" / "elevators" / "tab.py").write_text("")
    (package / "ui" / "kit" / "jobs.py").write_text("from liandu_desk.ui.houses import tab\n")
    found = "\n".join(rules.violations(tmp_path))
    assert "domain may not import services" in found
    assert "a ui room imports another room" in found
    assert "the ui kit imports a feature room" in found
    assert "import circle: liandu_desk.domain.model ↔ liandu_desk.services.rules" in found
