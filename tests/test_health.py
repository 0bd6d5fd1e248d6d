"""/healthz and /metrics on a running bot (real PTB Application, Bot API emulator)."""

from __future__ import annotations

import asyncio
import json
import re
import socket
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.app import build_application
from bot.config import ConfigError
from bot.health import HealthServer, evaluate
from bot.metrics import ApiMonitor, Metrics
from index.models import IndexStatus
from tests.support.botapi import BotAPI
from tests.support.harness import (
    ADMIN_ID,
    USER_ID,
    Running,
    free_port,
    make_settings,
    running_bot,
    webhook_on,
)

GROUP_ID = -100200300
CONFLICT = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"


@pytest.fixture
async def h(tmp_path: Path) -> AsyncIterator[Running]:
    async with running_bot(tmp_path, VANKIEN_METRICS_PORT=free_port()) as running:
        yield running


def base(h: Running) -> str:
    return f"http://127.0.0.1:{h.settings.metrics_port}"


def server_of(h: Running) -> HealthServer:
    server = h.app.bot_data.health_server
    assert server is not None
    assert isinstance(server, HealthServer)
    return server


async def healthz(h: Running) -> tuple[int, dict[str, Any]]:
    async with httpx.AsyncClient(timeout=5) as client:
        response = await client.get(base(h) + "/healthz")
    assert response.headers["content-type"].startswith("application/json")
    return response.status_code, response.json()


async def scrape(h: Running) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of /metrics: (name, sorted labels) → value."""
    async with httpx.AsyncClient(timeout=5) as client:
        response = await client.get(base(h) + "/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    samples = {}
    for family in text_string_to_metric_families(response.text):
        for s in family.samples:
            samples[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return samples


def value(samples: dict[Any, float], name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


async def eventually(check: Callable[[], Any], timeout: float = 8.0) -> None:
    """Retry an async or plain check until it stops raising AssertionError."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            result = check()
            if asyncio.iscoroutine(result):
                await result
            return
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.1)


# -- healthy bot, counting ------------------------------------------------------------


async def test_healthy_bot_and_its_metrics(h: Running) -> None:
    status, body = await healthz(h)
    live = h.service.live
    assert status == 200, body
    assert body["status"] == "ok" and body["problems"] == []
    assert body["index"] == {
        "generation": live.generation,
        "articles": len(live.articles),
        "passages": len(live.passages),
    }
    assert body["index"]["articles"] >= 4

    h.api.push_update(h.api.private_message("Kết luận 21 nói về gì?", user_id=USER_ID))
    await h.api.wait_for("sendMessage", lambda p: p["text"].startswith("<b>Kết luận số 21"))
    h.api.push_update(h.api.private_message("Nghị quyết 99 nói về gì?", user_id=USER_ID))
    await h.api.wait_for("sendMessage", lambda p: "99" in p["text"])
    h.api.push_update(h.api.private_message("/start", user_id=USER_ID))
    await h.api.wait_for("sendMessage", lambda p: p["text"].startswith("Xin chào"))
    h.api.push_update(h.api.inline_query("Kết luận 21"))
    await h.api.wait_for("answerInlineQuery")

    async def counted() -> None:
        m = await scrape(h)
        assert value(m, "vankien_updates_total", type="message") == 2
        assert value(m, "vankien_updates_total", type="command") == 1
        assert value(m, "vankien_updates_total", type="inline") == 1
        assert value(m, "vankien_updates_total", type="callback") == 0
        assert value(m, "vankien_answers_total", result="found") == 1
        assert value(m, "vankien_answers_total", result="not_found") == 1
        assert value(m, "vankien_answer_seconds_count") == 2
        assert 0 < value(m, "vankien_answer_seconds_sum") < 10

    await eventually(counted)
    m = await scrape(h)
    assert value(m, "vankien_index_generation") == live.generation
    assert value(m, "vankien_index_articles") == len(live.articles)
    assert value(m, "vankien_index_passages") == len(live.passages)
    assert value(m, "vankien_bot_api_requests_total", result="ok") > 5
    assert abs(value(m, "vankien_bot_api_last_success_timestamp_seconds") - time.time()) < 30
    assert value(m, "process_resident_memory_bytes") > 0


async def test_button_updates_are_counted_as_callbacks(h: Running) -> None:
    h.api.push_update(h.api.private_message("Kết luận 21 nói về gì?"))
    await h.api.wait_for("sendMessage")
    [sent] = h.api.sent(USER_ID)
    buttons = [b for row in sent["reply_markup"]["inline_keyboard"] for b in row]
    data = next(b["callback_data"] for b in buttons if "callback_data" in b)
    h.api.push_update(h.api.callback_query(data, sent))
    await h.api.wait_for("answerCallbackQuery")

    async def counted() -> None:
        assert value(await scrape(h), "vankien_updates_total", type="callback") == 1

    await eventually(counted)


async def test_metrics_carry_no_ids_or_question_text(h: Running) -> None:
    h.api.push_update(h.api.private_message("Kết luận 21 nói về gì?", user_id=USER_ID))
    await h.api.wait_for("sendMessage")
    h.api.push_update(
        h.api.group_message(f"@{h.app.bot.username} Chỉ thị 05 ban hành ngày nào?", GROUP_ID)
    )
    await h.api.wait_for("sendMessage", lambda p: p["chat_id"] == GROUP_ID)
    async with httpx.AsyncClient(timeout=5) as client:
        text = (await client.get(base(h) + "/metrics")).text
    for secret in ("Kết luận", "Chỉ thị", h.api.token):
        assert secret not in text
    for chat_id in (USER_ID, GROUP_ID):  # as a whole number: a timing's digits may hold it
        assert not re.search(rf"(?<![\d.]){chat_id}(?![\d.])", text)
    labels = {
        name
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        for name in sample.labels
    }
    assert labels <= {"type", "result", "trigger", "outcome", "le"}


async def test_429_and_retries_are_counted(h: Running) -> None:
    h.api.fail_next("sendMessage", status=429, retry_after=1)
    h.api.push_update(h.api.private_message("Kết luận 21 nói về gì?"))
    await h.api.wait_for("sendMessage", timeout=8)

    async def counted() -> None:
        m = await scrape(h)
        assert value(m, "vankien_bot_api_retry_after_total") == 1
        assert value(m, "vankien_bot_api_retries_total") == 1
        assert value(m, "vankien_bot_api_requests_total", result="rate_limited") == 1

    await eventually(counted)


async def test_reindex_duration_and_outcome(h: Running) -> None:
    generation = h.service.live.generation
    h.api.push_update(h.api.private_message("/reindex", user_id=ADMIN_ID))
    await h.api.wait_for(
        "editMessageText", lambda p: "Đã lập lại chỉ mục xong" in p["text"], timeout=15
    )

    async def counted() -> None:
        m = await scrape(h)
        assert value(m, "vankien_reindex_total", trigger="admin", outcome="ok") == 1
        assert value(m, "vankien_reindex_seconds_count") == 1
        # nothing new was collected: the generation is kept, nothing rebuilt
        assert value(m, "vankien_index_generation") == h.service.live.generation == generation

    await eventually(counted)


# -- unhealthy ------------------------------------------------------------------------


async def test_polling_stuck_in_409_conflict_is_unhealthy_until_it_clears(h: Running) -> None:
    server_of(h).conflict_grace = 0.0  # the production grace is a minute
    for _ in range(2):
        h.api.fail_next("getUpdates", status=409, description=CONFLICT)

    async def conflicted() -> None:
        status, body = await healthz(h)
        assert status == 503
        assert any("409 Conflict" in p and "một bản" in p for p in body["problems"])

    await eventually(conflicted)
    value_503 = value(await scrape(h), "vankien_bot_api_requests_total", result="conflict")
    assert value_503 >= 1

    async def recovered() -> None:
        status, body = await healthz(h)
        assert status == 200, body

    await eventually(recovered, timeout=15)


async def test_no_successful_bot_api_call_for_five_minutes_is_unhealthy(h: Running) -> None:
    assert h.app.updater is not None
    await h.app.updater.stop()  # nothing talks to Telegram any more
    api = h.app.bot_data.metrics.api
    assert isinstance(api, ApiMonitor)
    api.last_ok = api.clock() - 301
    status, body = await healthz(h)
    assert status == 503
    assert any("Bot API" in p for p in body["problems"])
    assert body["bot_api"]["seconds_since_success"] >= 300
    await h.app.bot.get_me()  # Telegram answers again
    status, body = await healthz(h)
    assert status == 200, body


async def test_no_index_is_unhealthy_until_articles_arrive(tmp_path: Path) -> None:
    async with running_bot(tmp_path, ingest=False, VANKIEN_METRICS_PORT=free_port()) as h:
        status, body = await healthz(h)
        assert status == 503
        assert any("Chưa có chỉ mục" in p for p in body["problems"])
        assert body["index"]["articles"] == 0
        async with httpx.AsyncClient(timeout=5) as client:
            head = await client.head(base(h) + "/healthz")
        assert head.status_code == 503
        await h.service.ingest([str(Path(__file__).parent / "fixtures" / "bot")])
        status, body = await healthz(h)
        assert status == 200, body


# -- wiring ---------------------------------------------------------------------------


async def test_no_server_without_a_metrics_port(tmp_path: Path) -> None:
    async with running_bot(tmp_path, ingest=False) as h:
        assert h.settings.metrics_port is None
        assert h.app.bot_data.health_server is None
        assert isinstance(h.app.bot_data.metrics, Metrics)  # counting still happens


async def test_busy_metrics_port_is_a_clear_config_error(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        server = HealthServer(Metrics(), lambda: None, port=port)
        with pytest.raises(ConfigError, match="VANKIEN_METRICS_PORT"):
            server.start()
        async with BotAPI() as api:
            app = build_application(
                make_settings(api, tmp_path / "b.db", VANKIEN_METRICS_PORT=port)
            )
            await app.initialize()
            assert app.post_init and app.post_shutdown
            try:
                with pytest.raises(ConfigError, match="VANKIEN_METRICS_PORT"):
                    await app.post_init(app)
            finally:
                await app.shutdown()
                await app.post_shutdown(app)  # closes the service post_init opened


async def test_webhook_mode_heartbeat_reaches_telegram(tmp_path: Path) -> None:
    port = free_port()
    webhook = webhook_on(port, "heartbeat-secret_1")
    async with running_bot(
        tmp_path,
        webhook=webhook,
        VANKIEN_METRICS_PORT=free_port(),
        VANKIEN_WEBHOOK_URL="https://bot.example/hook",
        VANKIEN_PORT=port,
    ) as h:
        assert h.app.job_queue is not None
        [job] = h.app.job_queue.get_jobs_by_name("vankien-heartbeat")
        before = h.api.count("getWebhookInfo")
        await job.run(h.app)
        assert h.api.count("getWebhookInfo") == before + 1
        status, _ = await healthz(h)
        assert status == 200


async def test_metrics_port_must_differ_from_the_webhook_port(tmp_path: Path) -> None:
    async with BotAPI() as api:
        settings = make_settings(
            api,
            tmp_path / "c.db",
            VANKIEN_WEBHOOK_URL="https://bot.example/hook",
            VANKIEN_PORT=9100,
            VANKIEN_METRICS_PORT=9100,
        )
        app = build_application(settings)
        await app.initialize()
        assert app.post_init and app.post_shutdown
        try:
            with pytest.raises(ConfigError, match="VANKIEN_PORT"):
                await app.post_init(app)
        finally:
            await app.shutdown()
            await app.post_shutdown(app)


# -- the verdict itself ---------------------------------------------------------------


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _status(generation: int, articles: int) -> IndexStatus:
    return IndexStatus(generation, articles, articles * 3, reindex_running=False)


def test_evaluate_thresholds() -> None:
    clock = _Clock()
    metrics = Metrics(api=ApiMonitor(clock=clock))
    service = _status(3, 2)
    assert evaluate(metrics, service).ok  # just started: the 5 minutes run from start
    clock.now += 299
    assert evaluate(metrics, service).ok
    clock.now += 2
    report = evaluate(metrics, service)
    assert not report.ok and len(report.problems) == 1
    metrics.record_response("sendMessage", 200)
    assert evaluate(metrics, service).ok
    metrics.record_response("getUpdates", 409)
    clock.now += 59
    assert evaluate(metrics, service).ok  # a short conflict (e.g. a redeploy) is tolerated
    clock.now += 2
    assert not evaluate(metrics, service).ok
    metrics.record_response("sendMessage", 200)  # other calls do not end a conflict
    assert not evaluate(metrics, service).ok
    metrics.record_response("getUpdates", 200)
    assert evaluate(metrics, service).ok
    assert not evaluate(metrics, None).ok
    assert not evaluate(metrics, _status(0, 0)).ok
    assert evaluate(metrics, _status(0, 1)).ok  # articles, even before a generation
    body = json.loads(evaluate(metrics, _status(0, 0)).to_json())
    assert body["status"] == "unhealthy" and "Chưa có chỉ mục" in body["problems"][0]


def test_each_metrics_instance_has_its_own_registry() -> None:
    a, b = Metrics(), Metrics()
    a.updates.labels("message").inc()
    assert a.registry.get_sample_value("vankien_updates_total", {"type": "message"}) == 1
    assert b.registry.get_sample_value("vankien_updates_total", {"type": "message"}) == 0
