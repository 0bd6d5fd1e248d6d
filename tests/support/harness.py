"""Run the real bot Application against the Bot API emulator.

`running_bot` mirrors what `Application.run_polling` does (initialize,
post_init, start the updater, start; then the reverse, ending with
post_shutdown), so the service is opened and closed by the app's own hooks
on a temp SQLite file, and the fixture articles are ingested through it.
"""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.app import ALLOWED_UPDATES, build_application
from bot.config import Settings
from bot.context import App
from index.service import SearchService
from tests.support.botapi import BotAPI

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "bot"
ADMIN_ID = 4242
USER_ID = 1001


def make_settings(api: BotAPI | None, db: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "TELEGRAM_BOT_TOKEN": api.token if api else None,
        "TELEGRAM_BASE_URL": api.base_url if api else None,
        "VANKIEN_DB": str(db),
        "VANKIEN_ADMIN_IDS": str(ADMIN_ID),
        "VANKIEN_ALLOW_PRIVATE_URLS": True,
        "VANKIEN_WEBHOOK_URL": None,
        "VANKIEN_WEBHOOK_SECRET": None,
        "VANKIEN_REFRESH_MINUTES": 0,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


WEBHOOK_URL = "https://bot.example/hook"


def webhook_on(port: int, secret: str) -> dict[str, Any]:
    """`running_bot(webhook=…)` arguments: a webhook server on 127.0.0.1:`port`."""
    return {
        "listen": "127.0.0.1",
        "port": port,
        "url_path": "hook",
        "secret_token": secret,
        "webhook_url": WEBHOOK_URL,
    }


@dataclass
class Running:
    api: BotAPI
    app: App
    settings: Settings

    @property
    def service(self) -> SearchService:
        return self.app.bot_data.search


@asynccontextmanager
async def running_bot(
    tmp_path: Path,
    *,
    ingest: bool = True,
    webhook: dict[str, Any] | None = None,
    **overrides: Any,
) -> AsyncIterator[Running]:
    """A started bot (polling, or a webhook server when `webhook` kwargs are given)."""
    async with BotAPI() as api:
        settings = make_settings(api, tmp_path / "bot.db", **overrides)
        app = build_application(settings)
        await app.initialize()
        assert app.post_init is not None and app.post_shutdown is not None
        await app.post_init(app)
        running = Running(api, app, settings)
        try:
            if ingest:
                report = await running.service.ingest([str(FIXTURES)])
                assert report.count("added") >= 4, report
            assert app.updater is not None
            if webhook is None:
                await app.updater.start_polling(
                    poll_interval=0, timeout=1, allowed_updates=ALLOWED_UPDATES
                )
            else:
                await app.updater.start_webhook(allowed_updates=ALLOWED_UPDATES, **webhook)
            await app.start()
            try:
                yield running
            finally:
                if app.updater.running:
                    await app.updater.stop()
                await app.stop()
        finally:
            await app.shutdown()
            await app.post_shutdown(app)
