"""Reindexing is atomic: a crash half-way leaves the previous index serving."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from index.service import SearchService

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "index" / "samples"


def _write_corpus(folder: Path, copies: int, marker: str) -> None:
    """Many distinct articles made from the samples, so a rebuild takes seconds."""
    folder.mkdir(parents=True, exist_ok=True)
    bodies = [
        p.read_text(encoding="utf-8").split("---", 2)[2] for p in sorted(SAMPLES.glob("*.md"))
    ]
    for i in range(copies):
        body = bodies[i % len(bodies)]
        text = f"---\ntitle: Bài {i} {marker}\nurl: https://tin.example/{i}\npublished: 2022-01-01\n---\n"
        (folder / f"{i:04}.md").write_text(text + f"{marker} số {i}.\n\n" + body, encoding="utf-8")


def _generations(db: Path) -> list[tuple[int, str]]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT id, state FROM generations ORDER BY id").fetchall()


@pytest.mark.slow
@pytest.mark.parametrize("full", [False, True], ids=["update", "full-in-child"])
async def test_kill_during_reindex_keeps_previous_generation(tmp_path: Path, full: bool) -> None:
    corpus, db = tmp_path / "corpus", tmp_path / "v.db"
    _write_corpus(corpus, 300, "Phiên bản một")
    service = await SearchService.open(db)
    await service.ingest([str(corpus)])
    before = (await service.ask("Kết luận 21 nói về gì?")).headline
    await service.close()

    _write_corpus(corpus, 300, "Phiên bản hai")  # every article changed: full re-tokenising
    env = {**os.environ, "VANKIEN_DB": str(db), "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "bot.cli", "reindex", *(["--full"] if full else [])]
    proc = subprocess.Popen(
        command, env=env, cwd=tmp_path,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not any(state == "building" for _, state in _generations(db)):
            assert proc.poll() is None, "reindex finished before it could be interrupted"
            assert time.monotonic() < deadline
            time.sleep(0.05)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the process, its build child and tokeniser workers
        proc.wait()
    assert any(state == "building" for _, state in _generations(db))

    service = await SearchService.open(db)
    try:
        assert await service.store.integrity_problems() == []
        assert _generations(db) == [(1, "active")]
        answer = await service.ask("Kết luận 21 nói về gì?")
        assert answer.found and answer.headline == before
        quotes = " ".join(p.title for p in answer.passages)
        assert "Phiên bản một" in quotes  # still the previous generation's passages
        state = await service.reindex()  # and a later reindex completes normally
        assert state.generation == 3 and _generations(db) == [(3, "active")]
        answer = await service.ask("Kết luận 21 nói về gì?")
        assert "Phiên bản hai" in " ".join(p.title for p in answer.passages)
    finally:
        await service.close()


async def test_questions_are_answered_while_a_reindex_runs(tmp_path: Path) -> None:
    import asyncio

    corpus = tmp_path / "corpus"
    _write_corpus(corpus, 40, "Bản đầu")
    service = await SearchService.open(tmp_path / "v.db")
    try:
        await service.ingest([str(corpus)])
        _write_corpus(corpus, 40, "Bản sau")
        task = asyncio.create_task(service.reindex())
        second = asyncio.create_task(service.reindex())  # coalesces into the same run
        await asyncio.sleep(0)
        assert service.reindex_running and service.status().reindex_running
        before = service.status()
        assert (before.articles, before.generation) == (40, 1) and before.passages > 40
        answered = 0
        while not task.done():
            answer = await service.ask("QĐ 41 ban hành ngày nào?")
            assert answer.found
            answered += 1
            await asyncio.sleep(0.01)
        first_state, second_state = await task, await second
        assert first_state is second_state and first_state.updated == 40
        after = service.status()
        assert not after.reindex_running and after.generation == first_state.generation == 2
        assert answered > 0
    finally:
        await service.close()


async def test_refresh_without_changes_writes_nothing(tmp_path: Path) -> None:
    corpus, db = tmp_path / "corpus", tmp_path / "v.db"
    _write_corpus(corpus, 5, "Bản đầu")
    service = await SearchService.open(db)
    try:
        await service.ingest([str(corpus)])
        generation = service.live.generation
        before = _table_sizes(db)
        state = await service.reindex()  # the folder did not change: not even re-read
        assert (state.unchanged, state.new, service.live.generation) == (1, 0, generation)
        assert _table_sizes(db) == before
        _write_corpus(corpus, 6, "Bản đầu")  # five files rewritten as they were, one new
        state = await service.reindex()
        assert (state.new, state.unchanged) == (1, 5) and service.live.generation > generation
        with sqlite3.connect(db) as conn:  # only the new article was split and tokenised
            added = conn.execute(
                "SELECT DISTINCT article_id FROM passages WHERE generation = ?",
                (service.live.generation,),
            ).fetchall()
        assert len(added) == 1
        generation = service.live.generation
        state = await service.reindex(full=True)  # a full rebuild redoes everything
        assert service.live.generation > generation
        assert _generations(db) == [(service.live.generation, "active")]
        assert await service.store.integrity_problems() == []
        assert (await service.ask("Kết luận 21 nói về gì?")).found
    finally:
        await service.close()


def _table_sizes(db: Path) -> dict[str, object]:
    with sqlite3.connect(db) as conn:
        return {
            table: conn.execute(f"SELECT COUNT(*), MAX(rowid) FROM {table}").fetchone()
            for table in ("generations", "passages", "index_segments", "mentions", "directives")
        }
