"""Architecture boundaries from DESIGN.md, checked on the source itself."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def _modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def test_index_never_imports_telegram_or_bot() -> None:
    offenders = [p.name for p in _modules("index") if _imports(p) & {"telegram", "bot"}]
    assert offenders == []


def test_each_engine_has_one_import_site() -> None:
    sites: dict[str, list[str]] = {"pyvi": [], "rank_bm25": [], "aiosqlite": [], "sqlite3": []}
    for path in _modules("index") + _modules("bot"):
        for engine in sites.keys() & _imports(path):
            sites[engine].append(str(path.relative_to(ROOT)))
    assert sites["pyvi"] == ["index/tokenize.py"]
    assert sites["rank_bm25"] == ["index/bm25.py"]
    assert sites["aiosqlite"] == ["index/store.py"]
    assert set(sites["sqlite3"]) <= {"index/store.py"}


def test_bot_never_writes_sql() -> None:
    for path in _modules("bot"):
        text = path.read_text(encoding="utf-8")
        for keyword in ("INSERT INTO", "UPDATE ", "DELETE FROM", "CREATE TABLE"):
            assert keyword not in text, f"{path.name} contains SQL ({keyword})"


def test_environment_is_read_only_in_config() -> None:
    readers = []
    for path in _modules("index") + _modules("bot"):
        text = path.read_text(encoding="utf-8")
        if "os.environ" in text or "getenv(" in text:
            readers.append(path.name)
    assert readers in ([], ["config.py"])
