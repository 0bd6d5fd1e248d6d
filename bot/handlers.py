"""User-facing handlers: questions in private chats and groups, buttons, inline mode.

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
import time
from typing import Any

from telegram import (
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    Message,
    MessageEntity,
    Update,
)
from telegram.constants import ChatAction, ChatType, ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from bot import callbacks
from bot.callbacks import LRU
from bot.limits import RateLimiter, Verdict
from bot.metrics import metrics_of
from bot.render import (
    articles_html,
    directive_card_html,
    esc,
    link,
    nfc,
    one_line,
    quote_html,
    render_html,
    split_html,
)
from index.errors import VankienError
from index.models import Answer
from index.service import SearchService

logger = logging.getLogger(__name__)

# bot_data keys
SERVICE = "service"
SETTINGS = "settings"
OWNS_SERVICE = "owns_service"
LRU_KEY = "lru"
LIMITER = "rate_limiter"

MAX_QUESTION = 500
INLINE_PAGE = 20
INLINE_MAX_DIRECTIVES = 50
INLINE_MAX_QUOTES = 20

NEW_MESSAGE = filters.UpdateType.MESSAGE  # not edited, not a channel post

EXAMPLES = (
    "Kết luận 21 nói về gì?",
    "Nghị quyết 57-NQ/TW ban hành ngày nào?",
    "Chỉ thị 35 do cơ quan nào ban hành?",
    "Văn bản nào thực hiện Kết luận 21?",
)

WELCOME = (
    "Xin chào! Tôi trả lời câu hỏi về các văn kiện của Đảng (nghị quyết, chỉ thị, "
    "kết luận, quy định…) dựa trên các tin bài đã được nạp, kèm trích dẫn và đường "
    "dẫn tới bài gốc.\n\nBạn có thể hỏi, ví dụ:\n"
)
HELP = (
    "<b>Cách dùng</b>\n"
    "• Trong chat riêng: gõ câu hỏi, ví dụ “Kết luận 21 nói về gì?”.\n"
    "• /hoi &lt;câu hỏi&gt; — hỏi (cũng dùng được trong nhóm; /ask tương tự).\n"
    "• /vanban &lt;số hiệu&gt; — xem thông tin một văn bản, ví dụ /vanban 21-KL/TW.\n"
    "• /moi — các tin bài mới nhất; /nguon — các nguồn đang dùng.\n"
    "• /trichdan &lt;số hiệu&gt; — dòng trích dẫn chuẩn kèm nguồn, sẵn để sao chép "
    "(hoặc nút 📋 dưới câu trả lời).\n"
    "• “Tỉnh nào đã quán triệt Kết luận 21?” hoặc nút 🗺 — nơi và ngày văn bản được học tập, "
    "quán triệt, triển khai.\n"
    "• /kiemtra — câu hỏi trắc nghiệm; /kiemtra 5 — một lượt 5 câu, mỗi câu cách nhau 30 "
    "giây; /kiemtra &lt;số hiệu&gt; — hỏi về một văn bản.\n"
    "• /theodoi — nhận tin tóm tắt khi có văn bản, tin bài mới; /theodoi &lt;số hiệu&gt; — "
    "chỉ tin về văn bản đó; /botheodoi — bỏ theo dõi; /dangtheodoi — xem đang theo dõi gì "
    "(trong nhóm, chỉ quản trị viên nhóm thay đổi được).\n"
    "• 👍 / 👎 dưới câu trả lời — cho biết câu trả lời có dùng được không (đổi ý được).\n"
    "• Trong nhóm: nhắc tên tôi (@{username} …) hoặc trả lời tin nhắn của tôi.\n"
    "• Ở bất kỳ cuộc trò chuyện nào: gõ @{username} và số hiệu văn bản để chèn nhanh.\n\n"
    "<i>Câu trả lời dựa trên tin bài báo chí, không thay thế văn bản chính thức.</i>"
)
USAGE_ASK = "Bạn hãy gõ câu hỏi sau lệnh, ví dụ: <code>/hoi Kết luận 21 nói về gì?</code>"
USAGE_VANBAN = "Bạn hãy gõ số hiệu văn bản sau lệnh, ví dụ: <code>/vanban 21-KL/TW</code>"
EMPTY_MENTION = "Bạn muốn hỏi gì về văn kiện? Ví dụ: “Kết luận 21 nói về gì?”"
TOO_LONG = "Câu hỏi dài quá ({n} ký tự). Bạn hãy hỏi ngắn gọn, tối đa {max} ký tự nhé."
RATE_LIMITED = "Bạn hỏi hơi nhanh. Mời bạn đợi khoảng {s} giây rồi hỏi tiếp nhé."
STALE_BUTTON = "Nút này đã cũ hoặc không còn dùng được. Bạn hãy hỏi lại nhé."
ERROR_TEXT = "Đã có lỗi khi xử lý yêu cầu của bạn. Bạn thử lại sau ít phút nhé."
NOT_READY = "Bot đang khởi động, bạn thử lại sau giây lát nhé."


# --------------------------------------------------------------------------- shared state


def service_of(context: ContextTypes.DEFAULT_TYPE) -> SearchService:
    service = context.bot_data.get(SERVICE)
    if service is None:
        raise RuntimeError("SearchService is not open")
    return service  # type: ignore[no-any-return]


def lru_of(context: ContextTypes.DEFAULT_TYPE) -> LRU:
    return context.bot_data.setdefault(LRU_KEY, LRU())  # type: ignore[no-any-return]


def limiter_of(context: ContextTypes.DEFAULT_TYPE) -> RateLimiter:
    return context.bot_data.setdefault(LIMITER, RateLimiter())  # type: ignore[no-any-return]


def sender_id(update: Update) -> int:
    sender = update.effective_sender
    return sender.id if sender else 0


def is_private(message: Message) -> bool:
    return message.chat.type == ChatType.PRIVATE


async def allowed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """Apply the per-user rate limit; tell the user once per window."""
    limiter = limiter_of(context)
    user = sender_id(update)
    verdict = limiter.check(user)
    if verdict is Verdict.ALLOW:
        return True
    logger.info("rate limit for user %s (%s)", user, verdict.value)
    if verdict is Verdict.NOTIFY:
        text = RATE_LIMITED.format(s=limiter.seconds_left(user))
        if update.callback_query:
            await update.callback_query.answer(text)
        elif update.effective_message:
            await update.effective_message.reply_text(esc(text))
    elif update.callback_query:
        await update.callback_query.answer()
    return False


# --------------------------------------------------------------------------- answering


async def send_answer(
    message: Message,
    answer: Answer,
    context: ContextTypes.DEFAULT_TYPE,
    *,
    qid: str | None = None,
    quote: bool = False,
    asked_id: int | None = None,
) -> None:
    """Reply with the rendered answer; buttons go under the last message."""
    pieces = render_html(answer)
    markup = callbacks.answer_keyboard(answer, lru_of(context), qid, vote_id=asked_id)
    for i, piece in enumerate(pieces):
        last = i == len(pieces) - 1
        await message.reply_text(
            piece,
            do_quote=quote and i == 0,
            reply_markup=markup if last else None,
        )


async def answer_question(
    update: Update, context: ContextTypes.DEFAULT_TYPE, question: str
) -> None:
    """Check, ask the service, and reply; used by every question path."""
    message = update.effective_message
    if message is None:
        return
    started = time.perf_counter()
    question = one_line(nfc(question))
    group = not is_private(message)
    if len(question) > MAX_QUESTION:
        await message.reply_text(
            esc(TOO_LONG.format(n=len(question), max=MAX_QUESTION)), do_quote=group
        )
        return
    if not await allowed(update, context):
        return
    logger.debug("question from %s: %s", sender_id(update), question)
    if not group:
        try:
            await context.bot.send_chat_action(message.chat.id, ChatAction.TYPING)
        except TelegramError as exc:  # cosmetic only
            logger.debug("chat action failed: %s", exc)
    answer = await service_of(context).ask(question)
    qid = lru_of(context).put(question) if answer.has_more else None
    asked_id = await record_question(context, question, answer)
    await send_answer(message, answer, context, qid=qid, quote=group, asked_id=asked_id)
    metrics_of(context.bot_data).observe_answer(answer.found, time.perf_counter() - started)


async def record_question(
    context: ContextTypes.DEFAULT_TYPE, question: str, answer: Answer
) -> int | None:
    """Keep the question for /chuatraloi; the id its 👍/👎 buttons carry (None on failure)."""
    settings = context.bot_data[SETTINGS]
    try:
        return await service_of(context).record_question(
            question, answer, keep_days=settings.feedback_days
        )
    except Exception:  # feedback is an extra: the answer is sent even if it cannot be kept
        logger.exception("could not record the question for feedback")
        return None


# --------------------------------------------------------------------------- commands


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Welcome and example questions (/start help shows the help)."""
    message = update.effective_message
    assert message is not None
    # lets an admin find their id for VANKIEN_ADMIN_IDS in the log (README)
    logger.info("/start from user id %s", sender_id(update))
    if context.args and context.args[0] == "help":
        await help_command(update, context)
        return
    examples = "\n".join(f"• {esc(q)}" for q in EXAMPLES)
    await message.reply_text(esc(WELCOME) + examples + "\n\nGõ /help để xem thêm.")


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """How to use the bot."""
    message = update.effective_message
    assert message is not None
    await message.reply_text(HELP.format(username=esc(context.bot.username or "bot")))


def _replied_question(message: Message, bot_id: int) -> str:
    """`/hoi` sent as a reply to someone else's message asks that message's text."""
    replied = message.reply_to_message
    if (
        replied is None
        or replied.forum_topic_created is not None
        or (replied.from_user and replied.from_user.id == bot_id)
    ):
        return ""
    return replied.text or ""


async def ask_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/hoi and /ask: the rest of the line is the question."""
    message = update.effective_message
    assert message is not None
    question = " ".join(context.args or []) or _replied_question(message, context.bot.id)
    if not question.strip():
        await message.reply_text(USAGE_ASK, do_quote=not is_private(message))
        return
    await answer_question(update, context, question)


async def vanban_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/vanban <số hiệu>: the directive card."""
    message = update.effective_message
    assert message is not None
    ref = " ".join(context.args or [])
    if not ref.strip():
        await message.reply_text(USAGE_VANBAN, do_quote=not is_private(message))
        return
    await answer_question(update, context, ref)


async def latest_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/moi: the latest articles."""
    message = update.effective_message
    assert message is not None
    if not await allowed(update, context):
        return
    articles = await service_of(context).latest_articles(limit=5)
    if not articles:
        await message.reply_text("Chưa có tin bài nào trong dữ liệu.")
        return
    body = "<b>Tin bài mới nhất:</b>\n" + articles_html(articles)
    for piece in split_html([body]):
        await message.reply_text(piece, do_quote=not is_private(message))


async def sources_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/nguon: where the articles come from (web sources linked, files by name)."""
    message = update.effective_message
    assert message is not None
    if not await allowed(update, context):
        return
    sources = await service_of(context).sources()
    if not sources:
        await message.reply_text("Chưa có nguồn tin bài nào.")
        return
    lines = ["<b>Các nguồn tin bài:</b>"]
    for src in sources:
        if src.location.startswith(("http://", "https://")):
            name = link(src.location, src.location)
        else:
            name = esc(re.split(r"[\\/]", src.location.rstrip("/\\"))[-1] or src.location)
        lines.append(f"• {name} — {src.article_count} bài")
    for piece in split_html(["\n".join(lines)]):
        await message.reply_text(piece, do_quote=not is_private(message))


# --------------------------------------------------------------------------- plain text


async def private_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """In a private chat every text message is a question."""
    message = update.effective_message
    assert message is not None and message.text is not None
    await answer_question(update, context, message.text)


def _replies_to_bot(message: Message, bot_id: int) -> bool:
    replied = message.reply_to_message
    return (
        replied is not None
        and replied.forum_topic_created is None  # topic messages "reply" to the topic start
        and replied.from_user is not None
        and replied.from_user.id == bot_id
    )


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


async def group_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """In groups, answer only when mentioned or when a message replies to the bot."""
    message = update.effective_message
    assert message is not None
    bot = context.bot
    mentioned, question = strip_mention(message, bot.username or "", bot.id)
    if not mentioned:
        if not _replies_to_bot(message, bot.id):
            return
        question = message.text or ""
    if not question.strip():
        await message.reply_text(esc(EMPTY_MENTION), do_quote=True)
        return
    await answer_question(update, context, question)


# --------------------------------------------------------------------------- buttons


async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A button under an answer: more quotes, a related document, a candidate."""
    query = update.callback_query
    assert query is not None
    target = callbacks.decode(query.data, lru_of(context))
    if target is None:
        await query.answer(STALE_BUTTON)
        return
    if not await allowed(update, context):
        return
    service = service_of(context)
    answer: Answer | None = None
    qid: str | None = None
    try:
        if target.question is not None:
            answer = await service.ask(target.question, offset=target.offset)
            qid = lru_of(context).put(target.question) if answer.has_more else None
        elif target.key:
            answer = await service.directive_answer(target.key, offset=target.offset)
    except (LookupError, ValueError, VankienError) as exc:
        logger.info("stale button %r: %s", query.data, exc)
        answer = None
    if answer is None or not answer.found or (target.offset and not answer.passages):
        await query.answer(STALE_BUTTON)
        return
    await query.answer()
    message = query.message
    if isinstance(message, Message):
        await send_answer(message, answer, context, qid=qid)
    elif message is not None:  # too old to reply to; still in a chat we can write to
        markup = callbacks.answer_keyboard(answer, lru_of(context), qid)
        pieces = render_html(answer)
        for i, piece in enumerate(pieces):
            await context.bot.send_message(
                message.chat.id, piece, reply_markup=markup if i == len(pieces) - 1 else None
            )


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
                title=f"{directive.type} số {directive.id}",
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
                title=one_line(quote.title or "Trích dẫn")[:120],
                description=one_line(quote.text)[:200],
                input_message_content=InputTextMessageContent(content, parse_mode=ParseMode.HTML),
            )
        )
    return results


async def inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`@bot Kết luận 21` in any chat: directives and quotes, 20 a page."""
    query = update.inline_query
    assert query is not None
    text = one_line(query.query)[:MAX_QUESTION]
    help_button = InlineQueryResultsButton(text="Cách dùng bot", start_parameter="help")
    if not text:
        await query.answer([], button=help_button, cache_time=300, is_personal=False)
        return
    offset = int(query.offset) if query.offset.isdigit() else 0
    logger.debug("inline query from %s: %s", sender_id(update), text)
    results = await _inline_results(service_of(context), text)
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


async def error_handler(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
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
            await update.callback_query.answer(ERROR_TEXT)
        elif update.inline_query:
            return
        elif update.message and update.message.chat:
            await update.message.reply_text(esc(ERROR_TEXT))
    except TelegramError as exc:
        logger.warning("could not report the error to the user: %s", exc)


# --------------------------------------------------------------------------- wiring


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Add the user-facing handlers (admin handlers are added by bot.admin)."""
    application.add_handler(CommandHandler("start", start, filters=NEW_MESSAGE))
    application.add_handler(CommandHandler("help", help_command, filters=NEW_MESSAGE))
    application.add_handler(CommandHandler(["hoi", "ask"], ask_command, filters=NEW_MESSAGE))
    application.add_handler(CommandHandler("vanban", vanban_command, filters=NEW_MESSAGE))
    application.add_handler(CommandHandler("moi", latest_command, filters=NEW_MESSAGE))
    application.add_handler(CommandHandler("nguon", sources_command, filters=NEW_MESSAGE))


def register_text(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Plain text, buttons and inline queries (after every command handler)."""
    text = NEW_MESSAGE & filters.TEXT & ~filters.COMMAND
    application.add_handler(MessageHandler(text & filters.ChatType.PRIVATE, private_text))
    application.add_handler(MessageHandler(text & filters.ChatType.GROUPS, group_text))
    application.add_handler(CallbackQueryHandler(button))
    application.add_handler(InlineQueryHandler(inline_query))
