"""What the Telegram handlers share, typed: `context.bot_data` is a `BotData`.

PTB creates `BotData()` itself (through `ContextTypes`), so every field has
a default; `build_application` fills in the settings and metrics, and
`post_init` the service.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot

from bot.callbacks import LRU
from bot.config import Settings
from bot.conversation import Conversation
from bot.limits import RateLimiter
from bot.metrics import Metrics
from index.service import SearchService

if TYPE_CHECKING:
    from bot.health import HealthServer


@dataclass
class BotData:
    settings: Settings | None = None
    service: SearchService | None = None
    owns_service: bool = False  # opened by post_init, so closed by post_shutdown
    metrics: Metrics = field(default_factory=Metrics)
    limiter: RateLimiter = field(default_factory=RateLimiter)
    lru: LRU = field(default_factory=LRU)  # questions and long keys behind buttons
    health_server: HealthServer | None = None
    digest_generation: int | None = None  # the index generation the last digests covered

    @property
    def config(self) -> Settings:
        if self.settings is None:
            raise RuntimeError("settings are not set")
        return self.settings

    @property
    def search(self) -> SearchService:
        if self.service is None:
            raise RuntimeError("SearchService is not open")
        return self.service

    @property
    def conversation(self) -> Conversation:
        return Conversation(
            self.search,
            limiter=self.limiter,
            observer=self.metrics,
            feedback_days=self.settings.feedback_days if self.settings else None,
        )


Context = CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]
CONTEXT_TYPES = ContextTypes(bot_data=BotData)
# only bot_data is pinned: PTB's builder does not carry the context type into the job queue's
App = Application[Any, Any, Any, Any, BotData, Any]
