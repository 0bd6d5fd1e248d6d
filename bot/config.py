"""Settings from the environment (and a `.env` file in the working folder).

This is the only module that reads environment variables. The token and the
webhook secret are `SecretStr`, so they never print in logs or tracebacks.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot import texts

# Every setting an operator may set: name -> one-line English meaning.
# The README and deploy/vankien.env.example must mention each of them.
DOCUMENTED_SETTINGS = {
    "TELEGRAM_BOT_TOKEN": "bot token from @BotFather",
    "TELEGRAM_BASE_URL": "Bot API base URL (local Bot API server)",
    "VANKIEN_DB": "SQLite database file",
    "VANKIEN_ADMIN_IDS": "comma-separated Telegram user ids allowed to run admin commands",
    "VANKIEN_ALLOW_PRIVATE_URLS": "1 lets sources live on private/loopback addresses",
    "VANKIEN_REFRESH_MINUTES": "how often registered feeds are re-read (0 = off)",
    "VANKIEN_WEBHOOK_URL": "public HTTPS URL for webhook mode",
    "VANKIEN_WEBHOOK_SECRET": "secret token Telegram sends with every webhook call",
    "VANKIEN_PORT": "local port the webhook server listens on",
    "VANKIEN_METRICS_PORT": "port for /healthz and /metrics (off when unset)",
    "VANKIEN_METRICS_HOST": "address the /healthz and /metrics server listens on",
    "VANKIEN_LOG_FORMAT": "text or json",
    "VANKIEN_LOG_LEVEL": "DEBUG, INFO, WARNING or ERROR",
    "VANKIEN_FEEDBACK_DAYS": "days unanswered questions and votes are kept",
}


class ConfigError(ValueError):
    """A setting is missing or invalid; the message names it."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True
    )

    telegram_bot_token: SecretStr | None = Field(default=None, alias="TELEGRAM_BOT_TOKEN")
    telegram_base_url: str | None = Field(default=None, alias="TELEGRAM_BASE_URL")
    db: Path = Field(default=Path("data/vankien.db"), alias="VANKIEN_DB")
    admin_ids: Annotated[frozenset[int], NoDecode] = Field(
        default=frozenset(), alias="VANKIEN_ADMIN_IDS"
    )
    allow_private_urls: bool = Field(default=False, alias="VANKIEN_ALLOW_PRIVATE_URLS")
    refresh_minutes: int = Field(default=0, ge=0, alias="VANKIEN_REFRESH_MINUTES")
    webhook_url: str | None = Field(default=None, alias="VANKIEN_WEBHOOK_URL")
    webhook_secret: SecretStr | None = Field(default=None, alias="VANKIEN_WEBHOOK_SECRET")
    port: int = Field(default=8443, ge=1, le=65535, alias="VANKIEN_PORT")
    metrics_port: int | None = Field(default=None, ge=1, le=65535, alias="VANKIEN_METRICS_PORT")
    metrics_host: str = Field(default="127.0.0.1", min_length=1, alias="VANKIEN_METRICS_HOST")
    log_format: Literal["text", "json"] = Field(default="text", alias="VANKIEN_LOG_FORMAT")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        default="INFO", alias="VANKIEN_LOG_LEVEL"
    )

    feedback_days: int = Field(default=30, ge=1, le=3650, alias="VANKIEN_FEEDBACK_DAYS")

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _parse_admin_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip() for p in value.replace(";", ",").split(",") if p.strip()]
            try:
                return frozenset(int(p) for p in parts)
            except ValueError:
                raise ValueError(texts.ADMIN_IDS_INVALID) from None
        if isinstance(value, int):
            return frozenset({value})
        return value

    @field_validator("telegram_base_url", "webhook_url", "metrics_port", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("metrics_host", mode="before")
    @classmethod
    def _default_host(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return "127.0.0.1"
        return value

    @field_validator("log_format", "log_level", mode="before")
    @classmethod
    def _case_insensitive(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        return value.lower() if value.lower() in ("text", "json") else value.upper()


def load_settings(**overrides: object) -> Settings:
    """Read settings, turning pydantic's report into one readable line."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            name = str(err["loc"][0]) if err["loc"] else "?"
            field = Settings.model_fields.get(name)
            env_name = field.alias if field and field.alias else name
            problems.append(f"{env_name}: {err['msg']}")
        raise ConfigError(texts.CONFIG_INVALID.format(problems="; ".join(problems))) from None
