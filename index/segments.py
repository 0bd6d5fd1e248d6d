"""Segmented BM25: a base segment plus small deltas, scores exact after any update.

BM25's statistics are global (passage count N, average length avgdl and each
term's document frequency df), so a per-posting score precomputed at build
time goes stale whenever one article is added. A segment therefore stores
only what never changes once a passage is tokenised:

- per posting: term frequency and the term's first-seen rank inside the passage;
- per passage: token count, passage id and its order key (article id, position).

A generation is a list of segments plus an `alive` flag per position
(replaced or removed passages are masked, not rewritten). The statistics are
recomputed from the live passages for each generation, in O(passages + terms)
NumPy work, never re-reading tokens:

- N and avgdl count live passages only; df sums live postings over segments;
- rank_bm25 floors negative IDF at epsilon × the average IDF, summed in its
  vocabulary order (each term's first occurrence in corpus order). A full
  rebuild reads articles by id and passages by position, so that order is
  the order of (order key, first-seen rank) of each term's first live
  posting, found per segment and compared across segments; the sum is
  sequential (`np.cumsum`), as rank_bm25 adds one term at a time;
- per passage, `norm = k1 * (1 - b + b * dl / avgdl)` once per generation; a
  question computes `idf * (tf * (k1 + 1) / (tf + norm))` for its own
  terms' postings: element for element the same floating-point operations
  as `BM25Okapi.get_scores`.

So scores are bit-identical to a full rebuild of the live passages, and
equal scores are ordered by the order key, which is what position means in a
full rebuild: rankings are identical, not merely close.

Segments are merged, as Lucene and tantivy do, kept simple: the update that
leaves more than MAX_SEGMENTS, or dead passages weighing more than
MAX_DEAD_SHARE, merges them all into one, dropping dead passages (build.py
runs such an update in the child process: a merge of a 100k-passage index
takes seconds and a few hundred megabytes of temporary arrays). A merge
only concatenates and sorts arrays; it changes no score.
"""

from __future__ import annotations

import math
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from index.bm25 import (
    EPSILON,
    K1,
    MIN_IDF,
    B,
    PostingsSearch,
    pack_arrays,
    split_terms,
    unpack_arrays,
)  # fmt: skip

ORDER_SHIFT = 20  # order key = article id << ORDER_SHIFT | passage position
MAX_SEGMENTS = 8
MAX_DEAD_SHARE = 0.25
# scores of frequent terms are kept per generation, up to this many postings (12-16 bytes each)
CACHE_POSTINGS = 1_500_000
CACHE_MIN_POSTINGS = 2_000
_MAGIC = b"VKS1"
_MAX_U16 = np.iinfo(np.uint16).max


def order_key(article_id: int, position: int) -> int:
    """Where a passage stands in a full rebuild: articles by id, then position."""
    return (article_id << ORDER_SHIFT) | position


@dataclass(frozen=True, eq=False)
class Segment:
    """Immutable postings of some passages, in ascending order key."""

    terms: list[str]  # local vocabulary
    offsets: np.ndarray  # int64[len(terms)+1]: postings of term t are [offsets[t], offsets[t+1])
    docs: np.ndarray  # int32: local passage numbers, ascending within a term
    tf: np.ndarray  # uint16: term frequency in the passage
    rank: np.ndarray  # uint16: the term's first-seen place in the passage (rank_bm25's order)
    lengths: np.ndarray  # int32 per passage: token count
    passage_ids: np.ndarray  # int64 per passage
    keys: np.ndarray  # int64 per passage: order keys, ascending
    vocab: dict[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "vocab", {t: i for i, t in enumerate(self.terms)})

    @property
    def n_docs(self) -> int:
        return len(self.passage_ids)

    @property
    def size_bytes(self) -> int:
        arrays = (self.offsets, self.docs, self.tf, self.rank, self.lengths, self.passage_ids,
                  self.keys)  # fmt: skip
        return sum(a.nbytes for a in arrays) + sum(len(t) + 1 for t in self.terms)

    @classmethod
    def build(cls, rows: Iterable[tuple[int, int, str | Sequence[str]]]) -> Segment:
        """rows: (passage id, order key, tokens) in ascending order key; tokens
        are a list or one space-separated string. Counted one passage at a
        time into compact arrays: memory follows the postings, not Python
        objects per token."""
        vocab: dict[str, int] = {}
        terms_arr, docs_arr, tf_arr, rank_arr = array("i"), array("i"), array("i"), array("i")
        lengths, ids, keys = array("i"), array("q"), array("q")
        for doc, (passage_id, key, tokens) in enumerate(rows):
            if isinstance(tokens, str):
                tokens = tokens.split(" ") if tokens else []
            lengths.append(len(tokens))
            ids.append(passage_id)
            keys.append(key)
            for place, (term, count) in enumerate(Counter(tokens).items()):
                terms_arr.append(vocab.setdefault(term, len(vocab)))
                docs_arr.append(doc)
                tf_arr.append(count)
                rank_arr.append(place)
        key_array = np.frombuffer(keys, dtype=np.int64)
        if len(key_array) > 1 and not bool(np.all(key_array[1:] > key_array[:-1])):
            raise ValueError("segment rows must come in ascending order key")
        terms = np.frombuffer(terms_arr, dtype=np.int32)
        order = np.argsort(terms, kind="stable")
        offsets = np.zeros(len(vocab) + 1, dtype=np.int64)
        np.cumsum(np.bincount(terms, minlength=len(vocab)), out=offsets[1:])
        return cls(
            terms=list(vocab),
            offsets=offsets,
            docs=np.frombuffer(docs_arr, dtype=np.int32)[order],
            tf=_u16(np.frombuffer(tf_arr, dtype=np.int32)[order]),
            rank=_u16(np.frombuffer(rank_arr, dtype=np.int32)[order]),
            lengths=np.frombuffer(lengths, dtype=np.int32).copy(),
            passage_ids=np.frombuffer(ids, dtype=np.int64).copy(),
            keys=key_array.copy(),
        )

    def term_of_postings(self) -> np.ndarray:
        """The local term of every posting (int32, aligned with `docs`)."""
        return np.repeat(np.arange(len(self.terms), dtype=np.int32), np.diff(self.offsets))

    # -- persistence (plain arrays, mapped without copying) -------------------------
    def to_bytes(self) -> bytes:
        terms = np.frombuffer("\n".join(self.terms).encode("utf-8"), dtype=np.uint8)
        arrays = {"offsets": self.offsets, "docs": self.docs, "tf": self.tf, "rank": self.rank,
                  "lengths": self.lengths, "passage_ids": self.passage_ids, "keys": self.keys,
                  "terms": terms}  # fmt: skip
        return pack_arrays(_MAGIC, {}, arrays)

    @classmethod
    def from_bytes(cls, data: bytes) -> Segment:
        if not data.startswith(_MAGIC):
            raise ValueError("not a vankien index segment")
        _, a = unpack_arrays(data)
        return cls(split_terms(a["terms"]), a["offsets"], a["docs"], a["tf"], a["rank"],
                   a["lengths"], a["passage_ids"], a["keys"])  # fmt: skip


def _u16(values: np.ndarray) -> np.ndarray:
    if len(values) and int(values.max()) > _MAX_U16:
        raise ValueError("a passage too long for a segment (over 65,535 distinct tokens)")
    return values.astype(np.uint16)


class SegmentedIndex(PostingsSearch):
    """Segments plus an alive flag per position; BM25 statistics over live passages.

    Positions run through the segments in order (segment i's passages at
    starts[i] …); `passage_ids[pos]` and `keys[pos]` say which passage is there.
    """

    alive: np.ndarray

    def __init__(
        self,
        segments: Sequence[Segment],
        alive: np.ndarray | None = None,
        *,
        k1: float = K1,
        b: float = B,
        epsilon: float = EPSILON,
        min_idf: float | None = MIN_IDF,
    ) -> None:
        self.segments = tuple(segments)
        self.k1, self.b, self.epsilon, self.min_idf = k1, b, epsilon, min_idf
        self.starts = np.cumsum([0, *(s.n_docs for s in self.segments)], dtype=np.int64)
        total = int(self.starts[-1])
        self.alive = np.ones(total, dtype=bool) if alive is None else alive.astype(bool)
        if len(self.alive) != total:
            raise ValueError("one alive flag per position is needed")
        self.passage_ids = _concat([s.passage_ids for s in self.segments], np.int64)
        self.keys = _concat([s.keys for s in self.segments], np.int64)
        lengths = _concat([s.lengths for s in self.segments], np.int32)
        self.n_docs = int(self.alive.sum())
        self.vocab: dict[str, int] = {}
        self._global = [  # local term -> global term, per segment
            np.fromiter((self.vocab.setdefault(t, len(self.vocab)) for t in s.terms),
                        dtype=np.int64, count=len(s.terms))
            for s in self.segments
        ]  # fmt: skip
        live_tokens = int(lengths[self.alive].sum(dtype=np.int64))
        if live_tokens:
            self.df, self.idf = self._statistics()
        else:  # nothing to score (rank_bm25 would divide by zero)
            self.df, self.idf = np.zeros(len(self.vocab), dtype=np.int64), np.zeros(len(self.vocab))
        avgdl = live_tokens / self.n_docs if self.n_docs else 0.0
        # the length part of BM25Okapi.get_scores, as it computes it, once per passage
        self.norm = k1 * (1 - b + b * lengths / avgdl) if live_tokens else np.zeros(total)
        self._cache: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._cached = 0  # postings in _cache

    def _statistics(self) -> tuple[np.ndarray, np.ndarray]:
        """df per global term over live passages, and rank_bm25's IDF."""
        n_terms = len(self.vocab)
        df = np.zeros(n_terms, dtype=np.int64)
        first_key = np.full(n_terms, np.iinfo(np.int64).max, dtype=np.int64)
        first_rank = np.zeros(n_terms, dtype=np.int64)
        for seg, start, to_global in zip(self.segments, self.starts, self._global, strict=False):
            alive = self.alive[start : start + seg.n_docs]
            local_df, first = _live_postings(seg, alive)
            df[to_global] += local_df
            has = np.flatnonzero(local_df)
            key, rank = seg.keys[seg.docs[first[has]]], seg.rank[first[has]]
            g = to_global[has]
            # live passages have distinct keys, so the smallest key is the first occurrence
            earlier = key < first_key[g]
            first_key[g[earlier]] = key[earlier]
            first_rank[g[earlier]] = rank[earlier]
        live = np.flatnonzero(df)
        distinct, inverse = np.unique(df[live], return_inverse=True)
        n = self.n_docs
        # math.log, as rank_bm25 uses it (NumPy's log may differ in the last bit)
        logs = [math.log(n - f + 0.5) - math.log(f + 0.5) for f in distinct.tolist()]
        raw = np.array(logs, dtype=np.float64)[inverse]
        idf = np.zeros(n_terms, dtype=np.float64)
        if len(live):
            in_vocab_order = raw[np.lexsort((first_rank[live], first_key[live]))]
            average = float(np.cumsum(in_vocab_order)[-1]) / len(live)
            floor = self.epsilon * average
            values = np.where(raw >= 0, raw, floor)
            if self.min_idf is not None:
                values = np.maximum(values, self.min_idf)
            idf[live] = values
        return df, idf

    # -- querying ---------------------------------------------------------------------
    @property
    def n_positions(self) -> int:
        return len(self.alive)

    def postings(self, term: str) -> tuple[np.ndarray, np.ndarray]:
        cached = self._cache.get(term)
        if cached is not None:
            return cached
        g = self.vocab.get(term)
        if g is None or not self.df[g]:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        idf = self.idf[g]
        parts_docs, parts_contrib = [], []
        for seg, start in zip(self.segments, self.starts.tolist(), strict=False):
            t = seg.vocab.get(term)
            if t is None:
                continue
            lo, hi = seg.offsets[t], seg.offsets[t + 1]
            docs = seg.docs[lo:hi] + start if start else seg.docs[lo:hi]
            q_freq = seg.tf[lo:hi]
            # BM25Okapi.get_scores' expression, with its length part precomputed
            parts_docs.append(docs)
            parts_contrib.append(idf * (q_freq * (self.k1 + 1) / (q_freq + self.norm[docs])))
        if len(parts_docs) == 1:
            found = parts_docs[0], parts_contrib[0]
        else:  # segments hold consecutive position ranges: positions stay ascending
            found = np.concatenate(parts_docs), np.concatenate(parts_contrib)
        if len(found[0]) >= CACHE_MIN_POSTINGS and self._cached + len(found[0]) <= CACHE_POSTINGS:
            # frequent terms ("của", "và") come back in most questions: compute them once
            self._cached += len(found[0])
            self._cache[term] = found
        return found

    def tiebreak(self, positions: np.ndarray) -> np.ndarray:
        keys: np.ndarray = self.keys[positions]  # a full rebuild's positions, in order
        return keys

    def term_idf(self, term: str) -> float | None:
        g = self.vocab.get(term)
        return None if g is None or not self.df[g] else float(self.idf[g])

    @property
    def size_bytes(self) -> int:
        return sum(s.size_bytes for s in self.segments) + self.norm.nbytes + self.idf.nbytes

    # -- updates ----------------------------------------------------------------------
    def updated(self, added: Segment | None, dead_ids: Iterable[int]) -> SegmentedIndex:
        """A new generation: passages `dead_ids` masked, `added` appended,
        segments merged when the policy says so. This index is unchanged."""
        alive = self.alive & ~np.isin(self.passage_ids, np.fromiter(dead_ids, dtype=np.int64))
        segments = list(self.segments)
        if added is not None and added.n_docs:
            segments.append(added)
            alive = np.concatenate([alive, np.ones(added.n_docs, dtype=bool)])
        return compact(segments, alive, self._params())

    def merge_near(self) -> bool:
        """Whether the next update may well merge every segment (see compact)."""
        dead_share = 1 - self.n_docs / len(self.alive) if len(self.alive) else 0.0
        return len(self.segments) >= MAX_SEGMENTS or dead_share > MAX_DEAD_SHARE * 0.8

    def _params(self) -> dict[str, float | None]:
        return {"k1": self.k1, "b": self.b, "epsilon": self.epsilon, "min_idf": self.min_idf}


def _live_postings(seg: Segment, alive: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per local term: live document frequency, and the index of its first
    live posting (meaningful where the frequency is not 0)."""
    first = seg.offsets[:-1].copy()
    if bool(alive.all()):
        return np.diff(seg.offsets), first
    live = alive[seg.docs]
    if not len(live):
        return np.zeros(len(seg.terms), dtype=np.int64), first
    df = np.add.reduceat(live, seg.offsets[:-1], dtype=np.int64)  # no term has 0 postings
    todo = np.flatnonzero((df > 0) & ~live[first])
    while len(todo):  # step over dead postings: a few steps for the few terms concerned
        first[todo] += 1
        todo = todo[~live[first[todo]]]
    return df, first


def compact(
    segments: Sequence[Segment], alive: np.ndarray, params: dict[str, float | None] | None = None
) -> SegmentedIndex:
    """The merge policy: merge every segment into one when there are more
    than MAX_SEGMENTS or dead passages pass MAX_DEAD_SHARE; otherwise as is."""
    params = params or {}
    dead_share = 1 - float(alive.mean()) if len(alive) else 0.0
    if len(segments) > MAX_SEGMENTS or dead_share > MAX_DEAD_SHARE:
        merged = merge_segments(segments, alive)
        return SegmentedIndex([merged], None, **params)  # type: ignore[arg-type]
    return SegmentedIndex(segments, alive, **params)  # type: ignore[arg-type]


def merge_segments(segments: Sequence[Segment], alive: np.ndarray) -> Segment:
    """One segment holding the live passages of `segments`, in order-key order."""
    starts = np.cumsum([0, *(s.n_docs for s in segments)])
    keys = _concat([s.keys for s in segments], np.int64)
    live = np.flatnonzero(alive)
    live = live[np.argsort(keys[live], kind="stable")]
    new_doc = np.full(len(alive), -1, dtype=np.int64)
    new_doc[live] = np.arange(len(live))
    vocab: dict[str, int] = {}
    terms_parts, docs_parts, tf_parts, rank_parts = [], [], [], []
    for seg, start in zip(segments, starts.tolist(), strict=False):
        to_merged = np.fromiter((vocab.setdefault(t, len(vocab)) for t in seg.terms),
                                dtype=np.int64, count=len(seg.terms))  # fmt: skip
        docs = new_doc[seg.docs + start]
        keep = docs >= 0
        terms_parts.append(to_merged[seg.term_of_postings()[keep]])
        docs_parts.append(docs[keep])
        tf_parts.append(seg.tf[keep])
        rank_parts.append(seg.rank[keep])
    terms = _concat(terms_parts, np.int64)
    docs = _concat(docs_parts, np.int64)
    order = np.argsort(terms << 32 | docs)  # distinct (term, passage) pairs
    terms = terms[order]
    df = np.bincount(terms, minlength=len(vocab))
    used = np.flatnonzero(df)  # terms only dead passages had are dropped
    names = list(vocab)
    offsets = np.zeros(len(used) + 1, dtype=np.int64)
    np.cumsum(df[used], out=offsets[1:])
    return Segment(
        terms=[names[t] for t in used.tolist()],
        offsets=offsets,
        docs=docs[order].astype(np.int32),
        tf=_concat(tf_parts, np.uint16)[order],
        rank=_concat(rank_parts, np.uint16)[order],
        lengths=_concat([s.lengths for s in segments], np.int32)[live],
        passage_ids=_concat([s.passage_ids for s in segments], np.int64)[live],
        keys=keys[live],
    )


def _concat(parts: Sequence[np.ndarray], dtype: type[np.generic]) -> np.ndarray:
    return np.concatenate(parts).astype(dtype, copy=False) if parts else np.zeros(0, dtype=dtype)
