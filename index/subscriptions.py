"""Follow-ups: what is new for each subscribed chat since its last digest.

A chat follows everything ('' key: new documents and every new article) or
single documents (new articles about them). Each chat keeps the id of the
last article it was told about; article ids only grow, so "new" is simply
"a higher id", whatever refresh, reindex or restart happened in between.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from index.citation import articles_mentioning
from index.live import LiveIndex
from index.models import ArticleInfo, Directive

EVERYTHING = ""  # the key of a subscription to everything new


@dataclass(frozen=True)
class Followed:
    key: str
    label: str  # display id when the chat subscribed


@dataclass(frozen=True)
class Digest:
    """One message's worth of news for one chat."""

    chat_id: int
    new_documents: tuple[Directive, ...]  # for chats following everything
    new_articles: tuple[ArticleInfo, ...]  # for chats following everything
    about: tuple[tuple[Followed, tuple[ArticleInfo, ...]], ...]  # per followed document
    upto: int  # the highest article id this digest covers

    @property
    def empty(self) -> bool:
        return not (self.new_documents or self.new_articles or any(a for _f, a in self.about))


def latest_article_id(live: LiveIndex) -> int:
    return max(live.articles, default=0)


def _newest_first(articles: list[ArticleInfo]) -> tuple[ArticleInfo, ...]:
    return tuple(
        sorted(articles, key=lambda a: (a.published is not None, a.published, a.id), reverse=True)
    )


def build_digests(live: LiveIndex, rows: list[tuple[int, str, str, int]]) -> list[Digest]:
    """Digests for the chats with something new; rows come from Store.subscriptions()."""
    by_chat: dict[int, list[tuple[str, str, int]]] = defaultdict(list)
    for chat_id, key, label, seen in rows:
        by_chat[chat_id].append((key, label, seen))
    upto = latest_article_id(live)
    first_seen: dict[str, int] | None = None
    digests = []
    for chat_id, subs in by_chat.items():
        seen = min(s for _k, _l, s in subs)
        if seen >= upto:
            continue
        documents: tuple[Directive, ...] = ()
        articles: tuple[ArticleInfo, ...] = ()
        about = []
        for key, label, _ in subs:
            if key == EVERYTHING:
                if first_seen is None:
                    first_seen = _first_article(live)
                documents = tuple(
                    sorted(
                        (live.directives[k] for k, first in first_seen.items() if first > seen),
                        key=lambda d: (d.date is not None, d.date, d.id),
                        reverse=True,
                    )
                )
                articles = _newest_first([a for i, a in live.articles.items() if i > seen])
            else:
                fresh = [a for a in articles_mentioning(live, key) if a.id > seen]
                about.append((Followed(key, label), _newest_first(fresh)))
        digest = Digest(chat_id, documents, articles, tuple(about), upto)
        digests.append(digest)
    return digests


def _first_article(live: LiveIndex) -> dict[str, int]:
    """Directive key -> the lowest id of an article mentioning it (when it first appeared)."""
    out = {}
    for key, positions in live.mentions.items():
        if len(positions):
            out[key] = int(live.passage_articles[positions].min())
    return out
