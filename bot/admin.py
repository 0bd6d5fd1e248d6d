"""Admin commands: sources, ingest, reindex, stats.

Admins are exactly the user ids in `Settings.admin_ids` (a group's admins are
not bot admins). Anyone else gets a polite refusal before the service is
touched, so nothing is written.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import logging
from collections.abc import Awaitable

from telegram import Message, Update, User
from telegram.error import BadRequest, TelegramError
from telegram.ext import CommandHandler

from bot import texts
from bot.context import App, BotData, Context
from bot.handlers import NEW_MESSAGE, Handler, admitted
from bot.render import esc, progress_lines, split_html, stats_lines
from index.errors import ReindexBusyError, VankienError
from index.models import IngestReport, ReindexProgress, SourceInfo, Stats

logger = logging.getLogger(__name__)

EDIT_INTERVAL = 2.0  # seconds between progress edits (Telegram throttles edits too)
MAX_LISTED_PROBLEMS = 30
MAX_LISTED_FAILURES = 10


def is_admin(update: Update, context: Context) -> bool:
    settings = context.bot_data.config
    user = update.effective_user
    # a message sent on behalf of a chat (anonymous group admin, channel) is never an admin's
    return (
        user is not None
        and isinstance(update.effective_sender, User)
        and user.id in settings.admin_ids
    )


def admin_only(handler: Handler) -> Handler:
    """Refuse politely, before doing anything, unless the sender is a bot admin.

    Refusals count against the sender's rate limit (one notice, then silence);
    configured admins are operators the limit is not for.
    """

    @functools.wraps(handler)
    async def wrapper(update: Update, context: Context) -> None:
        if not is_admin(update, context):
            if not await admitted(update, context):
                return
            user = update.effective_user
            logger.info("refused admin command from %s", user.id if user else None)
            if update.effective_message:
                await update.effective_message.reply_text(esc(texts.ADMIN_ONLY))
            return
        await handler(update, context)

    return wrapper


async def _reply_long(message: Message, html_blocks: list[str]) -> None:
    for piece in split_html(html_blocks):
        await message.reply_text(piece)


# --------------------------------------------------------------------------- formatting


def format_report(report: IngestReport) -> list[str]:
    counts = ", ".join(
        f"{label}: {report.count(status)}"
        for status, label in texts.STATUS_LABELS.items()
        if report.count(status) or status in ("added", "updated", "unchanged", "refused")
    )
    blocks = [f"<b>{esc(texts.REPORT_HEADING)}</b>\n{esc(counts)}"]
    problems = [i for i in report.items if i.status in ("refused", "failed", "duplicate")]
    if problems:
        lines = []
        for item in problems[:MAX_LISTED_PROBLEMS]:
            label = texts.STATUS_LABELS.get(item.status, item.status)
            reason = f": {esc(item.reason)}" if item.reason else ""
            lines.append(f"• <i>{esc(label)}</i> — {esc(item.title or item.target)}{reason}")
        if len(problems) > MAX_LISTED_PROBLEMS:
            lines.append(esc(texts.AND_MORE.format(n=len(problems) - MAX_LISTED_PROBLEMS)))
        blocks.append("\n".join(lines))
    return blocks


def format_progress(p: ReindexProgress) -> str:
    head = texts.REINDEX_DONE if p.finished else texts.REINDEX_RUNNING
    lines = [
        f"<b>{esc(head)}</b>",
        *map(esc, progress_lines(p)),
    ]
    if p.finished:
        lines.append(esc(texts.PROGRESS_DONE.format(seconds=p.seconds, generation=p.generation)))
        for target, reason in p.failures[:MAX_LISTED_FAILURES]:
            lines.append(f"• {esc(target)}: {esc(reason)}")
        if len(p.failures) > MAX_LISTED_FAILURES:
            more = len(p.failures) - MAX_LISTED_FAILURES
            lines.append(esc(texts.AND_MORE_FAILURES.format(n=more)))
    return split_html(["\n".join(lines)])[0]


def format_stats(s: Stats) -> str:
    return "\n".join([f"<b>{esc(texts.STATS_HEADING)}</b>", *map(esc, stats_lines(s))])


def format_source(src: SourceInfo) -> str:
    articles = texts.SOURCE_ARTICLES.format(
        n=src.article_count, last_ok=src.last_ok_at or texts.NEVER
    )
    line = f"<b>#{src.id}</b> · {esc(src.kind)} · {esc(src.location)}\n   {esc(articles)}"
    if src.last_error:
        line += f"\n   <i>{esc(texts.SOURCE_ERROR.format(error=src.last_error))}</i>"
    return line


# --------------------------------------------------------------------------- commands


@admin_only
async def addsource(update: Update, context: Context) -> None:
    """/addsource <url-or-path> …: read and index new sources."""
    message = update.effective_message
    assert message is not None
    targets = context.args or []
    if not targets:
        await message.reply_text(texts.USAGE_ADD_HTML)
        return
    status = await message.reply_text(esc(texts.READING_SOURCES.format(n=len(targets))))
    try:
        report = await context.bot_data.search.ingest(list(targets))
    except ReindexBusyError:
        await status.edit_text(esc(texts.REINDEX_BUSY))
        return
    except VankienError as exc:  # the database refused: disk full, permissions …
        await status.edit_text(esc(texts.ADD_FAILED_REASON.format(reason=exc)))
        return
    except Exception:
        await _edit(status, esc(texts.ADD_FAILED))  # never left at "⏳"; the error handler logs
        raise
    pieces = split_html(format_report(report))
    await status.edit_text(pieces[0])
    for piece in pieces[1:]:
        await message.reply_text(piece)


@admin_only
async def list_sources(update: Update, context: Context) -> None:
    """/sources: registered sources with their ids."""
    message = update.effective_message
    assert message is not None
    sources = await context.bot_data.search.sources()
    if not sources:
        await message.reply_text(texts.NO_SOURCES_ADMIN_HTML)
        return
    heading = f"<b>{esc(texts.REGISTERED_SOURCES)}</b>"
    await _reply_long(message, [heading, *map(format_source, sources)])


@admin_only
async def removesource(update: Update, context: Context) -> None:
    """/removesource <id>."""
    message = update.effective_message
    assert message is not None
    args = context.args or []
    raw = args[0].lstrip("#") if len(args) == 1 else ""
    # ASCII digits only ("²".isdigit() is true) and within SQLite's 64-bit integers
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 18):
        await message.reply_text(texts.USAGE_REMOVE_HTML)
        return
    try:
        removed = await context.bot_data.search.remove_source(int(raw))
    except ReindexBusyError:
        await message.reply_text(esc(texts.REINDEX_BUSY))
        return
    text = texts.SOURCE_REMOVED if removed else texts.SOURCE_MISSING
    await message.reply_text(esc(text.format(id=raw)))


@admin_only
async def stats(update: Update, context: Context) -> None:
    """/stats."""
    message = update.effective_message
    assert message is not None
    await message.reply_text(format_stats(await context.bot_data.search.stats()))


@admin_only
async def reindex(update: Update, context: Context) -> None:
    """/reindex: rebuild in the background; one progress message, edited."""
    message = update.effective_message
    assert message is not None
    service = context.bot_data.search
    if service.reindex_running:
        await message.reply_text(esc(texts.REINDEX_BUSY))
        return
    feed = ProgressFeed()
    job = service.start_reindex(feed.push)  # running from here: a second /reindex is refused
    status = await message.reply_text(esc(texts.REINDEX_STARTING))
    context.application.create_task(
        run_reindex(job, feed, status, context.bot_data), update=update, name="vankien-reindex"
    )


async def _edit(status: Message, text: str) -> None:
    try:
        await status.edit_text(text)
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            logger.warning("could not edit reindex progress: %s", exc)
    except TelegramError as exc:
        logger.warning("could not edit reindex progress: %s", exc)


class ProgressFeed:
    """The latest reindex progress, handed from any thread to the event loop."""

    def __init__(self) -> None:
        self._loop = asyncio.get_running_loop()
        self.latest: ReindexProgress | None = None
        self.changed = asyncio.Event()

    def push(self, progress: ReindexProgress) -> None:
        snapshot = dataclasses.replace(progress, failures=list(progress.failures))

        def deliver() -> None:
            self.latest = snapshot
            self.changed.set()

        self._loop.call_soon_threadsafe(deliver)


async def run_reindex(
    job: Awaitable[ReindexProgress],
    feed: ProgressFeed,
    status: Message,
    bot_data: BotData,
    interval: float = EDIT_INTERVAL,
) -> None:
    """Follow the reindex `job`, editing `status` at most every `interval` seconds."""
    loop = asyncio.get_running_loop()
    last_edit = loop.time()  # the status message was just sent
    last_text = ""

    async def editor() -> None:
        nonlocal last_edit, last_text
        while True:
            await feed.changed.wait()
            await asyncio.sleep(max(0.0, last_edit + interval - loop.time()))
            feed.changed.clear()
            assert feed.latest is not None
            text = format_progress(feed.latest)
            if text != last_text:
                await _edit(status, text)
                last_text, last_edit = text, loop.time()

    task = asyncio.create_task(editor())
    failure: str | None = None
    try:
        with bot_data.metrics.observe_reindex("admin"):
            result = await job
    except ReindexBusyError:
        failure = texts.REINDEX_BUSY
    except VankienError as exc:  # the database refused: say why
        failure = texts.REINDEX_FAILED_REASON.format(reason=exc)
    except Exception:
        task.cancel()
        await _edit(status, esc(texts.REINDEX_FAILED))  # the error handler logs the traceback
        raise
    finally:
        task.cancel()
    await asyncio.sleep(max(0.0, last_edit + interval - loop.time()))
    if failure is not None:
        await _edit(status, esc(failure))
        return
    final = dataclasses.replace(result, finished=True)
    await _edit(status, format_progress(final))
    logger.info(
        "reindex done: %s new, %s updated, %s failed", result.new, result.updated, result.failed
    )


async def refresh_job(context: Context) -> None:
    """Periodic re-read of every source (VANKIEN_REFRESH_MINUTES)."""
    service = context.bot_data.search
    if service.reindex_running:
        return
    try:
        with context.bot_data.metrics.observe_reindex("schedule"):
            result = await service.reindex()
    except ReindexBusyError:
        return
    logger.info(
        "scheduled refresh: %s new, %s updated, %s failed",
        result.new,
        result.updated,
        result.failed,
    )


def register(application: App) -> None:
    application.add_handler(CommandHandler("addsource", addsource, filters=NEW_MESSAGE))
    application.add_handler(CommandHandler("sources", list_sources, filters=NEW_MESSAGE))
    application.add_handler(CommandHandler("removesource", removesource, filters=NEW_MESSAGE))
    application.add_handler(CommandHandler("reindex", reindex, filters=NEW_MESSAGE))
    application.add_handler(CommandHandler("stats", stats, filters=NEW_MESSAGE))
