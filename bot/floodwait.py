"""A group's flood wait pauses that group, not every chat.

PTB's AIORateLimiter keeps each group within 20 messages a minute, but when
Telegram still answers 429 ("retry after N") it pauses *every* request for N
seconds, so one group's flood wait delays private answers too (measured: a
private question waited 9.8 s behind a group's 10 s wait). Telegram's group
limit is per chat, so here a 429 on a request to a group pauses only that
group: its requests wait and are retried, the others go on. Requests to
private chats and without a chat keep PTB's behaviour.

The RetryAfter is taken out of PTB's retry loop (which would pause everyone)
by carrying it in `_GroupFlood` to `process_request`, which waits and retries.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram.error import RetryAfter
from telegram.warnings import PTBDeprecationWarning

from bot.metrics import CountingRateLimiter, Metrics

logger = logging.getLogger(__name__)

JSONDict = dict[str, Any]
Result = bool | JSONDict | list[JSONDict]
SLACK_SECONDS = 0.1  # as PTB adds to every retry_after


class _GroupFlood(Exception):
    def __init__(self, error: RetryAfter) -> None:
        super().__init__(str(error))
        self.error = error


def group_of(data: dict[str, Any]) -> int | str | None:
    """The group a request goes to (negative id or @username), as AIORateLimiter decides."""
    chat_id = data.get("chat_id")
    if isinstance(chat_id, str):
        try:
            chat_id = int(chat_id)
        except ValueError:
            return chat_id  # @channelusername
    if isinstance(chat_id, int) and chat_id < 0:
        return chat_id
    return None


def retry_seconds(error: RetryAfter) -> float:
    with warnings.catch_warnings():  # int or timedelta, by PTB_TIMEDELTA; either is fine here
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    seconds = value.total_seconds() if isinstance(value, timedelta) else float(value)
    return seconds + SLACK_SECONDS


class GroupFloodWaits(CountingRateLimiter):
    """CountingRateLimiter whose 429s for a group pause that group only."""

    def __init__(self, metrics: Metrics, *, max_retries: int) -> None:
        super().__init__(metrics, max_retries=max_retries)
        self.max_retries = max_retries
        self._paused_until: dict[int | str, float] = {}  # group -> loop time

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Result:
        group = group_of(data)
        if group is None:
            return await super().process_request(
                callback, args, kwargs, endpoint, data, rate_limit_args
            )

        async def flood_waits_apart(*a: Any, **k: Any) -> Result:
            try:
                return await callback(*a, **k)
            except RetryAfter as exc:
                raise _GroupFlood(exc) from None

        loop = asyncio.get_running_loop()
        retries_left = rate_limit_args or self.max_retries
        while True:
            await self._wait_out(group)
            try:
                return await super().process_request(
                    flood_waits_apart, args, kwargs, endpoint, data, rate_limit_args
                )
            except _GroupFlood as flood:
                self._metrics.retry_after.inc()
                if retries_left <= 0:
                    raise flood.error from None
                retries_left -= 1
                self._metrics.retries.inc()
                seconds = retry_seconds(flood.error)
                until = max(self._paused_until.get(group, 0.0), loop.time() + seconds)
                self._paused_until[group] = until
                logger.info("flood wait in chat %s: retrying after %.1f s", group, seconds)

    async def _wait_out(self, group: int | str) -> None:
        loop = asyncio.get_running_loop()
        while (until := self._paused_until.get(group)) is not None:
            if until <= loop.time():
                self._paused_until.pop(group, None)
                return
            await asyncio.sleep(until - loop.time())
