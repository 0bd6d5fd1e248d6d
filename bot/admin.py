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
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram import Message, Update, User
from telegram.error import BadRequest, TelegramError
from telegram.ext import Application, CommandHandler, ContextTypes

from bot.config import Settings
from bot.handlers import NEW_MESSAGE, SETTINGS, service_of
from bot.metrics import metrics_of
from bot.render import esc, split_html
from index.errors import ReindexBusyError, VankienError
from index.models import IngestReport, ReindexProgress, SourceInfo, Stats

logger = logging.getLogger(__name__)

EDIT_INTERVAL = 2.0  # seconds between progress edits (Telegram throttles edits too)

REFUSED = "Xin lỗi, lệnh này chỉ dành cho quản trị viên của bot."
USAGE_ADD = "Cách dùng: <code>/addsource &lt;URL hoặc đường dẫn&gt;</code> (có thể ghi nhiều, cách nhau bằng dấu cách)."
USAGE_REMOVE = "Cách dùng: <code>/removesource &lt;id&gt;</code> — xem id bằng /sources."
BUSY = "Việc lập lại chỉ mục đang chạy. Bạn đợi nó xong rồi hãy chạy lại nhé."
FAILED = (
    "❌ Lập lại chỉ mục không thành công; chỉ mục cũ vẫn được dùng. Xem nhật ký để biết chi tiết."
)

STATUS_LABELS = (
    ("added", "thêm mới"),
    ("updated", "cập nhật"),
    ("unchanged", "không đổi"),
    ("duplicate", "trùng"),
    ("refused", "bị từ chối"),
    ("failed", "lỗi"),
)

Handler = Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]


def is_admin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    settings: Settings = context.bot_data[SETTINGS]
    user = update.effective_user
    # a message sent on behalf of a chat (anonymous group admin, channel) is never an admin's
    return (
        user is not None
        and isinstance(update.effective_sender, User)
        and user.id in settings.admin_ids
    )


def admin_only(handler: Handler) -> Handler:
    """Refuse politely, before doing anything, unless the sender is a bot admin."""

    @functools.wraps(handler)
    async def wrapper(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if not is_admin(update, context):
            user = update.effective_user
            logger.info("refused admin command from %s", user.id if user else None)
            if update.effective_message:
                await update.effective_message.reply_text(esc(REFUSED))
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
        for status, label in STATUS_LABELS
        if report.count(status) or status in ("added", "updated", "unchanged", "refused")
    )
    blocks = [f"<b>Kết quả đọc nguồn</b>\n{esc(counts)}"]
    problems = [i for i in report.items if i.status in ("refused", "failed", "duplicate")]
    if problems:
        lines = []
        for item in problems[:30]:
            label = dict(STATUS_LABELS).get(item.status, item.status)
            reason = f": {esc(item.reason)}" if item.reason else ""
            lines.append(f"• <i>{esc(label)}</i> — {esc(item.title or item.target)}{reason}")
        if len(problems) > 30:
            lines.append(f"… và {len(problems) - 30} mục khác")
        blocks.append("\n".join(lines))
    return blocks


def format_progress(p: ReindexProgress) -> str:
    head = "✅ Đã lập lại chỉ mục xong." if p.finished else "⏳ Đang đọc lại các nguồn…"
    lines = [
        f"<b>{head}</b>",
        f"Nguồn: {p.sources_done}/{p.sources_total}",
        f"Bài mới: {p.new} · cập nhật: {p.updated} · không đổi: {p.unchanged} · lỗi: {p.failed}",
    ]
    if p.finished:
        lines.append(f"Thời gian: {p.seconds:.1f} giây · thế hệ chỉ mục: {p.generation}")
        for target, reason in p.failures[:10]:
            lines.append(f"• {esc(target)}: {esc(reason)}")
        if len(p.failures) > 10:
            lines.append(f"… và {len(p.failures) - 10} lỗi khác")
    return split_html(["\n".join(lines)])[0]


def human_bytes(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            text = f"{value:.0f}" if unit == "B" else f"{value:.1f}".replace(".", ",")
            return f"{text} {unit}"
        value /= 1024
    return f"{size} B"


def format_stats(s: Stats) -> str:
    return "\n".join(
        [
            "<b>Thống kê</b>",
            f"Tin bài: {s.articles}",
            f"Đoạn văn: {s.passages}",
            f"Văn bản được nhắc tới: {s.directives}",
            f"Nguồn: {s.sources}",
            f"Lập chỉ mục gần nhất: {esc(s.last_reindex or 'chưa có')}",
            f"Thế hệ chỉ mục: {s.generation}",
            f"Kích thước chỉ mục: {human_bytes(s.index_bytes)} · cơ sở dữ liệu: {human_bytes(s.db_bytes)}",
        ]
    )


def format_source(src: SourceInfo) -> str:
    line = f"<b>#{src.id}</b> · {esc(src.kind)} · {esc(src.location)}\n   {src.article_count} bài"
    line += f" · đọc tốt gần nhất: {esc(src.last_ok_at or 'chưa')}"
    if src.last_error:
        line += f"\n   <i>lỗi: {esc(src.last_error)}</i>"
    return line


# --------------------------------------------------------------------------- commands


@admin_only
async def addsource(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/addsource <url-or-path> …: read and index new sources."""
    message = update.effective_message
    assert message is not None
    targets = context.args or []
    if not targets:
        await message.reply_text(USAGE_ADD)
        return
    status = await message.reply_text(f"⏳ Đang đọc {len(targets)} nguồn…")
    try:
        report = await service_of(context).ingest(list(targets))
    except ReindexBusyError:
        await status.edit_text(esc(BUSY))
        return
    except VankienError as exc:
        await status.edit_text(esc(f"Không đọc được nguồn: {exc}"))
        return
    pieces = split_html(format_report(report))
    await status.edit_text(pieces[0])
    for piece in pieces[1:]:
        await message.reply_text(piece)


@admin_only
async def list_sources(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/sources: registered sources with their ids."""
    message = update.effective_message
    assert message is not None
    sources = await service_of(context).sources()
    if not sources:
        await message.reply_text("Chưa có nguồn nào. Thêm bằng /addsource &lt;URL&gt;.")
        return
    await _reply_long(message, ["<b>Các nguồn đã đăng ký</b>", *map(format_source, sources)])


@admin_only
async def removesource(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/removesource <id>."""
    message = update.effective_message
    assert message is not None
    args = context.args or []
    raw = args[0].lstrip("#") if len(args) == 1 else ""
    # ASCII digits only ("²".isdigit() is true) and within SQLite's 64-bit integers
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 18):
        await message.reply_text(USAGE_REMOVE)
        return
    try:
        removed = await service_of(context).remove_source(int(raw))
    except ReindexBusyError:
        await message.reply_text(esc(BUSY))
        return
    text = (
        f"Đã gỡ nguồn #{raw}."
        if removed
        else f"Không có nguồn #{raw}. Xem danh sách bằng /sources."
    )
    await message.reply_text(text)


@admin_only
async def stats(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/stats."""
    message = update.effective_message
    assert message is not None
    await message.reply_text(format_stats(await service_of(context).stats()))


@admin_only
async def reindex(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/reindex: rebuild in the background; one progress message, edited."""
    message = update.effective_message
    assert message is not None
    service = service_of(context)
    if service.reindex_running:
        await message.reply_text(esc(BUSY))
        return
    feed = ProgressFeed()
    job = service.start_reindex(feed.push)  # running from here: a second /reindex is refused
    status = await message.reply_text("⏳ Bắt đầu đọc lại các nguồn…")
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
    bot_data: dict[str, Any],
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
    try:
        with metrics_of(bot_data).observe_reindex("admin"):
            result = await job
    except ReindexBusyError:
        result = None
    except Exception:
        await _edit(status, esc(FAILED))  # the error handler logs the traceback
        raise
    finally:
        task.cancel()
    await asyncio.sleep(max(0.0, last_edit + interval - loop.time()))
    if result is None:
        await _edit(status, esc(BUSY))
        return
    final = dataclasses.replace(result, finished=True)
    await _edit(status, format_progress(final))
    logger.info(
        "reindex done: %s new, %s updated, %s failed", result.new, result.updated, result.failed
    )


async def refresh_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Periodic re-read of every source (VANKIEN_REFRESH_MINUTES)."""
    service = service_of(context)
    if service.reindex_running:
        return
    try:
        with metrics_of(context.bot_data).observe_reindex("schedule"):
            result = await service.reindex()
    except ReindexBusyError:
        return
    logger.info(
        "scheduled refresh: %s new, %s updated, %s failed",
        result.new,
        result.updated,
        result.failed,
    )


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    application.add_handler(CommandHandler("addsource", addsource, filters=NEW_MESSAGE))
    application.add_handler(CommandHandler("sources", list_sources, filters=NEW_MESSAGE))
    application.add_handler(CommandHandler("removesource", removesource, filters=NEW_MESSAGE))
    application.add_handler(CommandHandler("reindex", reindex, filters=NEW_MESSAGE))
    application.add_handler(CommandHandler("stats", stats, filters=NEW_MESSAGE))
