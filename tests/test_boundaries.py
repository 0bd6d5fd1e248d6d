"""Architecture boundaries from CONTRIBUTING.md ("Layers"), checked on the source itself."""

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


def _index_modules_imported(path: Path) -> set[str]:
    """`index.x` for every `import index.x…`, `from index.x… import …` and
    `from index import x` in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module == "index" and node.level == 0:
            modules = [f"index.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules = [node.module]
        else:
            continue
        names.update(".".join(m.split(".")[:2]) for m in modules if m.split(".")[0] == "index")
    return names


BOT_MAY_IMPORT = {"index.service", "index.models", "index.errors", "index.maintenance"}


def test_bot_reaches_index_only_through_facade_models_errors_maintenance() -> None:
    offenders = {
        (str(path.relative_to(ROOT)), module)
        for path in _modules("bot")
        for module in _index_modules_imported(path) - BOT_MAY_IMPORT
    }
    assert not offenders, sorted(offenders)


def test_conversation_layer_is_front_end_neutral() -> None:
    """A second front end reuses these as they are: no chat library inside."""
    for name in ("conversation.py", "texts.py", "limits.py", "render.py"):
        assert "telegram" not in _imports(ROOT / "bot" / name), name


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
