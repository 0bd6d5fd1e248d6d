"""The installed package: every module imports, and what it imports is declared.

An older pip resolving `trafilatura` leaves `lxml_html_clean` out, and web
ingestion then dies with an ImportError deep inside trafilatura. Importing
every module catches that; comparing our own third-party imports with the
distribution's declared requirements catches a dependency that is only
present by accident (pulled in by another package).
"""

from __future__ import annotations

import ast
import importlib
import importlib.metadata
import pkgutil
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("index", "bot")
# imported inside try/except: used only when present (brotli >= 1.2 for "br" bodies)
OPTIONAL = {"brotli"}


def _module_names() -> list[str]:
    names: list[str] = []
    for package in PACKAGES:
        module = importlib.import_module(package)
        names.append(package)
        names.extend(
            info.name for info in pkgutil.walk_packages(module.__path__, prefix=f"{package}.")
        )
    return sorted(names)


@pytest.mark.parametrize("name", _module_names())
def test_every_module_imports(name: str) -> None:
    importlib.import_module(name)


def _normalise(distribution: str) -> str:
    return re.sub(r"[-_.]+", "-", distribution).lower()


def _third_party_imports() -> set[str]:
    names: set[str] = set()
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    names.update(alias.name.split(".")[0] for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - set(PACKAGES) - {"__future__"} - OPTIONAL


def test_every_third_party_import_is_a_declared_dependency() -> None:
    requirements = importlib.metadata.requires("vankien") or []
    declared = {
        _normalise(re.split(r"[\s\[<>=!;~]", req, maxsplit=1)[0])
        for req in requirements
        if "extra ==" not in req
    }
    providers = importlib.metadata.packages_distributions()
    missing = {
        name: providers.get(name, ["?"])
        for name in _third_party_imports()
        if not {_normalise(d) for d in providers.get(name, [])} & declared
    }
    assert missing == {}, f"imported but not declared in pyproject.toml: {missing}"


def test_trafilatura_helpers_are_declared() -> None:
    """trafilatura needs lxml_html_clean at run time; declare it ourselves."""
    requirements = importlib.metadata.requires("vankien") or []
    assert any(_normalise(r).startswith("lxml-html-clean") for r in requirements)
