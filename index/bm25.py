"""BM25 over per-term posting arrays: the only module that imports rank_bm25.

Scores follow `rank_bm25.BM25Okapi.get_scores` exactly (same IDF with the
epsilon floor for negative values, same k1/b formula, same floating-point
operations), but a question only touches the postings of its own terms:
one precomputed contribution per (term, passage) pair in CSR arrays, so the
cost grows with the postings, not with the corpus.

Guards against rank_bm25's traps:
- an empty corpus gives an empty index (BM25Okapi([]) divides by zero);
- in tiny corpora IDF can be zero or negative even after the epsilon floor:
  `min_idf` (on by default) keeps every matched term worth something, so a
  passage containing the query never scores below one that does not;
- `search` returns only passages that contain at least one query term
  (`get_top_n` happily returns non-matching ones).
"""

from __future__ import annotations

import io
import json
import math
from abc import ABC, abstractmethod
from array import array
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from rank_bm25 import BM25Okapi

K1 = 1.5
B = 0.75
EPSILON = 0.25
MIN_IDF = 1e-3
_MAGIC = b"VKB1"  # stored index format
_CHUNK = 1 << 20  # postings per step when computing contributions


@dataclass(frozen=True)
class Hit:
    doc: int  # position of the passage (in the corpus given to build())
    score: float
    matched: frozenset[str]  # distinct query terms the passage contains


# A search whose terms touch fewer than 1/SPARSE_SHARE of all passages sums their
# postings directly (measured at 100k passages: several times faster for the
# rare terms of topic questions, slower once the terms touch most passages).
SPARSE_SHARE = 8


class PostingsSearch(ABC):
    """Search over `postings(term)`: (ascending positions, contributions).

    Shared by the one-piece index below and the segmented one (segments.py);
    positions whose `alive` flag is off (replaced or removed passages) never
    come back as hits.
    """

    n_docs: int  # live passages
    alive: np.ndarray | None = None  # per position, None when all are live

    @property
    @abstractmethod
    def n_positions(self) -> int:
        """Positions scored (live or not)."""

    @abstractmethod
    def postings(self, term: str) -> tuple[np.ndarray, np.ndarray]:
        """Positions containing `term` (ascending) and its score contribution at each."""

    @abstractmethod
    def term_idf(self, term: str) -> float | None:
        """The IDF a term scores with; None when no live passage has it."""

    @property
    @abstractmethod
    def size_bytes(self) -> int:
        """Memory taken by the arrays and the vocabulary."""

    def tiebreak(self, positions: np.ndarray) -> np.ndarray:
        """Equal scores are ordered by this (ascending): by default the position."""
        return positions

    def scores(self, query: Sequence[str]) -> np.ndarray:
        """Scores of every position, equal to BM25Okapi.get_scores(query) over
        the live passages (positions no longer live score 0)."""
        score = np.zeros(self.n_positions)
        for term in query:  # repeated terms count again, as in rank_bm25
            docs, contrib = self.postings(term)
            score[docs] += contrib
        if self.alive is not None:
            score[~self.alive] = 0.0
        return score

    def search(
        self,
        query: Sequence[str],
        *,
        top_k: int = 20,
        within: np.ndarray | None = None,
        with_matched: bool = True,
        report: Sequence[str] | None = None,
    ) -> list[Hit]:
        """Best passages containing at least one query term, best first.

        `within` (passage positions) restricts the search, e.g. to passages
        that mention one directive: each term then costs one binary search
        over its postings instead of touching them all. `with_matched=False`
        skips computing which terms each hit contains; `report` lists the terms to
        report as matched when they differ from those searched.
        """
        if self.n_docs == 0 or top_k <= 0:
            return []
        if within is None:
            candidates, cand_scores = self._score_all(query)
        else:
            within = np.unique(within)
            score, hit = self._score_within(query, within)
            candidates, cand_scores = within[hit], score[hit]
        if not len(candidates):
            return []
        top, top_scores = best_first(candidates, cand_scores, self.tiebreak(candidates), top_k)
        if with_matched:
            matched = self._matched(top, list(dict.fromkeys(report or query)))
        else:
            matched = [frozenset()] * len(top)
        return [
            Hit(doc, value, terms)
            for doc, value, terms in zip(top.tolist(), top_scores.tolist(), matched, strict=True)
        ]

    def _score_all(self, query: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(live positions containing a query term, ascending; their scores). Rare
        terms touch few passages: their postings are summed directly instead of
        through an array as long as the corpus (the same additions in the same
        order, so the same scores)."""
        parts = [self.postings(term) for term in query]
        touched = sum(len(docs) for docs, _ in parts)
        if touched * SPARSE_SHARE < self.n_positions:
            if not touched:
                return np.zeros(0, dtype=np.int64), np.zeros(0)
            docs = np.concatenate([docs for docs, _ in parts])
            candidates, inverse = np.unique(docs, return_inverse=True)
            weights = np.concatenate([contrib for _, contrib in parts])
            scores = np.bincount(inverse, weights=weights, minlength=len(candidates))
            if self.alive is not None:
                live = self.alive[candidates]
                candidates, scores = candidates[live], scores[live]
            return candidates, scores
        score = np.zeros(self.n_positions)
        hit = np.zeros(self.n_positions, dtype=bool)
        for docs, contrib in parts:
            score[docs] += contrib
            hit[docs] = True
        if self.alive is not None:
            hit &= self.alive
        candidates = np.flatnonzero(hit)
        return candidates, score[candidates]

    def scores_within(self, query: Sequence[str], within: np.ndarray) -> np.ndarray:
        """Scores of the sorted, distinct passage positions `within` (0 when no
        term matches), as an array aligned with them."""
        return self._score_within(query, within)[0]

    def _score_within(
        self, query: Sequence[str], within: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """One binary search per term over its postings, instead of touching them all."""
        score = np.zeros(len(within))
        hit = np.zeros(len(within), dtype=bool)
        for term in query:
            docs, contrib = self.postings(term)
            if not len(docs):
                continue
            pos = np.minimum(np.searchsorted(docs, within), len(docs) - 1)
            found = docs[pos] == within
            score[found] += contrib[pos[found]]
            hit |= found
        if self.alive is not None:  # positions no longer live score 0, as in scores()
            live = self.alive[within]
            score[~live] = 0.0
            hit &= live
        return score, hit

    def _matched(self, docs: np.ndarray, terms: list[str]) -> list[frozenset[str]]:
        """For each of `docs`, the query terms it contains (one search per term)."""
        found: list[list[str]] = [[] for _ in range(len(docs))]
        for term in terms:
            postings, _ = self.postings(term)
            if not len(postings):
                continue
            pos = np.minimum(np.searchsorted(postings, docs), len(postings) - 1)
            for i in np.flatnonzero(postings[pos] == docs).tolist():
                found[i].append(term)
        return [frozenset(f) for f in found]


class BM25Index(PostingsSearch):
    """Immutable; build with `build()` or `from_bytes()`."""

    def __init__(
        self,
        vocab: dict[str, int],
        offsets: np.ndarray,
        docs: np.ndarray,
        contrib: np.ndarray,
        idf: np.ndarray,
        n_docs: int,
    ) -> None:
        self.vocab = vocab
        self.offsets = (
            offsets  # int64[len(vocab)+1]: postings of term t are [offsets[t], offsets[t+1])
        )
        self.docs = docs  # int32: passage positions, ascending within a term
        self.contrib = contrib  # float64: idf * tf-part, per posting
        self.idf = idf  # float64 per term, as used in contrib
        self.n_docs = n_docs

    # -- building -----------------------------------------------------------------
    @classmethod
    def build(
        cls,
        corpus: Sequence[Sequence[str] | str],
        *,
        k1: float = K1,
        b: float = B,
        epsilon: float = EPSILON,
        min_idf: float | None = MIN_IDF,
    ) -> BM25Index:
        """Index `corpus`: token lists, or strings of space-separated tokens.

        Documents are counted one at a time into compact arrays, so memory
        grows with the postings, not with Python objects per token.
        """
        n_docs = len(corpus)
        vocab: dict[str, int] = {}
        terms_arr, docs_arr, tf_arr = array("i"), array("i"), array("i")
        doc_len = np.zeros(n_docs, dtype=np.int64)
        for d, doc in enumerate(corpus):
            tokens = (doc.split(" ") if doc else []) if isinstance(doc, str) else doc
            doc_len[d] = len(tokens)
            # Counter keeps first-seen order, so the vocabulary (and the IDF sum)
            # follows rank_bm25's order exactly
            for term, count in Counter(tokens).items():
                terms_arr.append(vocab.setdefault(term, len(vocab)))
                docs_arr.append(d)
                tf_arr.append(count)
        if n_docs == 0 or not vocab:
            return cls.empty(n_docs)

        order = np.argsort(np.frombuffer(terms_arr, dtype=np.int32), kind="stable")
        terms = np.frombuffer(terms_arr, dtype=np.int32)[order]
        docs = np.frombuffer(docs_arr, dtype=np.int32)[order]
        tf = np.frombuffer(tf_arr, dtype=np.int32)[order].astype(np.int64)
        del order, terms_arr, docs_arr, tf_arr
        df = np.bincount(terms, minlength=len(vocab))
        offsets = np.zeros(len(vocab) + 1, dtype=np.int64)
        np.cumsum(df, out=offsets[1:])

        idf = _rank_bm25_idf(df, n_docs, epsilon)
        if min_idf is not None:
            idf = np.maximum(idf, min_idf)
        avgdl = int(doc_len.sum()) / n_docs
        contrib = np.empty(len(docs), dtype=np.float64)
        for lo in range(0, len(docs), _CHUNK):  # bounded temporaries
            hi = lo + _CHUNK
            q_freq, dl = tf[lo:hi], doc_len[docs[lo:hi]]
            # Same expression, element for element, as BM25Okapi.get_scores.
            contrib[lo:hi] = idf[terms[lo:hi]] * (
                q_freq * (k1 + 1) / (q_freq + k1 * (1 - b + b * dl / avgdl))
            )
        return cls(vocab, offsets, docs, contrib, idf, n_docs)

    @classmethod
    def empty(cls, n_docs: int = 0) -> BM25Index:
        return cls(
            {},
            np.zeros(1, dtype=np.int64),
            np.zeros(0, dtype=np.int32),
            np.zeros(0, dtype=np.float64),
            np.zeros(0, dtype=np.float64),
            n_docs,
        )

    # -- querying -----------------------------------------------------------------
    @property
    def n_positions(self) -> int:
        return self.n_docs

    def postings(self, term: str) -> tuple[np.ndarray, np.ndarray]:
        t = self.vocab.get(term)
        if t is None:
            return self.docs[:0], self.contrib[:0]
        lo, hi = self.offsets[t], self.offsets[t + 1]
        return self.docs[lo:hi], self.contrib[lo:hi]

    def term_idf(self, term: str) -> float | None:
        t = self.vocab.get(term)
        return None if t is None else float(self.idf[t])

    @property
    def size_bytes(self) -> int:
        arrays = self.offsets.nbytes + self.docs.nbytes + self.contrib.nbytes + self.idf.nbytes
        return arrays + sum(len(t) + 1 for t in self.vocab)

    # -- persistence (no pickle: plain arrays and one newline-joined vocabulary) ---
    def to_bytes(self) -> bytes:
        """A header, then each array's raw bytes 8-byte aligned: `from_bytes`
        maps them without copying (no pickle anywhere)."""
        terms = np.frombuffer("\n".join(self.vocab).encode("utf-8"), dtype=np.uint8)
        arrays = {"offsets": self.offsets, "docs": self.docs, "contrib": self.contrib,
                  "idf": self.idf, "terms": terms}  # fmt: skip
        return pack_arrays(_MAGIC, {"n_docs": self.n_docs}, arrays)

    @classmethod
    def from_bytes(cls, data: bytes) -> BM25Index:
        if not data.startswith(_MAGIC):
            return cls._from_npz(data)
        header, arrays = unpack_arrays(data)
        vocab = {t: i for i, t in enumerate(split_terms(arrays["terms"]))}
        return cls(
            vocab, arrays["offsets"], arrays["docs"], arrays["contrib"], arrays["idf"],
            header["n_docs"],
        )  # fmt: skip

    @classmethod
    def _from_npz(cls, data: bytes) -> BM25Index:
        """The first storage format (numpy .npz), still read."""
        with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
            vocab = {t: i for i, t in enumerate(split_terms(arrays["terms"]))}
            return cls(
                vocab,
                arrays["offsets"],
                arrays["docs"],
                arrays["contrib"],
                arrays["idf"],
                int(arrays["n_docs"][0]),
            )


def pack_arrays(magic: bytes, meta: dict[str, Any], arrays: dict[str, np.ndarray]) -> bytes:
    """`magic` (4 bytes), a JSON header, then each array's raw bytes 8-byte
    aligned, so that `unpack_arrays` maps them without copying."""
    header = json.dumps(
        {**meta, "arrays": [[n, a.dtype.str, len(a)] for n, a in arrays.items()]}
    ).encode()
    parts = [magic, len(header).to_bytes(4, "little"), header]
    for array_ in arrays.values():
        parts.append(b"\0" * (-sum(map(len, parts)) % 8))
        parts.append(np.ascontiguousarray(array_).tobytes())
    return b"".join(parts)


def unpack_arrays(data: bytes) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """The header and the arrays of `pack_arrays`' output, as views of `data`."""
    size = int.from_bytes(data[4:8], "little")
    header: dict[str, Any] = json.loads(data[8 : 8 + size])
    offset, arrays = 8 + size, {}
    for name, dtype, count in header.pop("arrays"):
        offset += -offset % 8
        arrays[name] = np.frombuffer(data, dtype=dtype, count=count, offset=offset)
        offset += arrays[name].nbytes
    return header, arrays


def split_terms(joined: np.ndarray) -> list[str]:
    """A vocabulary stored as newline-joined UTF-8 bytes."""
    raw = joined.tobytes().decode("utf-8")
    return raw.split("\n") if raw else []


def best_first(
    candidates: np.ndarray, scores: np.ndarray, tiebreak: np.ndarray, top_k: int
) -> tuple[np.ndarray, np.ndarray]:
    """The `top_k` best candidates and their scores, best first; equal scores
    are ordered by `tiebreak` (ascending, aligned with `candidates`)."""
    if len(candidates) > top_k:
        # keep every candidate tied with the k-th best, so that ties are broken
        # by `tiebreak` below (argpartition alone picks among them arbitrarily)
        kth_best = -np.partition(-scores, top_k - 1)[top_k - 1]
        keep = np.flatnonzero(scores >= kth_best)
        candidates, scores, tiebreak = candidates[keep], scores[keep], tiebreak[keep]
    order = np.lexsort((tiebreak, -scores))[:top_k]
    return candidates[order], scores[order]


def _rank_bm25_idf(df: np.ndarray, n_docs: int, epsilon: float) -> np.ndarray:
    """BM25Okapi._calc_idf, in the same order and with math.log, so that the
    average (and so the epsilon floor) is bit-identical."""
    idf = [math.log(n_docs - n + 0.5) - math.log(n + 0.5) for n in df.tolist()]
    average = sum(idf) / len(idf)
    floor = epsilon * average
    return np.array([value if value >= 0 else floor for value in idf], dtype=np.float64)


def reference_scores(corpus: Sequence[Sequence[str]], query: Sequence[str]) -> np.ndarray:
    """rank_bm25's own full scan, kept as the oracle for tests and benchmarks."""
    return np.asarray(BM25Okapi([list(doc) for doc in corpus]).get_scores(list(query)))
