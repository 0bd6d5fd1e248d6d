"""Build a new index generation from the stored articles, and load one.

Unchanged articles reuse the passages and tokens of the active generation;
only new or changed ones are split and tokenised (in worker processes when
there are many). The result is written as a new generation and activated
in one transaction (see store.py); the caller swaps in the returned
LiveIndex.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

from index.bm25 import BM25Index
from index.directives import directive_from_data, directive_to_data, merge
from index.live import LiveIndex, PassageRef
from index.models import ArticleInfo
from index.passages import split_passages
from index.places import article_context
from index.store import Store
from index.tokenize import passage_tokens, warm_up

POOL_THRESHOLD = 400  # passages; below this, worker start-up costs more than it saves
# Bump when splitting or tokenising changes: stored passages of another version
# are not reused, so a reindex after an upgrade re-tokenises everything.
INDEX_FORMAT = "4"


def _reuse_key(content_hash: str) -> str:
    return f"{content_hash}|{INDEX_FORMAT}"


def _tokenize_chunk(texts: list[str]) -> list[str]:
    # joined in the worker: one string per passage is cheaper to send back and keep
    return [" ".join(passage_tokens(t)) for t in texts]


def tokenize_all(texts: list[str], workers: int | None = None) -> list[str]:
    """Space-separated tokens for each text; spread over the CPU cores for large batches."""
    workers = workers or min(os.cpu_count() or 1, 4)
    if len(texts) < POOL_THRESHOLD or workers < 2:
        return _tokenize_chunk(texts)
    size = max(50, len(texts) // (workers * 8))
    chunks = [texts[i : i + size] for i in range(0, len(texts), size)]
    # forkserver: the parent runs an event loop and sqlite threads, unsafe to fork
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=warm_up) as pool:
        return [tokens for chunk in pool.map(_tokenize_chunk, chunks) for tokens in chunk]


async def rebuild(store: Store, *, workers: int | None = None) -> LiveIndex:
    """Write and activate a new generation from every indexable article."""
    active = await store.active_generation()
    reusable = await store.reusable_passages(active.id) if active else {}
    articles = await store.articles()
    generation = await store.start_generation()

    rows: list[tuple[int, int, str, str, str | None]] = []
    for article in articles:
        key = _reuse_key(article.content_hash)
        old = reusable.get((article.id, key))
        if old:
            rows.extend((article.id, p.position, key, p.text, p.tokens) for p in old)
        else:
            rows.extend(
                (article.id, i, key, text, None)
                for i, text in enumerate(split_passages(article.text))
            )
    todo = [i for i, row in enumerate(rows) if row[4] is None]
    fresh = iter(await asyncio.to_thread(tokenize_all, [rows[i][3] for i in todo], workers))
    full_rows = [(a, pos, h, text, next(fresh) if tokens is None else tokens)
                 for a, pos, h, text, tokens in rows]  # fmt: skip
    del rows
    ids = await store.add_passages(generation, full_rows)
    infos = [ArticleInfo(a.id, a.title, a.url, a.published, a.site) for a in articles]

    passages = [PassageRef(pid, row[0], row[3]) for pid, row in zip(ids, full_rows, strict=True)]
    contexts = {a.id: article_context(a.title, a.text, a.site, a.published) for a in articles}
    merged = await asyncio.to_thread(
        merge, [(p.id, p.article_id, p.text) for p in passages], contexts
    )
    bm25 = await asyncio.to_thread(BM25Index.build, [row[4] for row in full_rows])
    await store.finish_generation(
        generation,
        bm25=bm25.to_bytes(),
        directives={k: directive_to_data(d) for k, d in merged.directives.items()},
        mentions=merged.mentions,
        articles=infos,
    )
    by_id = {info.id: info for info in infos}
    return await asyncio.to_thread(
        LiveIndex.assemble, generation, bm25, passages, by_id, merged.directives, merged.mentions
    )


async def load(store: Store) -> LiveIndex:
    """The active generation as stored: no re-tokenising, no re-scoring."""
    generation = await store.active_generation()
    if generation is None or generation.bm25 is None:
        return LiveIndex.empty()
    stored = await store.generation_passages(generation.id)
    passages = [PassageRef(p.id, p.article_id, p.text) for p in stored]
    data = await store.generation_directives(generation.id)
    directives = {k: directive_from_data(v) for k, v in data.items()}
    mentions = await store.generation_mentions(generation.id)
    infos = await store.generation_articles(generation.id)
    bm25 = await asyncio.to_thread(BM25Index.from_bytes, generation.bm25)
    return await asyncio.to_thread(
        LiveIndex.assemble, generation.id, bm25, passages, infos, directives, mentions
    )
