"""`/healthz` and `/metrics` over HTTP, when `VANKIEN_METRICS_PORT` is set.

A small tornado server (tornado comes with PTB's webhooks extra) on the
bot's own event loop, started by `post_init` and stopped by `post_shutdown`:
if the loop is stuck, the check times out, which is the right answer.

`/healthz` answers 200 when healthy, 503 with the reasons (in Vietnamese,
for the admin) when
  - no Bot API call has succeeded for `API_STALE_SECONDS` (network, token,
    Telegram); in webhook mode a heartbeat job calls getWebhookInfo every
    minute so an idle bot still proves it can reach Telegram;
  - getUpdates has answered 409 Conflict for `CONFLICT_GRACE_SECONDS`
    (another copy of the bot polls with the same token);
  - no index is loaded (generation 0 and no articles).
`/metrics` is the Prometheus text format of the app's own registry.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import tornado.web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from telegram.error import TelegramError
from tornado.httpserver import HTTPServer

from bot import texts
from bot.config import ConfigError
from bot.context import App, Context
from bot.metrics import Metrics
from index.models import IndexStatus

logger = logging.getLogger(__name__)

API_STALE_SECONDS = 300.0
CONFLICT_GRACE_SECONDS = 60.0
HEARTBEAT_SECONDS = 60.0


@dataclass
class HealthReport:
    ok: bool
    problems: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        body = {"status": "ok" if self.ok else "unhealthy", "problems": self.problems}
        body.update(self.details)
        return json.dumps(body, ensure_ascii=False)


def evaluate(
    metrics: Metrics,
    status: IndexStatus | None,
    *,
    stale_after: float = API_STALE_SECONDS,
    conflict_grace: float = CONFLICT_GRACE_SECONDS,
) -> HealthReport:
    """The health verdict from the API monitor and the live index."""
    problems: list[str] = []
    api = metrics.api
    since_ok = api.seconds_since_ok()
    if since_ok > stale_after:
        problems.append(texts.HEALTH_API_SILENT.format(seconds=since_ok))
    conflict = api.conflict_seconds()
    if conflict is not None and conflict >= conflict_grace:
        problems.append(texts.HEALTH_CONFLICT.format(seconds=conflict))
    if status is None:
        problems.append(texts.HEALTH_NO_SERVICE)
        index = {"generation": 0, "articles": 0, "passages": 0}
    else:
        index = {
            "generation": status.generation,
            "articles": status.articles,
            "passages": status.passages,
        }
        if status.generation == 0 and not status.articles:
            problems.append(texts.HEALTH_NO_INDEX)
    details = {
        "index": index,
        "bot_api": {
            "seconds_since_success": round(since_ok, 1),
            "conflict_seconds": None if conflict is None else round(conflict, 1),
        },
        "time": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    return HealthReport(not problems, problems, details)


class _HealthHandler(tornado.web.RequestHandler):
    def initialize(self, server: HealthServer) -> None:
        self.server = server

    def get(self) -> None:
        report = self.server.report()
        self.set_status(200 if report.ok else 503)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(report.to_json() + "\n")

    def head(self) -> None:
        self.set_status(200 if self.server.report().ok else 503)
        self.finish()


class _MetricsHandler(tornado.web.RequestHandler):
    def initialize(self, server: HealthServer) -> None:
        self.server = server

    def get(self) -> None:
        self.set_header("Content-Type", CONTENT_TYPE_LATEST)
        self.finish(generate_latest(self.server.metrics.registry))


def _log_request(handler: tornado.web.RequestHandler) -> None:
    """Scrapes and health checks are routine: log only failures of the server itself."""
    if handler.get_status() >= 500 and handler.get_status() != 503:
        logger.warning("health server: %s %s", handler.get_status(), handler.request.path)


class HealthServer:
    """The HTTP server; `report()` is what `/healthz` answers."""

    def __init__(
        self,
        metrics: Metrics,
        status_of: Callable[[], IndexStatus | None],
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        stale_after: float = API_STALE_SECONDS,
        conflict_grace: float = CONFLICT_GRACE_SECONDS,
    ) -> None:
        self.metrics = metrics
        self.status_of = status_of  # None: the index is not open
        self.host = host
        self.port = port
        self.stale_after = stale_after
        self.conflict_grace = conflict_grace
        self._server: HTTPServer | None = None

    def report(self) -> HealthReport:
        return evaluate(
            self.metrics,
            self.status_of(),
            stale_after=self.stale_after,
            conflict_grace=self.conflict_grace,
        )

    def start(self) -> None:
        app = tornado.web.Application(
            [
                (r"/healthz", _HealthHandler, {"server": self}),
                (r"/metrics", _MetricsHandler, {"server": self}),
            ],
            log_function=_log_request,
        )
        self._server = HTTPServer(app)
        try:
            self._server.listen(self.port, address=self.host)
        except OSError as exc:
            self._server = None
            raise ConfigError(
                texts.METRICS_PORT_BUSY.format(
                    host=self.host, port=self.port, reason=exc.strerror or exc
                )
            ) from None
        logger.info("health and metrics on http://%s:%s/healthz and /metrics", self.host, self.port)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            await self._server.close_all_connections()
            self._server = None


async def heartbeat(context: Context) -> None:
    """Webhook mode: prove Telegram is reachable and surface delivery errors."""
    try:
        info = await context.bot.get_webhook_info()
    except TelegramError as exc:
        logger.warning("Bot API heartbeat failed: %s", exc)
        return
    when = info.last_error_date
    if when is not None and (datetime.now(UTC) - when).total_seconds() < 2 * HEARTBEAT_SECONDS:
        logger.warning(
            "Telegram could not deliver to the webhook: %s (%d updates waiting)",
            info.last_error_message,
            info.pending_update_count,
        )


async def start(application: App) -> None:
    """post_init: start the server when VANKIEN_METRICS_PORT is set."""
    settings = application.bot_data.config
    if settings.metrics_port is None:
        return
    if settings.webhook_url and settings.metrics_port == settings.port:
        raise ConfigError(texts.METRICS_PORT_CLASH)
    server = HealthServer(
        application.bot_data.metrics,
        lambda: application.bot_data.service.status() if application.bot_data.service else None,
        host=settings.metrics_host,
        port=settings.metrics_port,
    )
    server.start()
    application.bot_data.health_server = server
    if settings.webhook_url and application.job_queue is not None:
        application.job_queue.run_repeating(
            heartbeat, interval=HEARTBEAT_SECONDS, first=HEARTBEAT_SECONDS, name="vankien-heartbeat"
        )


async def stop(application: App) -> None:
    """post_shutdown: stop the server if it runs."""
    server, application.bot_data.health_server = application.bot_data.health_server, None
    if server is not None:
        await server.stop()
