"""The Telegram application: built once, its lifecycle owns the SearchService.

`build_application` wires handlers, defaults (HTML, no link previews), the
flood-limit aware rate limiter and the lifecycle hooks: `post_init` opens the
service (unless one is passed in) and sets the command menus,
`post_shutdown` closes it. `run_bot` runs long polling, or a webhook when
`VANKIEN_WEBHOOK_URL` is set, through bot/serve.py (start-up retries, a
rejected token as one clear line, bounded shutdown on SIGINT/SIGTERM).
"""

from __future__ import annotations

import asyncio
import logging
import re
import secrets
from typing import Any
from urllib.parse import urlsplit

from telegram import (
    BotCommand,
    BotCommandScopeChat,
    BotCommandScopeDefault,
    LinkPreviewOptions,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import ApplicationBuilder, Defaults

from bot import admin, handlers, health, study, texts
from bot import metrics as bot_metrics
from bot.config import ConfigError, Settings
from bot.context import CONTEXT_TYPES, App
from bot.floodwait import GroupFloodWaits
from bot.logs import quiet_libraries, setup_logging
from bot.serve import serve
from bot.updates import ChatLanes
from index.service import SearchService

logger = logging.getLogger(__name__)

TOKEN_RE = re.compile(r"\d+:[A-Za-z0-9_-]{30,}")
SECRET_RE = re.compile(r"[A-Za-z0-9_-]{1,256}")
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.INLINE_QUERY]
MAX_RETRIES = 3

USER_COMMANDS = tuple(BotCommand(name, text) for name, text in texts.USER_COMMANDS)
ADMIN_COMMANDS = tuple(BotCommand(name, text) for name, text in texts.ADMIN_COMMANDS)


def checked_token(settings: Settings) -> str:
    """The bot token, or ConfigError with one clear Vietnamese line."""
    if settings.telegram_bot_token is None or not settings.telegram_bot_token.get_secret_value():
        raise ConfigError(texts.TOKEN_MISSING)
    token = settings.telegram_bot_token.get_secret_value().strip()
    if not TOKEN_RE.fullmatch(token):
        raise ConfigError(texts.TOKEN_MALFORMED)
    return token


def webhook_secret(settings: Settings) -> str:
    """The configured secret, or a fresh random one (Telegram echoes whatever we set)."""
    if settings.webhook_secret is None or not settings.webhook_secret.get_secret_value():
        return secrets.token_urlsafe(32)
    secret = settings.webhook_secret.get_secret_value()
    if not SECRET_RE.fullmatch(secret):
        raise ConfigError(texts.WEBHOOK_SECRET_MALFORMED)
    return secret


async def post_init(application: App) -> None:
    """Open the service (unless given) and publish the command menus."""
    settings = application.bot_data.config
    if application.bot_data.service is None:
        application.bot_data.service = await SearchService.open(
            settings.db, allow_private_urls=settings.allow_private_urls
        )
        application.bot_data.owns_service = True
    await set_commands(application, settings)
    if settings.refresh_minutes and application.job_queue is not None:
        interval = settings.refresh_minutes * 60
        application.job_queue.run_repeating(
            admin.refresh_job, interval=interval, first=interval, name="vankien-refresh"
        )
    study.start_jobs(application)  # follow-up digests after each update
    await health.start(application)  # /healthz and /metrics when VANKIEN_METRICS_PORT is set
    logger.info("bot @%s ready", application.bot.username)


async def post_shutdown(application: App) -> None:
    """Stop the health server; close the service if post_init opened it."""
    await health.stop(application)
    service = application.bot_data.service
    if service is not None and application.bot_data.owns_service:
        await service.close()
        application.bot_data.service = None
        application.bot_data.owns_service = False


async def set_commands(application: App, settings: Settings) -> None:
    """Vietnamese command menus: everyone's, plus admin commands in each admin's chat."""
    bot = application.bot
    try:
        await bot.set_my_commands(USER_COMMANDS, scope=BotCommandScopeDefault())
    except TelegramError as exc:
        logger.warning("could not set the command menu: %s", exc)
    for admin_id in sorted(settings.admin_ids):
        try:
            await bot.set_my_commands(
                USER_COMMANDS + ADMIN_COMMANDS, scope=BotCommandScopeChat(admin_id)
            )
        except TelegramError as exc:  # e.g. the admin has not started the bot yet
            logger.warning("could not set admin commands for %s: %s", admin_id, exc)


def build_application(settings: Settings, service: SearchService | None = None) -> App:
    """The configured Application; `service` is used as is and not closed when given."""
    token = checked_token(settings)
    quiet_libraries()  # httpx logs request URLs, token included, even before setup_logging
    defaults = Defaults(
        parse_mode=ParseMode.HTML,
        link_preview_options=LinkPreviewOptions(is_disabled=True),
        allow_sending_without_reply=True,
    )
    builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any] = (
        ApplicationBuilder()
        .token(token)
        .defaults(defaults)
        .context_types(CONTEXT_TYPES)
        .concurrent_updates(ChatLanes(settings.admin_ids))  # one lane per chat: bot/updates.py
        .post_init(post_init)
        .post_shutdown(post_shutdown)
    )
    metrics = bot_metrics.Metrics()
    # observed Bot API requests (health, 409s) and a rate limiter that counts 429s
    builder = bot_metrics.configure_builder(builder, metrics, max_retries=MAX_RETRIES)
    # its CountingRateLimiter, with a group's 429 pausing that group only
    builder = builder.rate_limiter(GroupFloodWaits(metrics, max_retries=MAX_RETRIES))
    if settings.telegram_base_url:
        base = settings.telegram_base_url.rstrip("/")
        builder = builder.base_url(base)
        if base.endswith("/bot"):  # a local Bot API server serves files next to it
            builder = builder.base_file_url(base[: -len("/bot")] + "/file/bot")
    application = builder.build()
    application.bot_data.settings = settings
    application.bot_data.service = service
    application.bot_data.metrics = metrics
    metrics.bind_index(
        lambda: application.bot_data.service.status() if application.bot_data.service else None
    )
    bot_metrics.install(application, metrics)  # its own first group: counts every update
    handlers.register(application)
    admin.register(application)
    study.register(application)
    handlers.register_text(application)
    application.add_error_handler(handlers.error_handler)
    return application


def run_bot(settings: Settings) -> None:
    """Run until SIGINT/SIGTERM: long polling, or a webhook when configured."""
    token = checked_token(settings)
    webhook: dict[str, Any] | None = None
    if settings.webhook_url:
        url = settings.webhook_url
        if not url.lower().startswith("https://"):
            raise ConfigError(texts.WEBHOOK_URL_NOT_HTTPS)
        webhook = {
            "listen": "0.0.0.0",
            "port": settings.port,
            "url_path": urlsplit(url).path.lstrip("/"),
            "webhook_url": url,
            "secret_token": webhook_secret(settings),
        }
    setup_logging(
        settings.log_format,
        settings.log_level,
        secrets=(token, webhook["secret_token"] if webhook else None),
    )
    application = build_application(settings)
    asyncio.run(serve(application, allowed_updates=ALLOWED_UPDATES, webhook=webhook))
