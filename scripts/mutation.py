"""Mutation testing of the rule modules with mutmut: one module at a time, against that module's own tests."""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

log = logging.getLogger("mutation")
ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".mutation"

# Module (short name) -> (source file under liandu_desk/, its own tests as tests/test_<name>.py; globs allowed, missing
# files skipped: the rules_* files hold the behavioural tests written against surviving mutants). Each module names only
# the rules files that exercise it: every mutant runs the tests that reach its function, so a wider choice only adds
# minutes on a shared machine.
MODULES: dict[str, tuple[str, list[str]]] = {
    "validators": ("domain/validators.py", ["validators", "rules_validators*"]),
    "cases": ("services/houses/cases.py", ["houses_rules", "rules_houses", "rules_houses_cases"]),
    "appraisal": ("services/houses/appraisal.py", ["houses_rules", "rules_houses_appraisal"]),
    "batches": (
        "services/houses/batches.py",
        ["houses_rules", "houses_listing", "rules_houses_applications", "rules_houses_batches"],
    ),
    "plans": ("services/houses/plans.py", ["houses_rules", "rules_houses_plans"]),
    "applications": ("services/houses/applications.py", ["houses_rules", "rules_houses_applications"]),
    "screening": ("services/houses/screening.py", ["houses_rules", "houses_listing", "rules_houses_plans"]),
    "numbering": ("services/documents/numbering.py", ["documents_numbering", "rules_documents", "server_issuing"]),
    "calendar": ("services/documents/calendar.py", ["documents_calendar", "rules_documents", "properties"]),
    "lifecycle": (
        "services/documents/lifecycle.py",
        [
            "documents_notices",
            "documents_numbering",
            "documents_others",
            "documents_templates",
            "rules_documents_lifecycle",
        ],
    ),
    "permissions": ("domain/permissions.py", ["clerks_roles", "communities_permissions", "rules_permissions*"]),
    "targets": ("services/home/targets.py", ["home_targets", "home_figures", "rules_home*"]),
    "due": ("services/home/due.py", ["home_due", "rules_home*"]),
    "tally": ("services/elevators/tally.py", ["elevators_tally", "rules_elevators", "properties"]),
    "costs": ("services/elevators/costs.py", ["elevators_costs", "rules_elevators", "properties"]),
    "projects": (
        "services/elevators/projects.py",
        ["elevators_services", "elevators_unit_denominator", "rules_elevators_services", "rules_elevators_projects"],
    ),
    "disputes": (
        "services/elevators/disputes.py",
        ["elevators_services", "documents_others", "rules_elevators_services"],
    ),
    "subsidy": ("services/elevators/subsidy.py", ["elevators_services", "rules_elevators_services"]),
    "ratings": (
        "services/communities/ratings.py",
        ["communities_lists", "communities_scoring", "rules_communities", "properties"],
    ),
    "rule_eval": ("services/communities/rule_eval.py", ["communities_scoring", "rules_communities", "properties"]),
    "inspections": (
        "services/communities/inspections.py",
        ["communities_scoring", "communities_issues", "rules_communities_records", "rules_communities_sheets"],
    ),
    "issues": (
        "services/communities/issues.py",
        ["communities_issues", "rules_communities_records", "rules_communities_sheets"],
    ),
    "templates": (
        "services/communities/templates.py",
        ["communities_scoring", "communities_issues", "rules_communities_records", "rules_communities_sheets"],
    ),
}
# mutmut exit codes that mean the mutant was noticed: a failing test, a pytest error, a timeout, a crash.
KILLED = {1, 3, 36, 24, -24, 152, 255, -9, -11, 37}


def test_files(patterns: list[str]) -> list[str]:
    """The test files of one module that exist in this checkout."""
    found: list[str] = []
    for pattern in patterns:
        found += sorted(str(p.relative_to(ROOT)) for p in (ROOT / "tests").glob(f"test_{pattern}.py"))
    return list(dict.fromkeys(found))


def module_pyproject(source: str, tests: list[str]) -> str:
    """The project's pyproject.toml with its [tool.mutmut] narrowed to one module and its tests."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    text = re.sub(r"\n\[tool\.mutmut\]\n(?:(?!\n\[).)*", "\n", text, flags=re.S)
    listed = ", ".join(json.dumps(t) for t in tests)
    return (
        f"{text.rstrip()}\n\n[tool.mutmut]\n"
        f'source_paths = ["liandu_desk"]\nonly_mutate = ["liandu_desk/{source}"]\nalso_copy = ["db/", "resources/"]\n'
        f'pytest_add_cli_args = ["-p", "no:cacheprovider", "-q", "-x"]\n'
        f"pytest_add_cli_args_test_selection = [{listed}]\n"
    )


def prepare(name: str) -> Path:
    """A scratch copy of the project for one module's run (mutmut writes mutants/ next to pyproject.toml)."""
    source, patterns = MODULES[name]
    tests = test_files(patterns)
    work = WORK / name
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for folder in ("liandu_desk", "tests", "db", "resources"):
        shutil.copytree(ROOT / folder, work / folder, ignore=ignore)
    (work / "pyproject.toml").write_text(module_pyproject(source, tests), encoding="utf-8")
    return work


def score(work: Path, source: str) -> tuple[int, int, list[str]]:
    """Killed and total mutants of one module, and the names of the survivors, from mutmut's result file."""
    meta = work / "mutants" / "liandu_desk" / (source + ".meta")
    codes: dict[str, int | None] = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
    killed = sum(1 for code in codes.values() if code in KILLED)
    survivors = sorted(key for key, code in codes.items() if code not in KILLED)
    return killed, len(codes), survivors


def run_module(name: str, keep: bool) -> tuple[int, int, list[str]]:
    """Mutate one module in its scratch copy with one gentle worker and return its score."""
    work = prepare(name)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONDONTWRITEBYTECODE="1")
    env.pop("LIANDU_DESK_TEST_PG", None)
    mutmut = Path(sys.executable).with_name("mutmut")
    command = ["nice", "-n", "15", str(mutmut), "run", "--max-children", "1"]
    done = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        log.error("mutmut failed for %s:\n%s\n%s", name, done.stdout[-3000:], done.stderr[-3000:])
        raise SystemExit(done.returncode)
    result = score(work, MODULES[name][0])
    if not keep:
        shutil.rmtree(work, ignore_errors=True)
    return result


def main(argv: list[str] | None = None) -> int:
    """Run the named modules (default: all) and print killed / total per module."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("modules", nargs="*", help=f"short names: {', '.join(MODULES)}")
    parser.add_argument("--keep", action="store_true", help="keep .mutation/<module>/ to inspect with `mutmut show`")
    parser.add_argument("--survivors", action="store_true", help="list the surviving mutants")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    unknown = [m for m in args.modules if m not in MODULES]
    if unknown:
        parser.error(f"unknown module(s) {unknown}; known: {', '.join(MODULES)}")
    for name in args.modules or list(MODULES):
        killed, total, survivors = run_module(name, args.keep)
        percent = 100.0 * killed / total if total else 100.0
        print(f"{name:<13} {MODULES[name][0]:<36} {killed:>4} / {total:<4} {percent:5.1f}%", flush=True)
        if args.survivors:
            for survivor in survivors:
                print(f"    survived: {survivor}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
