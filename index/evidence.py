"""Evidence from one document's articles: the passages that answer a content
question, and the other documents a relation question asks for.

A document's passages are every passage of the articles that mention it:
news reports name the document once and then explain it paragraph by
paragraph ("Điều 7 quy định …", "Từ chức là …"), so the answer to a content
question is usually in a neighbouring passage, not in the one naming it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from index.live import LiveIndex
from index.models import Directive
from index.normalize import fold
from index.passages import sentences
from index.query import VERB_RES, code_family
from index.refs import TYPE_NAMES, Ref, find_refs

# A passage that names the document asked about is worth this much BM25 more
# than a neighbouring one: on the real-article set the answer to "X là gì",
# "gồm mấy điều" sits in a neighbour as often as in the naming passage, so the
# bonus only breaks near ties (measured: 1.0–3.0 give the same results there).
NAMING_BONUS = 1.5
# Passages with the shape of the answer ("5 chuẩn mực" for "mấy chuẩn mực") come
# first among the SHAPE_CANDIDATES best, when they score at least SHAPE_FLOOR of
# the best: a news report states the number once, often in a sentence that
# repeats few of the question's words (measured on the real-article content questions).
SHAPE_FLOOR = 0.2
SHAPE_CANDIDATES = 50
# Passages examined for related documents: the best ones for the question's
# words, so a document discussed in thousands of passages costs no more.
RELATION_PASSAGES = 20
# A sentence naming another document with the relation verb asked about beats
# one that only names it (measured on the real-article relation questions).
VERB_BONUS = 3.0
SAME_SENTENCE_BONUS = 2.0  # … and one that also names the asked document
DIRECTION_BONUS = 1.0  # … with the two documents on the asked sides of the verb

# "Nghị quyết này", "quy định mới": a sentence about the document asked about
_ANAPHORA_RE = re.compile(
    r"^\W*(?:" + "|".join(fold(n) for n in TYPE_NAMES.values()) + r"|van ban)"
    r" (?:nay|moi|tren)(?![a-z])"
)


def document_passages(live: LiveIndex, d: Directive) -> np.ndarray:
    """Sorted positions of every passage of the articles mentioning `d`."""
    mentions = live.mentions.get(d.key)
    if mentions is None or not len(mentions):
        return np.zeros(0, dtype=np.int32)
    return live.article_passages(live.passage_articles[mentions])


def rank_within(
    live: LiveIndex,
    d: Directive,
    tokens: list[str],
    within: np.ndarray,
    shape: re.Pattern[str] | None = None,
) -> list[tuple[int, float]]:
    """(position, score) of `within` for the question's tokens, best first.

    Passages naming `d` get NAMING_BONUS; a passage opening a list ("… gồm:")
    also scores its items (the following list-item passages), which hold the
    answer; passages of the answer's `shape` ("5 chuẩn mực" for "mấy chuẩn
    mực") come first. Passages matching no token are left out.
    """
    if not len(within) or not tokens:
        return []
    scores = live.bm25.scores_within(tokens, within)
    _add_list_items(live, within, scores)
    naming = np.isin(within, live.mentions.get(d.key, within[:0]))
    keep = scores > 0
    total = scores + NAMING_BONUS * naming
    if shape is not None and keep.any():
        floor = SHAPE_FLOOR * total.max()
        for i in np.argsort(-total)[:SHAPE_CANDIDATES].tolist():
            text = live.passages[int(within[i])].text
            if keep[i] and total[i] >= floor and shape.search(fold(text)):
                total[i] += total.max()  # before every passage without that shape
    order = np.lexsort((within, -total))
    order = order[keep[order]]
    return list(zip(within[order].tolist(), total[order].tolist(), strict=True))


def _add_list_items(live: LiveIndex, within: np.ndarray, scores: np.ndarray) -> None:
    """Add to each passage ending with ':' the scores of the list items after it."""
    opens, items = live.list_flags()
    index = {p: i for i, p in enumerate(within.tolist())}
    for i in np.flatnonzero(opens[within]).tolist():
        pos = int(within[i])
        nxt = pos + 1
        while nxt < len(items) and items[nxt] and (j := index.get(nxt)) is not None:
            if live.passages[nxt].article_id != live.passages[pos].article_id:
                break
            scores[i] += scores[j]
            nxt += 1


@dataclass(frozen=True)
class Related:
    """Another document found next to the one asked about."""

    ref: Ref  # as written in the sentence
    sentence: str
    position: int  # passage position
    score: float
    has_verb: bool  # the sentence holds a relation verb of the family asked
    # with the verb and the asked document in the sentence: whether this one
    # stands on the side the question asks for (None: cannot tell)
    on_side: bool | None = None


def _verb_at(folded: str, family: str | None) -> int | None:
    """Where the first relation verb of `family` (any family when None) stands."""
    regexes = [VERB_RES[family]] if family else list(VERB_RES.values())
    found = [m.start() for rx in regexes if (m := rx.search(folded))]
    return min(found) if found else None


def related_in_passages(
    live: LiveIndex,
    d: Directive,
    tokens: list[str],
    *,
    family: str | None,
    acts: bool,
    wanted_codes: frozenset[str] | None,
) -> list[Related]:
    """Other documents named in `d`'s passages, best evidence first.

    `acts` is True when the question asks what `d` does ("X thay thế văn bản
    nào": the other document stands after the verb), False when it asks what
    acts on `d` ("văn bản nào sửa đổi X": before it). `wanted_codes` keeps only
    the document types the question asks for.
    """
    ranked = rank_within(live, d, tokens, document_passages(live, d))[:RELATION_PASSAGES]
    found: list[Related] = []
    for pos, score in ranked:
        for sentence in sentences(live.passages[pos].text):
            if not any(c.isdigit() for c in sentence):
                continue  # every reference carries a number
            refs = _sentence_refs(sentence)
            own = [r for r in refs if _is(r, d)]
            folded = fold(sentence)
            about_d = bool(own) or bool(_ANAPHORA_RE.match(folded))
            verb = _verb_at(folded, family)
            for r in refs:
                if _is(r, d) or (wanted_codes is not None and r.code not in wanted_codes):
                    continue
                value = score
                on_side = None
                if verb is not None:
                    value += VERB_BONUS
                if about_d:
                    value += SAME_SENTENCE_BONUS
                if verb is not None and about_d:
                    anchor = own[0].start if own else 0
                    on_side = (r.start > verb) == acts and (anchor < verb) == acts
                    value += DIRECTION_BONUS * on_side
                found.append(Related(r, sentence, pos, value, verb is not None, on_side))
    found.sort(key=lambda rel: -rel.score)
    return found


@lru_cache(maxsize=8192)
def _sentence_refs(sentence: str) -> tuple[Ref, ...]:
    """References of a sentence; the same passages answer many questions."""
    return tuple(find_refs(sentence))


def _is(ref: Ref, d: Directive) -> bool:
    return ref.code in code_family(d.code) and ref.number == d.number
