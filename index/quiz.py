"""Quiz questions for study sessions, built from directive records.

Four kinds: which document is about X (subject), when was Y issued (date),
who issued Z (issuer), which document implements W (implements). Wrong
options are real documents of the same type from a similar period (their
dates and issuers for the date and issuer kinds).

A fact is used only when the articles back it: at least two articles state
it, or one does and none states otherwise (re-read from the passages that
fully reference the document). The explanation names the article it came
from.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass

import numpy as np

from index.citation import slash_date
from index.live import LiveIndex
from index.models import ArticleInfo, Directive
from index.refs import find_refs

SIMILAR_YEARS = 5  # wrong options come from documents at most this far apart
MAX_WRONG = 3
QUESTION_MAX = 300  # Telegram's limits for a poll
OPTION_MAX = 100
EXPLANATION_MAX = 200
KINDS = ("subject", "date", "issuer", "implements")


@dataclass(frozen=True)
class QuizQuestion:
    key: str  # the directive asked about
    kind: str
    question: str
    options: tuple[str, ...]
    correct: int  # index into options
    explanation: str  # names the source article
    source: ArticleInfo


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _year(d: Directive) -> int | None:
    return d.date.year if d.date else d.year


def _label(d: Directive) -> str:
    return _short(d.full_name(with_subject=False), OPTION_MAX)


@dataclass(frozen=True)
class _Evidence:
    """Per fact value: the articles stating it."""

    dates: dict[object, list[int]]
    bodies: dict[object, list[int]]
    subjects: dict[object, list[int]]


def _evidence(live: LiveIndex, d: Directive) -> _Evidence:
    dates: dict[object, list[int]] = {}
    bodies: dict[object, list[int]] = {}
    subjects: dict[object, list[int]] = {}
    for pos in live.full_mentions.get(d.key, np.zeros(0, dtype=np.int32)):
        passage = live.passages[int(pos)]
        for ref in find_refs(passage.text):
            if (ref.code, ref.number, ref.issuer_code) != (d.code, d.number, d.issuer_code):
                continue
            for value, table in ((ref.date, dates), (ref.body, bodies), (ref.subject, subjects)):
                articles = table.setdefault(value, []) if value else None
                if articles is not None and passage.article_id not in articles:
                    articles.append(passage.article_id)
    return _Evidence(dates, bodies, subjects)


def _backed(
    value: object, stated: dict[object, list[int]], *, exclusive: bool = True
) -> int | None:
    """An article stating `value` when the articles back it, else None.

    Backed: two articles state it, or one does and (when `exclusive`) no
    article states another value.
    """
    supporting = stated.get(value, [])
    others = sum(len(a) for v, a in stated.items() if v != value)
    if len(supporting) >= 2 or (len(supporting) == 1 and (others == 0 or not exclusive)):
        return supporting[0]
    return None


def _name(live: LiveIndex, d: Directive) -> str:
    """'Kết luận số 21-KL/TW', with its subject when another document has the same number."""
    name = f"{d.type} số {d.id}"
    twins = [k for k in live.by_number.get((d.code, d.number), []) if live.directives[k].id == d.id]
    if len(twins) > 1 and d.subject:
        name += " " + _short(d.subject, 150)
    return name


def _peers(live: LiveIndex, d: Directive, code: str | None = None) -> list[Directive]:
    """Other documents of the same type from a similar period, closest first."""
    year = _year(d)
    if year is None:
        return []
    code = code or d.code
    peers = [
        p
        for p in live.directives.values()
        if p.code == code
        and p.key != d.key
        and (py := _year(p))
        and abs(py - year) <= SIMILAR_YEARS
    ]
    return sorted(peers, key=lambda p: (abs((_year(p) or 0) - year), p.key))


def _distinct(correct: str, wrong: list[str]) -> list[str]:
    seen = {correct}
    out = []
    for option in wrong:
        if option not in seen:
            seen.add(option)
            out.append(option)
    return out[:MAX_WRONG]


def _build(
    d: Directive, kind: str, question: str, right: str, wrong: list[str], article: ArticleInfo,
    rng: random.Random,
) -> QuizQuestion | None:  # fmt: skip
    wrong = _distinct(right, wrong)
    if len(wrong) < 2:
        return None
    options = [right, *wrong]
    rng.shuffle(options)
    when = f", {slash_date(article.published)}" if article.published else ""
    explanation = _short(f"Nguồn: “{article.title}”{when}", EXPLANATION_MAX)
    return QuizQuestion(d.key, kind, _short(question, QUESTION_MAX), tuple(options),
                        options.index(right), explanation, article)  # fmt: skip


def make_question(
    live: LiveIndex, d: Directive, kind: str, rng: random.Random
) -> QuizQuestion | None:
    """One question of `kind` about `d`, or None when the records cannot back one."""
    evidence = _evidence(live, d)
    name = _name(live, d)
    if kind == "subject" and d.subject:
        source = _backed(d.subject, evidence.subjects, exclusive=False)  # wordings differ
        wrong = [_label(p) for p in _peers(live, d) if p.subject and p.subject != d.subject]
        about = d.subject if d.subject.startswith("về ") else f"có nội dung: {d.subject}"
        question = f"Văn bản nào {about}?"
        right = _label(d)
    elif kind == "date" and d.date:
        source = _backed(d.date, evidence.dates)
        wrong = [slash_date(p.date) for p in _peers(live, d) if p.date]
        question, right = f"{name} được ban hành ngày nào?", slash_date(d.date)
    elif kind == "issuer" and d.issuer:
        source = _backed(d.issuer, evidence.bodies)
        wrong = [p.issuer for p in _peers(live, d) if p.issuer]
        question, right = f"Cơ quan nào ban hành {name}?", d.issuer
    elif kind == "implements":
        return _implements(live, d, rng)
    else:
        return None
    if source is None or source not in live.articles:
        return None
    return _build(d, kind, question, right, wrong, live.articles[source], rng)


def _implements(live: LiveIndex, d: Directive, rng: random.Random) -> QuizQuestion | None:
    """'Văn bản nào thực hiện W?' where d implements W, backed by an article naming both."""
    for relation in d.related:
        target = live.directives.get(relation.key)
        if relation.relation != "implements" or target is None:
            continue
        ours, theirs = live.mentions.get(d.key), live.mentions.get(target.key)
        if ours is None or theirs is None:
            continue
        shared = np.intersect1d(ours, theirs)
        if not len(shared):
            continue
        article = live.articles.get(int(live.passage_articles[shared[0]]))
        related = {r.key for r in target.related}
        wrong = [_label(p) for p in _peers(live, d) if p.key not in related]
        question = f"Văn bản nào được ban hành để thực hiện {target.full_name(with_subject=False)}?"
        if article is not None:
            return _build(d, "implements", question, _label(d), wrong, article, rng)
    return None


def quiz_round(
    live: LiveIndex, count: int, *, about: Directive | None = None, seed: int | None = None
) -> list[QuizQuestion]:
    """Up to `count` different questions (about one document when given), in random order."""
    rng = random.Random(seed)
    documents = [about] if about else list(live.directives.values())
    pairs = [(d, kind) for d in documents for kind in KINDS]
    rng.shuffle(pairs)
    # a round spreads over documents: every document's first question before any second one
    turn: Counter[str] = Counter()
    ranked = []
    for d, kind in pairs:
        ranked.append((turn[d.key], d, kind))
        turn[d.key] += 1
    ranked.sort(key=lambda item: item[0])
    questions: list[QuizQuestion] = []
    for _turn, d, kind in ranked:
        if len(questions) >= count:
            break
        q = make_question(live, d, kind, rng)
        if q is not None and all(q.question != other.question for other in questions):
            questions.append(q)
    return questions
