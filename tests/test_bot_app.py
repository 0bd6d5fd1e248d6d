"""Application wiring: token checks, command menus, lifecycle, webhook secret, shutdown."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import httpx
import pytest

from bot.app import build_application, checked_token, run_bot
from bot.config import ConfigError
from index.service import SearchService
from tests.support.botapi import BotAPI
from tests.support.harness import ADMIN_ID, free_port, make_settings, running_bot, webhook_on
from tests.support.websites import slow_site

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "token",
    [None, "", "abc", "123:short", "123456:" + "x" * 29, "12a:" + "x" * 35, "1:" + "é" * 35],
)
def test_missing_or_malformed_token_fails_fast(tmp_path: Path, token: str | None) -> None:
    settings = make_settings(None, tmp_path / "x.db", TELEGRAM_BOT_TOKEN=token)
    with pytest.raises(ConfigError) as info:
        build_application(settings)
    message = str(info.value)
    assert "TELEGRAM_BOT_TOKEN" in message and "\n" not in message
    assert "@BotFather" in message
    if token:
        assert token not in message


def test_run_bot_refuses_bad_settings_before_starting(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        run_bot(make_settings(None, tmp_path / "x.db"))
    good = "123456:" + "A" * 35
    with pytest.raises(ConfigError, match="https"):
        run_bot(make_settings(None, tmp_path / "x.db", TELEGRAM_BOT_TOKEN=good,
                              VANKIEN_WEBHOOK_URL="http://insecure.example/hook"))  # fmt: skip
    with pytest.raises(ConfigError, match="VANKIEN_WEBHOOK_SECRET"):
        run_bot(make_settings(None, tmp_path / "x.db", TELEGRAM_BOT_TOKEN=good,
                              VANKIEN_WEBHOOK_URL="https://ok.example/hook",
                              VANKIEN_WEBHOOK_SECRET="có dấu"))  # fmt: skip
    assert not (tmp_path / "x.db").exists()


def test_valid_token_is_accepted(tmp_path: Path) -> None:
    token = "123456789:AAH" + "b" * 32
    assert (
        checked_token(make_settings(None, tmp_path / "x.db", TELEGRAM_BOT_TOKEN=f" {token} "))
        == token
    )


async def test_command_menus_and_lifecycle(tmp_path: Path) -> None:
    async with running_bot(tmp_path, ingest=False) as h:
        default = h.api.commands['{"lang": "", "scope": {"type": "default"}}']
        admin = h.api.commands[
            f'{{"lang": "", "scope": {{"chat_id": {ADMIN_ID}, "type": "chat"}}}}'
        ]
        names = [c["command"] for c in default]
        assert names[:4] == ["hoi", "vanban", "moi", "nguon"] and names[-1] == "help"
        assert "trichdan" in names  # the study commands sit between them
        assert "addsource" not in names
        assert [c["command"] for c in admin][-5:] == [
            "addsource",
            "sources",
            "removesource",
            "reindex",
            "stats",
        ]
        assert all(c["description"] for c in default + admin)
        polling = await h.api.wait_for_request("getUpdates")
        assert polling["allowed_updates"] == ["message", "callback_query", "inline_query"]
        service = h.service
        assert isinstance(service, SearchService)
    assert h.app.bot_data.service is None  # closed by post_shutdown


async def test_a_given_service_is_used_and_left_open(tmp_path: Path) -> None:
    service = await SearchService.open(tmp_path / "own.db")
    try:
        async with BotAPI() as api:
            app = build_application(make_settings(api, tmp_path / "unused.db"), service)
            await app.initialize()
            assert app.post_init and app.post_shutdown
            await app.post_init(app)
            assert app.bot_data.service is service
            await app.shutdown()
            await app.post_shutdown(app)
        assert (await service.stats()).articles == 0  # still open
    finally:
        await service.close()
    assert not (tmp_path / "unused.db").exists()


async def test_webhook_checks_the_secret(tmp_path: Path) -> None:
    port = free_port()
    webhook = webhook_on(port, "right-secret_42")
    async with running_bot(tmp_path, webhook=webhook) as h:
        assert h.api.webhook["url"] == "https://bot.example/hook"
        assert h.api.webhook["secret_token"] == "right-secret_42"
        update = {"update_id": 5, **h.api.private_message("Kết luận 21 nói về gì?")}
        url = f"http://127.0.0.1:{port}/hook"
        async with httpx.AsyncClient(timeout=5) as client:
            missing = await client.post(url, json=update)
            wrong = await client.post(
                url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"}
            )
            assert missing.status_code == 403 and wrong.status_code == 403
            await asyncio.sleep(0.2)
            assert h.api.count("sendMessage") == 0
            ok = await client.post(
                url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "right-secret_42"}
            )
            assert ok.status_code == 200
        params = await h.api.wait_for("sendMessage")
        assert params["text"].startswith("<b>Kết luận số 21-KL/TW")


@pytest.mark.slow
async def test_sigterm_finishes_in_flight_work_then_exits(tmp_path: Path) -> None:
    async with slow_site() as site, BotAPI() as api:
        site.delay = 1.5
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("VANKIEN_", "TELEGRAM_"))},
            "TELEGRAM_BOT_TOKEN": api.token,
            "TELEGRAM_BASE_URL": api.base_url,
            "VANKIEN_DB": str(tmp_path / "bot.db"),
            "VANKIEN_ADMIN_IDS": str(ADMIN_ID),
            "VANKIEN_ALLOW_PRIVATE_URLS": "1",
            "PYTHONPATH": str(ROOT),
        }
        code = (
            "from bot.app import run_bot; from bot.config import load_settings; "
            "run_bot(load_settings())"
        )
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-c", code, cwd=tmp_path, env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        try:
            await api.wait_for_request("getUpdates", timeout=20)
            api.push_update(
                api.private_message(f"/addsource {site.base}/nghi-quyet-57", user_id=ADMIN_ID)
            )
            await api.wait_for("sendMessage", timeout=10)  # "Đang đọc…": the fetch is in flight
            proc.send_signal(signal.SIGTERM)
            report = await api.wait_for("editMessageText", timeout=10)
            assert "đã thêm: 1" in report["text"]
            _out, err = await asyncio.wait_for(proc.communicate(), 15)
        finally:
            if proc.returncode is None:
                proc.kill()
                await proc.wait()
    assert proc.returncode == 0, err.decode()[-2000:]
    assert api.token.encode() not in err
    service = await SearchService.open(tmp_path / "bot.db")  # closed cleanly, reopens fine
    try:
        assert (await service.stats()).articles == 1
    finally:
        await service.close()
