"""The package describes itself truly: its version comes from its metadata and every import is declared."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
from pathlib import Path

import moodtune

PACKAGE_DIR = Path(moodtune.__file__).resolve().parent


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _imported_top_level_modules() -> dict[str, set[str]]:
    """Every absolute import in the package's source: top-level module → files importing it."""
    found: dict[str, set[str]] = {}
    for path in PACKAGE_DIR.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.partition(".")[0], set()).add(str(path.relative_to(PACKAGE_DIR)))
    return found


def test_the_version_is_the_installed_metadata():
    assert moodtune.__version__ == importlib.metadata.version("moodtune")


def test_every_third_party_import_is_a_declared_requirement():
    declared = {
        _normalise(match.group(0))
        for requirement in importlib.metadata.requires("moodtune") or []
        if (match := re.match(r"[A-Za-z0-9._-]+", requirement))
    }
    providers = importlib.metadata.packages_distributions()
    undeclared = {}
    for module, files in _imported_top_level_modules().items():
        if module in sys.stdlib_module_names or module in {"moodtune", "__future__"}:
            continue
        distributions = {_normalise(d) for d in providers.get(module, [module])}
        if not distributions & declared:
            undeclared[module] = sorted(files)
    assert not undeclared, f"imported but not declared in pyproject.toml: {undeclared}"


def test_the_training_range_admits_the_cpu_build_without_pinning_it():
    (requirement,) = [r for r in importlib.metadata.requires("moodtune") or [] if re.match(r"torch\b", r)]
    specifier, _, marker = requirement.partition(";")
    assert "==" not in specifier and "2.13" in specifier and 'extra == "train"' in marker, requirement
