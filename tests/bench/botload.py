"""The bot path under load: the real Application against the Bot API emulator.

    python -m tests.bench.botload --db FILE --out result.json

`bot.app.build_application(settings, service)` runs exactly as in
production (handlers, AIORateLimiter, concurrent updates, long polling),
with `TELEGRAM_BASE_URL` pointing at `tests/support/botapi.py`.

Two phases, each simulated user in a private chat with one question
outstanding at a time (so every reply belongs to a known question):

- saturation: 100 users × 10 questions (the per-user limit is 10 a
  minute), each user asking again as soon as the answer arrives;
- paced: 100 other users, 2 questions each, offered at a steady rate below
  the flood limit, so latency shows the work rather than the queue.

Latency is from pushing the update to the emulator receiving the last
sendMessage of the answer. Every question must get exactly the messages
its rendered answer has (known beforehand), none more after a grace
period, and no error or rate-limit notice.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import time
from pathlib import Path
from typing import Any

from tests.bench.util import log, peak_rss_mb, run_main, summary_ms, write_json

USERS = 100
PER_USER = 10  # = bot.limits.RateLimiter's default max_events per minute
PACED_USERS = 100
PACED_PER_USER = 2
PACED_RATE = 8.0  # questions/s offered in the paced phase (the flood limit allows ~15)
TIMEOUT = 120.0


async def main(args: argparse.Namespace) -> dict[str, Any]:
    from bot import texts
    from bot.app import ALLOWED_UPDATES, build_application
    from bot.render import nfc, one_line, render_html
    from index.service import SearchService
    from tests.bench.corpus import questions
    from tests.support.botapi import BotAPI
    from tests.support.harness import make_settings

    class RecordingBotAPI(BotAPI):
        """The emulator, noting when each sendMessage arrives, per chat."""

        def __init__(self) -> None:
            super().__init__()
            self.arrivals: dict[int, list[tuple[float, str]]] = {}
            self.arrived = asyncio.Condition()

        async def _m_sendmessage(self, params: dict[str, Any]) -> Any:
            result = await super()._m_sendmessage(params)
            chat = int(params["chat_id"])
            self.arrivals.setdefault(chat, []).append((time.perf_counter(), result["text"]))
            async with self.arrived:
                self.arrived.notify_all()
            return result

    logging.basicConfig(level=logging.WARNING)
    qs = [q["q"] for q in questions()]
    service = await SearchService.open(args.db)
    # what each question's answer looks like, rendered exactly as the handler renders it
    pieces: dict[str, int] = {}
    for q in qs:
        pieces[q] = len(render_html(await service.ask(one_line(nfc(q)))))
    bad_texts = {texts.ERROR}

    out: dict[str, Any] = {"passages": service.live.size}
    async with RecordingBotAPI() as api:
        settings = make_settings(api, Path(args.db))
        app = build_application(settings, service)
        await app.initialize()
        assert app.post_init is not None and app.post_shutdown is not None
        await app.post_init(app)
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1, allowed_updates=ALLOWED_UPDATES)
        await app.start()
        try:

            async def ask(uid: int, q: str) -> float:
                before = len(api.arrivals.get(uid, []))
                want = before + pieces[q]
                t0 = time.perf_counter()
                api.push_update(api.private_message(q, user_id=uid))
                async with api.arrived:
                    await asyncio.wait_for(
                        api.arrived.wait_for(lambda: len(api.arrivals.get(uid, [])) >= want),
                        TIMEOUT,
                    )
                return api.arrivals[uid][want - 1][0] - t0

            async def closed_loop(uid: int, mine: list[str]) -> list[float]:
                return [await ask(uid, q) for q in mine]

            # -- saturation ------------------------------------------------------------------
            plan = {
                10_000 + u: [qs[(u * PER_USER + j) % len(qs)] for j in range(PER_USER)]
                for u in range(USERS)
            }
            log(f"  bot: {USERS * PER_USER} questions from {USERS} users (closed loop)")
            t0 = time.perf_counter()
            results = await asyncio.gather(*(closed_loop(uid, mine) for uid, mine in plan.items()))
            wall = time.perf_counter() - t0
            latencies = [x for r in results for x in r]
            out["saturation"] = {
                "questions": len(latencies),
                "users": USERS,
                "wall_s": wall,
                "answered_per_s": len(latencies) / wall,
                "latency_ms": summary_ms(latencies),
            }

            # -- paced -------------------------------------------------------------------------
            paced_plan = []
            for j in range(PACED_PER_USER):
                for u in range(PACED_USERS):
                    q = qs[(j * PACED_USERS + u * 7) % len(qs)]
                    paced_plan.append((len(paced_plan) / PACED_RATE, 20_000 + u, q))
            log(f"  bot: {len(paced_plan)} questions at {PACED_RATE:g}/s (paced)")

            async def scheduled(start: float, offset: float, uid: int, q: str) -> float:
                await asyncio.sleep(max(0.0, start + offset - time.perf_counter()))
                return await ask(uid, q)

            start = time.perf_counter()
            paced = await asyncio.gather(*(scheduled(start, o, u, q) for o, u, q in paced_plan))
            out["paced"] = {
                "questions": len(paced),
                "offered_per_s": PACED_RATE,
                "latency_ms": summary_ms(paced),
            }

            # -- nothing lost, nothing twice ----------------------------------------------------------
            await asyncio.sleep(2.0)  # late duplicates would arrive by now
            expected: dict[int, int] = {}
            for uid, mine in plan.items():
                expected[uid] = sum(pieces[q] for q in mine)
            for _, uid, q in paced_plan:
                expected[uid] = expected.get(uid, 0) + pieces[q]
            got = {uid: len(api.arrivals.get(uid, [])) for uid in expected}
            missing = sum(max(0, expected[u] - got[u]) for u in expected)
            extra = sum(max(0, got[u] - expected[u]) for u in expected)
            extra += sum(len(v) for u, v in api.arrivals.items() if u not in expected)
            errors = sum(1 for v in api.arrivals.values() for _, text in v if text in bad_texts)
            limited = sum(
                1
                for v in api.arrivals.values()
                for _, text in v
                if text.startswith("Bạn hỏi hơi nhanh")
            )
            out["check"] = {
                "questions": sum(len(m) for m in plan.values()) + len(paced_plan),
                "messages_expected": sum(expected.values()),
                "messages_received": sum(got.values()),
                "missing": missing,
                "extra": extra,
                "error_replies": errors,
                "rate_limited_replies": limited,
                "send_chat_action": api.count("sendChatAction"),
                "ok": missing == 0 and extra == 0 and errors == 0 and limited == 0,
            }
        finally:
            await app.updater.stop()
            await app.stop()
            await app.shutdown()
            await app.post_shutdown(app)
    await service.close()
    out["peak_rss_mb"] = peak_rss_mb()
    return out


def cli() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    result = run_main(main, args)
    write_json(args.out, result)
    if not result["check"]["ok"]:
        raise SystemExit(f"bot load check failed: {result['check']}")


if __name__ == "__main__":
    cli()
