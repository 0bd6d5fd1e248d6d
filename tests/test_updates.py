"""ChatLanes on its own: order, coalescing, closing, and cancellation while waiting."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import warnings
from collections.abc import Iterator
from typing import Any

from telegram import Update

from bot.updates import ChatLanes
from tests.support.botapi import BotAPI

api = BotAPI()  # used only for its message factories: no server is started
GROUP = -100777


def update(data: dict[str, Any], update_id: int) -> Update:
    return Update.de_json({"update_id": update_id, **data}, None)


@contextlib.contextmanager
def no_unawaited_coroutines() -> Iterator[None]:
    """Fails if a coroutine handed to the lanes is dropped without being closed."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
        gc.collect()  # finalizers of dropped coroutines warn here
    assert not [w for w in caught if "never awaited" in str(w.message)]


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def test_stale_burst_is_coalesced_to_the_newest_and_admins_are_kept() -> None:
    clock = Clock()
    lanes = ChatLanes(admin_ids={42}, coalesce_after=5, clock=clock)
    gate = asyncio.Event()
    ran: list[int] = []

    async def handle(n: int) -> None:
        if n == 0:
            await gate.wait()  # the first reply waits for the group's budget
        ran.append(n)

    texts = ["@vankien_test_bot câu hỏi"] * 4 + ["/stats@vankien_test_bot", "@vankien_test_bot mới"]
    senders = [1, 2, 3, 4, 42, 5]
    with no_unawaited_coroutines():
        tasks = [
            asyncio.create_task(
                lanes.process_update(
                    update(api.group_message(text, GROUP, user_id=sender), n), handle(n)
                )
            )
            for n, (text, sender) in enumerate(zip(texts, senders, strict=True))
        ]
        await asyncio.sleep(0)
        clock.now = 6  # everyone waiting has now waited longer than coalesce_after
        gate.set()
        await asyncio.gather(*tasks)
    assert ran == [0, 4, 5]  # 1-3 coalesced; the admin's command and the newest kept
    assert lanes.skipped == 3 and lanes.dropped == 0 and lanes.busy_chats == 0


async def test_private_chats_are_never_coalesced_and_stay_in_order() -> None:
    clock = Clock()
    lanes = ChatLanes(coalesce_after=0, clock=clock)
    ran: list[int] = []

    async def handle(n: int) -> None:
        await asyncio.sleep(0.01)
        ran.append(n)

    await asyncio.gather(
        *(
            lanes.process_update(update(api.private_message(f"câu {n}"), n), handle(n))
            for n in range(5)
        )
    )
    assert ran == [0, 1, 2, 3, 4] and lanes.skipped == 0


async def test_close_cancels_what_runs_and_drops_what_waits_without_warnings() -> None:
    lanes = ChatLanes()
    started = asyncio.Event()

    async def stuck() -> None:
        started.set()
        await asyncio.sleep(3600)

    async def never() -> None:
        raise AssertionError("must not run after close()")

    with no_unawaited_coroutines():
        running = asyncio.create_task(
            lanes.process_update(update(api.private_message("a"), 1), stuck())
        )
        waiting = [
            asyncio.create_task(lanes.process_update(update(api.private_message(t), n), never()))
            for n, t in ((2, "b"), (3, "c"))
        ]
        cancelled = asyncio.create_task(
            lanes.process_update(update(api.private_message("d"), 4), never())
        )
        await started.wait()
        cancelled.cancel()  # as Application.stop's timeout does to what is still queued
        lanes.close()
        await asyncio.gather(running, *waiting, cancelled, return_exceptions=True)
    assert lanes.dropped == 4 and lanes.busy_chats == 0
