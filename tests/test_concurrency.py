"""Two processes at once never lose the index.

Each pair runs as real processes on one real database: a reindex is caught
while it writes its new generation, the second command starts then, and
afterwards a fresh start finds exactly one active generation, a clean
`vankien check` and every stored article in the index.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from index.service import SearchService

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = 60  # enough that building the generation takes seconds on a busy machine
BUSY = "Đang lập chỉ mục, thử lại sau."
PARAGRAPH = (
    "Ban Thường vụ Tỉnh ủy tổ chức hội nghị quán triệt Kết luận số 21-KL/TW của Ban Chấp hành "
    "Trung ương về đẩy mạnh xây dựng, chỉnh đốn Đảng. Các cấp ủy xây dựng kế hoạch thực hiện, "
    "gắn với nhiệm vụ chính trị của địa phương. "
)


def write_corpus(folder: Path, marker: str, count: int = ARTICLES) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        body = "\n\n".join(f"Đoạn {j} bài {i} {marker}. " + PARAGRAPH * 3 for j in range(8))
        (folder / f"{i:03}.md").write_text(
            f"---\ntitle: Bài {i} {marker}\nurl: https://tin.example/{i}\n"
            f"published: 2022-01-01\n---\nMã riêng maso{i}x.\n\n{body}\n",
            encoding="utf-8",
        )


def environment(db: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VANKIEN_", "TELEGRAM_"))}
    return {**env, "VANKIEN_DB": str(db), "PYTHONPATH": str(ROOT)}


def start(db: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", *args],
        cwd=db.parent,
        env=environment(db),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        cwd=db.parent,
        env=environment(db),
        capture_output=True,
        text=True,
        timeout=180,
    )


def states(db: Path) -> list[str]:
    with sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True) as conn:
        return [r[0] for r in conn.execute("SELECT state FROM generations ORDER BY id")]


def building(db: Path) -> bool:
    try:
        return "building" in states(db)
    except sqlite3.OperationalError:  # locked for a moment by the writer
        return False


def wait_until_building(db: Path, first: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 120
    while not building(db):
        assert first.poll() is None, "the reindex finished before the second command started"
        assert time.monotonic() < deadline
        time.sleep(0.02)


async def prepared(tmp_path: Path) -> Path:
    """A database holding the corpus, whose files then change: a reindex re-tokenises all."""
    corpus, db = tmp_path / "corpus", tmp_path / "v.db"
    write_corpus(corpus, "bản một")
    service = await SearchService.open(db)
    await service.ingest([str(corpus)])
    await service.close()
    write_corpus(corpus, "bản hai")
    (tmp_path / "extra").mkdir()
    (tmp_path / "extra" / "moi.md").write_text(
        "---\ntitle: Bài thêm\nurl: https://tin.example/them\n---\n"
        "Mã riêng masothemx. Chi bộ học tập Kết luận số 21-KL/TW trong tháng này.\n",
        encoding="utf-8",
    )
    return db


async def assert_sound_after_restart(db: Path) -> None:
    # one active generation; older ones stay 'retired' while their passages still serve
    assert [s for s in states(db) if s != "retired"] == ["active"]
    check = run(db, "check")
    assert check.returncode == 0, check.stderr
    service = await SearchService.open(db)
    try:
        with sqlite3.connect(db) as conn:
            stored = {r[0] for r in conn.execute("SELECT id FROM articles")}
        assert set(service.live.passage_articles.tolist()) == stored
        for code in ("maso0x", f"maso{ARTICLES - 1}x"):
            assert (await service.ask(code)).found, code
    finally:
        await service.close()


def assert_clean(result: subprocess.CompletedProcess[str] | tuple[int, str]) -> tuple[int, str]:
    code, stderr = result if isinstance(result, tuple) else (result.returncode, result.stderr)
    assert "Traceback" not in stderr, stderr
    return code, stderr


SECOND = {
    "reindex": ("reindex",),
    "ingest": ("ingest", "extra"),
    "stats": ("stats",),
    "ask": ("ask", "Kết luận 21 nói về gì?"),
    "check": ("check",),
    "backup": ("backup", "copy.db"),
}


@pytest.mark.slow
@pytest.mark.parametrize("second", list(SECOND))
async def test_a_second_command_during_a_reindex_loses_nothing(tmp_path: Path, second: str) -> None:
    db = await prepared(tmp_path)
    first = start(db, "reindex")
    try:
        wait_until_building(db, first)
        other = run(db, *SECOND[second])
    finally:
        _, first_err = first.communicate(timeout=180)
    assert_clean((first.returncode, first_err))
    assert first.returncode == 0, first_err
    code, stderr = assert_clean(other)
    if second in ("reindex", "ingest"):  # a second writer waits briefly or refuses
        assert code == 0 or (code == 1 and BUSY in stderr), stderr
    else:  # readers and backups work beside a build
        assert code == 0, stderr
    if second == "ingest" and code == 1:
        with sqlite3.connect(db) as conn:  # a refused target is not registered
            assert conn.execute("SELECT COUNT(*) FROM sources").fetchone()[0] == 1
    await assert_sound_after_restart(db)


@pytest.mark.slow
async def test_cli_ingest_during_the_bots_scheduled_refresh(tmp_path: Path) -> None:
    db = await prepared(tmp_path)
    service = await SearchService.open(db)  # the bot's service, in this process
    try:
        refresh = asyncio.create_task(service.reindex())
        while not building(db):
            assert not refresh.done()
            await asyncio.sleep(0.02)
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", "ingest", "extra",
            cwd=db.parent, env=environment(db), stderr=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.DEVNULL,
        )  # fmt: skip
        _, stderr = await proc.communicate()
        code, err = assert_clean((proc.returncode or 0, stderr.decode()))
        assert code == 0 or (code == 1 and BUSY in err), err
        state = await refresh
        assert state.updated == ARTICLES
    finally:
        await service.close()
    await assert_sound_after_restart(db)
