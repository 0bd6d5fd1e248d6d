"""The front-end-neutral conversation: on a real service, and through the Telegram adapter."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot import texts
from bot.conversation import MAX_QUESTION, Conversation, Target
from bot.limits import RateLimiter
from index.service import SearchService
from tests.support.harness import FIXTURES, USER_ID, Running

GROUP = -100777


@pytest.fixture
async def service(tmp_path: Path) -> AsyncIterator[SearchService]:
    svc = await SearchService.open(tmp_path / "conversation.db")
    try:
        await svc.ingest([str(FIXTURES)])
        yield svc
    finally:
        await svc.close()


async def test_pages_of_quotes_follow_the_question(service: SearchService) -> None:
    conversation = Conversation(service)
    first = await conversation.ask(1, "  Kết luận   21\nnói về gì?  ")
    assert first.answer is not None and first.answer.question == "Kết luận 21 nói về gì?"
    assert first.more is not None and first.more.question == "Kết luận 21 nói về gì?"
    assert first.more.offset == len(first.answer.passages)
    second = await conversation.more(1, first)
    assert second.answer is not None and second.answer.offset == first.more.offset
    shown = {q.text for q in first.answer.passages}
    assert not shown & {q.text for q in second.answer.passages}


async def test_no_more_quotes_and_stale_follow_ups(service: SearchService) -> None:
    conversation = Conversation(service)
    assert (await conversation.more(1, None)).notice == texts.NO_MORE_QUOTES
    assert (await conversation.open(1, None)).notice == texts.STALE_BUTTON
    unknown = Target(0, key="KL|99|TW|1999")
    assert (await conversation.open(1, unknown)).notice == texts.STALE_BUTTON
    beyond = Target(500, question="Kết luận 21 nói về gì?")
    assert (await conversation.open(1, beyond)).notice == texts.STALE_BUTTON


async def test_too_long_is_refused_before_the_search(service: SearchService) -> None:
    searched: list[bool] = []

    async def working() -> None:
        searched.append(True)

    reply = await Conversation(service).ask(1, "x" * (MAX_QUESTION + 1), working=working)
    assert reply.answer is None and f"tối đa {MAX_QUESTION} ký tự" in reply.notice
    assert searched == []


async def test_rate_limit_one_notice_then_silence(service: SearchService) -> None:
    conversation = Conversation(service, limiter=RateLimiter(max_events=1, period=60))
    assert (await conversation.ask(1, "Kết luận 21")).answer is not None
    notice = await conversation.ask(1, "Kết luận 21")
    assert notice.answer is None and "hơi nhanh" in notice.notice
    assert (await conversation.open(1, Target(0, key="x"))).silent
    assert conversation.admit(1) is not None and conversation.admit(1).silent  # type: ignore[union-attr]
    assert conversation.admit(2) is None  # another user


@pytest.mark.parametrize(
    "send",
    [
        pytest.param(lambda api: api.private_message("/start"), id="start"),
        pytest.param(lambda api: api.private_message("/help"), id="help"),
        pytest.param(lambda api: api.private_message("/hoi"), id="usage"),
        pytest.param(lambda api: api.private_message("/stats"), id="admin-refusal"),
        pytest.param(lambda api: api.private_message("Kết luận " * 100), id="too-long"),
        pytest.param(lambda api: api.group_message("@vankien_test_bot", GROUP), id="empty-mention"),
    ],
)
async def test_every_reply_path_is_rate_limited(h: Running, send) -> None:  # type: ignore[no-untyped-def]
    h.app.bot_data.limiter = RateLimiter(max_events=2, period=60)
    for _ in range(6):
        h.api.push_update(send(h.api))
    await h.api.wait_for("sendMessage", lambda p: "hơi nhanh" in p["text"])
    await asyncio.sleep(0.5)
    sent = [m["text"] for m in h.api.sent()]
    assert sum("hơi nhanh" in t for t in sent) == 1
    assert len(sent) == 3  # two replies, one notice, then silence
    h.api.push_update(h.api.private_message("/start", user_id=USER_ID + 1))  # others unaffected
    await h.api.wait_for("sendMessage", lambda p: p.get("chat_id") == USER_ID + 1)


async def test_a_follow_up_without_a_number_asks_about_the_last_document(
    service: SearchService,
) -> None:
    conversation = Conversation(service)
    first = await conversation.ask(1, "Kết luận 21 nói về gì?")
    assert first.answer is not None and first.answer.directive is not None
    document = first.answer.directive.id
    when = await conversation.ask(1, "ban hành ngày nào ạ?")
    assert when.answer is not None and when.answer.directive is not None
    assert (when.answer.directive.id, when.answer.kind) == (document, "date")
    assert when.more is None or document in (when.more.question or "")
    # another user has asked nothing before: no document to follow up on
    other = await conversation.ask(2, "ban hành ngày nào ạ?")
    assert other.answer is not None and other.answer.directive is None
