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

from index.doctypes import same_type
from index.live import LiveIndex
from index.models import Directive
from index.normalize import fold
from index.passages import sentences
from index.query import VERB_RES
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
# A content answer pages through at most this many passages (the rest are weaker)
RANKED_LIMIT = 200
# Articles searched for a content answer: a document most articles only name in
# passing is searched in the articles whose naming passages fit the question best
DOCUMENT_ARTICLES = 30
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


def document_passages(live: LiveIndex, d: Directive, tokens: list[str]) -> np.ndarray:
    """Sorted positions of every passage of the articles mentioning `d`; for a
    document many articles mention, of the DOCUMENT_ARTICLES articles whose
    passages naming it match the question's tokens best (bounded cost)."""
    mentions = live.mentions.get(d.key)
    if mentions is None or not len(mentions):
        return np.zeros(0, dtype=np.int32)
    articles = live.passage_articles[mentions]
    if len(np.unique(articles)) > DOCUMENT_ARTICLES:
        scores = live.bm25.scores_within(tokens, mentions)
        ranked = articles[np.lexsort((live.bm25.tiebreak(mentions), -scores))]
        _, first = np.unique(ranked, return_index=True)
        articles = ranked[np.sort(first)][:DOCUMENT_ARTICLES]
    return live.article_passages(articles)


def rank_within(
    live: LiveIndex,
    d: Directive,
    tokens: list[str],
    within: np.ndarray,
    shape: re.Pattern[str] | None = None,
    *,
    spread: bool = True,
    limit: int = RANKED_LIMIT,
) -> list[tuple[int, float]]:
    """(position, score) of the best `limit` of `within` for the question's tokens.

    Passages naming `d` get NAMING_BONUS; a passage opening a list ("… gồm:")
    also scores its items (the following list-item passages), which hold the
    answer; passages of the answer's `shape` ("5 chuẩn mực" for "mấy chuẩn
    mực") come first. With `spread`, each article's best passage comes before
    any second one. Passages matching no token are left out.
    """
    if not len(within) or not tokens:
        return []
    scores = live.bm25.scores_within(tokens, within)
    _add_list_items(live, within, scores)
    keep = scores > 0
    within, scores = within[keep], scores[keep]
    if not len(within):
        return []
    total = scores + NAMING_BONUS * np.isin(within, live.mentions.get(d.key, within[:0]))
    if shape is not None:
        floor, best = SHAPE_FLOOR * total.max(), total.max()
        for i in _top(total, SHAPE_CANDIDATES).tolist():
            text = live.passages[int(within[i])].text
            if total[i] >= floor and shape.search(folded_sentence(text)):
                total[i] += best  # before every passage without that shape
    order = np.lexsort((live.bm25.tiebreak(within), -total))
    positions, total = within[order], total[order]
    if spread:
        positions, total = first_per_article(live, positions, total)
    return list(zip(positions[:limit].tolist(), total[:limit].tolist(), strict=True))


def first_per_article(
    live: LiveIndex, positions: np.ndarray, scores: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The same order, but each article's first passage before any second one."""
    _, first = np.unique(live.passage_articles[positions], return_index=True)
    is_first = np.zeros(len(positions), dtype=bool)
    is_first[first] = True
    order = np.concatenate([np.flatnonzero(is_first), np.flatnonzero(~is_first)])
    return positions[order], scores[order]


def _top(values: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k largest values (in no particular order)."""
    if len(values) <= k:
        return np.arange(len(values))
    return np.argpartition(-values, k)[:k]


def _add_list_items(live: LiveIndex, within: np.ndarray, scores: np.ndarray) -> None:
    """Add to each passage ending with ':' the scores of the list items after it."""
    opens, items = live.list_flags()
    for i in np.flatnonzero(opens[within]).tolist():
        pos = int(within[i])
        nxt = pos + 1
        while nxt < len(items) and items[nxt]:
            j = int(np.searchsorted(within, nxt))
            same_article = live.passages[nxt].article_id == live.passages[pos].article_id
            if j == len(within) or within[j] != nxt or not same_article:
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
    wanted_code: str | None,
    ranked: list[tuple[int, float]] | None = None,
) -> list[Related]:
    """Other documents named in `d`'s passages, best evidence first.

    `acts` is True when the question asks what `d` does ("X thay thế văn bản
    nào": the other document stands after the verb), False when it asks what
    acts on `d` ("văn bản nào sửa đổi X": before it). `wanted_code` keeps only
    the document type the question asks for. `ranked` (passages already ranked)
    replaces the search of `d`'s articles for the question's tokens.
    """
    if ranked is None:
        within = document_passages(live, d, tokens)
        ranked = rank_within(live, d, tokens, within, spread=False, limit=RELATION_PASSAGES)
    ranked = ranked[:RELATION_PASSAGES]
    found: list[Related] = []
    for pos, score in ranked:
        for sentence in sentences(live.passages[pos].text):
            if not _DIGIT_RE.search(sentence):
                continue  # every reference carries a number
            refs = sentence_refs(sentence)
            own = [r for r in refs if _is(r, d)]
            if len(own) == len(refs):
                continue
            folded = folded_sentence(sentence)
            about_d = bool(own) or bool(_ANAPHORA_RE.match(folded))
            verb = _verb_at(folded, family)
            for r in refs:
                if _is(r, d) or (wanted_code and not same_type(wanted_code, r.code)):
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


_DIGIT_RE = re.compile(r"\d")


@lru_cache(maxsize=8192)
def sentence_refs(sentence: str) -> tuple[Ref, ...]:
    """References of a sentence (cached: the same passages are quoted and searched
    for many questions, and finding references is the dearest step of quoting)."""
    return tuple(find_refs(sentence))


@lru_cache(maxsize=8192)
def folded_sentence(sentence: str) -> str:
    """Folded sentence (or passage), cached like references (`sentence_refs`)."""
    return fold(sentence)


def _is(ref: Ref, d: Directive) -> bool:
    return same_type(d.code, ref.code) and ref.number == d.number
