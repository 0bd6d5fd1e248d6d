"""A URL → articles: one page, or every item of an RSS/Atom feed.

Whether a URL is a feed is decided by its content, not its name or header.
Feed items are fetched with bounded concurrency through one shared client;
an item that fails is recorded with its reason and the others are kept.
Parsing and extraction are CPU work and run in a worker thread.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field, replace
from typing import Literal

from index.errors import SourceError
from index.models import RawArticle
from index.sources.feeds import FEED_TYPES, looks_like_feed, parse_feed
from index.sources.fetch import DEFAULT_LIMITS, AddressPolicy, FetchLimits, fetch, make_client
from index.sources.html import extract_article

log = logging.getLogger(__name__)


@dataclass
class WebLoad:
    # On `not_modified` nothing was downloaded, so `kind` is only a guess from
    # the 304's Content-Type ("page" when absent): trust the registered kind.
    kind: Literal["page", "feed"]
    articles: list[RawArticle] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)  # (link, Vietnamese reason)
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False


async def load_url(
    url: str,
    *,
    allow_private: bool | AddressPolicy = False,
    etag: str | None = None,
    last_modified: str | None = None,
    concurrency: int = 4,
    max_items: int = 200,
    limits: FetchLimits = DEFAULT_LIMITS,
) -> WebLoad:
    """Fetch `url`; raise `SourceError` when the URL itself cannot be read."""
    async with make_client(limits) as client:
        result = await fetch(
            url,
            allow_private=allow_private,
            etag=etag,
            last_modified=last_modified,
            limits=limits,
            client=client,
        )
        if result.not_modified:
            kind: Literal["page", "feed"] = "feed" if result.content_type in FEED_TYPES else "page"
            return WebLoad(
                kind, etag=result.etag, last_modified=result.last_modified, not_modified=True
            )
        if not looks_like_feed(result.body, result.content_type):
            article = await asyncio.to_thread(
                extract_article, result.body, url=result.final_url, charset=result.charset
            )
            return WebLoad("page", [article], etag=result.etag, last_modified=result.last_modified)

        load = WebLoad("feed", etag=result.etag, last_modified=result.last_modified)
        entries = await asyncio.to_thread(parse_feed, result.body, base_url=result.final_url)
        if len(entries) > max_items:
            load.failures.append(
                (url, f"Nguồn tin có {len(entries)} mục; chỉ đọc {max_items} mục đầu.")
            )
            entries = entries[:max_items]
        gate = asyncio.Semaphore(max(1, concurrency))

        async def item(link: str) -> RawArticle | str:
            async with gate:
                try:
                    page = await fetch(
                        link, allow_private=allow_private, limits=limits, client=client
                    )
                    if looks_like_feed(page.body, page.content_type):
                        return f"{link} là một nguồn tin RSS/Atom, không phải bài viết."
                    article = await asyncio.to_thread(
                        extract_article, page.body, url=page.final_url, charset=page.charset
                    )
                except SourceError as exc:
                    return str(exc)
                except Exception as exc:  # one broken item must not sink the feed
                    log.exception("unexpected error reading feed item %s", link)
                    return f"Lỗi không mong đợi khi đọc {link} ({type(exc).__name__})."
                return replace(article, found_via=url)

        outcomes = await asyncio.gather(*(item(entry.link) for entry in entries))
        for entry, outcome in zip(entries, outcomes, strict=True):
            if isinstance(outcome, RawArticle):
                load.articles.append(outcome)
            else:
                load.failures.append((entry.link, outcome))
        return load
