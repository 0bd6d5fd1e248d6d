"""Evaluate answers on the labelled question set (`make eval`).

Loads the bundled sample corpus and, where present, the seed article from
../shared/seeds into a fresh temporary database, asks every question in
questions.jsonl and reports:

- directive identification accuracy (the right document, or correctly
  "ambiguous", or correctly nothing),
- answer keys found in the first lines (headline and fact lines),
- Recall@3 of the right article among the quoted sources,
- not-found accuracy,
- the same figures for accented, unaccented and abbreviated questions.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from index.models import Answer
from index.service import SearchService
from tests.eval import realdev

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
QUESTIONS = HERE / "questions.jsonl"
SAMPLES = ROOT / "index" / "samples"
SEEDS = ROOT.parent / "shared" / "seeds"
SEED_TITLE = "Học tập, quán triệt triển khai thực hiện các Chỉ thị, Kết luận, Quy định, Kế hoạch"


def _id_key(doc_id: str) -> str:
    """'37-QĐi/TW' and '37-QĐ/TW' name the same Quy định; '03' is '3'."""
    number, _, rest = doc_id.partition("-")
    code, _, issuer = rest.partition("/")
    return f"{number.lstrip('0')}-{code.replace('QĐi', 'QĐ')}/{issuer}"


def _norm(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


@dataclass
class Tally:
    counts: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))

    def add(self, metric: str, ok: bool) -> None:
        self.counts[metric][0] += int(ok)
        self.counts[metric][1] += 1

    def rate(self, metric: str) -> float:
        good, total = self.counts.get(metric, [0, 0])
        return good / total if total else 1.0


@dataclass
class Result:
    overall: Tally
    by_style: dict[str, Tally]
    failures: list[str]
    questions: int
    seed_used: bool

    def figures(self) -> dict[str, float]:
        o = self.overall
        return {
            "directive_accuracy": o.rate("directive"),
            "keys_in_first_lines": o.rate("keys"),
            "recall_at_3": o.rate("recall3"),
            "not_found_accuracy": o.rate("not_found"),
            **{
                f"{style}_directive_accuracy": t.rate("directive")
                for style, t in self.by_style.items()
            },
            **{f"{style}_recall_at_3": t.rate("recall3") for style, t in self.by_style.items()},
        }


def judge(case: dict, answer: Answer, tally: Tally, failures: list[str]) -> None:
    first_lines = _norm("\n".join([answer.headline, *answer.details]))
    problems = []
    if not case["found"]:
        ok = not answer.found
        tally.add("not_found", ok)
        tally.add("directive", ok)
        if not ok:
            problems.append("answered instead of not-found")
    else:
        if case.get("ambiguous"):
            want = {_id_key(i) for i in case["ambiguous"]}
            got = {_id_key(c.id) for c in answer.candidates}
            ok = answer.ambiguous and want <= got
        elif case.get("directive"):
            ok = answer.directive is not None and _id_key(answer.directive.id) == _id_key(
                case["directive"]
            )
        else:
            ok = answer.found
        tally.add("directive", ok)
        if not ok:
            problems.append(f"directive {answer.directive.id if answer.directive else None}")
        keys_ok = all(_norm(k) in first_lines for k in case.get("keys", []))
        tally.add("keys", keys_ok)
        if not keys_ok:
            problems.append(f"keys {case.get('keys')} not in: {answer.headline[:120]}")
        if case.get("articles"):
            titles = [_norm(p.title) for p in answer.passages[:3]]
            recall = any(_norm(t) in titles for t in case["articles"])
            tally.add("recall3", recall)
            if not recall:
                problems.append(f"articles missing, got {[t[:40] for t in titles]}")
    if problems:
        failures.append(f"[{case['style']}/{case['kind']}] {case['q']}: " + "; ".join(problems))


async def evaluate(questions: Path = QUESTIONS) -> Result:
    cases = [
        json.loads(line)
        for line in questions.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    seed_used = SEEDS.is_dir()
    if not seed_used:  # questions that need the seed article cannot be judged
        cases = [
            c for c in cases if not any(t.startswith(SEED_TITLE) for t in c.get("articles", []))
        ]
    with tempfile.TemporaryDirectory() as tmp:
        service = await SearchService.open(Path(tmp) / "eval.db")
        try:
            targets = [str(SAMPLES)] + ([str(SEEDS)] if seed_used else [])
            await service.ingest(targets)
            overall, by_style, failures = Tally(), defaultdict(Tally), []
            for case in cases:
                answer = await service.ask(case["q"])
                judge(case, answer, overall, failures)
                judge(case, answer, by_style[case["style"]], [])
        finally:
            await service.close()
    return Result(overall, dict(by_style), failures, len(cases), seed_used)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", "-v", action="store_true", help="list every failed question")
    parser.add_argument(
        "--questions", type=Path, default=QUESTIONS, help="labelled set (default: questions.jsonl)"
    )
    args = parser.parse_args()
    result = asyncio.run(evaluate(args.questions))
    print(
        f"questions: {result.questions} (seed article {'used' if result.seed_used else 'absent'})"
    )
    for name, value in result.figures().items():
        print(f"{name:32} {value:7.1%}")
    if args.verbose or result.failures:
        print(f"\n{len(result.failures)} question(s) with a problem:")
        for line in result.failures:
            print(" -", line)
    print()
    if realdev.available():
        cases = asyncio.run(realdev.evaluate())
        print("\n".join(realdev.report(cases, verbose=args.verbose)))
    else:
        print(f"real-article set not scored: {realdev.REALDEV} is absent")
    return 0


if __name__ == "__main__":
    sys.exit(main())
