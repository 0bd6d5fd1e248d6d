"""What went unanswered: 👍/👎 on answers, /chuatraloi and `vankien gaps`, retention."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.texts import VOTE_CHANGED, VOTE_GONE, VOTE_SAME, VOTE_THANKS
from index.feedback import normalise, topic_of
from index.service import SearchService
from index.store import Store
from tests.support.harness import ADMIN_ID, FIXTURES, USER_ID, Running, running_bot
from tests.support.study import ask, buttons, press
from tests.test_cli import vankien


def test_questions_are_normalised_and_grouped_by_document_or_words() -> None:
    assert normalise("  Kết luận 99   NÓI về gì?? ") == "kết luận 99 nói về gì"
    assert topic_of("Kết luận 99 nói về gì?") == topic_of("ket luan 99 la gi") == "Kết luận 99"
    assert topic_of("Nghị quyết 57-NQ/TW ban hành ngày nào?") == "Nghị quyết 57-NQ/TW"
    assert topic_of("chuyển đổi số ở cơ sở") == topic_of("cơ sở chuyển đổi số")


async def test_store_purges_old_questions_and_their_votes(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "s.db")
    try:
        old = await store.record_question(
            "a", "a", False, keep_after=datetime(2000, 1, 1, tzinfo=UTC)
        )
        assert await store.record_vote(old, "voter", -1) == 0
        later = datetime.now(UTC) + timedelta(seconds=5)
        await store.record_question("b", "b", False, keep_after=later)  # purges "a"
        assert await store.record_vote(old, "voter", 1) is None
        assert [r[1] for r in await store.unanswered(datetime(2000, 1, 1, tzinfo=UTC))] == ["b"]
        assert await store.purge_questions(later) == 1
    finally:
        await store.close()


async def test_questions_answered_at_once_are_all_recorded(tmp_path: Path) -> None:
    """Answers run concurrently (one lane per chat) and each records its question on
    the one connection: the writes take turns instead of failing."""
    store = await Store.open(tmp_path / "s.db")
    try:
        since = datetime(2000, 1, 1, tzinfo=UTC)
        ids = await asyncio.gather(
            *(store.record_question(f"q{i}", f"q{i}", False, keep_after=since) for i in range(50))
        )
        assert len(set(ids)) == 50
        assert len(await store.unanswered(since)) == 50
    finally:
        await store.close()


# --------------------------------------------------------------------------- bot


@pytest.fixture
async def h(tmp_path: Path) -> AsyncIterator[Running]:
    async with running_bot(tmp_path) as running:
        yield running


async def vote(h: Running, message: dict[str, Any], label: str, user_id: int = USER_ID) -> str:
    return await press(h, buttons(message)[label], message, user_id)


async def test_votes_and_not_found_questions_reach_chuatraloi(h: Running) -> None:
    missing = await ask(h, "Kết luận 99 nói về gì?")
    assert {"👍", "👎"} <= set(buttons(missing))
    await ask(h, "KL 99 ban hành ngày nào?")
    found = await ask(h, "Chỉ thị 05 nói về gì?")
    assert await vote(h, found, "👎") == VOTE_THANKS
    assert await vote(h, found, "👎") == VOTE_SAME
    assert await vote(h, found, "👍") == VOTE_CHANGED  # changeable …
    assert await vote(h, found, "👎") == VOTE_CHANGED
    assert await vote(h, found, "👎", user_id=77) == VOTE_THANKS  # … one each
    liked = await ask(h, "Kế hoạch 03 là gì?")
    assert await vote(h, liked, "👍") == VOTE_THANKS

    h.api.push_update(h.api.private_message("/chuatraloi", user_id=ADMIN_ID))
    text = (await h.api.wait_for("sendMessage"))["text"]
    assert "3 câu, 2 chủ đề" in text
    first, second = text.split("\n1. ", 1)[1].split("\n2. ")
    assert first.startswith("Kết luận 99 — 2 câu (2 không tìm thấy)")
    assert "• kết luận 99 nói về gì" in first and "• kl 99 ban hành ngày nào" in first
    assert second.startswith("Chỉ thị 05 — 1 câu (1 bị 👎)")
    assert "Kế hoạch" not in text

    h.api.push_update(h.api.private_message("/chuatraloi"))
    assert "chỉ dành cho quản trị viên" in (await h.api.wait_for("sendMessage"))["text"]
    h.api.push_update(h.api.callback_query("v:999999:-1", found))
    assert (await h.api.wait_for("answerCallbackQuery"))["text"] == VOTE_GONE

    # nothing stored names a user
    with sqlite3.connect(h.settings.db) as db:
        columns = [r[1] for r in db.execute("PRAGMA table_info(asked)")]
        voters = [r[0] for r in db.execute("SELECT voter FROM votes")]
    assert columns == ["id", "asked_at", "question", "topic", "found"]
    assert len(voters) == 3 and len(set(voters)) == 3  # one per user and answer
    assert all(len(v) == 32 for v in voters) and str(USER_ID) not in voters  # keyed hashes


async def test_cli_gaps(tmp_path: Path) -> None:
    db = tmp_path / "data" / "vankien.db"
    service = await SearchService.open(db)
    try:
        await service.ingest([str(FIXTURES)])
        for question in ("Kết luận 99 nói về gì?", "ket luan 99", "Chỉ thị 05 nói về gì?"):
            answer = await service.ask(question)
            asked = await service.record_question(question, answer, keep_days=30)
        assert await service.vote(asked, 5, -1) == 0
    finally:
        await service.close()
    result = vankien(tmp_path, "gaps", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [(g["topic"], g["count"]) for g in data["gaps"]] == [
        ("Kết luận 99", 2),
        ("Chỉ thị 05", 1),
    ]
    plain = vankien(tmp_path, "gaps", "--days", "1").stdout
    assert plain.startswith("Câu hỏi chưa trả lời được hoặc bị chấm 👎 trong 1 ngày qua: 3 câu")
    bad = vankien(tmp_path, "gaps", "--days", "0")
    assert bad.returncode == 1 and "--days" in bad.stderr
