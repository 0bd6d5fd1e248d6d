"""Plain data passed between the search library and its front ends.

Nothing here knows about Telegram, HTML or SQL. Dates are `datetime.date`;
display formatting lives in `full_name()` and in the renderers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any, Literal


class AnswerKind(StrEnum):
    """What a question asks; the values are the `kind` of the answer JSON."""

    SUBJECT = "subject"  # what the named document is about
    DATE = "date"
    ISSUER = "issuer"
    RELATION = "relation"  # documents it implements, replaces, amends … or that do so to it
    CONTENT = "content"  # something inside the named document
    SEARCH = "search"  # no document named: a topic or content search


def format_date(value: date | None) -> str:
    """Vietnamese administrative style: 25-10-2021."""
    return value.strftime("%d-%m-%Y") if value else ""


@dataclass(frozen=True)
class RawArticle:
    """An article as read from a file, page or feed, before indexing."""

    title: str
    text: str  # main text, paragraphs separated by blank lines
    url: str | None = None  # canonical URL: the article's identity
    published: date | None = None
    author: str | None = None
    source: str | None = None  # site or publication name
    found_via: str | None = None  # feed link or fetched URL when not canonical
    needs_review: str | None = None  # why it should not be indexed (legacy font …)


@dataclass(frozen=True)
class Relation:
    id: str  # display id of the other document, e.g. "03-KH/TW"
    relation: str  # implements, replaces, amends, reviews, and each one's *_by inverse
    key: str = ""  # internal key of the other directive, when it is known


@dataclass(frozen=True)
class Directive:
    key: str  # internal identity, e.g. "KL|21|TW|2021"
    id: str  # display id, e.g. "21-KL/TW"
    type: str  # "Kết luận"
    code: str  # "KL"
    number: str  # "21"
    issuer_code: str  # "TW", "TU", …
    issuer: str | None = None  # "Ban Chấp hành Trung ương"
    date: date | None = None
    term: str | None = None  # "XIII"
    subject: str | None = None  # "về đẩy mạnh …"
    year: int | None = None  # known even when the full date is not
    signer: str | None = None  # who signed it for the issuer ("Tô Lâm"), when reported
    related: tuple[Relation, ...] = ()
    disagreements: tuple[str, ...] = ()  # Vietnamese notes where sources differ
    mention_count: int = 0
    article_count: int = 0

    @property
    def is_central(self) -> bool:
        return self.issuer_code == "TW"

    def full_name(self, *, with_subject: bool = True) -> str:
        """'Kết luận số 21-KL/TW ngày 25-10-2021 của … (khóa XIII) về …'."""
        parts = [f"{self.type} số {self.id}"]
        if self.date:
            parts.append(f"ngày {format_date(self.date)}")
        elif self.year:
            parts.append(f"năm {self.year}")
        if self.issuer:
            parts.append(f"của {self.issuer}")
        if self.term:
            parts.append(f"(khóa {self.term})")
        if with_subject and self.subject:
            parts.append(self.subject)
        return " ".join(parts)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "number": self.number,
            "issuer": self.issuer,
            "issuer_code": self.issuer_code,
            "date": self.date.isoformat() if self.date else None,
            "year": self.date.year if self.date else self.year,
            "term": self.term,
            "subject": self.subject,
            "signer": self.signer,
            "related": [{"id": r.id, "relation": r.relation} for r in self.related],
            "disagreements": list(self.disagreements),
        }


@dataclass(frozen=True)
class Quote:
    """A short quoted passage with where it came from."""

    text: str
    title: str
    url: str | None
    published: date | None
    score: float
    article_id: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "url": self.url,
            "title": self.title,
            "published": self.published.isoformat() if self.published else None,
            "score": round(self.score, 4),
        }


@dataclass(frozen=True)
class Answer:
    """Everything a front end needs to show one answer.

    `headline` is the first line (names the document and answers date,
    issuer or relation questions); `details` are further lines of facts;
    `candidates` lists documents when the question is ambiguous, or the
    closest documents when nothing was found.
    """

    question: str
    found: bool
    kind: AnswerKind
    headline: str
    directive: Directive | None = None
    details: tuple[str, ...] = ()
    passages: tuple[Quote, ...] = ()
    candidates: tuple[Directive, ...] = ()
    ambiguous: bool = False
    offset: int = 0  # index of the first passage shown (paging)
    total_passages: int = 0  # how many passages could be shown in all
    notice: str = ""  # reminder that these are news reports, not the official text

    @property
    def has_more(self) -> bool:
        return self.offset + len(self.passages) < self.total_passages

    def to_json(self, text: str) -> dict[str, Any]:
        return {
            "question": self.question,
            "found": self.found,
            "kind": self.kind.value,
            "directive": self.directive.to_json() if self.directive else None,
            "passages": [p.to_json() for p in self.passages],
            "text": text,
            "ambiguous": self.ambiguous,
            "candidates": [c.to_json() for c in self.candidates],
        }


@dataclass(frozen=True)
class ArticleInfo:
    id: int
    title: str
    url: str | None
    published: date | None
    source: str | None


@dataclass(frozen=True)
class SourceInfo:
    id: int
    location: str  # path or URL as registered
    kind: str  # file | folder | page | feed
    added_at: str
    last_ok_at: str | None = None
    last_error: str | None = None
    article_count: int = 0


@dataclass(frozen=True)
class IngestItem:
    target: str  # the path or URL this line is about
    status: IngestStatus
    title: str = ""
    reason: str = ""  # Vietnamese, for refused/failed/duplicate


@dataclass
class IngestReport:
    items: list[IngestItem] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for item in self.items if item.status == status)


@dataclass
class ReindexProgress:
    sources_done: int = 0
    sources_total: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)  # (target, reason)
    finished: bool = False
    generation: int = 0
    seconds: float = 0.0


IngestStatus = Literal["added", "updated", "unchanged", "duplicate", "refused", "failed"]


@dataclass(frozen=True)
class Stats:
    articles: int
    passages: int
    directives: int
    sources: int
    last_reindex: str | None
    generation: int
    index_bytes: int
    db_bytes: int


@dataclass(frozen=True)
class IndexStatus:
    """The live index as health checks and metrics see it (no database access)."""

    generation: int  # 0: nothing indexed yet
    articles: int
    passages: int
    reindex_running: bool
