"""Cold start, in a new process: open the service on a built database, answer once.

    python -m tests.bench.coldstart --db FILE "question"

Prints a JSON line the moment the answer is ready (the parent stops its
clock when it reads it, so interpreter start-up counts), then one with the
time of each step and the process's peak RSS.
`retokenized` counts passages sent to the tokeniser: it must be 0, the
stored index is loaded as is.
"""

from __future__ import annotations

import time

T0 = time.perf_counter()

import argparse  # noqa: E402
import json  # noqa: E402


async def main(args: argparse.Namespace) -> dict[str, object]:
    from index import indexer
    from index.service import SearchService

    imported = time.perf_counter() - T0
    retokenized = 0
    real = indexer.tokenize_all

    def counting(texts: list[str], workers: int | None = None) -> list[list[str]]:
        nonlocal retokenized
        retokenized += len(texts)
        return real(texts, workers)

    indexer.tokenize_all = counting  # type: ignore[assignment]
    service = await SearchService.open(args.db)
    opened = time.perf_counter() - T0
    answer = await service.ask(args.question)
    answered = time.perf_counter() - T0
    print(json.dumps({"answered_s": answered}), flush=True)  # the parent stops its clock here
    passages = service.live.size
    await service.close()
    from tests.bench.util import peak_rss_mb

    return {
        "imported_s": imported,
        "opened_s": opened,
        "answered_s": answered,
        "found": answer.found,
        "passages": passages,
        "retokenized": retokenized,
        "peak_rss_mb": peak_rss_mb(),
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("question")
    from tests.bench.util import run_main

    print(json.dumps(run_main(main, parser.parse_args())), flush=True)
