"""User-facing Telegram handlers: translate updates into calls on the conversation, render.

What to answer, rate limits, paging and follow-ups are decided in
bot/conversation.py; this module only reads updates, sends and edits.

Handler order (group 0, first match wins):
  1. commands /start /help /hoi /ask /vanban /moi /nguon (new messages only)
  2. admin commands (bot/admin.py)
  3. private text → question; group text → question only when addressed
  4. button presses; inline queries
Edited messages and channel posts never reach a handler.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import (
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    MaybeInaccessibleMessage,
    Message,
    MessageEntity,
    Update,
)
from telegram.constants import ChatAction, ChatType, ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from bot import callbacks, texts
from bot.context import App, Context
from bot.conversation import MAX_QUESTION, Reply, normalise
from bot.render import (
    articles_html,
    directive_card_html,
    esc,
    link,
    one_line,
    quote_html,
    render_html,
    safe_url,
    split_html,
)
from index.service import SearchService

logger = logging.getLogger(__name__)

INLINE_PAGE = 20
INLINE_MAX_DIRECTIVES = 50
INLINE_MAX_QUOTES = 20

NEW_MESSAGE = filters.UpdateType.MESSAGE  # not edited, not a channel post

Handler = Callable[[Update, Context], Coroutine[Any, Any, None]]


# --------------------------------------------------------------------------- replying


def sender_id(update: Update) -> int:
    sender = update.effective_sender
    return sender.id if sender else 0


def is_private(message: Message) -> bool:
    return message.chat.type == ChatType.PRIVATE


async def send_answer(
    context: Context, reply: Reply, message: MaybeInaccessibleMessage, *, quote: bool = False
) -> None:
    """The rendered answer in one or more messages, its buttons under the last one."""
    assert reply.answer is not None
    pieces = render_html(reply.answer)
    markup = callbacks.answer_keyboard(reply, context.bot_data.lru)
    for i, piece in enumerate(pieces):
        buttons = markup if i == len(pieces) - 1 else None
        if isinstance(message, Message):
            await message.reply_text(piece, do_quote=quote and i == 0, reply_markup=buttons)
        else:  # too old to reply to; still in a chat we can write to
            await context.bot.send_message(message.chat.id, piece, reply_markup=buttons)
    context.bot_data.conversation.delivered(reply)


async def respond(update: Update, context: Context, reply: Reply, *, quote: bool = False) -> None:
    """Reply to the update's message: an answer with its buttons, a notice, or nothing."""
    message = update.effective_message
    if message is None or reply.silent:
        return
    if reply.answer is None:
        await message.reply_text(esc(reply.notice))  # quoted in groups, as PTB defaults
        return
    await send_answer(context, reply, message, quote=quote)


async def admitted(update: Update, context: Context) -> bool:
    """The per-user rate limit for replies that are not questions (commands, refusals)."""
    refusal = context.bot_data.conversation.admit(sender_id(update))
    if refusal is None:
        return True
    await respond(update, context, refusal)
    return False


async def answer_question(update: Update, context: Context, question: str) -> None:
    """Ask the conversation and reply; used by every question path."""
    message = update.effective_message
    assert message is not None
    private = is_private(message)

    async def typing() -> None:
        try:
            await context.bot.send_chat_action(message.chat.id, ChatAction.TYPING)
        except TelegramError as exc:  # cosmetic only
            logger.debug("chat action failed: %s", exc)

    reply = await context.bot_data.conversation.ask(
        sender_id(update), question, working=typing if private else None
    )
    await respond(update, context, reply, quote=not private)


# --------------------------------------------------------------------------- commands


async def start(update: Update, context: Context) -> None:
    """Welcome and example questions (/start help shows the help)."""
    message = update.effective_message
    assert message is not None
    # lets an admin find their id for VANKIEN_ADMIN_IDS in the log (README)
    logger.info("/start from user id %s", sender_id(update))
    if context.args and context.args[0] == "help":
        await help_command(update, context)
        return
    if not await admitted(update, context):
        return
    examples = "\n".join(f"• {q}" for q in texts.EXAMPLES)
    await message.reply_text(esc(texts.WELCOME + examples + texts.WELCOME_MORE))


async def help_command(update: Update, context: Context) -> None:
    """How to use the bot."""
    message = update.effective_message
    assert message is not None
    if not await admitted(update, context):
        return
    await message.reply_text(texts.HELP_HTML.format(username=esc(context.bot.username or "bot")))


def _replied_to(message: Message) -> Message | None:
    """The message this one replies to; in a forum every message "replies" to the topic start."""
    replied = message.reply_to_message
    return replied if replied is not None and replied.forum_topic_created is None else None


def _sent_by(message: Message | None, user_id: int) -> bool:
    return message is not None and message.from_user is not None and message.from_user.id == user_id


def _replied_question(message: Message, bot_id: int) -> str:
    """A command sent as a reply to someone else's message asks that message's text."""
    replied = _replied_to(message)
    if replied is None or _sent_by(replied, bot_id):
        return ""
    return replied.text or ""


def question_command(usage_html: str, *, from_reply: bool) -> Handler:
    """/hoi, /ask and /vanban: the rest of the line (or the replied message) is the question."""

    async def command(update: Update, context: Context) -> None:
        message = update.effective_message
        assert message is not None
        question = " ".join(context.args or [])
        if not question and from_reply:
            question = _replied_question(message, context.bot.id)
        if not question.strip():
            if await admitted(update, context):
                await message.reply_text(usage_html)
            return
        await answer_question(update, context, question)

    return command


async def latest_command(update: Update, context: Context) -> None:
    """/moi: the latest articles."""
    message = update.effective_message
    assert message is not None
    if not await admitted(update, context):
        return
    articles = await context.bot_data.search.latest_articles(limit=5)
    if not articles:
        await message.reply_text(esc(texts.NO_ARTICLES))
        return
    body = f"<b>{esc(texts.LATEST_HEADING)}</b>\n" + articles_html(articles)
    for piece in split_html([body]):
        await message.reply_text(piece)


async def sources_command(update: Update, context: Context) -> None:
    """/nguon: where the articles come from (web sources linked, files by name)."""
    message = update.effective_message
    assert message is not None
    if not await admitted(update, context):
        return
    sources = await context.bot_data.search.sources()
    if not sources:
        await message.reply_text(esc(texts.NO_SOURCES))
        return
    lines = [f"<b>{esc(texts.SOURCES_HEADING)}</b>"]
    for src in sources:
        if safe_url(src.location):
            name = link(src.location, src.location)
        else:  # a file or folder: its name only, never the server's paths
            name = esc(re.split(r"[\\/]", src.location.rstrip("/\\"))[-1] or src.location)
        lines.append("• " + texts.SOURCE_LINE.format(name=name, n=src.article_count))
    for piece in split_html(["\n".join(lines)]):
        await message.reply_text(piece)


# --------------------------------------------------------------------------- plain text


async def private_text(update: Update, context: Context) -> None:
    """In a private chat every text message is a question."""
    message = update.effective_message
    assert message is not None and message.text is not None
    await answer_question(update, context, message.text)


def strip_mention(message: Message, username: str, bot_id: int) -> tuple[bool, str]:
    """(addressed to the bot?, text without the bot's mention)."""
    text = message.text or ""
    mentioned = False
    pieces: list[str] = []
    cursor = 0
    utf16 = text.encode("utf-16-le")
    for entity in sorted(message.entities, key=lambda e: e.offset):
        ours = False
        if entity.type == MessageEntity.MENTION:
            name = message.parse_entity(entity)
            ours = name.lower() == f"@{username}".lower()
        elif entity.type == MessageEntity.TEXT_MENTION:
            ours = entity.user is not None and entity.user.id == bot_id
        if ours:
            mentioned = True
            pieces.append(utf16[cursor * 2 : entity.offset * 2].decode("utf-16-le"))
            cursor = entity.offset + entity.length
    pieces.append(utf16[cursor * 2 :].decode("utf-16-le"))
    cleaned = " ".join("".join(pieces).split()).strip(" ,:;-–—")
    return mentioned, cleaned


async def group_text(update: Update, context: Context) -> None:
    """In groups, answer only when mentioned or when a message replies to the bot."""
    message = update.effective_message
    assert message is not None
    bot = context.bot
    mentioned, question = strip_mention(message, bot.username or "", bot.id)
    if not mentioned:
        if not _sent_by(_replied_to(message), bot.id):
            return
        question = message.text or ""
    if not question.strip():
        if await admitted(update, context):
            await message.reply_text(esc(texts.EMPTY_MENTION), do_quote=True)
        return
    await answer_question(update, context, question)


# --------------------------------------------------------------------------- buttons


async def button(update: Update, context: Context) -> None:
    """A button under an answer: more quotes, a related document, a candidate."""
    query = update.callback_query
    assert query is not None
    target = callbacks.decode(query.data, context.bot_data.lru)
    reply = await context.bot_data.conversation.open(sender_id(update), target)
    if reply.answer is None:  # stale, or rate-limited: a notice on the button, or nothing
        await query.answer(reply.notice or None)
        return
    await query.answer()
    if query.message is not None:
        await send_answer(context, reply, query.message)


# --------------------------------------------------------------------------- inline mode


def _result_id(prefix: str, value: str) -> str:
    return prefix + hashlib.blake2s(value.encode("utf-8"), digest_size=12).hexdigest()


async def _inline_results(service: SearchService, text: str) -> list[InlineQueryResultArticle]:
    directives, answer = await asyncio.gather(
        service.find_directives(text, limit=INLINE_MAX_DIRECTIVES),
        service.ask(text, limit=INLINE_MAX_QUOTES),
    )
    results: list[InlineQueryResultArticle] = []
    seen: set[str] = set()
    for directive in directives:
        rid = _result_id("d", directive.key)
        if rid in seen:
            continue
        seen.add(rid)
        description = " · ".join(
            p for p in (directive.issuer, directive.subject) if p
        ) or directive.full_name(with_subject=False)
        results.append(
            InlineQueryResultArticle(
                id=rid,
                title=texts.INLINE_DIRECTIVE_TITLE.format(type=directive.type, id=directive.id),
                description=one_line(description)[:200],
                input_message_content=InputTextMessageContent(
                    directive_card_html(directive), parse_mode=ParseMode.HTML
                ),
            )
        )
    for quote in answer.passages if answer.found else ():
        rid = _result_id("q", f"{quote.article_id}|{quote.url}|{quote.text}")
        if rid in seen:
            continue
        seen.add(rid)
        content = split_html([quote_html(quote)])[0]
        results.append(
            InlineQueryResultArticle(
                id=rid,
                title=one_line(quote.title or texts.QUOTE_TITLE)[:120],
                description=one_line(quote.text)[:200],
                input_message_content=InputTextMessageContent(content, parse_mode=ParseMode.HTML),
            )
        )
    return results


async def inline_query(update: Update, context: Context) -> None:
    """`@bot Kết luận 21` in any chat: directives and quotes, 20 a page."""
    query = update.inline_query
    assert query is not None
    text = normalise(query.query)[:MAX_QUESTION]
    help_button = InlineQueryResultsButton(text=texts.INLINE_HELP_BUTTON, start_parameter="help")
    if not text:
        await query.answer([], button=help_button, cache_time=300, is_personal=False)
        return
    offset = int(query.offset) if query.offset.isdigit() else 0
    logger.debug("inline query from %s: %s", sender_id(update), text)
    results = await _inline_results(context.bot_data.search, text)
    page = results[offset : offset + INLINE_PAGE]
    # None, not "": with Defaults set, PTB 22.8 turns an empty-string parameter into "[]"
    next_offset = str(offset + INLINE_PAGE) if offset + INLINE_PAGE < len(results) else None
    await query.answer(
        page,
        next_offset=next_offset,
        cache_time=30,
        button=help_button if not results else None,
    )


# --------------------------------------------------------------------------- errors


async def error_handler(update: object, context: Context) -> None:
    """Log first (with the update id), then tell the user something went wrong."""
    update_id = update.update_id if isinstance(update, Update) else None
    if update is None and isinstance(context.error, TelegramError):
        logger.warning("Bot API error outside an update: %s", context.error)
        return
    logger.error("error while handling update %s", update_id, exc_info=context.error)
    if not isinstance(update, Update):
        return
    try:
        if update.callback_query:
            await update.callback_query.answer(texts.ERROR)
        elif update.inline_query:
            return
        elif update.message and update.message.chat:
            await update.message.reply_text(esc(texts.ERROR))
    except TelegramError as exc:
        logger.warning("could not report the error to the user: %s", exc)


# --------------------------------------------------------------------------- wiring


def register(application: App) -> None:
    """Add the user-facing handlers (admin handlers are added by bot.admin)."""
    ask = question_command(texts.USAGE_ASK_HTML, from_reply=True)
    vanban = question_command(texts.USAGE_VANBAN_HTML, from_reply=False)
    application.add_handler(CommandHandler("start", start, filters=NEW_MESSAGE))
    application.add_handler(CommandHandler("help", help_command, filters=NEW_MESSAGE))
    application.add_handler(CommandHandler(["hoi", "ask"], ask, filters=NEW_MESSAGE))
    application.add_handler(CommandHandler("vanban", vanban, filters=NEW_MESSAGE))
    application.add_handler(CommandHandler("moi", latest_command, filters=NEW_MESSAGE))
    application.add_handler(CommandHandler("nguon", sources_command, filters=NEW_MESSAGE))


def register_text(application: App) -> None:
    """Plain text, buttons and inline queries (after every command handler)."""
    text = NEW_MESSAGE & filters.TEXT & ~filters.COMMAND
    application.add_handler(MessageHandler(text & filters.ChatType.PRIVATE, private_text))
    application.add_handler(MessageHandler(text & filters.ChatType.GROUPS, group_text))
    application.add_handler(CallbackQueryHandler(button))
    application.add_handler(InlineQueryHandler(inline_query))
