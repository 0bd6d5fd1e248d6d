"""SearchService: the one async facade the front ends use.

It owns the store and the live index. Answers are computed off the event
loop from an immutable snapshot; ingest and reindex build a new generation
beside it and swap it in with one assignment, so questions keep being
answered from the last good index while (and if) a rebuild fails.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from index import build, indexer
from index.answer import answer_directive, answer_question, find_directives
from index.errors import SourceError, StoreError, VankienError
from index.ingest import is_url, read_source, store_article
from index.live import LiveIndex
from index.models import (
    Answer,
    ArticleInfo,
    Directive,
    IngestItem,
    IngestReport,
    ReindexProgress,
    SourceInfo,
    Stats,
)
from index.store import Store
from index.tokenize import warm_up
from index.writelock import WriterLock

log = logging.getLogger(__name__)

ProgressCallback = Callable[[ReindexProgress], None]
_CHANGES = ("added", "updated", "duplicate")
# How long a write waits for another process's build before it gives up with
# "Đang lập chỉ mục, thử lại sau.": long enough for a source removal or a
# one-file ingest, short enough that nobody stares at a silent command.
BUSY_WAIT_SECONDS = 3.0


class SearchService:
    def __init__(
        self,
        store: Store,
        live: LiveIndex,
        *,
        allow_private_urls: bool,
        writer: WriterLock | None,
        busy_wait: float = BUSY_WAIT_SECONDS,
    ) -> None:
        self._store = store
        self._live = live
        self._allow_private = allow_private_urls
        self._writer = writer  # None: opened read-only
        self._busy_wait = busy_wait
        self._write_lock = asyncio.Lock()  # one ingest/reindex/removal at a time in this process
        self._reindex_task: asyncio.Task[ReindexProgress] | None = None
        self._warming: asyncio.Task[None] | None = None

    @classmethod
    async def open(
        cls,
        db_path: str | Path,
        *,
        allow_private_urls: bool = False,
        readonly: bool = False,
        busy_wait: float = BUSY_WAIT_SECONDS,
    ) -> SearchService:
        """Open the database and load the live index.

        A writable service creates and migrates the database. A `readonly`
        one (questions, statistics) never writes: a missing database reads as
        empty, and only a schema older than this program is brought up to date.
        """
        db_path = Path(db_path)
        writer = None
        if readonly:
            store = await Store.open_for_reading(db_path)
        else:
            store = await Store.open(db_path)
            writer = WriterLock(db_path)
            if writer.try_acquire():  # else a live build is under way: leave it alone
                try:
                    await _discard_unfinished(store)
                finally:
                    writer.release()
        with build.collector_paused():
            live = await indexer.load(store)
        service = cls(
            store, live, allow_private_urls=allow_private_urls, writer=writer, busy_wait=busy_wait
        )
        # pyvi takes one to two seconds to load and only questions with content
        # words need it: load it in the background, so questions naming a
        # document are answered at once (the others wait for it if they must)
        service._warming = asyncio.create_task(asyncio.to_thread(warm_up))
        return service

    async def close(self) -> None:
        if self._reindex_task and not self._reindex_task.done():
            await asyncio.wait([self._reindex_task], timeout=30)
        if self._warming is not None:
            await self._warming
        await self._store.close()

    @property
    def live(self) -> LiveIndex:
        return self._live

    @property
    def store(self) -> Store:
        return self._store

    @asynccontextmanager
    async def _writing(self) -> AsyncIterator[None]:
        """Exclusive right to write, in this process and across processes."""
        if self._writer is None:
            raise StoreError("Cơ sở dữ liệu đang mở chỉ để đọc.")
        async with self._write_lock:
            await self._writer.acquire(self._busy_wait)
            try:
                # holding the lock, every generation still 'building' is a dead one's
                await _discard_unfinished(self._store)
                yield
            finally:
                self._writer.release()

    # -- questions ---------------------------------------------------------------------
    async def ask(self, question: str, *, offset: int = 0, limit: int = 3) -> Answer:
        """Answer a question; `offset`/`limit` page through the quotes."""
        live = self._live
        return await asyncio.to_thread(answer_question, live, question, offset=offset, limit=limit)

    async def directive_answer(self, key: str, *, offset: int = 0, limit: int = 3) -> Answer:
        """The card and quotes for one directive by its internal key (buttons)."""
        live = self._live
        return await asyncio.to_thread(answer_directive, live, key, offset=offset, limit=limit)

    async def find_directives(self, text: str, *, limit: int = 50) -> list[Directive]:
        """Directives matching a reference or topic text, best first (inline mode)."""
        live = self._live
        return await asyncio.to_thread(find_directives, live, text, limit)

    async def latest_articles(self, limit: int = 5) -> list[ArticleInfo]:
        return await self._store.latest_articles(limit)

    # -- sources -----------------------------------------------------------------------
    async def sources(self) -> list[SourceInfo]:
        return await self._store.sources()

    async def remove_source(self, source_id: int) -> bool:
        async with self._writing():
            removed = await self._store.remove_source(source_id)
            if removed:
                self._live = await self._rebuild()
        return removed

    async def ingest(
        self, targets: list[str], progress: ProgressCallback | None = None
    ) -> IngestReport:
        """Register and read files, folders, pages or feeds; swap in the new index."""
        report = IngestReport()
        async with self._writing():
            state = ReindexProgress(sources_total=len(targets))
            for target in targets:
                location = target if is_url(target) else str(Path(target).expanduser().resolve())
                await self._read_one(location, None, report, state, register=True)
                state.sources_done += 1
                _notify(progress, state)
            if any(item.status in _CHANGES for item in report.items) or self._live.generation == 0:
                self._live = await self._rebuild()
        return report

    async def _read_one(
        self,
        location: str,
        source_id: int | None,
        report: IngestReport,
        state: ReindexProgress,
        *,
        register: bool,
    ) -> None:
        etag = last_modified = None
        if source_id is not None:
            etag, last_modified = await self._store.source_validators(source_id)
        try:
            read = await read_source(
                location, allow_private=self._allow_private, etag=etag, last_modified=last_modified
            )
        except SourceError as exc:
            report.items.append(IngestItem(location, "refused", reason=str(exc)))
            state.failed += 1
            state.failures.append((location, str(exc)))
            if source_id is not None:
                await self._store.record_source_result(source_id, error=str(exc))
            return
        if register:
            source_id, _ = await self._store.add_source(location, read.kind)
        assert source_id is not None
        if read.not_modified:
            state.unchanged += 1
        for target, raw in read.articles:
            item = await store_article(self._store, source_id, target, raw)
            report.items.append(item)
            if item.status == "added":
                state.new += 1
            elif item.status == "updated":
                state.updated += 1
            elif item.status == "refused":
                state.failed += 1
                state.failures.append((target, item.reason))
            else:
                state.unchanged += 1
        for target, reason in read.failures:
            report.items.append(IngestItem(target, "failed", reason=reason))
            state.failed += 1
            state.failures.append((target, reason))
        await self._store.record_source_result(
            source_id,
            error=None if read.articles or read.not_modified else "không đọc được bài nào",
            etag=read.etag,
            last_modified=read.last_modified,
        )

    async def _rebuild(self, *, full: bool = False) -> LiveIndex:
        """The index with what changed applied (the same one when nothing did),
        built away from this event loop (see build.py); on failure the current
        one keeps serving."""
        try:
            return await build.apply_changes(self._store.path, self._live, full=full) or self._live
        except VankienError:
            raise
        except Exception as exc:
            log.exception("index rebuild failed; the previous index keeps serving")
            raise StoreError(
                f"Dựng lại chỉ mục không thành công ({exc}); chỉ mục cũ vẫn đang trả lời."
            ) from exc

    # -- reindex -----------------------------------------------------------------------
    @property
    def reindex_running(self) -> bool:
        return self._reindex_task is not None and not self._reindex_task.done()

    async def reindex(
        self, progress: ProgressCallback | None = None, *, full: bool = False
    ) -> ReindexProgress:
        """Re-read every source and apply what changed; concurrent calls share one run.

        When nothing changed, nothing is rebuilt or written. `full` re-splits
        and re-tokenises every article (format upgrades, `vankien reindex --full`).
        Raises ReindexBusyError when another process is building.
        """
        return await self.start_reindex(progress, full=full)

    def start_reindex(
        self, progress: ProgressCallback | None = None, *, full: bool = False
    ) -> asyncio.Future[ReindexProgress]:
        """Start (or join) the reindex now, without waiting: `reindex_running` is true
        on return, so a front end can refuse a second request before its next await."""
        if self._reindex_task is None or self._reindex_task.done():
            self._reindex_task = asyncio.create_task(self._reindex(progress, full))
        return asyncio.shield(self._reindex_task)

    async def _reindex(self, progress: ProgressCallback | None, full: bool) -> ReindexProgress:
        started = time.perf_counter()
        async with self._writing():
            sources = await self._store.sources()
            state = ReindexProgress(sources_total=len(sources))
            _notify(progress, state)
            report = IngestReport()
            for source in sources:
                await self._read_one(source.location, source.id, report, state, register=False)
                state.sources_done += 1
                _notify(progress, state)
            self._live = await self._rebuild(full=full)
        state.generation = self._live.generation
        state.finished = True
        state.seconds = time.perf_counter() - started
        _notify(progress, state)
        return state

    async def stats(self) -> Stats:
        counts = await self._store.counts()
        db_bytes = sum(
            p.stat().st_size
            for p in (self._store.path, Path(f"{self._store.path}-wal"))
            if p.exists()
        )
        return Stats(
            articles=counts["articles"],
            passages=counts["passages"],
            directives=counts["directives"],
            sources=counts["sources"],
            last_reindex=counts["last_reindex"],
            generation=counts["generation"],
            index_bytes=self._live.bm25.size_bytes,
            db_bytes=db_bytes,
        )


async def _discard_unfinished(store: Store) -> None:
    discarded = await store.discard_unfinished()
    if discarded:
        log.warning(
            "removed %d unfinished index generation(s) left by an interrupted run", discarded
        )


def _notify(progress: ProgressCallback | None, state: ReindexProgress) -> None:
    if progress is None:
        return
    try:
        progress(state)
    except Exception:  # a broken progress display must not stop the work
        log.exception("progress callback failed")
