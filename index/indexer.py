"""Apply what changed in the stored articles to the index, as a new generation.

An update costs what changed: articles whose text (or the index format) is
new are split and tokenised once, their passages go into one new segment,
the passages they replace (and those of removed articles) are masked, and
the BM25 statistics are recomputed from arrays (see segments.py) — nothing
else is re-read or re-tokenised. When nothing changed, nothing is written.
`full=True` (format upgrades, `vankien reindex --full`) re-splits and
re-tokenises every article into one base segment instead.

The new generation is written beside the active one and activated in one
transaction (see store.py); the caller swaps in the returned LiveIndex.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np

from index.bm25 import BM25Index
from index.directives import MergeResult, directive_from_data, directive_to_data, merge
from index.live import LiveIndex, PassageRef
from index.models import ArticleInfo, Directive
from index.passages import split_passages
from index.places import ArticleContext, article_context
from index.refcodec import refs_from_json, refs_to_json
from index.refs import Ref, find_refs
from index.segments import Segment, SegmentedIndex, order_key
from index.store import Generation, Store, StoredPassage
from index.tokenize import passage_tokens, warm_up

POOL_THRESHOLD = 400  # passages; below this, worker start-up costs more than it saves
# Bump when splitting, tokenising or reading references changes: every article's passages are then
# stale, so the next update re-tokenises everything.
INDEX_FORMAT = "5"


def reuse_key(content_hash: str) -> str:
    """What passages were made from: the article's text and the index format."""
    return f"{content_hash}|{INDEX_FORMAT}"


def _tokenize_chunk(texts: list[str]) -> list[tuple[str, str]]:
    # strings made in the worker: cheaper to send back and keep than lists and objects
    return [
        (" ".join(passage_tokens(t)), refs_to_json(find_refs(t, with_state=True))) for t in texts
    ]


def tokenize_all(texts: list[str], workers: int | None = None) -> list[tuple[str, str]]:
    """For each text: space-separated tokens and the references it names (as
    stored, see refcodec.py). Large batches are spread over the CPU cores;
    small ones go to one long-lived helper process, because pyvi's tagger
    holds the interpreter for a whole passage and answers would wait on it.
    `workers=1` tokenises here, in this thread."""
    if workers == 1 or not texts:
        return _tokenize_chunk(texts)
    workers = workers or min(os.cpu_count() or 1, 4)
    if len(texts) < POOL_THRESHOLD or workers < 2:
        return _helper().submit(_tokenize_chunk, texts).result()
    size = max(50, len(texts) // (workers * 8))
    chunks = [texts[i : i + size] for i in range(0, len(texts), size)]
    with ProcessPoolExecutor(workers, mp_context=_CONTEXT, initializer=warm_up) as pool:
        return [tokens for chunk in pool.map(_tokenize_chunk, chunks) for tokens in chunk]


# forkserver: the parent runs event loops and sqlite threads, unsafe to fork
_CONTEXT = multiprocessing.get_context("forkserver")
_helper_pool: ProcessPoolExecutor | None = None
_helper_lock = threading.Lock()


def stop_helper() -> None:
    """End the helper process (a process that made one must, before it exits)."""
    global _helper_pool
    with _helper_lock:
        if _helper_pool is not None:
            _helper_pool.shutdown()
            _helper_pool = None


def _helper() -> ProcessPoolExecutor:
    """The helper process for small batches, started on first use (pyvi loads once)."""
    global _helper_pool
    with _helper_lock:
        if _helper_pool is None:
            _helper_pool = ProcessPoolExecutor(1, mp_context=_CONTEXT, initializer=warm_up)
        return _helper_pool


@dataclass(frozen=True)
class Changes:
    """What the active generation lacks, by article id (ascending)."""

    active: Generation | None
    heads: list[tuple[ArticleInfo, str]]  # every indexable article and its reuse key
    changed: list[int]  # new, or their text (or the index format) changed
    removed: list[int]  # indexed, but gone or no longer indexable
    renamed: bool  # only titles, links or dates changed

    def __bool__(self) -> bool:
        return self.active is None or bool(self.changed or self.removed or self.renamed)


async def changes(store: Store, *, full: bool = False) -> Changes:
    """Compare the stored articles with what the active generation indexed
    (identities and hashes only: no article text is read)."""
    active = await store.active_generation()
    heads = [(info, reuse_key(h)) for info, h in await store.article_heads()]
    indexed = await store.indexed_articles(active.id) if active else {}
    current = {info.id for info, _ in heads}
    return Changes(
        active=active,
        heads=heads,
        changed=[i.id for i, key in heads if full or indexed.get(i.id, (i, None))[1] != key],
        removed=[a for a in indexed if a not in current],
        renamed=any(indexed[i.id][0] != i for i, _ in heads if i.id in indexed),
    )


async def update(
    store: Store,
    live: LiveIndex,
    *,
    full: bool = False,
    workers: int | None = None,
    todo: Changes | None = None,
    serve: bool = True,
) -> LiveIndex | None:
    """A new active generation with what changed since `live` (`todo`, when
    already known); None when nothing did, or when not asked to `serve` it
    (a build child only writes the generation)."""
    todo = todo if todo is not None else await changes(store, full=full)
    if not todo:
        return None
    active, changed, removed = todo.active, todo.changed, todo.removed
    if active is not None and active.id != live.generation and not full:
        live = await load(store)  # another process moved on: start from what it stored
    dead = await store.live_passage_ids(active.id, changed + removed) if active else []
    infos = {info.id: info for info, _ in todo.heads}
    contexts, fresh = _kept_contexts(live, infos, changed)
    texts = await store.article_texts(fresh)  # the changed articles' and those lacking context
    contexts.update(await asyncio.to_thread(_contexts, [infos[a] for a in fresh], texts))
    rows = [
        (article_id, position, text)
        for article_id in changed  # ascending: heads come by id
        for position, text in enumerate(split_passages(texts[article_id]))
    ]
    del texts
    analysed = await asyncio.to_thread(tokenize_all, [text for _, _, text in rows], workers)
    tokens = [tok for tok, _ in analysed]
    refs = [found for _, found in analysed]
    del analysed
    hashes = {info.id: key for info, key in todo.heads}
    generation = await store.start_generation()
    ids = await store.add_passages(
        generation,
        [(a, pos, hashes[a], text, tok) for (a, pos, text), tok in zip(rows, tokens, strict=True)],
        refs,
    )
    # references of the passages kept, read as stored (the cache is empty after a restart)
    cached = sum(1 for pid in live.refs_cache if pid >= 0)  # titles' are under negative ids
    kept_refs = await store.passage_refs(active.id) if active and cached < live.bm25.n_docs else {}
    await store.retire_passages(generation, dead)
    base = None
    if not full and active is not None:
        base = live.bm25 if isinstance(live.bm25, SegmentedIndex) else await _upgrade(store, live)
    # the CPU work runs in a thread: the event loop keeps answering meanwhile
    new_ids = set(ids)
    nxt = await asyncio.to_thread(
        _next_index, live, base, rows, ids, tokens, dead, refs, kept_refs, contexts,
        [*fresh, *removed],
    )  # fmt: skip
    del tokens
    if kept_refs or (active and not live.refs_cache):
        # passages stored before references were kept: store what merging found
        await store.set_passage_refs(
            [(refs_to_json(nxt.refs_cache[pid]), pid) for pid in nxt.refs_cache
             if pid >= 0 and pid not in kept_refs and pid not in new_ids]
        )  # fmt: skip
    segment_ids = [
        known or await store.save_segment(generation, data)
        for known, data in nxt.segments
    ]  # fmt: skip
    await store.finish_generation(
        generation,
        segments=segment_ids,
        directives=nxt.directives,
        mentions=nxt.merged.mentions,
        articles=[(info, hashes[info.id]) for info, _ in todo.heads],
    )
    if not serve:
        return None
    return await asyncio.to_thread(
        LiveIndex.assemble, generation, nxt.bm25, nxt.passages,
        infos, nxt.merged.directives, nxt.merged.mentions, nxt.refs_cache, segment_ids,
        contexts,
    )  # fmt: skip


def _kept_contexts(
    live: LiveIndex, infos: dict[int, ArticleInfo], changed: list[int]
) -> tuple[dict[int, tuple[ArticleInfo, ArticleContext]], list[int]]:
    """The article contexts `live` holds that still hold (same text, title, site
    and date), and the articles (ascending) whose context must be read from their
    text: changed ones, and all of them after a restart."""
    stale = set(changed)
    kept = {
        a: (info, context)
        for a, (info, context) in live.contexts.items()
        if a not in stale and infos.get(a) == info
    }
    return kept, [a for a in infos if a not in kept]


def _contexts(
    infos: list[ArticleInfo], texts: dict[int, str]
) -> dict[int, tuple[ArticleInfo, ArticleContext]]:
    return {i.id: (i, article_context(i.title, texts[i.id], i.source, i.published)) for i in infos}


@dataclass
class _Next:
    bm25: SegmentedIndex
    passages: list[PassageRef]  # by position
    merged: MergeResult
    directives: dict[str, dict[str, Any]]  # merged.directives, as stored
    refs_cache: dict[int, tuple[Ref, ...]]
    segments: list[tuple[int | None, bytes]]  # stored id of a kept segment, or a new one's bytes


def _next_index(
    live: LiveIndex,
    base: SegmentedIndex | None,
    rows: list[tuple[int, int, str]],
    ids: list[int],
    tokens: list[str],
    dead: list[int],
    refs: list[str],
    kept_refs: dict[int, str],
    contexts: dict[int, tuple[ArticleInfo, ArticleContext]],
    retitled: list[int],
) -> _Next:
    """The new index from `base` (None: from the new passages alone), its
    passages by position and the directives merged over the live passages
    (`refs`: of the new passages, `kept_refs`: stored ones the cache lacks;
    `contexts`: of every live article; `retitled`: articles whose title's
    cached references may be stale)."""
    delta = Segment.build(
        (pid, order_key(a, pos), tok)
        for pid, (a, pos, _), tok in zip(ids, rows, tokens, strict=True)
    )
    bm25 = SegmentedIndex([delta]) if base is None else base.updated(delta, dead)
    dead_set = set(dead)
    by_id = {p.id: p for p in live.passages}
    by_id.update(
        (pid, PassageRef(pid, a, text)) for pid, (a, _, text) in zip(ids, rows, strict=True)
    )
    passages = [by_id[pid] for pid in bm25.passage_ids.tolist()]
    refs_cache = dict(live.refs_cache)
    for pid in dead:
        refs_cache.pop(pid, None)
    for article_id in retitled:  # a title's references, under its negative id (see merge)
        refs_cache.pop(-1 - article_id, None)
    for pid, stored in kept_refs.items():
        if pid not in refs_cache and pid not in dead_set:
            refs_cache[pid] = refs_from_json(stored)
    refs_cache.update((pid, refs_from_json(found)) for pid, found in zip(ids, refs, strict=True))
    articles = {a: context for a, (_, context) in contexts.items()}
    merged = merge(_reading_order(bm25, passages), articles, refs_cache)
    known = dict(zip(_segments_of(live), live.segment_ids, strict=False))
    return _Next(
        bm25=bm25,
        passages=passages,
        merged=merged,
        directives={k: directive_to_data(d) for k, d in merged.directives.items()},
        refs_cache=refs_cache,
        segments=[
            (known[id(seg)], b"") if id(seg) in known else (None, seg.to_bytes())
            for seg in bm25.segments
        ],
    )


def _segments_of(live: LiveIndex) -> list[int]:
    """Identity of the live segments, to store only new ones."""
    bm25 = live.bm25
    return [id(s) for s in bm25.segments] if isinstance(bm25, SegmentedIndex) else []


def _reading_order(bm25: SegmentedIndex, passages: list[PassageRef]) -> list[tuple[int, int, str]]:
    """Live passages as a full rebuild reads them: articles by id, then position."""
    live = np.flatnonzero(bm25.alive)
    live = live[np.argsort(bm25.keys[live], kind="stable")]
    return [(p.id, p.article_id, p.text) for p in (passages[i] for i in live.tolist())]


async def _upgrade(store: Store, live: LiveIndex) -> SegmentedIndex:
    """A generation stored before segments: its passages' stored tokens become
    the base segment (read, not re-tokenised)."""
    rows = await store.generation_tokens(live.generation)
    base = await asyncio.to_thread(
        Segment.build, ((pid, order_key(a, pos), tok) for pid, a, pos, tok in rows)
    )
    return SegmentedIndex([base])


async def load(store: Store) -> LiveIndex:
    """The active generation as stored: no re-tokenising, no re-scoring."""
    generation = await store.active_generation()
    if generation is None or (generation.segments is None and generation.bm25 is None):
        return LiveIndex.empty()
    stored = await store.generation_passages(generation.id)
    data = await store.generation_directives(generation.id)
    directives = {k: directive_from_data(v) for k, v in data.items()}
    mentions = await store.generation_mentions(generation.id)
    infos = await store.generation_articles(generation.id)
    if generation.segments is None:  # stored before segments: one BM25 blob
        assert generation.bm25 is not None
        bm25_old = await asyncio.to_thread(BM25Index.from_bytes, generation.bm25)
        passages = [PassageRef(p.id, p.article_id, p.text) for p in stored]
        return await asyncio.to_thread(
            LiveIndex.assemble, generation.id, bm25_old, passages, infos, directives, mentions
        )
    blobs = await store.load_segments(generation.segments)
    return await asyncio.to_thread(
        _assemble_stored, generation.id, generation.segments, blobs, stored, infos, directives,
        mentions,
    )  # fmt: skip


def _assemble_stored(
    generation: int,
    segment_ids: list[int],
    blobs: list[bytes],
    stored: list[StoredPassage],
    infos: dict[int, ArticleInfo],
    directives: dict[str, Directive],
    mentions: list[tuple[int, str, bool]],
) -> LiveIndex:
    segments = [Segment.from_bytes(b) for b in blobs]
    ids = np.concatenate([s.passage_ids for s in segments]) if segments else np.zeros(0, np.int64)
    by_id = {p.id: PassageRef(p.id, p.article_id, p.text) for p in stored}
    alive = np.fromiter((pid in by_id for pid in ids.tolist()), dtype=bool, count=len(ids))
    bm25 = SegmentedIndex(segments, alive)
    # positions of passages no longer live keep a placeholder: they are never hit
    passages = [by_id.get(pid) or PassageRef(pid, 0, "") for pid in ids.tolist()]
    return LiveIndex.assemble(
        generation, bm25, passages, infos, directives, mentions, None, segment_ids
    )
