"""The baseline, in its own process: plain rank_bm25 over the same passage tokens.

    python -m tests.bench.baseline --db FILE --queries Q.json --out result.json

Passage tokens are read as stored by vankien's active generation (so both
score exactly the same token lists, in the same order); each question's
tokens are the ones vankien's BM25 searched with. Per query the baseline
does what a plain rank_bm25 user does: `get_scores`, then the top 10.
It also checks vankien's stored index against the oracle (scores equal,
same top 10, compared by passage id).
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import time
from pathlib import Path
from typing import Any

import numpy as np
from rank_bm25 import BM25Okapi

from tests.bench.util import log, peak_rss_mb, summary_ms, write_json


def load(db: str) -> tuple[list[int], list[list[str]]]:
    """Ids and tokens of the active generation's passages, as a full rebuild
    reads them (articles by id, then position)."""
    conn = sqlite3.connect(db)
    try:
        (gen,) = conn.execute("SELECT id FROM generations WHERE state = 'active'").fetchone()
        rows = conn.execute(
            "SELECT id, tokens FROM passages WHERE generation <= ? AND"
            " (retired IS NULL OR retired > ?) ORDER BY article_id, position",
            (gen, gen),
        ).fetchall()
    finally:
        conn.close()
    return [r[0] for r in rows], [r[1].split(" ") if r[1] else [] for r in rows]


def our_scores(db: str) -> Any:
    """vankien's stored index, and a function giving its scores in load()'s order."""
    import asyncio

    from index import indexer
    from index.store import Store

    async def open_live() -> Any:
        store = await Store.open(db)
        try:
            return await indexer.load(store)
        finally:
            await store.close()

    live = asyncio.run(open_live())
    positions = np.flatnonzero(live.bm25.alive)
    positions = positions[np.argsort(live.bm25.tiebreak(positions), kind="stable")]
    return lambda q: live.bm25.scores(q)[positions]


def top10(scores: np.ndarray) -> list[int]:
    """Best 10 with a score above zero, ties by position (vankien's order): every
    passage tied with the 10th best is kept before sorting, as argpartition alone
    picks among ties arbitrarily."""
    if len(scores) > 10:
        kth = np.partition(scores, len(scores) - 10)[len(scores) - 10]
        keep = np.flatnonzero(scores >= kth)
    else:
        keep = np.arange(len(scores))
    order = sorted(keep.tolist(), key=lambda d: (-scores[d], d))
    return [d for d in order if scores[d] > 0][:10]


def main(args: argparse.Namespace) -> dict[str, Any]:
    out: dict[str, Any] = {}
    ids, corpus = load(args.db)
    queries = json.loads(Path(args.queries).read_text())
    tokens: list[list[str]] = queries["tokens"]
    t = time.perf_counter()
    bm = BM25Okapi(corpus)
    out["build_s"] = time.perf_counter() - t
    out["peak_rss_mb"] = peak_rss_mb()
    log(
        f"  rank_bm25 built over {len(corpus)} passages in {out['build_s']:.1f}s; {len(tokens)} queries"
    )
    times = []
    tops = []
    for q in tokens:
        t0 = time.perf_counter()
        scores = bm.get_scores(q)
        tops.append([ids[d] for d in top10(np.asarray(scores))])
        times.append(time.perf_counter() - t0)
    out["query"] = summary_ms(times)
    out["times"] = times
    # the oracle check: vankien's stored arrays give rank_bm25's scores and top 10
    scores_of = our_scores(args.db)
    worst = 0.0
    checked = tokens[: args.check]
    for q in checked:
        ours = scores_of(q)
        theirs = np.asarray(bm.get_scores(q))
        worst = max(worst, float(np.max(np.abs(ours - theirs))) if len(ours) else 0.0)
    out["max_abs_score_diff"] = worst
    out["checked"] = len(checked)
    same = sum(1 for a, b in zip(tops, queries["tops"], strict=True) if a == b)
    out["same_top10"] = f"{same}/{len(tops)}"
    return out


def cli() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--queries", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--check", type=int, default=50, help="queries to compare scores on")
    args = parser.parse_args()
    write_json(args.out, main(args))


if __name__ == "__main__":
    cli()
