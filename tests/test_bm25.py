"""index/bm25.py: bit-identical to rank_bm25's BM25Okapi, without its traps.

`reference_scores` runs rank_bm25 itself; `BM25Index.build(corpus,
min_idf=None)` must reproduce it exactly (np.array_equal, not approx), on
generated corpora and on real tokenised sample articles.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rank_bm25 import BM25Okapi

from index.bm25 import MIN_IDF, BM25Index, reference_scores
from index.normalize import clean_text
from index.passages import split_passages
from index.sources.files import split_front_matter
from index.tokenize import passage_tokens, query_tokens

SAMPLES = Path(__file__).resolve().parents[1] / "index" / "samples"
PROPS = settings(max_examples=80, deadline=None)

# a small vocabulary makes frequent terms (negative IDF) and repeated terms common
TERMS = st.sampled_from(["dang", "cua", "va", "ket", "luan", "#kl21", "w:xây_dựng", "a", "b"])
DOCS = st.lists(TERMS, min_size=0, max_size=12)
CORPORA = st.lists(DOCS, min_size=1, max_size=12).filter(lambda c: any(c))
QUERIES = st.lists(TERMS | st.sampled_from(["unknown", "khong_co"]), min_size=0, max_size=8)


# -- equivalence with rank_bm25 -------------------------------------------------------------


@PROPS
@given(CORPORA, QUERIES)
def test_scores_equal_rank_bm25_exactly(corpus: list[list[str]], query: list[str]) -> None:
    ours = BM25Index.build(corpus, min_idf=None).scores(query)
    reference = reference_scores(corpus, query)
    assert ours.dtype == reference.dtype == np.float64
    assert np.array_equal(ours, reference), (ours, reference)


@PROPS
@given(CORPORA, TERMS, st.integers(min_value=1, max_value=4))
def test_repeated_query_terms_count_again(corpus: list[list[str]], term: str, times: int) -> None:
    index = BM25Index.build(corpus, min_idf=None)
    assert np.array_equal(index.scores([term] * times), reference_scores(corpus, [term] * times))


@PROPS
@given(
    st.lists(st.lists(st.sampled_from(["x", "y"]), min_size=1, max_size=4), min_size=1, max_size=4)
)
def test_tiny_corpora_with_negative_idf_match(corpus: list[list[str]]) -> None:
    # two terms over at most four documents: IDF is often negative and floored
    for query in (["x"], ["y"], ["x", "y", "x"], ["z"]):
        ours = BM25Index.build(corpus, min_idf=None).scores(query)
        assert np.array_equal(ours, reference_scores(corpus, query))


def test_negative_idf_gets_rank_bm25_epsilon_floor() -> None:
    corpus = [["x", "y"], ["x", "y"], ["x", "y"], ["d"]]
    reference = BM25Okapi(corpus)
    index = BM25Index.build(corpus, min_idf=None)
    assert reference.idf["x"] < 0  # the floor itself is negative: average IDF is negative
    assert index.term_idf("x") == reference.idf["x"] == 0.25 * reference.average_idf
    assert index.term_idf("d") == reference.idf["d"] > 0
    assert index.term_idf("nothing") is None


@lru_cache(maxsize=1)
def _sample_passages() -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    files = sorted(SAMPLES.glob("*.md"))
    assert len(files) >= 5, f"sample articles missing in {SAMPLES}"
    texts: list[str] = []
    for path in files:
        _, body = split_front_matter(path.read_text(encoding="utf-8"))
        texts.extend(split_passages(clean_text(body)))
    return tuple(texts), tuple(tuple(passage_tokens(t)) for t in texts)


SAMPLE_QUESTIONS = [
    "Kết luận 21 nói gì về xử lý cán bộ suy thoái",
    "ket luan 21 noi ve gi",
    "quy định những điều đảng viên không được làm",
    "khí tượng thủy văn",
    "người Việt Nam ở nước ngoài",
    "của các và",  # only very common words
    "nghị quyết 58 thanh hóa",
    "từ không có trong bài nào xyzzy",
]


def test_real_passages_equal_rank_bm25_exactly() -> None:
    texts, corpus = _sample_passages()
    assert len(corpus) > 40
    index = BM25Index.build(corpus, min_idf=None)
    queries = [query_tokens(q, []) for q in SAMPLE_QUESTIONS]
    queries += [list(doc[:6]) for doc in corpus[::7]]  # phrases taken from the corpus
    queries += [["#kl21", "#kl21tw", "#kl21"], ["#qdi37", "thay_the"]]
    for query in queries:
        assert query, "every question yields tokens"
        assert np.array_equal(index.scores(query), reference_scores(corpus, query)), query
    # and the index answers them: a question on Kết luận 21 finds passages naming it
    hits = index.search(query_tokens("ket luan 21", []) + ["#kl21"], top_k=5)
    assert hits and all("21" in texts[h.doc] for h in hits)


def test_real_passages_survive_serialisation() -> None:
    _, corpus = _sample_passages()
    index = BM25Index.build(corpus)
    again = BM25Index.from_bytes(index.to_bytes())
    for query in (["khong_co"], ["dang", "xay_dung", "#kl21"], ["w:chỉnh_đốn"]):
        assert np.array_equal(again.scores(query), index.scores(query))
    assert again.vocab == index.vocab and again.n_docs == index.n_docs


# -- empty and degenerate corpora --------------------------------------------------------------


def test_empty_corpus_is_an_empty_index_where_rank_bm25_fails() -> None:
    with pytest.raises(ZeroDivisionError):
        BM25Okapi([])
    index = BM25Index.build([])
    assert index.n_docs == 0
    assert index.scores(["dang"]).shape == (0,)
    assert index.search(["dang"]) == []
    restored = BM25Index.from_bytes(index.to_bytes())
    assert restored.n_docs == 0 and restored.scores(["dang"]).shape == (0,)


def test_corpus_of_empty_documents() -> None:
    with pytest.raises(ZeroDivisionError):
        BM25Okapi([[], []])
    index = BM25Index.build([[], []])
    assert np.array_equal(index.scores(["a"]), np.zeros(2))
    assert index.search(["a"]) == []


def test_empty_query() -> None:
    corpus = [["a", "b"], ["b"]]
    index = BM25Index.build(corpus)
    assert np.array_equal(index.scores([]), np.zeros(2))
    assert index.search([]) == []
    assert index.search(["a"], top_k=0) == []


def test_term_in_every_document_still_counts_with_min_idf() -> None:
    corpus = [["x", "a"], ["x", "b"], ["x", "c"]]
    reference = reference_scores(corpus, ["x"])
    assert (reference < 0).all()  # rank_bm25: containing the query lowers the score
    index = BM25Index.build(corpus)
    assert index.term_idf("x") == MIN_IDF
    assert (index.scores(["x"]) > 0).all()
    assert [h.doc for h in index.search(["x"])] == [0, 1, 2]


def test_passage_with_query_ranks_above_one_without() -> None:
    # "x" is in three of four passages and the average IDF is negative
    corpus = [["x", "y"], ["x", "y"], ["x", "y"], ["d"]]
    texts = ["P0", "P1", "P2", "P3 has no x"]
    # rank_bm25 puts the passage WITHOUT the query term first ...
    assert BM25Okapi(corpus).get_top_n(["x"], texts, n=1) == ["P3 has no x"]
    assert np.array_equal(
        BM25Index.build(corpus, min_idf=None).scores(["x"]), reference_scores(corpus, ["x"])
    )
    # ... with the default min_idf every passage containing it ranks above
    index = BM25Index.build(corpus)
    scores = index.scores(["x"])
    assert min(scores[:3]) > scores[3] == 0
    hits = index.search(["x"], top_k=4)
    assert [h.doc for h in hits] == [0, 1, 2]
    assert all(h.matched == frozenset({"x"}) for h in hits)


def test_idf_zero_still_separates_matching_passages() -> None:
    corpus = [["x", "y"], ["z"]]  # every IDF is exactly 0 for two documents
    assert np.array_equal(reference_scores(corpus, ["x"]), np.zeros(2))
    scores = BM25Index.build(corpus).scores(["x"])
    assert scores[0] > 0 == scores[1]


def test_search_never_returns_passages_without_a_query_term() -> None:
    corpus = [["ket", "luan"], ["nghi", "quyet"], ["chi", "thi"], ["ket", "luan", "ket"]]
    texts = ["kl a", "nq", "ct", "kl b"]
    # rank_bm25's get_top_n fills up with non-matching passages
    assert len(BM25Okapi(corpus).get_top_n(["ket"], texts, n=4)) == 4
    hits = BM25Index.build(corpus).search(["ket", "unknown"], top_k=4)
    assert {h.doc for h in hits} == {0, 3}
    assert hits[0].doc == 3  # term frequency 2 wins
    assert all(h.matched == frozenset({"ket"}) for h in hits)


@PROPS
@given(CORPORA, QUERIES, st.integers(min_value=1, max_value=15))
def test_search_agrees_with_scores(corpus: list[list[str]], query: list[str], top_k: int) -> None:
    index = BM25Index.build(corpus)
    scores = index.scores(query)
    hits = index.search(query, top_k=top_k)
    containing = [d for d, doc in enumerate(corpus) if set(doc) & set(query)]
    # best first, ties by position; only passages containing a query term
    expected = sorted(containing, key=lambda d: (-scores[d], d))[:top_k]
    assert [h.doc for h in hits] == expected
    for h in hits:
        assert h.score == scores[h.doc]
        assert h.matched == frozenset(set(corpus[h.doc]) & set(query))
        assert h.score > 0


@PROPS
@given(st.lists(st.integers(min_value=0, max_value=199), min_size=1, max_size=6))
def test_search_of_rare_terms_agrees_with_scores(rare_docs: list[int]) -> None:
    # rare terms touch a few of 200 passages: their postings are summed directly
    corpus = [["dang", "va", f"w{d % 7}"] for d in range(200)]
    for i, d in enumerate(rare_docs):
        corpus[d] += ["hiem", f"rieng{i % 2}"]
    index = BM25Index.build(corpus)
    query = ["hiem", "rieng0", "rieng1", "hiem"]
    scores = index.scores(query)
    hits = index.search(query, top_k=5)
    expected = sorted(set(rare_docs), key=lambda d: (-scores[d], d))[:5]
    assert [h.doc for h in hits] == expected
    assert all(h.score == scores[h.doc] for h in hits)


@PROPS
@given(CORPORA, QUERIES)
def test_top_k_is_a_prefix_of_a_longer_search(corpus: list[list[str]], query: list[str]) -> None:
    # paging relies on it: the first five of twenty are the top five
    index = BM25Index.build(corpus)
    full = [h.doc for h in index.search(query, top_k=20)]
    for k in (1, 2, 5):
        assert [h.doc for h in index.search(query, top_k=k)] == full[:k]


def test_ties_are_broken_by_position_at_the_top_k_boundary() -> None:
    # 30 identical passages and a few better ones: top 5 = the better ones, then the
    # earliest of the tied ones, whatever argpartition does inside
    corpus = [["c"] if i % 4 else ["c", "c"] for i in range(30)] + [["z"]]
    index = BM25Index.build(corpus)
    doubles = [i for i in range(30) if i % 4 == 0]  # 0, 4, ..., 28: eight of them
    assert [h.doc for h in index.search(["c"], top_k=10)] == doubles + [1, 2]
    assert [h.doc for h in index.search(["c"], top_k=3)] == [0, 4, 8]
    assert [h.doc for h in index.search(["c"], top_k=9)] == doubles + [1]


def test_within_restricts_candidates() -> None:
    corpus = [["kl", "a"], ["kl"], ["kl", "b"], ["nq"], ["kl", "kl"]]
    index = BM25Index.build(corpus)
    everything = [h.doc for h in index.search(["kl"])]
    assert set(everything) == {0, 1, 2, 4}
    within = np.array([2, 3, 4])
    hits = index.search(["kl"], within=within)
    assert [h.doc for h in hits] == [h for h in everything if h in (2, 4)]
    assert index.search(["kl"], within=np.array([3])) == []
    assert index.search(["kl"], within=np.array([], dtype=np.int64)) == []
    scores = index.scores(["kl"])
    assert all(h.score == scores[h.doc] for h in hits)  # scores are not renormalised


# -- persistence -----------------------------------------------------------------------------


@PROPS
@given(CORPORA, QUERIES, st.sampled_from([None, MIN_IDF]))
def test_bytes_round_trip_gives_identical_scores(
    corpus: list[list[str]], query: list[str], min_idf: float | None
) -> None:
    index = BM25Index.build(corpus, min_idf=min_idf)
    data = index.to_bytes()
    assert isinstance(data, bytes)
    again = BM25Index.from_bytes(data)
    assert again.n_docs == index.n_docs
    assert again.vocab == index.vocab
    assert np.array_equal(again.scores(query), index.scores(query))
    assert again.search(query) == index.search(query)


def test_from_bytes_refuses_pickles() -> None:
    import io
    import pickle

    buffer = io.BytesIO()
    np.savez(buffer, offsets=np.array([object()], dtype=object))
    with pytest.raises((ValueError, pickle.UnpicklingError, KeyError)):
        BM25Index.from_bytes(buffer.getvalue())


def test_vocabulary_with_accents_round_trips() -> None:
    corpus = [["w:xây_dựng", "đảng"], ["w:chỉnh_đốn", "#qđi37"]]
    again = BM25Index.from_bytes(BM25Index.build(corpus).to_bytes())
    assert again.term_idf("w:chỉnh_đốn") is not None
    assert [h.doc for h in again.search(["#qđi37"])] == [1]


def test_size_bytes_counts_arrays_and_vocabulary() -> None:
    index = BM25Index.build([["a", "bb"], ["a"]])
    assert index.size_bytes >= index.docs.nbytes + index.contrib.nbytes + len("a") + len("bb")


def test_first_storage_format_still_loads() -> None:
    """Indexes stored as .npz by earlier versions open unchanged."""
    import io

    corpus = [["ket", "luan", "ket_luan"], ["chi", "thi"], ["ket", "chi"]]
    index = BM25Index.build(corpus)
    buffer = io.BytesIO()
    np.savez(
        buffer,
        offsets=index.offsets,
        docs=index.docs,
        contrib=index.contrib,
        idf=index.idf,
        n_docs=np.array([index.n_docs]),
        terms=np.frombuffer("\n".join(index.vocab).encode("utf-8"), dtype=np.uint8),
    )
    legacy = BM25Index.from_bytes(buffer.getvalue())
    assert legacy.vocab == index.vocab
    assert np.array_equal(legacy.scores(["ket", "thi"]), index.scores(["ket", "thi"]))
    assert index.to_bytes().startswith(b"VKB1")
