"""What every front end does with a user's turn, whatever the chat platform.

A front end (Telegram handlers, the console chat, a future web widget) turns
its events into calls on `Conversation` and renders the `Reply` it gets back:

- `admit(user)`: the per-user rate limit, for every reply path (commands,
  refusals and usage notes included): one notice, then silence until the
  window ends;
- `ask(user, text)`: admit, normalise (NFC, one line), cap the length, ask
  the service (with the document the user last got an answer about, for
  follow-ups such as "ai ký?"), and say where the next page of quotes and the
  related documents are;
- `open(user, target)`: a page of quotes or a document chosen from a
  previous reply (a button, `/them` in the console); stale targets get a
  polite notice;
- `delivered(reply)`: counts an answer once the front end has sent it.

Nothing here imports a chat library: front ends encode `Target`s in their
own way (Telegram: `bot/callbacks.py`).
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from bot import texts
from bot.limits import RateLimiter, Verdict
from bot.render import one_line
from index.errors import VankienError
from index.models import Answer
from index.service import SearchService

logger = logging.getLogger(__name__)

MAX_QUESTION = 500  # characters, after normalisation
MAX_RELATED = 6  # related documents offered under an answer
MAX_CANDIDATES = 8  # documents offered when a number is ambiguous
REMEMBERED_USERS = 10_000  # users whose last document is kept for follow-ups
# A typing indicator is one more Bot API call against the bot's 30-a-second
# budget; most answers take milliseconds, so it is shown only for slow ones.
TYPING_AFTER_SECONDS = 0.5


class AnswerObserver(Protocol):
    """Where answers are counted (bot/metrics.Metrics in the Telegram bot)."""

    def observe_answer(self, found: bool, seconds: float) -> None: ...


@dataclass(frozen=True)
class Target:
    """What a follow-up asks for: a question's page, or a document's page."""

    offset: int
    question: str | None = None
    key: str | None = None  # directive key (the fallback when the question is forgotten)


@dataclass(frozen=True)
class Choice:
    """A follow-up offered under an answer: a related document or a candidate."""

    label: str
    target: Target


@dataclass(frozen=True)
class Reply:
    """One reply: an answer with its follow-ups, a short notice, or silence."""

    notice: str = ""  # plain text
    answer: Answer | None = None
    more: Target | None = None  # the next page of quotes, when there is one
    choices: tuple[Choice, ...] = ()
    started: float | None = None  # when the question arrived (for the latency metric)
    asked: int | None = None  # the stored question's id, carried by 👍/👎 (bot/study_buttons.py)

    @property
    def silent(self) -> bool:
        return self.answer is None and not self.notice


SILENCE = Reply()


def normalise(text: str) -> str:
    """NFC, whitespace runs collapsed, on one line."""
    return one_line(text)


class Conversation:
    """The front-end-neutral rules around `SearchService`."""

    def __init__(
        self,
        service: SearchService,
        *,
        limiter: RateLimiter | None = None,
        observer: AnswerObserver | None = None,
        clock: Callable[[], float] = time.perf_counter,
        feedback_days: int | None = None,
    ) -> None:
        self.service = service
        self.limiter = limiter  # None: no limit (the console has one user)
        self.observer = observer
        self.clock = clock
        self.feedback_days = feedback_days  # None: questions are not kept for /chuatraloi
        self._last_document: OrderedDict[int, str] = OrderedDict()

    def admit(self, user: int) -> Reply | None:
        """None when `user` may be answered; else the one-time notice, or silence."""
        if self.limiter is None:
            return None
        verdict = self.limiter.check(user)
        if verdict is Verdict.ALLOW:
            return None
        logger.info("rate limit for user %s (%s)", user, verdict.value)
        if verdict is Verdict.NOTIFY:
            return Reply(texts.RATE_LIMITED.format(s=self.limiter.seconds_left(user)))
        return SILENCE

    async def ask(
        self, user: int, text: str, *, working: Callable[[], Awaitable[None]] | None = None
    ) -> Reply:
        """Answer a question; `working` (a typing indicator) runs when the search
        takes longer than TYPING_AFTER_SECONDS."""
        started = self.clock()
        refusal = self.admit(user)
        if refusal is not None:
            return refusal
        question = normalise(text)
        if len(question) > MAX_QUESTION:
            return Reply(texts.TOO_LONG.format(n=len(question), max=MAX_QUESTION))
        logger.debug("question from %s: %s", user, question)
        search = asyncio.ensure_future(
            self.service.ask(question, about=self._last_document.get(user))
        )
        if working is not None:
            done, _ = await asyncio.wait({search}, timeout=TYPING_AFTER_SECONDS)
            if not done:
                await working()
        answer = await search
        if answer.directive is not None:
            self._remember(user, answer.directive.id)
        # paging asks again what was understood (a follow-up names its document)
        reply = answer_reply(answer, answer.question or question, started)
        return dataclasses.replace(reply, asked=await self._keep(question, answer))

    def _remember(self, user: int, document_id: str) -> None:
        self._last_document[user] = document_id
        self._last_document.move_to_end(user)
        while len(self._last_document) > REMEMBERED_USERS:
            self._last_document.popitem(last=False)

    async def _keep(self, question: str, answer: Answer) -> int | None:
        """Store the question (normalised, no user id) for the gaps report; its id."""
        if self.feedback_days is None:
            return None
        try:
            return await self.service.record_question(
                question, answer, keep_days=self.feedback_days
            )
        except Exception:  # feedback is an extra: the answer goes out even if it is not kept
            logger.exception("could not keep the question for feedback")
            return None

    async def open(self, user: int, target: Target | None) -> Reply:
        """A follow-up chosen from an earlier reply; None is an unusable one."""
        refusal = self.admit(user)
        if refusal is not None:
            return refusal
        if target is None:
            return Reply(texts.STALE_BUTTON)
        answer: Answer | None = None
        try:
            if target.question is not None:
                answer = await self.service.ask(target.question, offset=target.offset)
            elif target.key:
                answer = await self.service.directive_answer(target.key, offset=target.offset)
        except (LookupError, ValueError, VankienError) as exc:
            logger.info("stale follow-up %r: %s", target, exc)
        if answer is None or not answer.found or (target.offset and not answer.passages):
            return Reply(texts.STALE_BUTTON)
        return answer_reply(answer, target.question)

    async def more(self, user: int, previous: Reply | None) -> Reply:
        """The next quotes of the previous reply (the console's /them)."""
        if previous is None or previous.more is None:
            return Reply(texts.NO_MORE_QUOTES)
        return await self.open(user, previous.more)

    def delivered(self, reply: Reply) -> None:
        """Count an answered question once it has been sent."""
        if self.observer is not None and reply.answer is not None and reply.started is not None:
            self.observer.observe_answer(reply.answer.found, self.clock() - reply.started)


def answer_reply(answer: Answer, question: str | None, started: float | None = None) -> Reply:
    """The reply for `answer`: where its next quotes are, and what else to offer.

    `question` is what was asked (None for a document's page): the next page
    asks it again at the next offset, with the document as the fallback.
    """
    key = answer.directive.key if answer.directive else None
    more = None
    if answer.has_more and (question is not None or key):
        more = Target(answer.offset + len(answer.passages), question=question, key=key)
    choices: list[Choice] = []
    if answer.directive:
        related = [r for r in answer.directive.related if r.key][:MAX_RELATED]
        choices += [
            Choice(texts.RELATED_BUTTON.format(id=r.id), Target(0, key=r.key)) for r in related
        ]
    choices += [
        Choice(c.full_name(with_subject=False), Target(0, key=c.key))
        for c in answer.candidates[:MAX_CANDIDATES]
    ]
    return Reply(answer=answer, more=more, choices=tuple(choices), started=started)
