"""Groups: answer only when addressed (mention, reply, /hoi@bot), in the asker's topic."""

from __future__ import annotations

import asyncio

from tests.support.harness import Running

GROUP = -100123


async def _silence(h: Running, seconds: float = 0.4) -> None:
    await asyncio.sleep(seconds)
    assert h.api.sent(GROUP) == []


async def test_mention_is_stripped_and_reply_quotes_the_asker(h: Running) -> None:
    update = h.api.group_message("@vankien_test_bot Kết luận 21 nói về gì?", GROUP, user_id=7)
    h.api.push_update(update)
    params = await h.api.wait_for("sendMessage")
    assert params["chat_id"] == GROUP
    assert params["reply_parameters"]["message_id"] == update["message"]["message_id"]
    assert params["text"].startswith("<b>Kết luận số 21-KL/TW")
    assert h.api.count("sendChatAction") == 0  # group flood budget is kept for answers


async def test_mention_anywhere_and_case_insensitive(h: Running) -> None:
    h.api.push_update(h.api.group_message("Cho hỏi Chỉ thị 05 @VanKien_Test_Bot ạ", GROUP))
    params = await h.api.wait_for("sendMessage")
    assert "Chỉ thị số 05-CT/TW" in params["text"]


async def test_bare_mention_gets_a_prompt(h: Running) -> None:
    h.api.push_update(h.api.group_message("@vankien_test_bot", GROUP))
    params = await h.api.wait_for("sendMessage")
    assert "Bạn muốn hỏi gì" in params["text"]


async def test_reply_to_the_bot_is_a_question(h: Running) -> None:
    h.api.push_update(h.api.group_message("@vankien_test_bot Chỉ thị 05", GROUP))
    await h.api.wait_for("sendMessage")
    h.api.push_update(h.api.group_message("Kế hoạch 03-KH/TW thì sao?", GROUP, reply_to_bot=True))
    params = await h.api.wait_for("sendMessage")
    assert "Kế hoạch số 03-KH/TW" in params["text"]


async def test_commands_addressed_to_us_are_answered(h: Running) -> None:
    h.api.push_update(h.api.group_message("/hoi@vankien_test_bot Chỉ thị 05", GROUP))
    assert "Chỉ thị số 05-CT/TW" in (await h.api.wait_for("sendMessage"))["text"]
    h.api.push_update(h.api.group_message("/ask@vankien_test_bot Kế hoạch 03", GROUP))
    assert "Kế hoạch số 03-KH/TW" in (await h.api.wait_for("sendMessage"))["text"]
    h.api.push_update(h.api.group_message("/hoi@vankien_test_bot", GROUP))
    assert "ví dụ" in (await h.api.wait_for("sendMessage"))["text"]


async def test_hoi_as_reply_asks_the_replied_text(h: Running) -> None:
    original = h.api.group_message("Chỉ thị 05 là gì vậy mọi người?", GROUP, user_id=8)
    h.api.push_update(original)
    await asyncio.sleep(0.2)
    h.api.push_update(
        h.api.group_message("/hoi@vankien_test_bot", GROUP, reply_to=original["message"])
    )
    assert "Chỉ thị số 05-CT/TW" in (await h.api.wait_for("sendMessage"))["text"]


async def test_chatter_and_other_bots_commands_are_ignored(h: Running) -> None:
    api = h.api
    api.push_update(api.group_message("Kết luận 21 nói về gì?", GROUP))
    api.push_update(api.group_message("/ask@other_bot Kết luận 21", GROUP))
    api.push_update(api.group_message("/hoi@other_bot", GROUP))
    api.push_update(api.group_message("/start@other_bot", GROUP))
    api.push_update(api.group_message("hỏi @someone_else Kết luận 21", GROUP))
    other = {"message_id": 5, "date": 0, "chat": {"id": GROUP, "type": "supergroup"},
             "from": {"id": 99, "is_bot": True, "first_name": "Khác", "username": "other_bot"},
             "text": "tin của bot khác"}  # fmt: skip
    api.push_update(api.group_message("trả lời bot khác", GROUP, reply_to=other))
    await _silence(h)


async def test_forum_topic_reply_stays_in_topic(h: Running) -> None:
    # in a topic every message "replies" to the topic's first message: not to the bot
    h.api.push_update(h.api.group_message("Kết luận 21", GROUP, thread_id=77))
    await _silence(h, 0.3)
    update = h.api.group_message("@vankien_test_bot Kết luận 21", GROUP, thread_id=77)
    h.api.push_update(update)
    params = await h.api.wait_for("sendMessage")
    assert params["message_thread_id"] == 77
    assert params["reply_parameters"]["message_id"] == update["message"]["message_id"]
