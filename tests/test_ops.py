"""Operations: `vankien backup` / `vankien check`, and the deploy/ files an admin installs.

Backups are taken while questions are being answered (in this process and
from a second process, as cron or the systemd timer would); `check` runs on a
healthy database, a logically damaged copy and a copy with corrupted pages.
The compose file, Dockerfile and systemd units are parsed and checked for the
keys the README promises.
"""

from __future__ import annotations

import asyncio
import configparser
import json
import os
import re
import shlex
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path

import pytest
import yaml

from bot import cli
from index.service import SearchService
from index.store import Store

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
FIXTURES = ROOT / "tests" / "fixtures" / "bot"


def run_cli(*args: str, db: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`vankien …` as a separate process, the way cron or systemd runs it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VANKIEN_", "TELEGRAM_"))}
    if db is not None:
        env["VANKIEN_DB"] = str(db)
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        cwd=ROOT,
        env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
async def service(tmp_path: Path) -> AsyncIterator[SearchService]:
    svc = await SearchService.open(tmp_path / "live" / "vankien.db")
    report = await svc.ingest([str(FIXTURES)])
    assert report.count("added") >= 4
    try:
        yield svc
    finally:
        await svc.close()


async def _asking(service: SearchService, stop: asyncio.Event) -> int:
    """Answer questions until told to stop; returns how many were found."""
    found = 0
    questions = ["Kết luận 21 nói về gì?", "Chỉ thị 05 ban hành ngày nào?", "kế hoạch 03"]
    while not stop.is_set():
        for q in questions:
            found += (await service.ask(q)).found
        await asyncio.sleep(0)
    return found


async def _copy_counts(path: Path) -> tuple[dict[str, object], list[str]]:
    store = await Store.open(path, readonly=True)
    try:
        return await store.counts(), await store.integrity_problems()
    finally:
        await store.close()


# -- backup ---------------------------------------------------------------------------


async def test_store_backup_while_questions_are_answered(
    service: SearchService, tmp_path: Path
) -> None:
    stop = asyncio.Event()
    askers = [asyncio.create_task(_asking(service, stop)) for _ in range(4)]
    await asyncio.sleep(0.05)
    target = tmp_path / "bk" / "store.db"
    target.parent.mkdir()
    await service.store.backup(target)
    stop.set()
    assert all(n > 0 for n in await asyncio.gather(*askers))
    counts, problems = await _copy_counts(target)
    assert problems == []
    assert counts == await service.store.counts()
    assert not Path(f"{target}-wal").exists()  # one self-contained file


async def test_cli_backup_from_another_process_while_the_bot_answers(
    service: SearchService, tmp_path: Path
) -> None:
    """The live database is open (WAL, questions running) in this process, as in the bot."""
    stop = asyncio.Event()
    askers = [asyncio.create_task(_asking(service, stop)) for _ in range(3)]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VANKIEN_", "TELEGRAM_"))}
    env.update(PYTHONPATH=str(ROOT), VANKIEN_DB=str(service.store.path))
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "backup", str(tmp_path / "backups" / "vankien-%Y%m%d.db"),
        cwd=ROOT, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(proc.communicate(), 120)
    stop.set()
    answered = await asyncio.gather(*askers)
    assert proc.returncode == 0, err.decode()
    assert all(n > 0 for n in answered)
    target = tmp_path / "backups" / f"vankien-{datetime.now():%Y%m%d}.db"  # strftime expanded
    assert target.is_file()
    stdout = out.decode()
    assert stdout.startswith("Đã sao lưu") and str(target.name) in stdout
    counts, problems = await _copy_counts(target)
    assert problems == [] and counts == await service.store.counts()
    assert [p.name for p in target.parent.iterdir()] == [target.name]  # no partial left
    # the copy answers like the original
    copy = await SearchService.open(target)
    try:
        assert (await copy.ask("Kết luận 21 nói về gì?")).found
    finally:
        await copy.close()


async def test_cli_backup_in_a_thread_during_questions(
    service: SearchService, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stop = asyncio.Event()
    askers = [asyncio.create_task(_asking(service, stop)) for _ in range(3)]
    target = tmp_path / "thread.db"
    code = await asyncio.to_thread(
        cli.main, ["--db", str(service.store.path), "backup", str(target)]
    )
    stop.set()
    await asyncio.gather(*askers)
    assert code == 0
    assert "Đã sao lưu" in capsys.readouterr().out
    counts, problems = await _copy_counts(target)
    assert problems == [] and counts == await service.store.counts()


async def test_backup_refuses_to_overwrite_without_force(
    service: SearchService, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(service.store.path)
    target = tmp_path / "exists.db"
    target.write_bytes(b"keep me")
    code = await asyncio.to_thread(cli.main, ["--db", db, "backup", str(target)])
    err = capsys.readouterr().err
    assert code == 1 and target.read_bytes() == b"keep me"
    assert "--force" in err and "Traceback" not in err
    code = await asyncio.to_thread(cli.main, ["--db", db, "backup", "--force", str(target)])
    assert code == 0
    counts, problems = await _copy_counts(target)
    assert problems == [] and counts["articles"] == (await service.stats()).articles


def test_backup_of_a_missing_database_fails_cleanly(tmp_path: Path) -> None:
    result = run_cli("backup", str(tmp_path / "b.db"), db=tmp_path / "none.db")
    assert result.returncode == 1
    assert "Không có cơ sở dữ liệu" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "none.db").exists() and not (tmp_path / "b.db").exists()


async def test_backup_onto_the_live_database_is_refused(service: SearchService) -> None:
    db = str(service.store.path)
    assert await asyncio.to_thread(cli.main, ["--db", db, "backup", "--force", db]) == 1


# -- check ----------------------------------------------------------------------------


async def _closed_copy(service: SearchService, tmp_path: Path, name: str) -> Path:
    target = tmp_path / name
    await service.store.backup(target)
    return target


async def test_check_healthy_database(service: SearchService, tmp_path: Path) -> None:
    copy = await _closed_copy(service, tmp_path, "ok.db")
    before = copy.read_bytes()
    result = run_cli("check", db=copy)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Cơ sở dữ liệu ổn")
    assert copy.read_bytes() == before  # read-only
    # the live database, open in this process, checks fine too (and by PATH)
    live = run_cli("check", str(service.store.path))
    assert live.returncode == 0 and "Cơ sở dữ liệu ổn" in live.stdout


async def test_check_reports_a_missing_active_generation(
    service: SearchService, tmp_path: Path
) -> None:
    copy = await _closed_copy(service, tmp_path, "nogen.db")
    with sqlite3.connect(copy) as conn:
        conn.execute("DELETE FROM generations WHERE state = 'active'")
    result = run_cli("check", str(copy))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "không có thế hệ chỉ mục nào đang hoạt động" in result.stderr
    assert "thuộc thế hệ chỉ mục không còn tồn tại" in result.stderr
    assert "Cách xử lý" in result.stderr and result.stdout == ""


async def test_check_reports_corrupted_pages(service: SearchService, tmp_path: Path) -> None:
    copy = await _closed_copy(service, tmp_path, "corrupt.db")
    with sqlite3.connect(copy) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        root = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'passages'"
        ).fetchone()[0]
    with copy.open("r+b") as f:  # scribble over the passages table's root page
        f.seek((root - 1) * page_size)
        f.write(b"\xde\xad\xbe\xef" * (page_size // 4))
    result = run_cli("check", str(copy))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "có vấn đề" in result.stderr or "bị hỏng" in result.stderr
    assert "malformed" in result.stderr or "SQLite" in result.stderr


def test_check_on_files_that_are_not_databases(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite " * 200)
    result = run_cli("check", str(junk))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "bị hỏng hoặc không phải SQLite" in result.stderr
    missing = run_cli("check", db=tmp_path / "missing.db")
    assert missing.returncode == 1 and "Không có tệp cơ sở dữ liệu" in missing.stderr
    assert not (tmp_path / "missing.db").exists()  # check never creates a database


# -- deploy/compose.yaml --------------------------------------------------------------


def _seconds(value: str) -> float:
    units = {"h": 3600, "m": 60, "s": 1, "ms": 0.001}
    return sum(float(n) * units[u] for n, u in re.findall(r"(\d+(?:\.\d+)?)(ms|h|m|s)", value))


def test_compose_file() -> None:
    text = (DEPLOY / "compose.yaml").read_text(encoding="utf-8")
    compose = yaml.safe_load(text)
    [(name, bot)] = compose["services"].items()
    assert bot.get("deploy", {}).get("replicas", 1) == 1
    assert "scale" not in bot or bot["scale"] == 1
    assert "409" in text and "Conflict" in text  # the comment saying why
    assert bot["init"] is True
    assert _seconds(str(bot["stop_grace_period"])) >= 30
    assert bot["restart"] in ("unless-stopped", "always", "on-failure")
    env_files = bot["env_file"] if isinstance(bot["env_file"], list) else [bot["env_file"]]
    assert "vankien.env" in env_files
    assert bot["environment"]["VANKIEN_DB"] == "/data/vankien.db"
    [volume] = [v for v in bot["volumes"] if v.endswith(":/data")]
    volume_name = volume.split(":")[0]
    assert compose["volumes"][volume_name].get("driver", "local") == "local"
    assert "driver_opts" not in compose["volumes"][volume_name]  # no NFS mounts
    build = bot["build"]
    assert (DEPLOY / build["context"] / build["dockerfile"]).resolve() == DEPLOY / "Dockerfile"
    assert not any(k in text for k in ("TELEGRAM_BOT_TOKEN=", "VANKIEN_WEBHOOK_SECRET="))


# -- deploy/Dockerfile ----------------------------------------------------------------


def _dockerfile() -> list[tuple[str, str]]:
    text = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    joined = re.sub(r"\\\n", " ", text)
    out = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def test_dockerfile() -> None:
    instructions = _dockerfile()
    words = [w for w, _ in instructions]
    froms = [rest for w, rest in instructions if w == "FROM"]
    assert len(froms) >= 2, "multi-stage"
    args = dict(rest.split("=", 1) for w, rest in instructions if w == "ARG" and "=" in rest)
    assert re.fullmatch(r"python:3\.11-slim(-\w+)?", args["PYTHON_IMAGE"])
    env = " ".join(rest for w, rest in instructions if w == "ENV")
    assert "VANKIEN_DB=/data/vankien.db" in env and "VANKIEN_METRICS_PORT=" in env
    assert ("VOLUME", "/data") in instructions
    users = [rest for w, rest in instructions if w == "USER"]
    assert users and users[-1] not in ("root", "0")
    assert words.index("USER") < words.index("CMD")
    [cmd] = [rest for w, rest in instructions if w == "CMD"]
    assert cmd == '["vankien", "run"]'  # exec form: SIGTERM reaches the bot
    [health] = [rest for w, rest in instructions if w == "HEALTHCHECK"]
    assert "/healthz" in health and "127.0.0.1" in health and "curl" not in health
    for w, rest in instructions:  # nothing secret baked into a layer
        assert not re.search(r"TOKEN|SECRET", rest), (w, rest)
    for w, rest in instructions:
        if w == "COPY" and "--from" not in rest:
            for source in rest.split()[:-1]:
                assert (ROOT / source).exists(), source


def _healthcheck_argv() -> list[str]:
    [health] = [rest for w, rest in _dockerfile() if w == "HEALTHCHECK"]
    exec_form = health.split("CMD", 1)[1].strip()
    return list(json.loads(exec_form))


def test_dockerignore_keeps_secrets_and_clutter_out() -> None:
    lines = set((ROOT / ".dockerignore").read_text(encoding="utf-8").split())
    assert {".venv", "data", ".git", ".env"} <= lines
    assert {".pytest_cache", ".mypy_cache", ".ruff_cache"} <= lines
    assert any("__pycache__" in line for line in lines)


async def test_dockerfile_healthcheck_command_against_the_health_server() -> None:
    """Run the HEALTHCHECK one-liner (with this Python) against a real /healthz."""
    from bot.health import HealthServer
    from bot.metrics import Metrics
    from index.models import IndexStatus
    from tests.support.harness import free_port

    metrics = Metrics()
    metrics.api.last_ok = metrics.api.clock()
    status: IndexStatus | None = IndexStatus(1, 1, 1, reindex_running=False)
    port = free_port()
    server = HealthServer(metrics, lambda: status, port=port)
    server.start()
    try:
        argv = _healthcheck_argv()
        assert argv[0] == "python"
        env = {**os.environ, "VANKIEN_METRICS_PORT": str(port)}

        async def probe() -> int:
            proc = await asyncio.create_subprocess_exec(
                sys.executable, *argv[1:], env=env,
                stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
            )  # fmt: skip
            return await asyncio.wait_for(proc.wait(), 30)

        assert await probe() == 0
        status = None  # no index → 503 → unhealthy
        assert await probe() != 0
    finally:
        await server.stop()


# -- deploy/*.service, *.timer --------------------------------------------------------


def _unit(name: str) -> dict[str, dict[str, list[str]]]:
    """Sections → key → values (systemd keys may repeat)."""
    parser = configparser.RawConfigParser(
        strict=False, delimiters=("=",), comment_prefixes=("#", ";")
    )
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    sections: dict[str, dict[str, list[str]]] = {}
    current = ""
    for raw in (DEPLOY / name).read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            current = line.strip("[]")
            sections[current] = {}
            continue
        key, _, value = line.partition("=")
        sections[current].setdefault(key.strip(), []).append(value.strip())
    # configparser must also read it (what most admins' tools would use)
    parser.read_string((DEPLOY / name).read_text(encoding="utf-8"))
    assert set(parser.sections()) == set(sections)
    return sections


def _one(unit: dict[str, dict[str, list[str]]], section: str, key: str) -> str:
    values = unit[section][key]
    assert len(values) == 1, (section, key, values)
    return values[0]


def test_bot_service_unit() -> None:
    unit = _unit("vankien.service")
    service = unit["Service"]
    assert _one(unit, "Service", "ExecStart").endswith("/vankien run")
    assert _one(unit, "Service", "Restart") == "on-failure"
    assert _one(unit, "Service", "StateDirectory") == "vankien"
    assert _one(unit, "Service", "EnvironmentFile") == "/etc/vankien/vankien.env"
    assert "VANKIEN_DB=/var/lib/vankien/vankien.db" in service["Environment"]
    assert "User" in service or _one(unit, "Service", "DynamicUser") == "yes"
    for key in (
        "NoNewPrivileges", "ProtectHome", "PrivateTmp", "ProtectKernelTunables",
        "ProtectControlGroups", "LockPersonality",
    ):  # fmt: skip
        assert _one(unit, "Service", key) == "yes", key
    assert _one(unit, "Service", "ProtectSystem") == "strict"
    assert set(_one(unit, "Service", "RestrictAddressFamilies").split()) == {
        "AF_INET", "AF_INET6", "AF_UNIX"
    }  # fmt: skip
    assert "MemoryDenyWriteExecute" not in service  # left out on purpose, see the comment
    assert "MemoryDenyWriteExecute" in (DEPLOY / "vankien.service").read_text(encoding="utf-8")
    assert _seconds(_one(unit, "Service", "TimeoutStopSec") + "s") >= 30
    assert _one(unit, "Install", "WantedBy") == "multi-user.target"


def test_backup_units_and_the_command_they_run(tmp_path: Path) -> None:
    unit = _unit("vankien-backup.service")
    assert _one(unit, "Service", "Type") == "oneshot"
    bot = _unit("vankien.service")
    assert _one(unit, "Service", "User") == _one(bot, "Service", "User")
    assert _one(unit, "Service", "StateDirectory") == "vankien"
    exec_start = _one(unit, "Service", "ExecStart")
    assert "%%Y%%m%%d" in exec_start  # systemd turns %% into %
    timer = _unit("vankien-backup.timer")
    assert _one(timer, "Timer", "Unit") == "vankien-backup.service"
    assert _one(timer, "Timer", "Persistent") == "true"
    assert _one(timer, "Timer", "OnCalendar")
    assert _one(timer, "Install", "WantedBy") == "timers.target"

    # Run what systemd would run, with the state directory moved to tmp_path.
    argv = shlex.split(exec_start.replace("%%", "%"))
    assert Path(argv[0]).name == "vankien" and argv[1] == "backup"
    argv = [a.replace("/var/lib/vankien", str(tmp_path)) for a in argv[1:]]
    db = tmp_path / "vankien.db"
    shutil.copy(FIXTURES.parent / "articles" / "a1-tinh-uy.md", tmp_path / "a1.md")
    assert cli.main(["--db", str(db), "ingest", str(tmp_path / "a1.md")]) == 0
    assert cli.main(["--db", str(db), *argv]) == 0
    assert (tmp_path / "backups" / f"vankien-{datetime.now():%Y%m%d}.db").is_file()
    assert cli.main(["--db", str(db), *argv]) == 0  # --force: a second run the same day


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="needs systemd-analyze")
def test_units_pass_systemd_analyze_verify(tmp_path: Path) -> None:
    for name in ("vankien.service", "vankien-backup.service", "vankien-backup.timer"):
        text = (DEPLOY / name).read_text(encoding="utf-8")
        # the binary is not installed here: point at this checkout's interpreter
        text = text.replace("/opt/vankien/bin/vankien", shutil.which("true") or "/bin/true")
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no",
         *(str(tmp_path / n) for n in ("vankien.service", "vankien-backup.service", "vankien-backup.timer"))],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert not [line for line in result.stderr.splitlines() if "vankien" in line], result.stderr
