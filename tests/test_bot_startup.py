"""`vankien run` against a Bot API that refuses the token or is not there yet.

Whatever happens, the token never appears in the output and no traceback is printed.
"""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

import httpx
import pytest

from tests.support.botapi import BotAPI
from tests.support.botprocess import BotProcess, bot_process
from tests.support.harness import free_port

pytestmark = pytest.mark.slow
TOKEN = "987654321:AAHrevokedTokenNeverToBeShown_xyz12345"


def assert_clean(bot: BotProcess, token: str) -> None:
    assert token not in bot.output
    assert token.split(":")[1] not in bot.output
    assert "Traceback" not in bot.output
    assert "never awaited" not in bot.output


async def test_revoked_token_is_refused_in_one_line(tmp_path: Path) -> None:
    async with (
        BotAPI() as api,  # knows only its own token: ours gets 401 Unauthorized
        bot_process(tmp_path, token=TOKEN, base_url=api.base_url) as bot,
    ):
        assert await bot.wait_exit(30) == 1
    stderr = bot.stderr.decode()
    assert "vankien: Token bị từ chối" in stderr and "401" in stderr and "@BotFather" in stderr
    assert_clean(bot, TOKEN)


async def test_wrong_base_url_path_is_refused_in_one_line(tmp_path: Path) -> None:
    async with BotAPI() as api:
        base = f"http://127.0.0.1:{api.port}/khong-dung/bot"  # answered 404, not JSON
        async with bot_process(tmp_path, token=api.token, base_url=base) as bot:
            assert await bot.wait_exit(30) == 1
    stderr = bot.stderr.decode()
    assert "vankien: Token bị từ chối" in stderr and "404" in stderr
    assert "TELEGRAM_BASE_URL" in stderr and base in stderr
    assert_clean(bot, api.token)


async def test_unreachable_api_is_retried_until_it_comes_up(tmp_path: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}/bot"
    api = BotAPI(port=port)
    async with bot_process(tmp_path, token=api.token, base_url=base) as bot:
        await bot.wait_for_line(f"Không kết nối được tới Bot API tại {base}")
        await bot.wait_for_line("thử lại sau 2 giây")  # backoff: 1 s, then 2 s
        async with api:
            await api.wait_for_request("getUpdates", timeout=30)
            api.push_update(api.private_message("Kết luận 21 nói về gì?"))
            reply = await api.wait_for("sendMessage", timeout=10)
            assert "Kết luận số 21" in reply["text"]  # answered (from an empty database)
            bot.proc.send_signal(signal.SIGTERM)
            assert await bot.wait_exit(20) == 0
    assert_clean(bot, api.token)


async def test_stop_signal_while_waiting_for_the_api_exits_at_once(tmp_path: Path) -> None:
    base = f"http://127.0.0.1:{free_port()}/bot"
    async with bot_process(tmp_path, token=TOKEN, base_url=base) as bot:
        await bot.wait_for_line("thử lại sau 1 giây")
        bot.proc.send_signal(signal.SIGTERM)
        started = asyncio.get_running_loop().time()
        assert await bot.wait_exit(10) == 0
        assert asyncio.get_running_loop().time() - started < 3
    assert_clean(bot, TOKEN)


async def test_token_revoked_while_running_stops_with_the_message(tmp_path: Path) -> None:
    async with (
        BotAPI() as api,
        bot_process(tmp_path, token=api.token, base_url=api.base_url) as bot,
    ):
        await api.wait_for_request("getUpdates", timeout=30)
        token, api.token = api.token, TOKEN  # revoked: every call now answers 401
        api.push_update(api.group_message("chuyện khác", -100999))  # wakes the long poll
        assert await bot.wait_exit(20) == 1  # not left running idle
    stderr = bot.stderr.decode()
    assert "vankien: Token bị từ chối" in stderr and "401" in stderr
    assert_clean(bot, token)


async def test_webhook_mode_serves_and_stops(tmp_path: Path) -> None:
    port = free_port()
    webhook = {
        "VANKIEN_WEBHOOK_URL": "https://bot.example/hook",
        "VANKIEN_PORT": str(port),
        "VANKIEN_WEBHOOK_SECRET": "right-secret_42",
    }
    async with (
        BotAPI() as api,
        bot_process(tmp_path, token=api.token, base_url=api.base_url, **webhook) as bot,
    ):
        assert (await api.wait_for("setWebhook", timeout=30))["url"] == "https://bot.example/hook"
        await bot.wait_for_line("Application started")
        update = {"update_id": 5, **api.private_message("Kết luận 21 nói về gì?")}
        headers = {"X-Telegram-Bot-Api-Secret-Token": "right-secret_42"}
        async with httpx.AsyncClient(timeout=5) as client:
            posted = await client.post(
                f"http://127.0.0.1:{port}/hook", json=update, headers=headers
            )
        assert posted.status_code == 200
        assert "Kết luận số 21" in (await api.wait_for("sendMessage", timeout=10))["text"]
        bot.proc.send_signal(signal.SIGTERM)
        assert await bot.wait_exit(20) == 0
    assert_clean(bot, api.token)
    assert "right-secret_42" not in bot.output
