"""The live index: an immutable in-memory snapshot of one generation.

Everything an answer needs is here (passage texts, article metadata,
directive records, the BM25 arrays), so answering never touches the
database and a rebuild can write freely; the service swaps snapshots by one
reference assignment.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from index.bm25 import BM25Index, PostingsSearch
from index.models import ArticleInfo, Directive
from index.normalize import fold
from index.passages import is_list_item
from index.places import ArticleContext
from index.refs import Ref
from index.tokenize import syllable_tokens


class PassageRef(NamedTuple):  # a tuple: cheap to make by the hundred thousand
    id: int
    article_id: int
    text: str


@dataclass
class LiveIndex:
    generation: int
    bm25: PostingsSearch  # a SegmentedIndex; a BM25Index for generations stored before segments
    passages: list[PassageRef]  # by position in bm25 (replaced passages stay, never hit)
    articles: dict[int, ArticleInfo]
    directives: dict[str, Directive]
    mentions: dict[str, np.ndarray] = field(default_factory=dict)  # key -> sorted positions
    full_mentions: dict[str, np.ndarray] = field(default_factory=dict)  # … as full references
    passage_articles: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    by_number: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    subjects: BM25Index = field(default_factory=BM25Index.empty)
    subject_keys: list[str] = field(default_factory=list)
    # a directive's passages ranked for its own subject: the same for every
    # question that adds no words of its own, so computed once per snapshot
    ranking_cache: dict[str, list[tuple[int, float]]] = field(default_factory=dict)
    # … and the scores behind it (own-subject BM25, full-reference bonus), which
    # questions adding related documents or evidence passages start from
    mention_scores: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    # article id -> the directive it discusses most (answers fill it as they need it)
    main_documents: dict[int, list[str]] = field(default_factory=dict)
    # passage positions ordered by article, built on first use (see article_passages)
    _by_article: tuple[np.ndarray, np.ndarray] | None = field(default=None, repr=False)
    # (passage opens a list with ':', passage is a list item), built on first use
    _list_flags: tuple[np.ndarray, np.ndarray] | None = field(default=None, repr=False)
    # (sorted mention positions, directive key of each), built on first use
    _by_passage: tuple[np.ndarray, list[str]] | None = field(default=None, repr=False)
    # references found in each passage (by id), carried to the next generation
    refs_cache: dict[int, tuple[Ref, ...]] = field(default_factory=dict)
    segment_ids: tuple[int, ...] = ()  # stored id of each of bm25's segments
    # what each article tells about its references, with the metadata it was read
    # with, carried to the next generation (read from the stored text when missing)
    contexts: dict[int, tuple[ArticleInfo, ArticleContext]] = field(default_factory=dict)

    @classmethod
    def empty(cls) -> LiveIndex:
        return cls(0, BM25Index.empty(), [], {}, {})

    @classmethod
    def assemble(
        cls,
        generation: int,
        bm25: PostingsSearch,
        passages: Sequence[PassageRef],
        articles: dict[int, ArticleInfo],
        directives: dict[str, Directive],
        mention_rows: Sequence[tuple[int, str, bool]],
        refs_cache: dict[int, tuple[Ref, ...]] | None = None,
        segment_ids: Sequence[int] = (),
        contexts: dict[int, tuple[ArticleInfo, ArticleContext]] | None = None,
    ) -> LiveIndex:
        position = {p.id: i for i, p in enumerate(passages)}
        grouped: dict[str, set[int]] = defaultdict(set)
        full: dict[str, set[int]] = defaultdict(set)
        for passage_id, key, is_full in mention_rows:
            pos = position.get(passage_id)
            if pos is None or key not in directives:
                continue
            grouped[key].add(pos)
            if is_full:
                full[key].add(pos)
        by_number: dict[tuple[str, str], list[str]] = defaultdict(list)
        for key, d in directives.items():
            by_number[(d.code, d.number)].append(key)
        subject_keys = list(directives)
        subjects = BM25Index.build([_subject_tokens(directives[k]) for k in subject_keys])
        return cls(
            generation=generation,
            bm25=bm25,
            passages=list(passages),
            articles=articles,
            directives=directives,
            mentions={k: np.array(sorted(v), dtype=np.int32) for k, v in grouped.items()},
            full_mentions={k: np.array(sorted(v), dtype=np.int32) for k, v in full.items()},
            passage_articles=np.fromiter(
                (p.article_id for p in passages), dtype=np.int64, count=len(passages)
            ),
            by_number=dict(by_number),
            subjects=subjects,
            subject_keys=subject_keys,
            refs_cache={} if refs_cache is None else refs_cache,
            segment_ids=tuple(segment_ids),
            contexts={} if contexts is None else contexts,
        )

    def article_passages(self, article_ids: np.ndarray) -> np.ndarray:
        """Sorted positions of every passage of the given articles."""
        if self._by_article is None:
            order = np.argsort(self.passage_articles, kind="stable").astype(np.int32)
            self._by_article = (self.passage_articles[order], order)
        articles, order = self._by_article
        ids = np.unique(article_ids)
        lo = np.searchsorted(articles, ids, side="left")
        hi = np.searchsorted(articles, ids, side="right")
        if not len(ids):
            return order[:0]
        found = np.sort(np.concatenate([order[a:b] for a, b in zip(lo, hi, strict=True)]))
        alive = self.bm25.alive
        return found if alive is None else found[alive[found]]  # replaced passages stay out

    def list_flags(self) -> tuple[np.ndarray, np.ndarray]:
        """For every passage: whether it ends with ':' (opens a list), and whether
        it is a list item."""
        if self._list_flags is None:
            opens = np.fromiter(
                (p.text.rstrip().endswith(":") for p in self.passages), bool, len(self.passages)
            )
            items = np.fromiter(
                (is_list_item(p.text) for p in self.passages), bool, len(self.passages)
            )
            self._list_flags = (opens, items)
        return self._list_flags

    def passages_directives(self, positions: Sequence[int]) -> list[list[str]]:
        """For each passage position, the keys of the directives it mentions."""
        if self._by_passage is None:
            keys = list(self.mentions)
            if keys:
                all_positions = np.concatenate([self.mentions[k] for k in keys])
                owners = np.repeat(np.arange(len(keys)), [len(self.mentions[k]) for k in keys])
            else:
                all_positions = owners = np.zeros(0, dtype=np.int64)
            order = np.argsort(all_positions, kind="stable")
            self._by_passage = (all_positions[order], [keys[i] for i in owners[order].tolist()])
        sorted_positions, key_of = self._by_passage
        wanted = np.asarray(positions, dtype=np.int64)
        lo = np.searchsorted(sorted_positions, wanted).tolist()
        hi = np.searchsorted(sorted_positions, wanted, "right").tolist()
        return [key_of[a:b] for a, b in zip(lo, hi, strict=True)]

    @property
    def size(self) -> int:
        return len(self.passages)


def _subject_tokens(d: Directive) -> list[str]:
    """What a topic question can match: type, issuing body and subject."""
    return syllable_tokens(fold(f"{d.type} {d.issuer or ''}. {d.subject or ''}"))
