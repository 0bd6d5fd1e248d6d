"""Which document a question without a number is about ("văn bản nào về …").

A document's subject holding the question's words decides; when none does,
the passages that best hold them speak for the documents they name (or, naming
none, for their article's document). Ties go to the level asked, a document
not replaced, the newest.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from index.bm25 import Hit
from index.doctypes import same_type
from index.live import LiveIndex
from index.models import Directive
from index.normalize import fold
from index.query import Question, at_level
from index.refs import find_refs
from index.tokenize import STOP_SYLLABLES, syllables_of

# Thresholds measured on the bundled sample and held-out sets (their not-found
# topic questions share words with the corpus but stay below them).
FOUND_COVERAGE = 0.6  # share of the question's weighted terms a passage must contain
SUBJECT_COVERAGE = 0.8  # … that a directive's subject must contain to be "clearly meant"


@dataclass(frozen=True)
class Coverage:
    """Share of the question's weight that a passage or subject contains (called
    with the question's terms it contains)."""

    weights: dict[str, float]
    total: float

    def __call__(self, matched: frozenset[str]) -> float:
        if not self.total:
            return 0.0
        return sum(w for t, w in self.weights.items() if t in matched) / self.total

    def candidates(self, live: LiveIndex, floor: float) -> np.ndarray | None:
        """Sorted positions of the only passages that can hold `floor` of the weight:
        those with one of the rarest terms that together weigh more than the rest
        may miss. None when they are too many for restricting to pay."""
        need = (1.0 - floor) * self.total + RESTRICT_MARGIN * self.total
        rarest, weight = [], 0.0
        for term, value in sorted(self.weights.items(), key=lambda kv: -kv[1]):
            rarest.append(term)
            weight += value
            if weight > need:
                break
        else:
            return None
        postings = [live.bm25.postings(term)[0] for term in rarest]
        if sum(len(p) for p in postings) * CANDIDATE_SHARE >= live.bm25.n_docs:
            return None
        return np.unique(np.concatenate(postings)) if postings else None


RESTRICT_MARGIN = 1e-9  # rounding: a passage exactly at the floor is never left out
CANDIDATE_SHARE = 32  # restrict only to fewer than 1/32 of all passages (else scan all)


def coverage(live: LiveIndex, tokens: list[str]) -> Coverage:
    """The question's terms weighted for `Coverage`.

    Weights are IDF in the passage index: content syllables count fully, a
    known pair of content syllables counts half (phrase evidence), and a pair
    the corpus has never seen counts only when both syllables are rare, as
    in a place name ("nghe an") the collected articles do not have.
    """
    unknown = math.log(max(live.bm25.n_docs, 1) + 1.0) + 1.0

    def idf(term: str) -> float:
        value = live.bm25.term_idf(term)
        return unknown if value is None else value

    weights: dict[str, float] = {}
    for term in dict.fromkeys(tokens):
        parts = syllables_of(term)
        if parts is None or any(p in STOP_SYLLABLES for p in parts):
            continue
        if len(parts) == 1:
            weights[term] = max(idf(term), 0.05)
        elif live.bm25.term_idf(term) is not None:
            weights[term] = max(0.5 * idf(term), 0.05)
        elif all(idf(p) >= 0.5 * unknown for p in parts):
            weights[term] = unknown
    return Coverage(weights, sum(weights.values()))


# Topic questions: a document's support is its subject's coverage of the question,
# or the coverage of the best passage naming it among the TOPIC_PASSAGES best
# passages for the question; documents within TOPIC_TIE of the best are told
# apart by level, standing (not replaced) and date. Measured on the sample sets
# and the real-article topic questions.
TOPIC_PASSAGES = 30
SUBJECT_NAMING_OTHER = 0.5  # weight of a subject that names another document
PASSAGE_WEIGHT = 0.5  # a passage naming the document alone counts half a matching subject
PASSAGE_CAP = 2.0  # … and many such passages together at most one subject
COMMON_IDF = 1.0  # a term in more than about a quarter of all passages
TOPIC_TIE = 0.1


def topic_document(
    live: LiveIndex,
    q: Question,
    tokens: list[str],
    subject_hits: list[Hit],
    asked_code: str | None,
    seeking: bool,
) -> tuple[Directive | None, list[int]]:
    """The document a question without a number is about, if one clearly is,
    and the passages that speak for it (best first) when passages decided.

    A subject holding the question's words decides (as fast as before); only
    when none does are the best passages asked. A question looking for a document
    ("nghị quyết nào về …") counts a passage only when it holds the question's
    words as fully as a subject must, so a place no article names ("… tỉnh Nghệ
    An") keeps a neighbour out; a question about content counts the passages
    that answer it."""
    share_of = coverage(live, tokens)
    support: dict[str, float] = {}
    for h in subject_hits:
        share = share_of(h.matched)
        if share >= SUBJECT_COVERAGE:
            key = live.subject_keys[h.doc]
            # "sửa đổi Quy định 69 về kỷ luật …": the topic is the other document's
            subject = live.directives[key].subject or ""
            if not fold(subject).startswith("ve ") and find_refs(subject):
                share *= SUBJECT_NAMING_OTHER
            support[key] = max(support.get(key, 0.0), share)
    if q.level:
        support = {
            k: v for k, v in support.items() if at_level(live.directives[k].issuer_code, q.level)
        }
    evidence: dict[str, list[int]] = {}
    if not any(v >= SUBJECT_COVERAGE for v in support.values()):
        floor = SUBJECT_COVERAGE if seeking else FOUND_COVERAGE
        evidence = _passage_support(live, q, tokens, share_of, floor, asked_code, support)
    if not support:
        return None, []
    best = max(support.values())
    close = [live.directives[k] for k, v in support.items() if v >= best - TOPIC_TIE]
    if q.year:
        close = [d for d in close if (d.date.year if d.date else d.year) == q.year] or close

    def standing(d: Directive) -> tuple[bool, bool, float, int, float]:
        replaced = any(r.relation in ("replaced_by", "amends") for r in d.related)
        year = d.date.year if d.date else d.year or 0
        return (not d.is_central, replaced, -year, -d.mention_count, -support[d.key])

    chosen = min(close, key=standing)
    if q.newest:  # "chỉ thị mới nhất về …": the one that replaced it, if collected
        chosen = in_force(live, chosen)
    return chosen, evidence.get(chosen.key, [])


REPLACEMENT_CHAIN = 5  # replacements followed at most (records may loop)


def in_force(live: LiveIndex, d: Directive) -> Directive:
    """The document now in force in `d`'s place: the newest one replacing it."""
    for _ in range(REPLACEMENT_CHAIN):
        newer = [
            other
            for r in d.related
            if r.relation == "replaced_by" and (other := live.directives.get(r.key)) is not None
        ]
        if not newer:
            break
        d = max(newer, key=lambda o: o.date.toordinal() if o.date else 0)
    return d


def _passage_support(
    live: LiveIndex,
    q: Question,
    tokens: list[str],
    coverage: Coverage,
    floor: float,
    asked_code: str | None,
    support: dict[str, float],
) -> dict[str, list[int]]:
    """Add to `support` what the best passages for the question (holding at least
    `floor` of its words) say for the documents they name, or, naming none, for
    their article's document; return each document's passages, best first."""
    shares: dict[str, float] = {}
    evidence: dict[str, list[int]] = {}
    # terms in most passages barely change the ranking yet cost the most: the
    # search leaves them out, the coverage still counts them
    telling = [t for t in tokens if (live.bm25.term_idf(t) or COMMON_IDF) >= COMMON_IDF]
    found = live.bm25.search(
        telling or tokens,
        top_k=TOPIC_PASSAGES,
        within=coverage.candidates(live, floor),
        report=tokens,
    )
    hits = [h for h in found if coverage(h.matched) >= floor]
    for h, named in zip(hits, live.passages_directives([h.doc for h in hits]), strict=True):
        share = coverage(h.matched)
        named = named or _main_document(live, h.doc)
        for key in named:  # a list of ten documents speaks for none of them
            d = live.directives[key]
            if asked_code is None or same_type(asked_code, d.code):
                shares[key] = shares.get(key, 0.0) + share / len(named)
                evidence.setdefault(key, []).append(h.doc)
    for key, total in shares.items():
        if q.level and not at_level(live.directives[key].issuer_code, q.level):
            continue
        support[key] = support.get(key, 0.0) + PASSAGE_WEIGHT * min(total, PASSAGE_CAP)
    return evidence


def _main_document(live: LiveIndex, position: int) -> list[str]:
    """The document an article is about (the one its passages name most), for
    its passages that name none ("Quy định này áp dụng đối với …")."""
    article = live.passage_articles[position : position + 1]
    if (known := live.main_documents.get(int(article[0]))) is not None:
        return known
    counts: dict[str, int] = {}
    for keys in live.passages_directives(live.article_passages(article).tolist()):
        for key in keys:
            counts[key] = counts.get(key, 0) + 1
    main = [max(counts, key=lambda k: counts[k])] if counts else []
    live.main_documents[int(article[0])] = main
    return main
