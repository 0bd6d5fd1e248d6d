"""A busy group must not stall anyone else, nor the bot's shutdown.

The group's flood budget (20 messages a minute) is enforced by PTB's
AIORateLimiter inside each send, exactly as in production: nothing is faked.
"""

from __future__ import annotations

import asyncio
import logging
import re
import signal
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.updates import ChatLanes
from tests.support.botapi import BotAPI
from tests.support.botprocess import bot_process
from tests.support.harness import ADMIN_ID, Running, running_bot

GROUP = -100555
OTHER_GROUP = -100556
FLOODER = 66
PRIVATE_USER = 9001


@pytest.fixture
async def h(tmp_path: Path) -> AsyncIterator[Running]:
    async with running_bot(tmp_path) as running:
        yield running


def replies_to(message_id: int):  # noqa: ANN201
    return lambda p: (p.get("reply_parameters") or {}).get("message_id") == message_id


async def ask_privately(h: Running, text: str) -> float:
    """Seconds until the private user's question is answered."""
    started = time.monotonic()
    h.api.push_update(h.api.private_message(text, user_id=PRIVATE_USER))
    await h.api.wait_for("sendMessage", lambda p: p.get("chat_id") == PRIVATE_USER, timeout=10)
    return time.monotonic() - started


async def test_busy_groups_do_not_delay_a_private_question(
    h: Running, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.updates")
    api = h.api
    for _ in range(60):  # one member hammering an admin command in one group
        api.push_update(api.group_message("/stats@vankien_test_bot", GROUP, user_id=FLOODER))
    admin = api.group_message("/stats@vankien_test_bot", GROUP, user_id=ADMIN_ID)
    api.push_update(admin)
    for member in range(40):  # 40 members asking once each in another
        newest = api.group_message(
            f"@vankien_test_bot Kết luận 21 nói về gì? ({member})",
            OTHER_GROUP,
            user_id=5000 + member,
        )
        api.push_update(newest)
    for chat in (GROUP, OTHER_GROUP):
        await api.wait_for("sendMessage", lambda p, chat=chat: p.get("chat_id") == chat)
    await asyncio.sleep(1)  # both budgets are spent: replies now wait in their lanes

    assert await ask_privately(h, "Chỉ thị 05 nói về gì?") <= 2.0
    assert await ask_privately(h, "Kế hoạch 03 nói về gì?") <= 2.0

    # each group answers its newest message within seconds, not minutes
    answer = await api.wait_for("sendMessage", replies_to(newest["message"]["message_id"]), 20)
    assert "Kết luận số 21-KL/TW" in answer["text"]
    await api.wait_for("sendMessage", replies_to(admin["message"]["message_id"]), 20)
    lanes = h.app.update_processor
    assert isinstance(lanes, ChatLanes)
    # 20 a minute per group: the members' burst was coalesced (the flooder's repeats are
    # refused silently by the per-user limit, so they never wait for the group's budget)
    assert lanes.skipped >= 10
    assert len(api.sent(GROUP)) + len(api.sent(OTHER_GROUP)) + lanes.skipped <= 101
    logged = sum(
        int(m.group(1))
        for r in caplog.records
        if (m := re.search(r"skipped (\d+) older messages", r.getMessage()))
    )
    assert logged == lanes.skipped  # nothing skipped silently
    assert lanes.busy_chats == 0  # every lane is forgotten once empty


async def test_a_chat_s_updates_are_handled_in_order(h: Running) -> None:
    questions = ["Kết luận 21 nói về gì?", "Chỉ thị 05 nói về gì?", "Kế hoạch 03 nói về gì?"]
    for text in questions:
        h.api.push_update(h.api.private_message(text, user_id=PRIVATE_USER))
    answers = [
        (await h.api.wait_for("sendMessage", lambda p: p.get("chat_id") == PRIVATE_USER))["text"]
        for _ in questions
    ]
    assert ["21-KL/TW" in answers[0], "05-CT/TW" in answers[1], "03-KH/TW" in answers[2]] == [
        True
    ] * 3


async def test_a_slow_group_is_not_coalesced_before_it_falls_behind(h: Running) -> None:
    first = h.api.group_message("@vankien_test_bot Chỉ thị 05", GROUP, user_id=7)
    second = h.api.group_message("@vankien_test_bot Kế hoạch 03", GROUP, user_id=8)
    h.api.push_update(first)
    h.api.push_update(second)
    await h.api.wait_for("sendMessage", replies_to(first["message"]["message_id"]))
    await h.api.wait_for("sendMessage", replies_to(second["message"]["message_id"]))
    lanes = h.app.update_processor
    assert isinstance(lanes, ChatLanes) and lanes.skipped == 0


async def test_a_group_s_flood_wait_pauses_only_that_group(h: Running) -> None:
    h.api.fail_next("sendMessage", status=429, retry_after=3)  # Telegram: "retry after 3"
    question = h.api.group_message("@vankien_test_bot Chỉ thị 05", GROUP, user_id=7)
    h.api.push_update(question)
    await h.api.wait_for_request("sendMessage")
    started = time.monotonic()
    assert await ask_privately(h, "Kế hoạch 03 nói về gì?") <= 2.0  # PTB alone: ~3 s
    answer = await h.api.wait_for("sendMessage", replies_to(question["message"]["message_id"]))
    assert time.monotonic() - started >= 2.5  # the group itself did wait
    assert "Chỉ thị số 05-CT/TW" in answer["text"]
    assert len(h.api.sent(GROUP)) == 1
    registry = h.app.bot_data.metrics.registry
    assert registry.get_sample_value("vankien_bot_api_retry_after_total") == 1
    assert registry.get_sample_value("vankien_bot_api_retries_total") == 1


@pytest.mark.slow
async def test_sigterm_with_a_group_backlog_exits_within_20_seconds(tmp_path: Path) -> None:
    async with (
        BotAPI() as api,
        bot_process(tmp_path, token=api.token, base_url=api.base_url) as bot,
    ):
        await api.wait_for_request("getUpdates", timeout=30)
        api.fail_next("sendMessage", status=429, retry_after=60)  # Telegram's flood wait
        for member in range(30):
            api.push_update(
                api.group_message(
                    f"@vankien_test_bot Chỉ thị {member}", GROUP, user_id=500 + member
                )
            )
        await api.wait_for_request("sendMessage", timeout=20)  # the first reply hit the 429
        await asyncio.sleep(0.5)
        started = time.monotonic()
        bot.proc.send_signal(signal.SIGTERM)
        code = await bot.wait_exit(25)
        took = time.monotonic() - started
    assert code == 0, bot.output[-3000:]
    assert took < 20, took
    dropped = re.search(r"stopped with (\d+) updates not handled in time", bot.output)
    assert dropped and int(dropped.group(1)) >= 1, bot.output[-3000:]
    assert "never awaited" not in bot.output and "Traceback" not in bot.output
    assert api.token not in bot.output


@pytest.mark.slow
async def test_a_second_signal_drops_the_backlog_at_once(tmp_path: Path) -> None:
    async with (
        BotAPI() as api,
        bot_process(tmp_path, token=api.token, base_url=api.base_url) as bot,
    ):
        await api.wait_for_request("getUpdates", timeout=30)
        api.fail_next("sendMessage", status=429, retry_after=60)
        for member in range(5):
            api.push_update(
                api.group_message(
                    f"@vankien_test_bot Chỉ thị {member}", GROUP, user_id=500 + member
                )
            )
        await api.wait_for_request("sendMessage", timeout=20)
        bot.proc.send_signal(signal.SIGINT)  # Ctrl-C, then Ctrl-C again
        await bot.wait_for_line("stop signal received")
        bot.proc.send_signal(signal.SIGINT)
        # well before the 15 s deadline (exit itself may still wait for pyvi's warm-up)
        await bot.wait_for_line("stopped with 5 updates not handled in time", timeout=3)
        assert await bot.wait_exit(15) == 0, bot.output[-3000:]
    assert "never awaited" not in bot.output and "Traceback" not in bot.output
