"""Study-group handlers: citations, where a document was studied, follow-ups, quizzes, votes.

Each handler parses the update, calls one SearchService method and renders
with bot/study_render.py; no SQL, no extraction here.

Their buttons are encoded in bot/study_buttons.py.
"""

from __future__ import annotations

import logging
from typing import cast

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputPollOption,
    Message,
    Poll,
    Update,
)
from telegram.constants import ChatMemberStatus
from telegram.error import BadRequest, ChatMigrated, Forbidden, TelegramError
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot import texts
from bot.admin import admin_only
from bot.callbacks import LRU
from bot.context import App, Context
from bot.conversation import MAX_CANDIDATES
from bot.handlers import NEW_MESSAGE, admitted, is_private, sender_id
from bot.render import esc, split_html
from bot.study_buttons import decode, decode_vote, encode
from bot.study_render import (
    citation_html,
    digest_html,
    following_html,
    gaps_html,
    lookup_problem,
    timeline_html,
)
from index.models import Directive
from index.service import QuizQuestion, SearchService

logger = logging.getLogger(__name__)


# --------------------------------------------------------------------------- replies


def _choices(kind: str, candidates: tuple[Directive, ...], lru: LRU) -> InlineKeyboardMarkup | None:
    rows = [
        [
            InlineKeyboardButton(
                c.full_name(with_subject=False)[:60], callback_data=encode(kind, c.key, lru)
            )
        ]
        for c in candidates[:MAX_CANDIDATES]
    ]
    return InlineKeyboardMarkup(rows) if rows else None


async def _reply(
    message: Message, blocks: list[str], markup: InlineKeyboardMarkup | None = None
) -> None:
    pieces = split_html(blocks)
    for i, piece in enumerate(pieces):
        await message.reply_text(
            piece,
            do_quote=not is_private(message) and i == 0,
            reply_markup=markup if i == len(pieces) - 1 else None,
        )


async def _resolve(
    update: Update, context: Context, kind: str | None, usage: str
) -> Directive | None:
    """The document the command's argument names; replies politely when it names none.

    When several documents share the number, `kind` buttons (c: or t:) offer each."""
    message = update.effective_message
    assert message is not None
    text = " ".join(context.args or []).strip()
    if not text:
        await message.reply_text(usage, do_quote=not is_private(message))
        return None
    if not await admitted(update, context):
        return None
    found = await context.bot_data.search.lookup(text[:200])
    if found.directive is None:
        markup = _choices(kind, found.candidates, context.bot_data.lru) if kind else None
        await _reply(message, [esc(lookup_problem(found))], markup)
    return found.directive


# --------------------------------------------------------------------------- citation


async def cite_command(update: Update, context: Context) -> None:
    """/trichdan <số hiệu>: the formal citation line and numbered sources."""
    directive = await _resolve(update, context, "c", texts.USAGE_ID_HTML.format(command="trichdan"))
    if directive is None:
        return
    citation = await context.bot_data.search.citation(directive.key)
    assert citation is not None and update.effective_message is not None
    await _reply(update.effective_message, citation_html(citation))


async def directive_button(update: Update, context: Context) -> None:
    """📋 / 🗺 under an answer, or a choice among documents sharing a number."""
    query = update.callback_query
    assert query is not None
    target = decode(query.data, context.bot_data.lru)
    if target is None:
        await query.answer(texts.STALE_BUTTON)
        return
    refusal = context.bot_data.conversation.admit(sender_id(update))
    if refusal is not None:  # rate-limited: a notice on the button, or nothing
        await query.answer(refusal.notice or None)
        return
    kind, key = target
    service = context.bot_data.search
    blocks: list[str] | None = None
    if kind == "c" and (citation := await service.citation(key)) is not None:
        blocks = citation_html(citation)
    elif kind == "t" and (timeline := await service.timeline(key)) is not None:
        blocks = timeline_html(timeline)
    if blocks is None:
        await query.answer(texts.STALE_BUTTON)
        return
    await query.answer()
    if isinstance(query.message, Message):
        await _reply(query.message, blocks)
    elif query.message is not None:
        for piece in split_html(blocks):
            await context.bot.send_message(query.message.chat.id, piece)


# --------------------------------------------------------------------------- feedback

GAP_DAYS = 7


async def vote_button(update: Update, context: Context) -> None:
    """👍 / 👎 under an answer: one vote per user per answer, changeable."""
    query = update.callback_query
    assert query is not None
    vote = decode_vote(query.data)
    if vote is None:
        await query.answer(texts.STALE_BUTTON)
        return
    asked_id, value = vote
    before = await context.bot_data.search.vote(asked_id, query.from_user.id, value)
    if before is None:
        await query.answer(texts.VOTE_GONE)
    elif before == 0:
        await query.answer(texts.VOTE_THANKS)
    else:
        await query.answer(texts.VOTE_SAME if before == value else texts.VOTE_CHANGED)


@admin_only
async def gaps_command(update: Update, context: Context) -> None:
    """/chuatraloi: last week's questions that found nothing or got 👎, grouped and ranked."""
    message = update.effective_message
    assert message is not None
    gaps = await context.bot_data.search.gaps(days=GAP_DAYS)
    await _reply(message, gaps_html(gaps, GAP_DAYS))


# --------------------------------------------------------------------------- follow-ups

DIGEST_CHECK_SECONDS = 5  # how often the index generation is compared (an int comparison)


async def may_change_subscriptions(update: Update, context: Context) -> bool:
    """Private chats: yes. Groups: only the group's own administrators (getChatMember)."""
    message = update.effective_message
    assert message is not None
    if is_private(message):
        return True
    if message.sender_chat is not None and message.sender_chat.id == message.chat.id:
        return True  # an anonymous administrator writes as the group itself
    user = update.effective_user
    if user is None or message.sender_chat is not None:
        return False
    try:
        member = await context.bot.get_chat_member(message.chat.id, user.id)
    except TelegramError as exc:
        logger.warning("getChatMember failed in %s: %s", message.chat.id, exc)
        return False
    return member.status in (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)


async def _subscription_target(update: Update, context: Context) -> tuple[bool, Directive | None]:
    """(go on?, the document named, if any); refuses non-admins and unknown ids politely."""
    message = update.effective_message
    assert message is not None
    if not await may_change_subscriptions(update, context):
        await message.reply_text(esc(texts.GROUP_ADMINS_ONLY), do_quote=True)
        return False, None
    if not context.args:
        return True, None
    directive = await _resolve(update, context, None, "")  # with arguments: no usage note
    return directive is not None, directive


async def follow_command(update: Update, context: Context) -> None:
    """/theodoi [số hiệu]: a digest after each update that brings something new."""
    go, directive = await _subscription_target(update, context)
    if not go:
        return
    message = update.effective_message
    assert message is not None
    created = await context.bot_data.search.follow(message.chat.id, directive)
    if not created:
        text = texts.ALREADY_FOLLOWING
    elif directive:
        text = texts.FOLLOWING_ONE.format(name=directive.full_name(with_subject=False))
    else:
        text = texts.FOLLOWING_ALL
    await message.reply_text(esc(text), do_quote=not is_private(message))


async def unfollow_command(update: Update, context: Context) -> None:
    """/botheodoi [số hiệu]: stop one subscription, or all of this chat's."""
    go, directive = await _subscription_target(update, context)
    if not go:
        return
    message = update.effective_message
    assert message is not None
    removed = await context.bot_data.search.unfollow(message.chat.id, directive)
    text = texts.UNFOLLOWED.format(n=removed) if removed else texts.NOTHING_FOLLOWED
    await message.reply_text(esc(text), do_quote=not is_private(message))


async def following_command(update: Update, context: Context) -> None:
    """/dangtheodoi: what this chat follows."""
    message = update.effective_message
    assert message is not None
    followed = await context.bot_data.search.following(message.chat.id)
    await message.reply_text(following_html(followed), do_quote=not is_private(message))


async def chat_migrated(update: Update, context: Context) -> None:
    """A group became a supergroup: its subscriptions follow the new chat id."""
    message = update.effective_message
    if message is not None and message.migrate_to_chat_id:
        await context.bot_data.search.chat_moved(message.chat.id, message.migrate_to_chat_id)


async def digest_check(context: Context) -> None:
    """Job: when the index changed (refresh, reindex, /addsource), send each chat one digest."""
    data = context.bot_data
    service = data.service
    if service is None or data.digest_generation == service.live.generation:
        return
    generation = service.live.generation
    digests = await service.digests()  # if this fails, the next check tries again
    data.digest_generation = generation
    for digest in digests:
        sent_to: int | None = digest.chat_id
        if not digest.empty:  # an empty one only moves the chat's watermark
            sent_to = await _send_digest(context, service, digest.chat_id, digest_html(digest))
        if sent_to is not None:
            await service.digest_sent(sent_to, digest.upto)


async def _send_digest(
    context: Context, service: SearchService, chat_id: int, blocks: list[str]
) -> int | None:
    """Send through the bot's rate limiter; the chat id it reached, or None."""
    text = split_html(blocks)[0]
    try:
        await context.bot.send_message(chat_id, text)
        return chat_id
    except ChatMigrated as exc:
        await service.chat_moved(chat_id, exc.new_chat_id)
        return await _send_digest(context, service, exc.new_chat_id, blocks)
    except Forbidden as exc:  # blocked, kicked, or the user deleted their account
        logger.info("chat %s refused the digest (%s): unsubscribed", chat_id, exc)
        await service.unfollow(chat_id)
    except BadRequest as exc:
        if "chat not found" in exc.message.lower():
            logger.info("chat %s no longer exists: unsubscribed", chat_id)
            await service.unfollow(chat_id)
        else:
            logger.warning("digest to %s failed: %s", chat_id, exc)
    except TelegramError as exc:  # kept: retried after the next update
        logger.warning("digest to %s failed: %s", chat_id, exc)
    return None


def start_jobs(application: App) -> None:
    """The digest check; called from post_init (the job queue runs once the app starts)."""
    if application.job_queue is not None:
        application.job_queue.run_repeating(
            digest_check, interval=DIGEST_CHECK_SECONDS, first=1, name="vankien-digests"
        )


# --------------------------------------------------------------------------- quiz

QUIZ_MAX = 10
QUIZ_PACE_SECONDS = 30  # between the questions of a round: time to think and talk
QUIZ_JOB = "quiz-{chat_id}"


async def quiz_command(update: Update, context: Context) -> None:
    """/kiemtra [số hiệu | N]: a quiz poll, or a round of N at a humane pace."""
    message = update.effective_message
    assert message is not None and context.job_queue is not None
    arg = " ".join(context.args or []).strip()
    count, about = 1, None
    if arg.isdigit():
        count = int(arg)
        if not 1 <= count <= QUIZ_MAX:
            await message.reply_text(
                texts.USAGE_QUIZ_HTML.format(max=QUIZ_MAX), do_quote=not is_private(message)
            )
            return
    if context.job_queue.get_jobs_by_name(QUIZ_JOB.format(chat_id=message.chat.id)):
        await message.reply_text(esc(texts.QUIZ_BUSY), do_quote=not is_private(message))
        return
    if arg and not arg.isdigit():
        about = await _resolve(update, context, None, texts.USAGE_QUIZ_HTML.format(max=QUIZ_MAX))
        if about is None:
            return
    elif not await admitted(update, context):
        return
    questions = await context.bot_data.search.quiz(count, about=about.key if about else None)
    if not questions:
        text = (
            texts.NO_QUIZ_ABOUT.format(name=about.full_name(with_subject=False))
            if about
            else texts.NO_QUIZ
        )
        await message.reply_text(esc(text), do_quote=not is_private(message))
        return
    if count > 1:
        intro = texts.ROUND_INTRO if len(questions) == count else texts.ROUND_SHORT
        await message.reply_text(esc(intro.format(n=len(questions), s=QUIZ_PACE_SECONDS)))
    thread = message.message_thread_id if message.is_topic_message else None
    await send_quiz(context, message.chat.id, thread, questions[0])
    for i, question in enumerate(questions[1:], start=1):
        context.job_queue.run_once(
            quiz_job,
            when=i * QUIZ_PACE_SECONDS,
            data=(thread, question),
            chat_id=message.chat.id,
            name=QUIZ_JOB.format(chat_id=message.chat.id),
        )


async def send_quiz(context: Context, chat_id: int, thread: int | None, q: QuizQuestion) -> None:
    """One Telegram quiz poll; texts are plain (no HTML parsing of article titles)."""
    await context.bot.send_poll(
        chat_id,
        q.question,
        [InputPollOption(option, text_parse_mode=None) for option in q.options],
        type=Poll.QUIZ,
        correct_option_ids=[q.correct],  # type: ignore[list-item]  # ≤ 3 wrong options
        explanation=q.explanation,
        explanation_parse_mode=None,
        question_parse_mode=None,
        message_thread_id=thread,
    )


async def quiz_job(context: Context) -> None:
    """The next question of a round."""
    job = context.job
    assert job is not None and job.chat_id is not None
    thread, question = cast(tuple[int | None, QuizQuestion], job.data)
    try:
        await send_quiz(context, job.chat_id, thread, question)
    except TelegramError as exc:  # the chat left or blocked the bot: drop the round
        logger.info("quiz round in %s stopped: %s", job.chat_id, exc)
        if context.job_queue is not None:
            for later in context.job_queue.get_jobs_by_name(job.name or ""):
                later.schedule_removal()


# --------------------------------------------------------------------------- wiring


def register(application: App) -> None:
    """Study commands and buttons; before the catch-all text and button handlers."""
    application.add_handler(CommandHandler("trichdan", cite_command, filters=NEW_MESSAGE))
    application.add_handler(CommandHandler("chuatraloi", gaps_command, filters=NEW_MESSAGE))
    application.add_handler(CommandHandler("kiemtra", quiz_command, filters=NEW_MESSAGE))
    application.add_handler(CommandHandler("theodoi", follow_command, filters=NEW_MESSAGE))
    application.add_handler(CommandHandler("botheodoi", unfollow_command, filters=NEW_MESSAGE))
    application.add_handler(CommandHandler("dangtheodoi", following_command, filters=NEW_MESSAGE))
    application.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, chat_migrated))
    application.add_handler(CallbackQueryHandler(directive_button, pattern=r"^[ct][:~]"))
    application.add_handler(CallbackQueryHandler(vote_button, pattern=r"^v:"))
