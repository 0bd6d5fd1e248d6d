"""Update processing keyed by chat: one lane per chat, chats side by side.

PTB's default processor runs any N updates at once, so N replies waiting for
one group's flood budget (20 messages a minute, enforced by AIORateLimiter
inside the send) hold every slot and a private question waits minutes. Here:

  - updates of one chat run one at a time, in arrival order (its lane); lanes
    of different chats run concurrently, so a group waiting for its budget
    holds only its own lane;
  - in a group that has fallen behind, a burst is coalesced: a message that
    has waited COALESCE_AFTER seconds while a newer one from the same chat
    waits behind it is skipped, so the lane answers the newest instead of
    falling minutes behind. Only messages addressed to a bot (command,
    mention, reply to a bot) from non-admins are skipped; button presses,
    admin commands and private chats never are. Each burst is logged with
    its count;
  - `close()` (at shutdown, when time is up) drops what has not started and
    cancels what is still running, counting both in `dropped`.

Updates without a chat (inline queries) run at once, outside any lane.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from typing import Any

from telegram import Message, Update
from telegram.constants import ChatType, MessageEntityType
from telegram.ext import BaseUpdateProcessor

logger = logging.getLogger(__name__)

# Seconds a group message may wait in its lane before a newer one replaces it:
# longer than an answer takes under load, shorter than users will wait.
COALESCE_AFTER = 5.0
# PTB's semaphore is held while an update waits for its lane, so it only caps
# memory (updates in hand), not concurrency.
MAX_PENDING_UPDATES = 10_000
ADDRESSING = {MessageEntityType.BOT_COMMAND, MessageEntityType.MENTION}


@dataclass(eq=False)  # compared by identity: two may arrive in the same clock tick
class _Ticket:
    arrived: float
    skippable: bool


def lane_of(update: object) -> int | None:
    """The chat whose lane the update runs in; None for updates without a chat."""
    if isinstance(update, Update) and update.effective_chat is not None:
        return update.effective_chat.id
    return None


def addressed_to_a_bot(message: Message) -> bool:
    """A command, a mention or a reply to a bot: a message that gets an answer."""
    if any(e.type in ADDRESSING for e in message.entities or ()):
        return True
    replied = message.reply_to_message
    return replied is not None and replied.from_user is not None and replied.from_user.is_bot


def skippable(update: object, admin_ids: Collection[int]) -> bool:
    """May this update be coalesced away when its group has fallen behind?"""
    if not isinstance(update, Update) or update.message is None:
        return False  # buttons, edits, inline queries: always handled
    message = update.message
    if message.chat.type not in (ChatType.GROUP, ChatType.SUPERGROUP):
        return False
    sender = message.from_user
    if sender is not None and sender.id in admin_ids:
        return False
    return addressed_to_a_bot(message)


class ChatLanes(BaseUpdateProcessor):
    """Serialises updates per chat, runs chats concurrently, coalesces group bursts."""

    def __init__(
        self,
        admin_ids: Collection[int] = (),
        coalesce_after: float = COALESCE_AFTER,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(MAX_PENDING_UPDATES)
        self.admin_ids = frozenset(admin_ids)
        self.coalesce_after = coalesce_after
        self.clock = clock
        self.skipped = 0  # coalesced away, all time
        self.dropped = 0  # not handled because of close()
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiting: dict[int, list[_Ticket]] = {}  # per lane, in arrival order
        self._burst: dict[int, int] = {}  # per lane: skipped since its last answer
        self._running: set[asyncio.Task[Any]] = set()
        self._closed = False

    async def initialize(self) -> None:
        """Nothing to set up: lanes are made on demand."""

    async def shutdown(self) -> None:
        """Nothing to release: `close()` is what ends the work in hand."""

    @property
    def busy_chats(self) -> int:
        """Chats with an update running or waiting (lanes are forgotten once empty)."""
        return len(self._locks)

    def close(self) -> None:
        """From now on nothing new starts; what runs is cancelled. Counted in `dropped`."""
        self._closed = True
        for task in list(self._running):
            task.cancel()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat_id = lane_of(update)
        if chat_id is None:
            await self._run(coroutine)
            return
        ticket = _Ticket(self.clock(), skippable(update, self.admin_ids))
        waiting = self._waiting.setdefault(chat_id, [])
        waiting.append(ticket)
        lock = self._locks.setdefault(chat_id, asyncio.Lock())
        started = False
        try:
            async with lock:  # asyncio.Lock wakes waiters in order: the lane stays FIFO
                waiting.remove(ticket)
                if self._closed:  # a burst skipped for this update is dropped with it
                    self.dropped += 1 + self._burst.pop(chat_id, 0)
                    return
                if self._stale(ticket, waiting):
                    self.skipped += 1
                    self._burst[chat_id] = self._burst.get(chat_id, 0) + 1
                    return
                if burst := self._burst.pop(chat_id, 0):
                    logger.info(
                        "busy chat %s: skipped %d older messages of a burst, answering the newest",
                        chat_id,
                        burst,
                    )
                started = True
                await self._run(coroutine)
        finally:
            if not started:  # skipped, dropped, or cancelled while waiting (at shutdown)
                self._discard(coroutine)
            if ticket in waiting:  # cancelled while waiting: not answered
                waiting.remove(ticket)
                self.dropped += 1
            if not waiting:  # nobody queued behind: forget the lane
                self._waiting.pop(chat_id, None)
                self._locks.pop(chat_id, None)

    def _stale(self, ticket: _Ticket, waiting: list[_Ticket]) -> bool:
        return (
            ticket.skippable
            and self.clock() - ticket.arrived >= self.coalesce_after
            and any(later.skippable for later in waiting)
        )

    def _discard(self, coroutine: Awaitable[Any]) -> None:
        close = getattr(coroutine, "close", None)
        if close is not None:
            close()  # never started: no "was never awaited" warning

    async def _run(self, coroutine: Awaitable[Any]) -> None:
        if self._closed:
            self._discard(coroutine)
            self.dropped += 1
            return
        task = asyncio.current_task()
        assert task is not None
        self._running.add(task)
        try:
            await coroutine
        except asyncio.CancelledError:
            if not self._closed:
                raise
            self.dropped += 1  # cancelled by close(): counted, not an error
        finally:
            self._running.discard(task)
