"""Full rebuilds and large updates in a child process.

A full rebuild (format upgrade, `vankien reindex --full`) re-splits and
re-tokenises every article: minutes of CPU and, at 100k passages, hundreds
of megabytes of token strings. It (and any update large enough to be
costly, such as a first ingest) runs in a child process with its own
database connection, which writes and activates the new generation; the
serving process only waits (without holding the interpreter) and then
loads the finished generation, its segments mapped from their stored bytes.
If the child dies, the previous generation keeps serving and the one it
left half-built is discarded by the next write or start.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from pathlib import Path

from index.errors import StoreError
from index.indexer import update
from index.live import LiveIndex
from index.store import Store


async def in_child(db_path: Path, *, full: bool) -> None:
    """Apply what changed (`full`: rebuild everything) in a child process;
    returns once the new generation is active."""
    # forkserver: the parent runs an event loop and sqlite threads, unsafe to fork
    child = multiprocessing.get_context("forkserver").Process(
        target=_child, args=(str(db_path), full), name="vankien-build"
    )
    child.start()
    try:
        await asyncio.to_thread(child.join)
    except asyncio.CancelledError:
        child.kill()
        await asyncio.to_thread(child.join)
        raise
    if child.exitcode != 0:
        raise StoreError(f"tiến trình dựng lại chỉ mục dừng với mã {child.exitcode}")


def _child(db_path: str, full: bool) -> None:
    # on a small server the serving process must win the CPU: answers first
    os.nice(10)
    asyncio.run(_update(db_path, full))


async def _update(db_path: str, full: bool) -> None:
    store = await Store.open(db_path)
    try:
        await update(store, LiveIndex.empty(), full=full)
    finally:
        await store.close()
