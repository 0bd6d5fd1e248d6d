"""Running the Application: connect, serve until a stop signal, then stop in bounded time.

PTB's `run_polling` is not used because of three faults it leaves to us:
  - a rejected token (401, or 404 from a wrong TELEGRAM_BASE_URL) ends in an
    `InvalidToken` traceback that spells out the token, printed after logging
    has shut down, so no redactor sees it;
  - an unreachable Bot API at start ends the process at once, so a bot that
    starts before the network is up never recovers;
  - a second signal during its shutdown raises SystemExit inside the loop and
    leaves "coroutine 'Updater.stop' was never awaited".
Here a rejected token is a ConfigError (one Vietnamese line, exit 1), an
unreachable API is retried with backoff until it answers or a signal comes,
and a signal starts a shutdown that ends within SHUTDOWN_SECONDS whatever is
still queued.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from typing import Any

from telegram.error import InvalidToken, NetworkError, RetryAfter, TelegramError

from bot import texts
from bot.config import ConfigError
from bot.context import App
from bot.updates import ChatLanes

logger = logging.getLogger(__name__)


FIRST_RETRY_SECONDS = 1.0
MAX_RETRY_SECONDS = 60.0
# After a stop signal: time for the updates in hand (a group's reply may wait
# seconds for its flood budget); then they are dropped. The whole stop stays
# under 20 s, well inside Docker's and systemd's grace before SIGKILL.
SHUTDOWN_SECONDS = 15.0
STOP_GRACE_SECONDS = 2.0  # for background tasks and jobs after the updates are done
POLLING_TASK = "Updater:start_polling:polling_task"  # the name PTB 22 gives its task


def api_base(application: App) -> str:
    """The Bot API base URL as configured, without the token."""
    return application.bot.base_url.replace(application.bot.token, "")


def rejected_token_message(application: App) -> str:
    """The ConfigError text for a 401/404 answer to getMe (never the token itself)."""
    status = application.bot_data.metrics.api.last_status
    if status == 401:
        return texts.TOKEN_UNAUTHORIZED
    return texts.TOKEN_REJECTED.format(api=api_base(application), status=status or 404)


async def connect(application: App, stopping: asyncio.Event) -> bool:
    """Initialize (getMe), retrying while the Bot API is unreachable.

    True once connected; False if a stop signal came first. A rejected token
    raises ConfigError; nothing is chained, so no traceback can carry the token.
    """
    delay = FIRST_RETRY_SECONDS
    while True:
        try:
            await application.initialize()
            return True
        except InvalidToken:
            await (
                application.bot.request.shutdown()
            )  # initialize opened it; nothing else will close it
            raise ConfigError(rejected_token_message(application)) from None
        except (NetworkError, RetryAfter) as exc:  # TimedOut and 5xx answers are NetworkErrors
            logger.warning(
                texts.LOG_API_UNREACHABLE,
                api_base(application),
                exc,
                round(delay),
            )
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stopping.wait(), delay)
        if stopping.is_set():
            return False
        delay = min(delay * 2, MAX_RETRY_SECONDS)


async def serve(
    application: App, *, allowed_updates: list[str], webhook: dict[str, Any] | None
) -> None:
    """Run until SIGINT/SIGTERM: long polling, or the webhook server when `webhook` is given."""
    loop = asyncio.get_running_loop()
    stopping = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stopping.set)
    if not await connect(application, stopping):
        logger.info("stopped before the Bot API answered")
        return
    try:
        if application.post_init is not None:
            await application.post_init(application)
        updater = application.updater
        assert updater is not None
        if webhook is not None:
            await updater.start_webhook(
                **webhook,
                allowed_updates=allowed_updates,
                drop_pending_updates=False,
                bootstrap_retries=-1,
            )
        else:
            await updater.start_polling(
                allowed_updates=allowed_updates,
                drop_pending_updates=False,
                bootstrap_retries=-1,
                error_callback=polling_error,
            )
        await application.start()
        token_revoked = await polling_refused_or_stopped(stopping)
        lanes = application.update_processor
        logger.info(
            "%s, stopping (%d updates in hand)",
            "the Bot API refused the token" if token_revoked else "stop signal received",
            lanes.current_concurrent_updates,
        )
        if isinstance(lanes, ChatLanes):  # a second signal: drop what is in hand now
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(sig, lanes.close)
    finally:
        await stop(application)
    if token_revoked:
        raise ConfigError(rejected_token_message(application))


def polling_error(exc: TelegramError) -> None:
    """One line per failed getUpdates (PTB's default logs a traceback); polling retries."""
    logger.warning("getUpdates failed, retrying: %s", exc)


async def polling_refused_or_stopped(stopping: asyncio.Event) -> bool:
    """Wait for a stop signal; True instead if polling ends on a rejected token.

    PTB's polling gives up on InvalidToken (a token revoked while running) and
    leaves the bot idle; its task is found by the name PTB gives it.
    """
    signalled = asyncio.create_task(stopping.wait())
    polling = [t for t in asyncio.all_tasks() if t.get_name() == POLLING_TASK]
    await asyncio.wait([signalled, *polling], return_when=asyncio.FIRST_COMPLETED)
    if signalled.done():
        return False
    signalled.cancel()
    error = polling[0].exception()  # retrieved here; Updater.stop() meets it again
    return isinstance(error, InvalidToken)


async def stop(application: App, seconds: float = SHUTDOWN_SECONDS) -> None:
    """Stop fetching, finish the updates in hand within `seconds`, drop the rest (counted),
    release everything (post_shutdown last)."""
    loop = asyncio.get_running_loop()
    end = loop.time() + seconds
    lanes = application.update_processor
    deadline = None
    if isinstance(lanes, ChatLanes):
        deadline = loop.call_at(end, lanes.close)
    try:
        if application.updater is not None and application.updater.running:
            try:  # the last getUpdates may hang; a dead polling task re-raises its error
                await asyncio.wait_for(application.updater.stop(), seconds)
            except (TimeoutError, TelegramError) as exc:
                logger.warning("stopping the updater: %s", exc or "timed out")
        if application.running:
            try:
                await asyncio.wait_for(application.stop(), end - loop.time() + STOP_GRACE_SECONDS)
            except TimeoutError:
                logger.warning("background work still running at shutdown was cancelled")
    finally:
        if deadline is not None:
            deadline.cancel()
        if isinstance(lanes, ChatLanes) and lanes.dropped:
            logger.warning(
                "stopped with %d updates not handled in time: dropped without an answer",
                lanes.dropped,
            )
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)
