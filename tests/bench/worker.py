"""One corpus size, in a fresh process: ingest, reindex, ask, tokenisation speed.

    python -m tests.bench.worker --corpus DIR --db FILE --out result.json

The process starts empty, so its peak RSS is vankien's own at this size
(the rank_bm25 baseline and the cold start run in their own processes).
The timing wrappers below only observe: they call the real functions.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import time
from pathlib import Path
from typing import Any

from tests.bench.util import (
    CpuMeter,
    RssSampler,
    dir_bytes,
    log,
    peak_rss_mb,
    reset_peak_rss,
    rss_mb,
    run_main,
    summary_ms,
    vm_hwm_mb,
    write_json,
)

NEW_ARTICLES = 20  # the incremental check: articles a refresh brings
ASK_ROUNDS = 3  # timed passes over every question, after one warm-up pass
SEARCH_ROUNDS = 5
TOKEN_SAMPLE = 12000  # passages for workers=1 vs workers=2 (pool start-up is ~2 s)
PYVI_SAMPLE = 1500  # passages for the pyvi share


async def main(args: argparse.Namespace) -> dict[str, Any]:
    out: dict[str, Any] = {"rss_start_mb": rss_mb(), "loadavg_start": os.getloadavg()[0]}
    t = time.perf_counter()
    from index import indexer
    from index.answer import answer_question
    from index.query import understand
    from index.service import SearchService
    from index.tokenize import passage_tokens, query_tokens, word_tokens
    from tests.bench.corpus import questions, write_new_articles

    out["import_s"] = time.perf_counter() - t

    # -- observe the phases of a rebuild (real functions, only timed) ------------------
    phases: list[dict[str, Any]] = []
    real_tokenize_all = indexer.tokenize_all
    real_update = indexer.update

    def timed_tokenize_all(texts: list[str], workers: int | None = None) -> list[list[str]]:
        meter = CpuMeter()
        t0 = time.perf_counter()
        result = real_tokenize_all(texts, workers)
        seconds = time.perf_counter() - t0
        phases.append(
            {
                "phase": "tokenize",
                "s": seconds,
                "texts": len(texts),
                "chars": sum(map(len, texts)),
                "cpu": meter.read(settle=0.0),
            }
        )
        return result

    async def timed_update(store: Any, live: Any, **kw: Any) -> Any:
        t0 = time.perf_counter()
        new = await real_update(store, live, **kw)
        phases.append({"phase": "rebuild", "s": time.perf_counter() - t0})
        return new

    indexer.tokenize_all = timed_tokenize_all  # type: ignore[assignment]
    indexer.update = timed_update  # type: ignore[assignment]

    db = Path(args.db)
    t = time.perf_counter()
    service = await SearchService.open(db)
    out["open_empty_s"] = time.perf_counter() - t

    # -- ingest ---------------------------------------------------------------------------
    log(f"  ingest {args.corpus}")
    meter = CpuMeter()
    t = time.perf_counter()
    report = await service.ingest([args.corpus])
    ingest_s = time.perf_counter() - t
    statuses: dict[str, int] = {}
    for item in report.items:
        statuses[item.status] = statuses.get(item.status, 0) + 1
    cpu = meter.read()
    # (absent if the rebuild ran in another process: then its wall time is all we see)
    nothing = {
        "s": float("nan"),
        "texts": 0,
        "chars": 0,
        "cpu": {"own": float("nan"), "others": float("nan")},
    }
    tok = next((p for p in phases if p["phase"] == "tokenize"), nothing)
    reb = next((p for p in phases if p["phase"] == "rebuild"), nothing)
    out["ingest"] = {
        "s": ingest_s,
        "statuses": statuses,
        "cores": cpu["own"],
        "others_cores": cpu["others"],
        "loadavg": cpu["loadavg"],
        "tokenize_s": tok["s"],
        "tokenize_cores": tok["cpu"]["own"],
        "tokenize_others_cores": tok["cpu"]["others"],
        "tokenized_texts": tok["texts"],
        "tokenized_chars": tok["chars"],
        "rebuild_s": reb["s"],
        "read_store_s": ingest_s - reb["s"],
    }
    out["rss_after_ingest_mb"] = rss_mb()
    out["peak_after_ingest_mb"] = peak_rss_mb()
    live = service.live
    out["passages"] = live.size
    out["articles"] = len(live.articles)
    out["directives"] = len(live.directives)
    out["vocab_terms"] = len(live.bm25.vocab)
    out["postings"] = sum(len(s.docs) for s in live.bm25.segments)
    out["index_bytes"] = live.bm25.size_bytes
    stats = await service.stats()
    out["stored_index_bytes"] = (await service.store.counts())["index_bytes"]
    out["db_bytes_after_ingest"] = stats.db_bytes
    log(f"  ingest {ingest_s:.1f}s, {live.size} passages; reindex (nothing changed)")

    # -- reindex, nothing changed ------------------------------------------------------------
    phases.clear()
    t = time.perf_counter()
    await service.reindex()
    out["reindex_unchanged"] = {
        "s": time.perf_counter() - t,
        "rebuild_s": sum(p["s"] for p in phases if p["phase"] == "rebuild"),
        "tokenized_texts": sum(p["texts"] for p in phases if p["phase"] == "tokenize"),
    }
    qs = questions()
    phases.clear()
    # what a scheduled refresh does when the feeds bring nothing, while users keep asking
    seconds, during = await asyncio.gather(timed(service.reindex()), ask_meanwhile(service, qs, 0))
    out["refresh_unchanged"] = {
        "s": seconds,
        "rebuild_s": sum(p["s"] for p in phases if p["phase"] == "rebuild"),
        "ask_meanwhile": summary_ms(during),
    }

    # -- 20 new articles arrive through a registered source -------------------------------------
    size = json.loads((Path(args.corpus).parent / "manifest.json").read_text())["size"]
    extra = db.parent / f"extra-{size}"
    shutil.rmtree(extra, ignore_errors=True)
    write_new_articles(extra, size, 1)
    await service.ingest([str(extra)])  # registered like a feed, with its first article
    log(f"  {NEW_ARTICLES} new articles: refresh")
    out["incremental"] = await timed_refresh(
        service, qs, lambda: write_new_articles(extra, size, NEW_ARTICLES, start=1)
    )
    out["incremental_again"] = await timed_refresh(
        service, qs, lambda: write_new_articles(extra, size, NEW_ARTICLES, start=1 + NEW_ARTICLES)
    )
    t = time.perf_counter()
    await service.reindex()
    out["refresh_unchanged_two_sources_s"] = time.perf_counter() - t
    out["segments_after_updates"] = len(service.live.bm25.segments)

    # -- full rebuild (vankien reindex --full): every passage re-tokenised, in a child process ---
    log("  full rebuild")
    phases.clear()
    meter = CpuMeter()
    reset_peak_rss()
    with RssSampler() as rss:
        full_s, during = await asyncio.gather(
            timed(service.reindex(full=True)), ask_meanwhile(service, qs)
        )
    cpu = meter.read()
    out["reindex_full"] = {
        "s": full_s,
        "cores": cpu["own"],
        "others_cores": cpu["others"],
        "rebuild_s": sum(p["s"] for p in phases if p["phase"] == "rebuild"),
        "tokenize_s": sum(p["s"] for p in phases if p["phase"] == "tokenize"),
        "tokenized_texts": sum(p["texts"] for p in phases if p["phase"] == "tokenize"),
        "ask_meanwhile": summary_ms(during),
        "serving_peak_mb": max(rss.own_mb, vm_hwm_mb()),
        "child_peak_mb": rss.child_mb,
    }
    indexer.tokenize_all = real_tokenize_all
    indexer.update = real_update
    stats = await service.stats()
    out["db_bytes"] = dir_bytes(db, Path(f"{db}-wal"), Path(f"{db}-shm"))
    out["peak_after_build_mb"] = peak_rss_mb()

    # -- ask latency, end to end in process ----------------------------------------------------
    live = service.live
    found: dict[str, list[int]] = {}
    for q in qs:  # warm-up pass; also a sanity check that answers are real
        answer = await service.ask(q["q"])
        kind = q["kind"].split("/")[0]
        found.setdefault(kind, [0, 0])
        found[kind][0] += int(answer.found)
        found[kind][1] += 1
    out["found_by_kind"] = {k: f"{a}/{n}" for k, (a, n) in found.items()}
    log(f"  ask x{ASK_ROUNDS} over {len(qs)} questions")
    ask_times: list[float] = []
    by_kind: dict[str, list[float]] = {}
    slowest: list[tuple[float, str]] = []
    rounds: list[dict[str, float]] = []
    for _ in range(ASK_ROUNDS):
        this_round = []
        for q in qs:
            t0 = time.perf_counter()
            await service.ask(q["q"])
            dt = time.perf_counter() - t0
            this_round.append(dt)
            by_kind.setdefault(q["kind"].split("/")[0], []).append(dt)
            slowest.append((dt, q["q"]))
        ask_times += this_round
        rounds.append(summary_ms(this_round))
    out["ask"] = summary_ms(ask_times)
    # other tenants of a shared machine inflate whole rounds: the best round is the
    # closest to the code's own latency (both are reported)
    out["ask_best_round"] = min(rounds, key=lambda r: r["p95"])
    out["ask_rounds_p95"] = [r["p95"] for r in rounds]
    out["ask_by_kind_p95"] = {k: summary_ms(v)["p95"] for k, v in sorted(by_kind.items())}
    out["ask_slowest"] = [(round(dt * 1000, 2), q) for dt, q in sorted(slowest, reverse=True)[:8]]
    direct = []
    for q in qs:
        t0 = time.perf_counter()
        answer_question(live, q["q"])
        direct.append(time.perf_counter() - t0)
    out["answer_direct"] = summary_ms(direct)

    # -- BM25 alone, on the tokens a question gives (the baseline gets the same tokens) -------
    query_rows = []
    for q in qs:
        u = understand(q["q"])
        query_rows.append(query_tokens(u.rest, list(u.refs)))
    search_times: list[list[float]] = [[] for _ in qs]
    tops: list[list[int]] = []
    for r in range(SEARCH_ROUNDS):
        for i, tokens in enumerate(query_rows):
            t0 = time.perf_counter()
            hits = live.bm25.search(tokens, top_k=10)
            search_times[i].append(time.perf_counter() - t0)
            if r == 0:  # by passage id: positions differ from a full rebuild's
                tops.append([live.passages[h.doc].id for h in hits])
    per_query = [min(ts) for ts in search_times]
    out["bm25_search"] = summary_ms([t for ts in search_times for t in ts])
    out["bm25_search_best_of"] = summary_ms(per_query)
    out["peak_rss_mb"] = peak_rss_mb()
    out["rss_serving_mb"] = rss_mb()

    out["loadavg_end"] = os.getloadavg()[0]
    write_json(
        Path(args.out).with_suffix(".queries.json"),
        {"tokens": query_rows, "tops": tops, "times": per_query},
    )
    if args.quick:
        await service.close()
        return out

    # -- tokenisation: pyvi's share, and one core against two ----------------------------------
    texts = [p.text for p in live.passages]
    rng = random.Random(7)
    sample = rng.sample(texts, min(PYVI_SAMPLE, len(texts)))
    t0 = time.perf_counter()
    for s in sample:
        passage_tokens(s)
    all_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    for s in sample:
        word_tokens(s)
    pyvi_s = time.perf_counter() - t0
    out["pyvi_share"] = pyvi_s / all_s
    log(f"  tokenize_all workers=1 vs 2 on {min(TOKEN_SAMPLE, len(texts))} passages")
    sample = rng.sample(texts, min(TOKEN_SAMPLE, len(texts)))
    chars = sum(map(len, sample))
    meter = CpuMeter()
    t0 = time.perf_counter()
    one = real_tokenize_all(sample, workers=1)
    one_s = time.perf_counter() - t0
    one_others = meter.read()["others"]
    meter = CpuMeter()
    t0 = time.perf_counter()
    two = real_tokenize_all(sample, workers=2)
    two_s = time.perf_counter() - t0
    cpu = meter.read()
    assert one == two, "workers=2 gave different tokens"
    out["tokenize_scaling"] = {
        "texts": len(sample),
        "chars": chars,
        "one_s": one_s,
        "two_s": two_s,
        "one_chars_s": chars / one_s,
        "two_chars_s": chars / two_s,
        "speedup": one_s / two_s,
        "two_cores_busy": cpu["own"],
        "one_others_cores": one_others,
        "two_others_cores": cpu["others"],
        "loadavg": cpu["loadavg"],
    }
    await service.close()
    return out


async def timed_refresh(service: Any, qs: list[dict[str, str]], arrive: Any) -> dict[str, Any]:
    """New articles arrive (`arrive()` writes them), then one refresh, with
    questions asked meanwhile: how long until they are answerable."""
    before = service.live.bm25.n_docs
    passages = arrive()
    reset_peak_rss()
    with RssSampler() as rss:
        live_s, during = await asyncio.gather(
            timed(service.reindex()), ask_meanwhile(service, qs, 0)
        )
    assert service.live.bm25.n_docs == before + passages, "new passages are not all live"
    return {
        "articles": NEW_ARTICLES,
        "passages": passages,
        "live_s": live_s,
        "ask_meanwhile": summary_ms(during),
        "serving_peak_mb": max(rss.own_mb, vm_hwm_mb()),
        "child_peak_mb": rss.child_mb,
    }


async def timed(work: Any) -> float:
    """Seconds `work` (an awaitable) takes, from the moment it is awaited."""
    t0 = time.perf_counter()
    await work
    return time.perf_counter() - t0


async def ask_meanwhile(service: Any, qs: list[dict[str, str]], delay: float = 0.5) -> list[float]:
    """Ask (20 a second) until the reindex running beside it has finished."""
    await asyncio.sleep(delay)  # let the reindex start
    times: list[float] = []
    i = 0
    while service.reindex_running:
        t0 = time.perf_counter()
        await service.ask(qs[i % len(qs)]["q"])
        times.append(time.perf_counter() - t0)
        i += 1
        await asyncio.sleep(0.05)
    return times


def cli() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--quick", action="store_true", help="skip the tokeniser comparisons")
    args = parser.parse_args()
    result = run_main(main, args)
    write_json(args.out, result)


if __name__ == "__main__":
    cli()
