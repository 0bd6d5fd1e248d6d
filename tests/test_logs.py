"""Logs: one line per event, JSON on request, and never the token or the webhook secret."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import os
import signal
import sys
from pathlib import Path

import httpx
import pytest

from bot.logs import REDACTED, JsonFormatter, Redactor, TextFormatter, make_handler, setup_logging
from index.service import SearchService
from tests.support.botapi import BotAPI
from tests.support.harness import ADMIN_ID, USER_ID, free_port, running_bot

ROOT = Path(__file__).resolve().parent.parent

SECRET = "webhook-secret_for-log-test_7f3a9c"
CONFLICT = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"


def _attach(stream: io.StringIO, fmt: str, secrets: tuple[str, ...]) -> logging.Handler:
    handler = make_handler(fmt, secrets, stream)
    logging.getLogger().addHandler(handler)
    logging.getLogger().setLevel(logging.INFO)
    return handler


async def test_token_and_secret_never_reach_the_logs_of_a_running_bot(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Polling and webhook, questions, errors, 429s and 409s, all at INFO."""
    caplog.set_level(logging.INFO)
    stream = io.StringIO()
    handler: logging.Handler | None = None
    try:
        async with running_bot(tmp_path / "polling") as h:
            token = h.api.token
            handler = _attach(stream, "text", (token, SECRET))
            h.api.push_update(h.api.private_message("/start", user_id=USER_ID))
            await h.api.wait_for("sendMessage")
            h.api.fail_next("sendMessage", status=429, retry_after=1)
            h.api.push_update(h.api.private_message("Kết luận 21 nói về gì?"))
            await h.api.wait_for("sendMessage", timeout=8)
            h.api.fail_next("sendMessage", status=400)
            h.api.push_update(h.api.private_message("Chỉ thị 05"))
            await h.api.wait_for("sendMessage", lambda p: p["text"].startswith("Đã có lỗi"))
            h.api.push_update(h.api.private_message("/stats", user_id=ADMIN_ID))
            await h.api.wait_for("sendMessage", lambda p: "Thống kê" in p["text"])
            ok_polls = h.api.count("getUpdates")
            h.api.fail_next("getUpdates", status=409, description=CONFLICT)
            for _ in range(100):  # the 409 is served, then polling carries on
                failed = h.api.count("getUpdates", ok_only=False) - h.api.count("getUpdates")
                if failed and h.api.count("getUpdates") > ok_polls + 1:
                    break
                await asyncio.sleep(0.1)
            else:
                raise AssertionError("polling did not recover from the 409")

        port = free_port()
        webhook = {
            "listen": "127.0.0.1",
            "port": port,
            "url_path": "hook",
            "secret_token": SECRET,
            "webhook_url": "https://bot.example/hook",
        }
        async with running_bot(tmp_path / "webhook", webhook=webhook, ingest=False) as h:
            assert h.api.webhook["secret_token"] == SECRET
            update = {"update_id": 77, **h.api.private_message("Kết luận 21 nói về gì?")}
            async with httpx.AsyncClient(timeout=5) as client:
                url = f"http://127.0.0.1:{port}/hook"
                wrong = await client.post(
                    url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"}
                )
                ok = await client.post(
                    url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
                )
            assert (wrong.status_code, ok.status_code) == (403, 200)
            await h.api.wait_for("sendMessage")
    finally:
        if handler is not None:
            logging.getLogger().removeHandler(handler)

    ours = stream.getvalue()
    raw = "\n".join(
        [r.getMessage() for r in caplog.records]
        + [caplog.handler.format(r) for r in caplog.records if r.exc_info]
    )
    assert "Rate limit hit" in raw and "Conflict" in raw  # the events did happen
    assert "error while handling update" in ours
    token_secret_part = token.split(":", 1)[1]
    for text in (ours, raw):
        assert token not in text and token_secret_part not in text
        assert SECRET not in text
    for line in ours.splitlines():
        assert line[:4].isdigit(), f"not one line per event: {line!r}"
    assert f"/start from user id {USER_ID}" in ours  # how an admin finds an id


async def test_json_lines_carry_the_update_id(tmp_path: Path) -> None:
    stream = io.StringIO()
    async with running_bot(tmp_path, ingest=False) as h:
        handler = _attach(stream, "json", (h.api.token,))
        try:
            update_id = h.api.push_update(h.api.private_message("/start", user_id=USER_ID))
            await h.api.wait_for("sendMessage")
            logging.getLogger("vankien.test").info("outside any update")
        finally:
            logging.getLogger().removeHandler(handler)
    records = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert records and all({"ts", "level", "logger", "msg"} <= set(r) for r in records)
    [start] = [r for r in records if r["msg"].startswith("/start from user id")]
    assert start["update_id"] == update_id and start["level"] == "INFO"
    [outside] = [r for r in records if r["msg"] == "outside any update"]
    assert "update_id" not in outside


def _record(msg: str, *args: object, exc: bool = False, **extra: object) -> logging.LogRecord:
    exc_info = None
    if exc:
        try:
            raise RuntimeError(
                "failed at https://api.telegram.org/bot123456:SECRETPART_abcdefghijklmnopqrstuvwxyz/getMe"
            )
        except RuntimeError:
            exc_info = sys.exc_info()
    record = logging.LogRecord("bot.test", logging.ERROR, __file__, 1, msg, args, exc_info)
    record.__dict__.update(extra)
    return record


TOKEN = "123456:SECRETPART_abcdefghijklmnopqrstuvwxyz"


def test_formatters_redact_messages_extras_and_tracebacks() -> None:
    redact = Redactor([TOKEN, SECRET, None, ""])
    for formatter in (TextFormatter(redact), JsonFormatter(redact)):
        line = formatter.format(
            _record("calling %s with %s", f"/bot{TOKEN}/sendMessage", SECRET, exc=True, url=TOKEN)
        )
        assert "\n" not in line
        assert TOKEN not in line and SECRET not in line and "SECRETPART" not in line
        assert REDACTED in line
        assert "RuntimeError" in line  # the traceback is still there


def test_json_formatter_fields() -> None:
    line = JsonFormatter().format(_record("hello %s", "world", update_id=12, chat_type="private"))
    data = json.loads(line)
    assert data["msg"] == "hello world" and data["level"] == "ERROR"
    assert data["logger"] == "bot.test" and data["update_id"] == 12
    assert data["chat_type"] == "private" and data["ts"].endswith("+00:00")


def test_text_formatter_is_one_line_with_extras() -> None:
    line = TextFormatter().format(_record("two\nlines", update_id=5, exc=True))
    assert "\n" not in line and "two\\nlines" in line and "update_id=5" in line


def test_setup_logging_replaces_root_handlers_and_quiets_httpx() -> None:
    root = logging.getLogger()
    saved_handlers, saved_level = list(root.handlers), root.level
    stream = io.StringIO()
    try:
        handler = setup_logging("json", "WARNING", secrets=[TOKEN], stream=stream)
        assert root.handlers == [handler] and root.level == logging.WARNING
        assert logging.getLogger("httpx").level == logging.WARNING
        logging.getLogger("httpx").warning("GET https://api.telegram.org/bot%s/getMe", TOKEN)
        logging.getLogger("bot").info("not at INFO")
    finally:
        root.handlers[:] = saved_handlers
        root.setLevel(saved_level)
    [line] = stream.getvalue().splitlines()
    assert TOKEN not in line and json.loads(line)["logger"] == "httpx"


async def test_vankien_run_process_json_logs_health_and_sigterm(tmp_path: Path) -> None:
    """`vankien run` as an admin starts it: JSON logs on stderr, /healthz, clean SIGTERM."""
    db = tmp_path / "bot.db"
    service = await SearchService.open(db)
    try:
        await service.ingest([str(Path(__file__).parent / "fixtures" / "bot")])
    finally:
        await service.close()
    port = free_port()
    async with BotAPI() as api:
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("VANKIEN_", "TELEGRAM_"))},
            "TELEGRAM_BOT_TOKEN": api.token,
            "TELEGRAM_BASE_URL": api.base_url,
            "VANKIEN_DB": str(db),
            "VANKIEN_METRICS_PORT": str(port),
            "VANKIEN_LOG_FORMAT": "json",
            "VANKIEN_LOG_LEVEL": "INFO",
            "PYTHONPATH": str(ROOT),
        }
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", "run", cwd=tmp_path, env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        try:
            await api.wait_for_request("getUpdates", timeout=30)
            update_id = api.push_update(api.private_message("/start", user_id=USER_ID))
            await api.wait_for("sendMessage", timeout=10)
            api.push_update(api.private_message("Kết luận 21 nói về gì?", user_id=USER_ID))
            await api.wait_for("sendMessage", timeout=10)
            async with httpx.AsyncClient(timeout=5) as client:
                health = await client.get(f"http://127.0.0.1:{port}/healthz")
                metrics = (await client.get(f"http://127.0.0.1:{port}/metrics")).text
            assert health.status_code == 200, health.text
            assert 'vankien_answers_total{result="found"} 1.0' in metrics
            proc.send_signal(signal.SIGTERM)
            _out, err = await asyncio.wait_for(proc.communicate(), 20)
        finally:
            if proc.returncode is None:
                proc.kill()
                await proc.wait()
    assert proc.returncode == 0, err.decode()[-2000:]
    text = err.decode()
    assert api.token not in text and api.token.split(":", 1)[1] not in text
    records = [json.loads(line) for line in text.splitlines()]  # every line is one JSON event
    assert all({"ts", "level", "logger", "msg"} <= set(r) for r in records)
    assert not [r for r in records if r["level"] in ("ERROR", "CRITICAL")], records
    [start] = [r for r in records if r["msg"].startswith("/start from user id")]
    assert start["update_id"] == update_id
    assert not [r for r in records if "Kết luận 21" in r["msg"]]  # question text: DEBUG only
    assert any("health and metrics on" in r["msg"] for r in records)
