"""The README and deploy/vankien.env.example stay true to the code (datasette's test_docs idea).

Settings, bot commands, `vankien` subcommands and metric names are read from
the code itself, so adding one without documenting it fails here.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from telegram.ext import CommandHandler

from bot import app as bot_app
from bot.cli import build_parser
from bot.config import DOCUMENTED_SETTINGS, Settings
from bot.conversation import MAX_QUESTION
from bot.limits import RateLimiter
from bot.metrics import Metrics
from tests.support.harness import make_settings

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
ENV_EXAMPLE = ROOT / "deploy" / "vankien.env.example"
TOKEN = "123456789:AAEmulatorTokenForTestsOnly_abcdefghij"


@pytest.fixture(scope="module")
def readme() -> str:
    return README.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def env_example() -> str:
    return ENV_EXAMPLE.read_text(encoding="utf-8")


def _aliases() -> set[str]:
    return {f.alias for f in Settings.model_fields.values() if f.alias}


def _bot_commands(tmp_path: Path) -> set[str]:
    """Every command a CommandHandler of the real Application answers."""
    settings = make_settings(None, tmp_path / "x.db", TELEGRAM_BOT_TOKEN=TOKEN)
    application = bot_app.build_application(settings)
    commands: set[str] = set()
    for handlers in application.handlers.values():
        for handler in handlers:
            if isinstance(handler, CommandHandler):
                commands |= set(handler.commands)
    return commands


def _subcommands() -> dict[str, Any]:
    parser = build_parser()
    [sub] = [a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction"]
    return dict(sub.choices)  # type: ignore[attr-defined]


# -- settings -------------------------------------------------------------------------


def test_documented_settings_are_exactly_the_settings() -> None:
    assert set(DOCUMENTED_SETTINGS) == _aliases()


@pytest.mark.parametrize("name", sorted(_aliases() | set(DOCUMENTED_SETTINGS)))
def test_every_setting_is_in_readme_and_env_example(
    name: str, readme: str, env_example: str
) -> None:
    assert f"`{name}`" in readme, f"{name} missing from README.md"
    assert re.search(rf"^#? ?{name}=", env_example, re.M), f"{name} has no line in the env example"


def test_readme_configuration_table_lists_every_setting(readme: str) -> None:
    section = readme.split("## Cấu hình", 1)[1].split("\n## ", 1)[0]
    rows = {m.group(1) for m in re.finditer(r"^\| `([A-Z_]+)` \|", section, re.M)}
    assert rows == set(DOCUMENTED_SETTINGS)


def test_env_example_lines_are_settings_and_all_parse(env_example: str, tmp_path: Path) -> None:
    """Uncomment every NAME=value line: each name is known and each value is valid."""
    lines = [
        line.lstrip("# ")
        for line in env_example.splitlines()
        if re.match(r"^#? ?[A-Z][A-Z_]+=", line)
    ]
    names = [line.split("=", 1)[0] for line in lines]
    assert set(names) == set(DOCUMENTED_SETTINGS)
    assert len(names) == len(set(names)), "a setting appears twice"
    env_file = tmp_path / "vankien.env"
    env_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    settings = Settings(_env_file=env_file)  # type: ignore[call-arg]
    assert settings.port == 8443 and settings.metrics_port == 9090
    # only the two settings an admin must fill in are active by default
    active = [line for line in env_example.splitlines() if re.match(r"^[A-Z]", line)]
    assert active == ["TELEGRAM_BOT_TOKEN=", "VANKIEN_ADMIN_IDS="]


def test_env_example_comments_are_bilingual(env_example: str) -> None:
    """Each setting's comment has a Vietnamese line (accented) and an English one (ASCII)."""
    blocks = re.split(r"\n\s*\n", env_example)
    for name in DOCUMENTED_SETTINGS:
        [block] = [b for b in blocks if re.search(rf"^#? ?{name}=", b, re.M)]
        comments = [
            line[2:]
            for line in block.splitlines()
            if line.startswith("# ") and not re.match(r"# [A-Z_]+=", line)
        ]
        assert any(not c.isascii() for c in comments), f"{name}: no Vietnamese comment"
        assert any(c.isascii() and len(c.split()) >= 3 for c in comments), f"{name}: no English"


# -- commands -------------------------------------------------------------------------


def test_bot_commands_come_from_the_code(tmp_path: Path) -> None:
    commands = _bot_commands(tmp_path)
    assert {"start", "help", "hoi", "ask", "vanban", "moi", "nguon"} <= commands
    assert {"addsource", "sources", "removesource", "reindex", "stats"} <= commands


def test_every_bot_command_is_in_readme_and_env_example(
    tmp_path: Path, readme: str, env_example: str
) -> None:
    for command in sorted(_bot_commands(tmp_path)):
        assert re.search(rf"/{command}\b", readme), f"/{command} missing from README.md"
        assert re.search(rf"/{command}\b", env_example), f"/{command} missing from env example"


def test_botfather_command_list_matches_the_menu_the_bot_sets(readme: str) -> None:
    block = readme.split("`/setcommands`", 1)[1].split("```", 2)[1]
    listed = [line.strip() for line in block.strip().splitlines()]
    assert listed == [f"{c.command} - {c.description}" for c in bot_app.USER_COMMANDS]


def test_every_cli_command_and_option_is_documented(readme: str) -> None:
    for name, sub in _subcommands().items():
        assert f"`vankien {name}" in readme, f"vankien {name} missing from README.md"
        for action in sub._actions:
            for option in action.option_strings:
                if option.startswith("--") and option != "--help":
                    assert option in readme, f"vankien {name} {option} missing from README.md"
    assert "--db" in readme
    contract = {"ask", "ingest", "reindex", "sources", "stats", "chat", "run", "backup", "check"}
    assert contract <= set(_subcommands())


def test_make_targets_exist(readme: str) -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("run", "test"):
        assert re.search(rf"^{target}:", makefile, re.M)
        assert f"make {target}" in readme


def test_numbers_in_readme_match_the_code(readme: str) -> None:
    limiter = RateLimiter()
    assert limiter.period == 60
    assert f"tối đa {limiter.max_events} câu mỗi phút" in readme
    assert f"tối đa {MAX_QUESTION} ký tự" in readme


def test_every_metric_is_documented(readme: str) -> None:
    names = {
        metric.name + ("_total" if metric.type == "counter" else "")
        for metric in Metrics().registry.collect()
        if metric.name.startswith("vankien_")
    }
    assert len(names) >= 12
    for name in names:
        assert name in readme, f"metric {name} missing from README.md"


# -- text quality ---------------------------------------------------------------------


@pytest.mark.parametrize("path", [README, ENV_EXAMPLE], ids=lambda p: p.name)
def test_docs_are_nfc_without_mojibake(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert unicodedata.normalize("NFC", text) == text
    for broken in ("Ã", "áº", "á»", "\ufffd"):
        assert broken not in text


def test_readme_is_vietnamese_first_with_an_english_summary(readme: str) -> None:
    head, _, tail = readme.partition("## English summary")
    assert tail, "no English summary"
    assert "không phải văn bản" in head and "not official texts" in tail
    assert len(head) > 3 * len(tail)
