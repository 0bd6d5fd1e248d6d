"""Study-group handlers: citations, where a document was studied, follow-ups, quizzes, votes.

Each handler parses the update, calls one SearchService method and renders
with bot/study_render.py; no SQL, no extraction here.

Their buttons are encoded in bot/study_buttons.py.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from bot.admin import admin_only
from bot.callbacks import LRU, MAX_CANDIDATE_BUTTONS
from bot.handlers import NEW_MESSAGE, STALE_BUTTON, allowed, is_private, lru_of, service_of
from bot.render import esc, split_html
from bot.study_buttons import decode, decode_vote, encode
from bot.study_render import citation_html, gaps_html, lookup_problem
from index.models import Directive

logger = logging.getLogger(__name__)

USAGE_CITE = "Bạn hãy gõ số hiệu văn bản sau lệnh, ví dụ: <code>/trichdan 21-KL/TW</code>"


# --------------------------------------------------------------------------- replies


def _choices(kind: str, candidates: tuple[Directive, ...], lru: LRU) -> InlineKeyboardMarkup | None:
    rows = [
        [
            InlineKeyboardButton(
                c.full_name(with_subject=False)[:60], callback_data=encode(kind, c.key, lru)
            )
        ]
        for c in candidates[:MAX_CANDIDATE_BUTTONS]
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
    update: Update, context: ContextTypes.DEFAULT_TYPE, kind: str, usage: str
) -> Directive | None:
    """The document the command's argument names; replies politely when it names none."""
    message = update.effective_message
    assert message is not None
    text = " ".join(context.args or []).strip()
    if not text:
        await message.reply_text(usage, do_quote=not is_private(message))
        return None
    if not await allowed(update, context):
        return None
    found = await service_of(context).lookup(text[:200])
    if found.directive is None:
        markup = _choices(kind, found.candidates, lru_of(context))
        await _reply(message, [esc(lookup_problem(found))], markup)
    return found.directive


# --------------------------------------------------------------------------- citation


async def cite_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/trichdan <số hiệu>: the formal citation line and numbered sources."""
    directive = await _resolve(update, context, "c", USAGE_CITE)
    if directive is None:
        return
    citation = await service_of(context).citation(directive.key)
    assert citation is not None and update.effective_message is not None
    await _reply(update.effective_message, citation_html(citation))


async def directive_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """📋 / 🗺 under an answer, or a choice among documents sharing a number."""
    query = update.callback_query
    assert query is not None
    target = decode(query.data, lru_of(context))
    if target is None:
        await query.answer(STALE_BUTTON)
        return
    if not await allowed(update, context):
        return
    kind, key = target
    service = service_of(context)
    blocks: list[str] | None = None
    if kind == "c" and (citation := await service.citation(key)) is not None:
        blocks = citation_html(citation)
    if blocks is None:
        await query.answer(STALE_BUTTON)
        return
    await query.answer()
    if isinstance(query.message, Message):
        await _reply(query.message, blocks)
    elif query.message is not None:
        for piece in split_html(blocks):
            await context.bot.send_message(query.message.chat.id, piece)


# --------------------------------------------------------------------------- feedback

VOTE_THANKS = "Cảm ơn bạn đã góp ý!"
VOTE_CHANGED = "Đã ghi lại ý kiến mới của bạn."
VOTE_SAME = "Bạn đã góp ý như vậy rồi."
VOTE_GONE = "Câu hỏi này đã quá cũ để góp ý."
GAP_DAYS = 7


async def vote_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """👍 / 👎 under an answer: one vote per user per answer, changeable."""
    query = update.callback_query
    assert query is not None
    vote = decode_vote(query.data)
    if vote is None:
        await query.answer(STALE_BUTTON)
        return
    asked_id, value = vote
    before = await service_of(context).vote(asked_id, query.from_user.id, value)
    text = (
        VOTE_GONE
        if before is None
        else VOTE_THANKS
        if before == 0
        else VOTE_SAME
        if before == value
        else VOTE_CHANGED
    )
    await query.answer(text)


@admin_only
async def gaps_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/chuatraloi: last week's questions that found nothing or got 👎, grouped and ranked."""
    message = update.effective_message
    assert message is not None
    gaps = await service_of(context).gaps(days=GAP_DAYS)
    await _reply(message, gaps_html(gaps, GAP_DAYS))


# --------------------------------------------------------------------------- wiring


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Study commands and buttons; before the catch-all text and button handlers."""
    application.add_handler(CommandHandler("trichdan", cite_command, filters=NEW_MESSAGE))
    application.add_handler(CommandHandler("chuatraloi", gaps_command, filters=NEW_MESSAGE))
    application.add_handler(CallbackQueryHandler(directive_button, pattern=r"^[ct][:~]"))
    application.add_handler(CallbackQueryHandler(vote_button, pattern=r"^v:"))
