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
    # references found in each passage (by id), carried to the next generation
    refs_cache: dict[int, tuple[Ref, ...]] = field(default_factory=dict)
    segment_ids: tuple[int, ...] = ()  # stored id of each of bm25's segments

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
        )

    @property
    def size(self) -> int:
        return len(self.passages)


def _subject_tokens(d: Directive) -> list[str]:
    """What a topic question can match: type, issuing body and subject."""
    return syllable_tokens(fold(f"{d.type} {d.issuer or ''}. {d.subject or ''}"))
