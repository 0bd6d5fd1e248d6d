"""Logging: one line per event, plain text or JSON, secrets never written.

`setup_logging` installs one stderr handler on the root logger. Every line
passes through `Redactor` last, so the bot token and the webhook secret are
replaced wherever they would appear (message, extra fields, traceback).
`current_update_id` is set for each update (bot/metrics.py), so every line
logged while handling it carries `update_id`. Question text is logged only at
DEBUG (bot/handlers.py). PTB's tracebacks for errors the bot handles itself
(`_NO_TRACEBACK`) are left out: their one-line message stays.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterable
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, TextIO

from bot import texts

current_update_id: ContextVar[int | None] = ContextVar("vankien_update_id", default=None)

REDACTED = texts.LOG_REDACTED
# Attributes every LogRecord has; anything else was passed with `extra=`.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}
# Libraries that are chatty at INFO: httpx logs every URL, token included.
_QUIET = ("httpx", "httpcore", "apscheduler", "tornado.access")
# PTB logs a traceback with errors that are then handled anyway (bot/serve.py): for
# every non-JSON answer (a proxy's HTML 404 page) and in its network retry loop
# (logger "telegram.ext" itself, not its children). The line is kept, the traceback not.
_NO_TRACEBACK = ("telegram.request.BaseRequest", "telegram.ext")


class UpdateIdFilter(logging.Filter):
    """Adds `update_id` to records logged while an update is being handled."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "update_id", None) is None:
            update_id = current_update_id.get()
            if update_id is not None:
                record.update_id = update_id
        return True


class DropTraceback(logging.Filter):
    """Keeps the record, without the traceback (the caller handles the error)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info = None
        record.exc_text = None
        return True


class Redactor:
    """Replaces secrets in finished log lines."""

    def __init__(self, secrets: Iterable[str | None]) -> None:
        # longest first, so a secret containing another is replaced whole
        self.secrets = sorted({s for s in secrets if s and len(s) >= 6}, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self.secrets:
            if secret in text:
                text = text.replace(secret, REDACTED)
        return text


def _extras(record: logging.LogRecord) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in vars(record).items():
        if key in _STANDARD or key.startswith("_"):
            continue
        out[key] = value if isinstance(value, str | int | float | bool | None) else str(value)
    return out


class TextFormatter(logging.Formatter):
    """`2025-01-31 08:00:00,123 INFO bot.app: message key=value`, on one line."""

    def __init__(self, redact: Redactor | None = None) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")
        self.redact = redact or Redactor(())

    def format(self, record: logging.LogRecord) -> str:
        record.message = record.getMessage()
        record.asctime = self.formatTime(record, self.datefmt)
        text = self.formatMessage(record)
        text += "".join(f" {k}={v}" for k, v in _extras(record).items())
        if record.exc_info:
            text += "\n" + self.formatException(record.exc_info)
        elif record.exc_text:
            text += "\n" + record.exc_text
        if record.stack_info:
            text += "\n" + self.formatStack(record.stack_info)
        return self.redact(text.replace("\n", "\\n"))


class JsonFormatter(logging.Formatter):
    """One JSON object a line: ts, level, logger, msg, extra fields, exc."""

    def __init__(self, redact: Redactor | None = None) -> None:
        super().__init__()
        self.redact = redact or Redactor(())

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        data.update(_extras(record))
        if record.exc_info:
            data["exc"] = self.formatException(record.exc_info)
        elif record.exc_text:
            data["exc"] = record.exc_text
        if record.stack_info:
            data["stack"] = self.formatStack(record.stack_info)
        return self.redact(json.dumps(data, ensure_ascii=False, default=str))


def make_handler(
    fmt: str = "text", secrets: Iterable[str | None] = (), stream: TextIO | None = None
) -> logging.Handler:
    handler = logging.StreamHandler(stream if stream is not None else sys.stderr)
    redact = Redactor(secrets)
    handler.setFormatter(JsonFormatter(redact) if fmt == "json" else TextFormatter(redact))
    handler.addFilter(UpdateIdFilter())
    return handler


def setup_logging(
    fmt: str = "text",
    level: str = "INFO",
    secrets: Iterable[str | None] = (),
    stream: TextIO | None = None,
) -> logging.Handler:
    """Replace the root handlers with one redacting handler; returns it."""
    handler = make_handler(fmt, secrets, stream)
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    quiet_libraries()
    return handler


def quiet_libraries() -> None:
    for name in _QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)
    for name in _NO_TRACEBACK:
        logger = logging.getLogger(name)
        if not any(isinstance(f, DropTraceback) for f in logger.filters):
            logger.addFilter(DropTraceback())
