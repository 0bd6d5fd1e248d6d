"""Score answers on the real-article development set in ../shared/realdev.

The set (third-party news text, never copied into this repository) is read
where it lies; its README defines the scoring, applied here literally:

1. the answer names the expected document (for relation questions the
   related document, named in the answer's first 400 characters);
2. it holds the answer keys (all or any, case-insensitive after NFC) — for
   subject, date, issuer and relation questions within the first 400
   characters; date questions must state the full date in a common format;
3. one of the expected articles is among the first three quotes;
4. a not-found question is answered "not found".
"""

from __future__ import annotations

import json
import re
import tempfile
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from bot.render import render_plain
from index.models import Answer
from index.service import SearchService

REALDEV = Path(__file__).resolve().parent.parent.parent.parent / "shared" / "realdev"
FIRST_CHARS = 400
FIRST_LINES_KINDS = {"subject", "date", "issuer", "relation"}


def available() -> bool:
    return (REALDEV / "articles.jsonl").is_file() and (REALDEV / "questions.jsonl").is_file()


def _load(name: str) -> list[dict]:
    lines = (REALDEV / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _norm(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def _id_pattern(doc_id: str) -> re.Pattern[str]:
    """'37-QĐ/TW' matches '37-QĐi/TW', '037-QĐ/TW' and spaced hyphens in an answer."""
    party = re.fullmatch(r"0*(\d+)-(\w+?)(i?)/(\w+)", doc_id)
    if party:
        number, code, _, issuer = party.groups()
        code = re.escape(code.removesuffix("i"))
        return re.compile(rf"(?<!\d)0*{number}\s*[-–]\s*{code}i?/{issuer}(?!\w)", re.I)
    return re.compile(rf"(?<![\w/]){re.escape(doc_id)}(?!\w)", re.I)


def _date_pattern(day: int, month: int, year: int) -> re.Pattern[str]:
    d, m = rf"0?{day}", rf"0?{month}"
    forms = [
        rf"(?<!\d){d}\s*([/.-])\s*{m}\s*\1\s*{year}",
        rf"ngày\s+{d}\s+tháng\s+{m}\s+năm\s+{year}",
    ]
    return re.compile("|".join(forms), re.I)


def _names(answer: Answer, text_head: str, doc_id: str, kind: str) -> bool:
    pattern = _id_pattern(doc_id)
    if kind == "relation":
        return bool(pattern.search(text_head))
    named = [answer.directive] if answer.directive else []
    if answer.ambiguous:
        named += list(answer.candidates)
    return any(pattern.fullmatch(d.id) for d in named)


@dataclass
class Case:
    question: dict
    answer: Answer
    text: str
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def judge(q: dict, answer: Answer, text: str) -> Case:
    case = Case(q, answer, text)
    if q["kind"] == "not_found":
        if answer.found:
            shown = answer.directive.id if answer.directive else answer.headline[:80]
            case.problems.append(f"answered ({shown}) instead of not-found")
        return case
    head = text[:FIRST_CHARS] if q["kind"] in FIRST_LINES_KINDS else text
    where = _norm(head)
    if not _names(answer, head, q["expect_directive"], q["kind"]):
        got = answer.directive.id if answer.directive else None
        case.problems.append(f"document: want {q['expect_directive']}, got {got}")
    keys = [_norm(k) for k in q["answer_keys"]]
    hits = [k in where for k in keys]
    if keys and not (all(hits) if q["answer_match"] == "all" else any(hits)):
        missing = [k for k, hit in zip(keys, hits, strict=True) if not hit]
        case.problems.append(f"keys missing: {missing}")
    if q.get("date_parts") and not _date_pattern(*q["date_parts"]).search(head):
        case.problems.append(f"date {q['date_parts']} not stated")
    urls = [p.url for p in answer.passages[:3]]
    if q["expect_urls"] and not set(urls) & set(q["expect_urls"]):
        case.problems.append("no expected article in the first 3 quotes")
    return case


def _write_articles(folder: Path) -> None:
    for a in _load("articles.jsonl"):
        front = [
            "---",
            f"title: {a['title']}",
            f"url: {a['url']}",
            f"published: {a['published']}",
            f"source: {a['source_name']}",
            "---",
        ]
        (folder / f"{a['id']}.md").write_text("\n".join(front) + "\n" + a["text"], "utf-8")


async def evaluate() -> list[Case]:
    questions = _load("questions.jsonl")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "articles"
        folder.mkdir()
        _write_articles(folder)
        service = await SearchService.open(Path(tmp) / "realdev.db")
        try:
            await service.ingest([str(folder)])
            cases = []
            for q in questions:
                answer = await service.ask(q["q"])
                cases.append(judge(q, answer, render_plain(answer)))
        finally:
            await service.close()
    return cases


def rates(cases: list[Case], field_name: str) -> dict[str, float]:
    groups: dict[str, list[bool]] = defaultdict(list)
    for case in cases:
        groups[case.question[field_name]].append(case.ok)
    return {name: sum(oks) / len(oks) for name, oks in sorted(groups.items())}


def overall(cases: list[Case]) -> float:
    return sum(c.ok for c in cases) / len(cases) if cases else 0.0


def report(cases: list[Case], *, verbose: bool) -> list[str]:
    lines = [f"real articles (../shared/realdev): {len(cases)} questions, strict pass"]
    lines.append(f"  {'overall':16} {overall(cases):7.1%}")
    for field_name in ("kind", "style"):
        for name, rate in rates(cases, field_name).items():
            n = sum(c.question[field_name] == name for c in cases)
            lines.append(f"  {field_name}={name:11} {rate:7.1%}  (n={n})")
    failed = [c for c in cases if not c.ok]
    if failed:
        lines.append(f"\n{len(failed)} real-set question(s) with a problem:")
        for c in failed:
            q = c.question
            lines.append(
                f" - {q['id']} [{q['style']}/{q['kind']}] {q['q']}: " + "; ".join(c.problems)
            )
            if verbose:
                lines.append("     " + c.text[:FIRST_CHARS].replace("\n", "\n     "))
    return lines
