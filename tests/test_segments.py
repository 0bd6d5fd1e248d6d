"""index/segments.py: after any sequence of adds, changes and removals, a
segmented index ranks exactly as a full rebuild of the same articles does
(bit-equal scores, same order) and as rank_bm25's BM25Okapi scores them."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.bm25 import BM25Index, reference_scores
from index.segments import (
    MAX_SEGMENTS,
    Segment,
    SegmentedIndex,
    compact,
    merge_segments,
    order_key,
)

PROPS = settings(max_examples=60, deadline=None)
TERMS = st.sampled_from(["dang", "cua", "va", "ket", "luan", "#kl21", "w:xây_dựng", "a", "b"])
PASSAGES = st.lists(st.lists(TERMS, min_size=0, max_size=8), min_size=0, max_size=4)
# (article, its new passages, or None to remove it)
STEPS = st.lists(st.tuples(st.integers(0, 6), PASSAGES | st.none()), min_size=1, max_size=14)
QUERIES = [["dang"], ["cua", "va"], ["ket", "luan", "ket"], ["#kl21", "w:xây_dựng"], ["a", "b", "x"],
           ["khong_co"], []]  # fmt: skip

Articles = dict[int, list[list[str]]]


class Corpus:
    """Applies changes incrementally, remembering which passage ids each article has."""

    def __init__(self, min_idf: float | None) -> None:
        self.articles: Articles = {}
        self.ids: dict[int, list[int]] = {}
        self.next_id = 1
        self.min_idf = min_idf
        self.index = SegmentedIndex([], min_idf=min_idf)

    def apply(self, article: int, passages: list[list[str]] | None) -> None:
        dead = self.ids.pop(article, [])
        self.articles.pop(article, None)
        added = None
        if passages is not None:
            ids = list(range(self.next_id, self.next_id + len(passages)))
            self.next_id += len(passages)
            self.articles[article], self.ids[article] = passages, ids
            added = Segment.build(
                (pid, order_key(article, pos), tokens)
                for pos, (pid, tokens) in enumerate(zip(ids, passages, strict=True))
            )
        self.index = self.index.updated(added, dead)

    def full_rebuild(self) -> SegmentedIndex:
        return SegmentedIndex([Segment.build(self.rows())], min_idf=self.min_idf)

    def rows(self) -> list[tuple[int, int, list[str]]]:
        return [
            (pid, order_key(a, pos), tokens)
            for a in sorted(self.articles)
            for pos, (pid, tokens) in enumerate(zip(self.ids[a], self.articles[a], strict=True))
        ]


def live_in_key_order(index: SegmentedIndex) -> np.ndarray:
    live = np.flatnonzero(index.alive)
    return live[np.argsort(index.keys[live])]


def ranking(
    index: SegmentedIndex, query: Sequence[str], **kw: object
) -> list[tuple[int, float, frozenset[str]]]:
    return [(int(index.keys[h.doc]), h.score, h.matched) for h in index.search(query, **kw)]  # type: ignore[arg-type]


def assert_same_as_full_rebuild(corpus: Corpus) -> None:
    inc, full = corpus.index, corpus.full_rebuild()
    live = live_in_key_order(inc)
    assert inc.n_docs == full.n_docs == len(live)
    assert np.array_equal(inc.keys[live], full.keys)
    for query in QUERIES:
        assert np.array_equal(inc.scores(query)[live], full.scores(query)), query
        for top_k in (1, 3, 50):
            assert ranking(inc, query, top_k=top_k) == ranking(full, query, top_k=top_k)
        within = live[::2]
        assert ranking(inc, query, within=within) == ranking(
            full, query, within=np.arange(0, len(live), 2)
        )
    for term in ["dang", "cua", "a", "b", "#kl21", "nothing"]:
        assert inc.term_idf(term) == full.term_idf(term), term


@PROPS
@given(STEPS)
def test_incremental_updates_rank_exactly_as_a_full_rebuild(
    steps: list[tuple[int, list[list[str]] | None]],
) -> None:
    corpus = Corpus(min_idf=None)
    for article, passages in steps:
        corpus.apply(article, passages)
        assert_same_as_full_rebuild(corpus)
    docs = [tokens for _, _, tokens in corpus.rows()]
    if any(docs):  # rank_bm25 divides by zero on an empty corpus
        live = live_in_key_order(corpus.index)
        for query in QUERIES:
            got = corpus.index.scores(query)[live]
            assert np.array_equal(got, reference_scores(docs, query)), query


@PROPS
@given(STEPS)
def test_with_the_idf_floor_too(steps: list[tuple[int, list[list[str]] | None]]) -> None:
    corpus = Corpus(min_idf=1e-3)
    for article, passages in steps:
        corpus.apply(article, passages)
    assert_same_as_full_rebuild(corpus)
    docs = [tokens for _, _, tokens in corpus.rows()]
    if any(docs):
        one_piece = BM25Index.build(docs)
        live = live_in_key_order(corpus.index)
        for query in QUERIES:
            assert np.array_equal(corpus.index.scores(query)[live], one_piece.scores(query))


# many distinct terms first seen in one passage, and one in every passage (negative
# IDF, so the floor and with it the order of the IDF sum matter to the last bit)
WIDE = st.lists(st.sampled_from([f"w{i}" for i in range(40)]), min_size=0, max_size=12)
WIDE_STEPS = st.lists(
    st.tuples(st.integers(0, 4), st.lists(WIDE.map(lambda d: ["cua", *d]), max_size=3) | st.none()),
    min_size=1, max_size=8,
)  # fmt: skip


@PROPS
@given(WIDE_STEPS)
def test_idf_average_follows_rank_bm25_vocabulary_order(
    steps: list[tuple[int, list[list[str]] | None]],
) -> None:
    corpus = Corpus(min_idf=None)
    for article, passages in steps:
        corpus.apply(article, passages)
    full = corpus.full_rebuild()
    for term in ["cua", "w0", "w1", "w39"]:
        assert corpus.index.term_idf(term) == full.term_idf(term), term
    docs = [tokens for _, _, tokens in corpus.rows()]
    if any(docs):
        live = live_in_key_order(corpus.index)
        assert np.array_equal(
            corpus.index.scores(["cua", "w1"])[live], reference_scores(docs, ["cua", "w1"])
        )


def test_many_small_updates_are_merged_and_dead_passages_dropped() -> None:
    corpus = Corpus(min_idf=None)
    for article in range(MAX_SEGMENTS + 3):
        corpus.apply(article, [["dang", "cua"], ["va", f"t{article}"]])
        assert len(corpus.index.segments) <= MAX_SEGMENTS
    for article in range(0, MAX_SEGMENTS, 2):
        corpus.apply(article, None)
    assert_same_as_full_rebuild(corpus)
    merged = compact(corpus.index.segments, corpus.index.alive, {"min_idf": None})
    one = SegmentedIndex([merge_segments(merged.segments, merged.alive)], min_idf=None)
    assert one.n_positions == one.n_docs == corpus.index.n_docs
    assert "t0" not in one.segments[0].vocab and "t1" in one.segments[0].vocab
    for query in QUERIES:
        assert np.array_equal(one.scores(query), corpus.full_rebuild().scores(query))


def test_segment_round_trips_through_bytes() -> None:
    seg = Segment.build([(7, order_key(1, 0), "dang cua dang"), (9, order_key(1, 1), ""),
                         (4, order_key(2, 0), ["w:xây_dựng", "dang"])])  # fmt: skip
    again = Segment.from_bytes(seg.to_bytes())
    assert again.terms == seg.terms and again.vocab == seg.vocab
    for name in ("offsets", "docs", "tf", "rank", "lengths", "passage_ids", "keys"):
        assert np.array_equal(getattr(again, name), getattr(seg, name)), name
    with pytest.raises(ValueError):
        Segment.from_bytes(b"VKB1...")


def test_rows_out_of_order_are_refused() -> None:
    with pytest.raises(ValueError):
        Segment.build([(1, order_key(2, 0), "a"), (2, order_key(1, 0), "b")])


def test_empty_and_all_removed() -> None:
    corpus = Corpus(min_idf=None)
    assert corpus.index.search(["dang"]) == [] and corpus.index.n_docs == 0
    corpus.apply(1, [[], []])
    assert corpus.index.search(["dang"]) == [] and corpus.index.n_docs == 2
    corpus.apply(1, [["dang"]])
    corpus.apply(1, None)
    assert corpus.index.search(["dang"]) == [] and corpus.index.term_idf("dang") is None
