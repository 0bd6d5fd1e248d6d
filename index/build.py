"""Where index updates run: never on the serving process's event loop.

`apply_changes` does its work in a worker thread with its own event loop
and its own database connection, so the serving loop only waits for the
result (reading article lists, building the new generation's Python objects
and loading it never hold it up; the interpreter is shared, but switches
threads every few milliseconds).

A full rebuild (format upgrade, `vankien reindex --full`) re-splits and
re-tokenises every article: minutes of CPU and, at 100k passages, hundreds
of megabytes of token strings. It, any update of CHILD_ARTICLES or more
articles (a first ingest) and any update that may merge segments, runs in a
child process at lower priority, which
writes and activates the new generation; the serving side then loads it,
its segments mapped from their stored bytes. If the child dies, the
previous generation keeps serving and the one it left half-built is
discarded by the next write or start.
"""

from __future__ import annotations

import asyncio
import gc
import multiprocessing
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from index.errors import StoreError
from index.indexer import changes, load, stop_helper, update
from index.live import LiveIndex
from index.segments import SegmentedIndex
from index.store import Store

CHILD_ARTICLES = 500  # articles to (re)index from which the work goes to a child process


async def apply_changes(db_path: Path, live: LiveIndex, *, full: bool) -> LiveIndex | None:
    """The index with what changed since `live` applied; None when nothing did."""
    with collector_paused():
        return await asyncio.to_thread(asyncio.run, _apply(db_path, live, full))


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector walks every object the process
    holds, with the interpreter held: with a 100k-passage index that is
    hundreds of milliseconds in which no answer moves. An update makes
    several hundred thousand objects (enough to set off full collections)
    and no reference cycles worth finding: collect nothing while it runs,
    then freeze what exists, the new index included, out of later
    collections (reference counting still frees it when it is replaced)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


async def _apply(db_path: Path, live: LiveIndex, full: bool) -> LiveIndex | None:
    store = await Store.open(db_path)
    try:
        todo = await changes(store, full=full)
        if not todo:
            return None
        merging = isinstance(live.bm25, SegmentedIndex) and live.bm25.merge_near()
        if full or merging or len(todo.changed) + len(todo.removed) >= CHILD_ARTICLES:
            await _in_child(db_path, full=full)
            return await load(store)
        return await update(store, live, todo=todo)
    finally:
        await store.close()


async def _in_child(db_path: Path, *, full: bool) -> None:
    """Apply what changed (`full`: rebuild everything) in a child process;
    returns once the new generation is active."""
    # forkserver: the parent runs event loops and sqlite threads, unsafe to fork
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
    try:
        asyncio.run(_update(db_path, full))
    finally:  # a multiprocessing child would otherwise wait on it forever
        stop_helper()


async def _update(db_path: str, full: bool) -> None:
    store = await Store.open(db_path)
    try:
        await update(store, LiveIndex.empty(), full=full, serve=False)
    finally:
        await store.close()
