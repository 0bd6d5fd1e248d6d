"""Prometheus metrics and Bot API health signals, on a dedicated registry.

Labels are low-cardinality on purpose (update types, outcomes, result
classes): never chat ids, user ids or question text.

Where the numbers come from (wired by `configure_builder` and `install` in bot/app.py):
  ObservedRequest      every Bot API response: last success, 409 Conflict on
                       getUpdates, results by class
  CountingRateLimiter  RetryAfter (429) seen by PTB's AIORateLimiter, retries made
  TypeHandler          updates by type, in its own first group; sets the update
                       id for log lines
  error handler        errors raised by handlers
  observe_answer       bot/conversation.py, once a front end has sent the answer
  observe_reindex      bot/admin.py, around every reindex
  index gauges         read from the live index at scrape time (bound in bot/app.py)
"""

from __future__ import annotations

import time
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    ProcessCollector,
)
from telegram import Update
from telegram.error import NetworkError, RetryAfter
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, TypeHandler
from telegram.request import HTTPXRequest

from bot.logs import current_update_id
from index.errors import ReindexBusyError
from index.models import IndexStatus

# The counting handler's group: before every other group, and alone in it (in a
# group only the first matching handler runs, so it must not share one).
COUNT_GROUP = -1000
JSONDict = dict[str, Any]
UPDATE_TYPES = ("message", "command", "callback", "inline", "other")
ANSWER_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 15.0, 30.0)
REINDEX_BUCKETS = (1.0, 5.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0)


@dataclass
class ApiMonitor:
    """What the Bot API has been answering lately (monotonic clock)."""

    clock: Callable[[], float] = time.monotonic
    started: float = 0.0
    last_ok: float | None = None  # any 2xx answer
    conflict_since: float | None = None  # getUpdates answering 409 since then
    last_status: int | None = None

    def __post_init__(self) -> None:
        self.started = self.clock()

    def record(self, method: str, status: int) -> None:
        now = self.clock()
        self.last_status = status
        polling = method.lower() == "getupdates"
        if 200 <= status < 300:
            self.last_ok = now
            if polling:
                self.conflict_since = None
        elif status == 409 and polling and self.conflict_since is None:
            self.conflict_since = now

    def seconds_since_ok(self) -> float:
        """Seconds since the last success (since start if none yet)."""
        return self.clock() - (self.last_ok if self.last_ok is not None else self.started)

    def conflict_seconds(self) -> float | None:
        return None if self.conflict_since is None else self.clock() - self.conflict_since


@dataclass
class Metrics:
    """The collectors; one instance (and registry) per Application."""

    registry: CollectorRegistry = field(default_factory=CollectorRegistry)
    api: ApiMonitor = field(default_factory=ApiMonitor)

    def __post_init__(self) -> None:
        r = self.registry
        ProcessCollector(registry=r)
        self.updates = Counter("vankien_updates", "Updates received, by type", ["type"], registry=r)
        self.answer_seconds = Histogram(
            "vankien_answer_seconds",
            "Time from a question to the answer being sent",
            buckets=ANSWER_BUCKETS,
            registry=r,
        )
        self.answers = Counter(
            "vankien_answers", "Answers sent, found or not found", ["result"], registry=r
        )
        self.handler_errors = Counter(
            "vankien_handler_errors", "Errors raised while handling updates", registry=r
        )
        self.api_requests = Counter(
            "vankien_bot_api_requests",
            "Bot API responses by result class",
            ["result"],
            registry=r,
        )
        self.retry_after = Counter(
            "vankien_bot_api_retry_after",
            "429 Too Many Requests (RetryAfter) answers from the Bot API",
            registry=r,
        )
        self.retries = Counter(
            "vankien_bot_api_retries", "Requests repeated after a RetryAfter", registry=r
        )
        self.api_last_ok = Gauge(
            "vankien_bot_api_last_success_timestamp_seconds",
            "Unix time of the last successful Bot API call",
            registry=r,
        )
        self.reindex_seconds = Histogram(
            "vankien_reindex_seconds",
            "Duration of reindex runs",
            buckets=REINDEX_BUCKETS,
            registry=r,
        )
        self.reindexes = Counter(
            "vankien_reindex",
            "Reindex runs by trigger and outcome",
            ["trigger", "outcome"],
            registry=r,
        )
        self.index_generation = Gauge(
            "vankien_index_generation", "Generation number of the live index", registry=r
        )
        self.index_articles = Gauge(
            "vankien_index_articles", "Articles in the live index", registry=r
        )
        self.index_passages = Gauge(
            "vankien_index_passages", "Passages in the live index", registry=r
        )
        for kind in UPDATE_TYPES:  # export zeros so dashboards see every series
            self.updates.labels(kind)
        for result in ("found", "not_found"):
            self.answers.labels(result)

    # -- hooks ------------------------------------------------------------------------
    def bind_index(self, status_of: Callable[[], IndexStatus | None]) -> None:
        """Read generation, articles and passages from `status_of()` at scrape time."""

        def read(attr: Callable[[IndexStatus], int]) -> Callable[[], float]:
            def value() -> float:
                status = status_of()
                return float(attr(status)) if status is not None else 0.0

            return value

        self.index_generation.set_function(read(lambda status: status.generation))
        self.index_articles.set_function(read(lambda status: status.articles))
        self.index_passages.set_function(read(lambda status: status.passages))

    def record_response(self, method: str, status: int) -> None:
        self.api.record(method, status)
        if 200 <= status < 300:
            self.api_last_ok.set(time.time())
            result = "ok"
        elif status == 409:
            result = "conflict"
        elif status == 429:
            result = "rate_limited"
        elif status >= 500:
            result = "server_error"
        else:
            result = "client_error"
        self.api_requests.labels(result).inc()

    def observe_answer(self, found: bool, seconds: float) -> None:
        self.answer_seconds.observe(seconds)
        self.answers.labels("found" if found else "not_found").inc()

    @contextmanager
    def observe_reindex(self, trigger: str) -> Iterator[None]:
        """Time a reindex; outcome ok, busy (another run) or failed (raised)."""
        started = time.perf_counter()
        outcome = "failed"
        try:
            yield
            outcome = "ok"
        except ReindexBusyError:
            outcome = "busy"
            raise
        finally:
            if outcome != "busy":
                self.reindex_seconds.observe(time.perf_counter() - started)
            self.reindexes.labels(trigger, outcome).inc()


def update_type(update: object) -> str:
    if not isinstance(update, Update):
        return "other"
    if update.callback_query is not None:
        return "callback"
    if update.inline_query is not None:
        return "inline"
    message = update.message
    if message is not None:
        entities = message.entities or ()
        if any(e.type == "bot_command" and e.offset == 0 for e in entities):
            return "command"
        return "message"
    return "other"


# -- Bot API hooks --------------------------------------------------------------------
class ObservedRequest(HTTPXRequest):
    """PTB's HTTPX request that reports each response's status to Metrics.

    The URL holds the token: only the method name (its last segment) is kept.
    """

    __slots__ = ("_metrics",)

    def __init__(self, metrics: Metrics, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._metrics = metrics

    async def do_request(
        self, url: str, method: str, *args: Any, **kwargs: Any
    ) -> tuple[int, bytes]:
        try:
            status, payload = await super().do_request(url, method, *args, **kwargs)
        except NetworkError:  # TimedOut included: nothing came back
            self._metrics.api_requests.labels("network_error").inc()
            raise
        self._metrics.record_response(url.rsplit("/", 1)[-1], status)
        return status, payload


class CountingRateLimiter(AIORateLimiter):
    """AIORateLimiter that counts the RetryAfter answers it sees and its retries."""

    def __init__(self, metrics: Metrics, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._metrics = metrics

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | JSONDict | list[JSONDict]:
        attempts = 0

        async def counted(*a: Any, **k: Any) -> bool | JSONDict | list[JSONDict]:
            nonlocal attempts
            attempts += 1
            if attempts > 1:
                self._metrics.retries.inc()
            try:
                return await callback(*a, **k)
            except RetryAfter:
                self._metrics.retry_after.inc()
                raise

        return await super().process_request(
            callback=counted,
            args=args,
            kwargs=kwargs,
            endpoint=endpoint,
            data=data,
            rate_limit_args=rate_limit_args,
        )


# -- wiring ---------------------------------------------------------------------------
def configure_builder(builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any], metrics: Metrics,
                      *, max_retries: int) -> ApplicationBuilder[Any, Any, Any, Any, Any, Any]:  # fmt: skip
    """Observed requests (PTB's default pool sizes) and the counting rate limiter."""
    return (
        builder.request(ObservedRequest(metrics, connection_pool_size=256))
        .get_updates_request(ObservedRequest(metrics, connection_pool_size=1))
        .rate_limiter(CountingRateLimiter(metrics, max_retries=max_retries))
    )


def install(application: Application[Any, Any, Any, Any, Any, Any], metrics: Metrics) -> None:
    """Add the counting handlers."""

    async def count_update(update: object, context: object) -> None:
        if isinstance(update, Update):
            current_update_id.set(update.update_id)
        metrics.updates.labels(update_type(update)).inc()

    async def count_error(update: object, context: object) -> None:
        if isinstance(update, Update):  # polling and Bot API errors are counted elsewhere
            metrics.handler_errors.inc()

    application.add_handler(TypeHandler(Update, count_update), group=COUNT_GROUP)
    application.add_error_handler(count_error)
