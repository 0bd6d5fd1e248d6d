"""The Bot API emulator itself, driven by a plain telegram.Bot."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, RetryAfter

from tests.support.botapi import BotAPI, parse_telegram_html


@pytest.fixture
async def api() -> BotAPI:  # type: ignore[misc]
    async with BotAPI() as emulator:
        yield emulator


@pytest.fixture
async def bot(api: BotAPI) -> Bot:  # type: ignore[misc]
    async with Bot(api.token, base_url=api.base_url) as b:
        yield b


async def test_get_me_and_send_message(api: BotAPI, bot: Bot) -> None:
    assert bot.username == "vankien_test_bot"
    msg = await bot.send_message(
        7, '<b>x &amp; y</b> 😀 <a href="https://a.example">l</a>', parse_mode="HTML"
    )
    assert msg.text == "x & y 😀 l"
    assert msg.chat.id == 7 and msg.message_id > 0 and msg.date is not None
    assert [(e.type, e.offset, e.length) for e in msg.entities] == [
        ("bold", 0, 5),
        ("text_link", 9, 1),
    ]
    params = await api.wait_for("sendMessage")
    assert params["parse_mode"] == "HTML" and params["chat_id"] == 7
    edited = await bot.edit_message_text("mới", chat_id=7, message_id=msg.message_id)
    assert isinstance(edited, object) and api.messages[7][msg.message_id]["text"] == "mới"
    with pytest.raises(BadRequest, match="not modified"):
        await bot.edit_message_text("mới", chat_id=7, message_id=msg.message_id)


async def test_html_is_parsed_strictly(bot: Bot) -> None:
    for bad in ("<script>x</script>", "a < b", "a & b", "<b>x", '<a href="javascript:x">y</a>'):
        with pytest.raises(BadRequest, match="(?i)parse entities"):
            await bot.send_message(1, bad, parse_mode="HTML")
    with pytest.raises(BadRequest, match="too long"):
        await bot.send_message(1, "x" * 4097)
    await bot.send_message(1, "😀" * 2048)  # 4096 UTF-16 units
    with pytest.raises(BadRequest, match="too long"):
        await bot.send_message(1, "😀" * 2049)
    with pytest.raises(BadRequest, match="(?i)button_data_invalid"):
        markup = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="x" * 65)]])
        await bot.send_message(1, "x", reply_markup=markup)


def test_parser_counts_utf16_offsets() -> None:
    text, entities = parse_telegram_html("😀<i>á&lt;</i><blockquote expandable>q</blockquote>")
    assert text == "😀á<q"
    assert entities == [
        {"type": "italic", "offset": 2, "length": 2},
        {"type": "blockquote", "offset": 4, "length": 1},
    ]


async def test_long_polling_waits_and_honours_offset(api: BotAPI, bot: Bot) -> None:
    started = time.monotonic()
    assert await bot.get_updates(timeout=0.3) == ()
    assert time.monotonic() - started >= 0.25

    async def push_later() -> None:
        await asyncio.sleep(0.2)
        api.push_update(api.private_message("một"))

    task = asyncio.create_task(push_later())
    started = time.monotonic()
    updates = await bot.get_updates(timeout=3)
    await task
    assert time.monotonic() - started < 2
    assert [u.message.text for u in updates] == ["một"]
    api.push_update(api.private_message("hai"))
    again = await bot.get_updates(timeout=0)
    assert [u.message.text for u in again] == ["một", "hai"]  # not confirmed yet
    rest = await bot.get_updates(offset=again[-1].update_id, timeout=0)
    assert [u.message.text for u in rest] == ["hai"]
    assert await bot.get_updates(offset=again[-1].update_id + 1, timeout=0) == ()


async def test_fail_next_and_unknown_methods(api: BotAPI, bot: Bot) -> None:
    api.fail_next("sendMessage", status=429, retry_after=1)
    with pytest.raises(RetryAfter, match="Retry in 1 seconds"):
        await bot.send_message(1, "x")
    await bot.send_message(1, "x")  # only once
    assert api.count("sendMessage") == 1 and api.count("sendMessage", ok_only=False) == 2
    async with httpx.AsyncClient() as client:
        r = await client.post(f"{api.base_url}{api.token}/sendNonsense", json={})
        assert r.status_code == 404 and r.json()["ok"] is False
        r = await client.post(
            f"{api.base_url}{api.token}/sendMessage", json={"chat_id": 3, "text": "json"}
        )
        assert r.json()["result"]["text"] == "json"
        r = await client.post(f"{api.base_url}0:wrong/getMe")
        assert r.status_code == 401


async def test_commands_and_webhook_methods(api: BotAPI, bot: Bot) -> None:
    await bot.set_my_commands([("hoi", "Hỏi")])
    assert [c.command for c in await bot.get_my_commands()] == ["hoi"]
    await bot.delete_my_commands()
    assert await bot.get_my_commands() == ()
    await bot.set_webhook("https://example.invalid/hook", secret_token="s")
    assert (await bot.get_webhook_info()).url == "https://example.invalid/hook"
    assert await bot.delete_webhook()
    assert await bot.send_chat_action(1, "typing")
    assert await bot.answer_callback_query("1", text="ok")
    assert await bot.log_out() and await bot.close()
