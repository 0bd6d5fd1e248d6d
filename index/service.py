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
from datetime import UTC, datetime, timedelta
from pathlib import Path

from index import build, indexer
from index.answer import answer_directive, answer_question, find_directives
from index.citation import Citation, cite
from index.errors import SourceError, StoreError, VankienError
from index.feedback import Gap, group_gaps, normalise, topic_of, voter_token
from index.ingest import is_url, read_source, store_article
from index.live import LiveIndex
from index.lookup import Lookup, lookup
from index.models import (
    Answer,
    ArticleInfo,
    Directive,
    IndexStatus,
    IngestItem,
    IngestReport,
    ReindexProgress,
    SourceInfo,
    Stats,
)
from index.quiz import QuizQuestion, quiz_round
from index.store import Store
from index.subscriptions import (
    EVERYTHING,
    Digest,
    Followed,
    build_digests,
    latest_article_id,
)
from index.timeline import (
    Timeline,
    TimelineEntry,
    asks_where_studied,
    build_timeline,
    timeline_answer,
)
from index.tokenize import warm_up
from index.writelock import WriterLock

# The study-group methods return these plain records; front ends import them
# from this facade (bot/ reaches index/ only through it, models and errors).
__all__ = [
    "Citation",
    "Digest",
    "Followed",
    "Gap",
    "Lookup",
    "QuizQuestion",
    "SearchService",
    "Timeline",
    "TimelineEntry",
]

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
        try:
            with build.collector_paused():
                live = await indexer.load(store)
        except BaseException:
            await store.close()  # an open connection's thread would keep the process alive
            raise
        service = cls(
            store, live, allow_private_urls=allow_private_urls, writer=writer, busy_wait=busy_wait
        )
        # pyvi takes one to two seconds to load and only questions with content
        # words need it: load it in the background, so questions naming a
        # document are answered at once (the others wait for it if they must)
        service._warming = asyncio.create_task(asyncio.to_thread(warm_up))
        return service

    async def close(self) -> None:
        try:
            if self._reindex_task and not self._reindex_task.done():
                await asyncio.wait([self._reindex_task], timeout=30)
            if self._warming is not None:
                await asyncio.wait([self._warming])
                if not self._warming.cancelled() and self._warming.exception():
                    # pyvi could not load (its model is unpacked to a temporary file,
                    # which a full disk refuses); questions that need it said so
                    log.info("tokenizer warm-up failed: %s", self._warming.exception())
        finally:
            await self._store.close()  # always: an open connection keeps the process alive

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
    async def ask(
        self, question: str, *, offset: int = 0, limit: int = 3, about: str | None = None
    ) -> Answer:
        """Answer a question; `offset`/`limit` page through the quotes; `about` (the
        id of the document last answered about) completes a follow-up question."""
        live = self._live
        if asks_where_studied(question):  # "Tỉnh nào đã quán triệt Kết luận 21?": a timeline
            where = await asyncio.to_thread(
                timeline_answer, live, question, offset=offset, limit=limit
            )
            if where is not None:
                return where
        return await asyncio.to_thread(
            answer_question, live, question, offset=offset, limit=limit, about=about
        )

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
                if not target.strip():  # an unset variable, not "the current folder"
                    report.items.append(IngestItem(target, "refused", reason="đường dẫn trống"))
                    state.failed += 1
                else:
                    await self._read_one(_location(target), None, report, state, register=True)
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
            if not read.articles:  # nothing could be read: not a source to re-read later
                _report_failures(read.failures, report, state)
                return
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
        _report_failures(read.failures, report, state)
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
    def status(self) -> IndexStatus:
        """The live index for health checks and metrics, without touching the database."""
        live = self._live
        return IndexStatus(
            live.generation, len(live.articles), live.bm25.n_docs, self.reindex_running
        )

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

    # -- study groups: citation, timeline, quiz, subscriptions, feedback --------------
    async def lookup(self, text: str) -> Lookup:
        """The document an id typed by a user means ("21-KL/TW", "KL21", "ket luan 21")."""
        live = self._live
        return await asyncio.to_thread(lookup, live, text)

    async def citation(self, key: str) -> Citation | None:
        """The formal citation line and numbered sources of one document (by key)."""
        live = self._live
        directive = live.directives.get(key)
        return cite(live, directive) if directive else None

    async def record_question(self, question: str, answer: Answer, *, keep_days: int) -> int:
        """Keep the question (normalised, no user id) for the gaps report; returns its id."""
        keep_after = datetime.now(UTC) - timedelta(days=keep_days)
        return await self._store.record_question(
            normalise(question), topic_of(question), answer.found, keep_after=keep_after
        )

    async def vote(self, asked_id: int, user_id: int, vote: int) -> int | None:
        """Record 👍 (1) or 👎 (-1); returns the user's previous vote (0: none), None if unknown."""
        voter = voter_token(await self._store.vote_salt(), asked_id, user_id)
        return await self._store.record_vote(asked_id, voter, 1 if vote > 0 else -1)

    async def gaps(self, *, days: int = 7) -> list[Gap]:
        """Questions of the last `days` days that found nothing or got 👎, grouped and ranked."""
        since = datetime.now(UTC) - timedelta(days=days)
        return group_gaps(await self._store.unanswered(since))

    async def purge_feedback(self, *, keep_days: int) -> int:
        return await self._store.purge_questions(datetime.now(UTC) - timedelta(days=keep_days))

    async def follow(self, chat_id: int, directive: Directive | None) -> bool:
        """Subscribe a chat to one document, or to everything new; False if it already was."""
        key, label = (directive.key, directive.id) if directive else (EVERYTHING, "")
        return await self._store.subscribe(chat_id, key, label, latest_article_id(self._live))

    async def unfollow(self, chat_id: int, directive: Directive | None = None) -> int:
        """Drop one subscription, or all of a chat's; returns how many."""
        return await self._store.unsubscribe(chat_id, directive.key if directive else None)

    async def following(self, chat_id: int) -> list[Followed]:
        return [
            Followed(key, label) for _c, key, label, _s in await self._store.subscriptions(chat_id)
        ]

    async def digests(self) -> list[Digest]:
        """What is new for each subscribed chat (empty digests only move its watermark)."""
        live = self._live
        rows = await self._store.subscriptions()
        return await asyncio.to_thread(build_digests, live, rows)

    async def digest_sent(self, chat_id: int, upto: int) -> None:
        await self._store.mark_reported(chat_id, upto)

    async def chat_moved(self, old_chat_id: int, new_chat_id: int) -> int:
        return await self._store.move_subscriptions(old_chat_id, new_chat_id)

    async def timeline(self, key: str) -> Timeline | None:
        """Where and when a document (by key) was studied or implemented, newest first."""
        live = self._live
        directive = live.directives.get(key)
        if directive is None:
            return None
        return await asyncio.to_thread(build_timeline, live, directive)

    async def quiz(self, count: int, *, about: str | None = None) -> list[QuizQuestion]:
        """Up to `count` different quiz questions, about one document (by key) when given."""
        live = self._live
        directive = live.directives.get(about) if about else None
        if about and directive is None:
            return []
        return await asyncio.to_thread(quiz_round, live, count, about=directive)


def _location(target: str) -> str:
    """A URL as given; a path made absolute (resolved unless its links loop)."""
    if is_url(target):
        return target
    path = Path(target).expanduser()
    try:
        return str(path.resolve())
    except (OSError, RuntimeError):  # a symlink loop: reading it reports the reason
        return str(path.absolute())


def _report_failures(
    failures: list[tuple[str, str]], report: IngestReport, state: ReindexProgress
) -> None:
    for target, reason in failures:
        report.items.append(IngestItem(target, "failed", reason=reason))
        state.failed += 1
        state.failures.append((target, reason))


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
