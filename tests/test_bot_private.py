"""Private chats: questions, commands, limits, errors and flood control."""

from __future__ import annotations

import asyncio
import time

import pytest
from telegram import Update
from telegram.ext import MessageHandler, filters

from bot import conversation
from bot.conversation import MAX_QUESTION
from bot.limits import RateLimiter
from tests.support.harness import USER_ID, Running


def to(chat_id: int):  # noqa: ANN201
    return lambda p: p.get("chat_id") == chat_id


async def test_private_question_gets_its_answer_without_a_typing_call(h: Running) -> None:
    h.api.push_update(h.api.private_message("Kết luận 21 nói về gì?", user_id=USER_ID))
    params = await h.api.wait_for("sendMessage", to(USER_ID))
    assert params["parse_mode"] == "HTML"
    assert params["text"].startswith("<b>Kết luận số 21-KL/TW ngày 25-10-2021")
    assert "<blockquote>" in params["text"]
    assert params["link_preview_options"] == {"is_disabled": True}
    assert "reply_parameters" not in params  # no quoting in private chats
    methods = [m for m, p in h.api.calls if p.get("chat_id") == USER_ID]
    assert methods == ["sendMessage"]  # a fast answer spends no call on "typing…"
    [sent] = h.api.sent(USER_ID)
    assert sent["text"].startswith("Kết luận số 21-KL/TW")


async def test_a_slow_answer_shows_typing_first(
    h: Running, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(conversation, "TYPING_AFTER_SECONDS", 0.0)  # every answer is "slow"
    h.api.push_update(h.api.private_message("Kết luận 21 nói về gì?", user_id=USER_ID))
    await h.api.wait_for("sendMessage", to(USER_ID))
    methods = [m for m, p in h.api.calls if p.get("chat_id") == USER_ID]
    assert methods == ["sendChatAction", "sendMessage"]


async def test_unknown_question_says_so(h: Running) -> None:
    h.api.push_update(h.api.private_message("xyzzy plugh"))
    params = await h.api.wait_for("sendMessage")
    assert "Không tìm thấy" in params["text"]


async def test_start_help_and_usage(h: Running) -> None:
    api = h.api
    api.push_update(api.private_message("/start"))
    start = await api.wait_for("sendMessage")
    assert "Xin chào" in start["text"] and "Kết luận 21 nói về gì?" in start["text"]
    api.push_update(api.private_message("/help"))
    help_ = await api.wait_for("sendMessage")
    assert "@vankien_test_bot" in help_["text"] and "/vanban" in help_["text"]
    api.push_update(api.private_message("/start help"))
    assert "Cách dùng" in (await api.wait_for("sendMessage"))["text"]
    for command in ("/hoi", "/ask", "/vanban"):
        api.push_update(api.private_message(command))
        usage = await api.wait_for("sendMessage")
        assert "ví dụ" in usage["text"]


async def test_hoi_ask_and_vanban(h: Running) -> None:
    api = h.api
    api.push_update(api.private_message("/hoi Kế hoạch 03-KH/TW"))
    assert "Kế hoạch số 03-KH/TW" in (await api.wait_for("sendMessage"))["text"]
    api.push_update(api.private_message("/ask Chỉ thị 05"))
    assert "Chỉ thị số 05-CT/TW" in (await api.wait_for("sendMessage"))["text"]
    api.push_update(api.private_message("/vanban 03-KH/TW"))
    assert (await api.wait_for("sendMessage"))["text"].startswith("<b>Kế hoạch số 03-KH/TW")


async def test_latest_and_sources(h: Running) -> None:
    api = h.api
    api.push_update(api.private_message("/moi"))
    latest = await api.wait_for("sendMessage")
    assert "Tin bài mới nhất" in latest["text"]
    assert 'href="https://tin.vankien.example/chi-thi-05?a=1&amp;b=2"' in latest["text"]
    api.push_update(api.private_message("/nguon"))
    sources = await api.wait_for("sendMessage")
    assert "• bot — 5 bài" in sources["text"]  # a folder is shown by name, not full path
    assert "/work" not in sources["text"] and "fixtures" not in sources["text"]


async def test_too_long_question_is_refused_politely(h: Running) -> None:
    h.api.push_update(h.api.private_message("Kết luận " * 100))
    params = await h.api.wait_for("sendMessage")
    assert f"tối đa {MAX_QUESTION} ký tự" in params["text"]
    assert h.api.count("sendChatAction") == 0


async def test_rate_limit_notice_once_then_silence(h: Running) -> None:
    h.app.bot_data.limiter = RateLimiter(max_events=2, period=60)
    for i in range(5):
        h.api.push_update(h.api.private_message(f"Chỉ thị 05 lần {i}"))
    await h.api.wait_for("sendMessage", lambda p: "hơi nhanh" in p["text"])
    await asyncio.sleep(0.5)
    texts = [m["text"] for m in h.api.sent(USER_ID)]
    assert sum("hơi nhanh" in t for t in texts) == 1
    assert sum(t.startswith("Chỉ thị số 05-CT/TW") for t in texts) == 2
    assert len(texts) == 3
    # another user is not affected
    h.api.push_update(h.api.private_message("Chỉ thị 05", user_id=2002))
    await h.api.wait_for("sendMessage", to(2002))


async def test_edited_message_never_reruns(h: Running) -> None:
    for i, text in enumerate(("/hoi Kết luận 21", "Kết luận 21", "/start")):
        update = Update.de_json({**h.api.edited_message(text), "update_id": 900 + i}, h.app.bot)
        await h.app.process_update(update)
    await asyncio.sleep(0.2)
    assert h.api.count("sendMessage") == 0
    polling = await h.api.wait_for_request("getUpdates")
    assert "edited_message" not in polling["allowed_updates"]  # not even asked for


async def test_429_is_retried_once_and_message_arrives_once(h: Running) -> None:
    h.api.fail_next("sendMessage", status=429, retry_after=1)
    started = time.monotonic()
    h.api.push_update(h.api.private_message("Kết luận 21 nói về gì?"))
    await h.api.wait_for("sendMessage", timeout=8)
    assert time.monotonic() - started >= 1.0
    await asyncio.sleep(0.3)
    assert len(h.api.sent(USER_ID)) == 1
    assert h.api.count("sendMessage", ok_only=False) == 2


async def test_error_in_handler_is_reported_and_bot_carries_on(
    h: Running, caplog: pytest.LogCaptureFixture
) -> None:
    h.api.fail_next("sendMessage", status=400)  # the answer itself fails → BadRequest
    h.api.push_update(h.api.private_message("Kết luận 21 nói về gì?"))
    error = await h.api.wait_for("sendMessage")
    assert error["text"].startswith("Đã có lỗi")
    assert any(
        "error while handling update" in r.getMessage() and r.exc_info for r in caplog.records
    )

    async def boom(update: Update, context: object) -> None:
        if update.effective_message and update.effective_message.text == "nổ":
            raise RuntimeError("boom")

    h.app.add_handler(MessageHandler(filters.TEXT, boom), group=-1)
    h.api.push_update(h.api.private_message("nổ"))
    await h.api.wait_for("sendMessage", lambda p: p["text"].startswith("Đã có lỗi"))
    h.api.push_update(h.api.private_message("Chỉ thị 05"))
    await h.api.wait_for("sendMessage", lambda p: "Chỉ thị số 05-CT/TW" in p["text"])


async def test_question_text_is_logged_only_at_debug(
    h: Running, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO")
    h.api.push_update(h.api.private_message("câu hỏi bí mật số 42"))
    await h.api.wait_for("sendMessage")
    assert not any("bí mật" in r.getMessage() for r in caplog.records if r.levelname != "DEBUG")
    assert not any(h.api.token in r.getMessage() for r in caplog.records)
