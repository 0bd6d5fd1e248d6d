"""RSS and Atom feeds: recognise them by content and list their items.

feedparser only ever sees bytes (wrapped in a stream, so it never treats
them as a URL or a path). Before it does, defusedxml parses the same bytes
and refuses entity declarations and external references (billion laughs,
XXE). Sloppy feeds that are not well-formed XML for another reason (an
undeclared `&nbsp;`, a stray `&`) still go to feedparser's lenient parser,
but only when they declare no entities (no internal DTD subset).
"""

from __future__ import annotations

import email.utils
import html
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import urljoin

import defusedxml
import defusedxml.ElementTree
import feedparser

from index.errors import ExtractionError
from index.sources.urls import is_web_url

FEED_TYPES = ("application/rss+xml", "application/atom+xml")
# Skip the XML declaration, processing instructions, comments and a doctype,
# then read the name of the first element.
_PROLOG = re.compile(
    rb"(?:\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>))*\s*", re.S | re.I
)
_FIRST_TAG = re.compile(rb"<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)")
_DTD_SUBSET = re.compile(rb"<!ENTITY|<!DOCTYPE[^>\[]*\[", re.I)
_TAG = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class FeedEntry:
    link: str
    title: str
    published: date | None
    summary: str


def _root_name(body: bytes) -> str | None:
    head = body[:8192].lstrip(b"\xef\xbb\xbf")
    prolog = _PROLOG.match(head)
    match = _FIRST_TAG.match(head, prolog.end() if prolog else 0)
    return match.group(2).decode("ascii").lower() if match else None


def looks_like_feed(body: bytes, content_type: str | None) -> bool:
    """True for RSS/Atom/RDF documents, whatever the server called them."""
    root = _root_name(body)
    if root in ("rss", "feed", "rdf"):
        return True
    if root in ("html", "head", "body"):
        return False
    # Unknown first element: trust a header that names a feed explicitly.
    media = (content_type or "").split(";")[0].strip().lower()
    return root is not None and media in FEED_TYPES


def _refuse_dangerous_xml(body: bytes) -> None:
    try:
        defusedxml.ElementTree.fromstring(body)
    except defusedxml.DefusedXmlException:
        raise ExtractionError(
            "Nguồn tin bị từ chối: tệp XML khai báo thực thể (entity) hoặc tham chiếu bên ngoài, "
            "có thể là tấn công."
        ) from None
    except SyntaxError:  # xml.etree ParseError: not well-formed
        if _DTD_SUBSET.search(body[:65536]):
            raise ExtractionError(
                "Nguồn tin bị từ chối: tệp XML hỏng và có khai báo thực thể (entity)."
            ) from None


def _to_date(raw: str) -> date | None:
    """The publication's own calendar date (no conversion to UTC)."""
    raw = raw.strip()
    try:
        return datetime.fromisoformat(raw).date()
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(raw).date()
    except (TypeError, ValueError, IndexError):
        return None


def _entry_date(entry: Any) -> date | None:
    for key in ("published", "updated", "created"):
        if entry.get(key) and (found := _to_date(entry[key])):
            return found
    for key in ("published_parsed", "updated_parsed"):
        parsed = entry.get(key)
        if parsed:
            return date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday)
    return None


def _plain(fragment: str) -> str:
    return " ".join(html.unescape(_TAG.sub(" ", fragment)).split())


def parse_feed(body: bytes, *, base_url: str | None = None) -> list[FeedEntry]:
    """Items with an http(s) link, in feed order, without duplicate links."""
    _refuse_dangerous_xml(body)
    headers = {"content-location": base_url} if base_url else None
    parsed = feedparser.parse(io.BytesIO(body), response_headers=headers)
    if not parsed.entries and parsed.get("bozo"):
        raise ExtractionError("Không đọc được nguồn tin RSS/Atom: nội dung không hợp lệ.")
    entries: list[FeedEntry] = []
    seen: set[str] = set()
    for entry in parsed.entries:
        link = (entry.get("link") or "").strip()
        if base_url:
            link = urljoin(base_url, link)
        if not is_web_url(link) or link in seen:
            continue
        seen.add(link)
        entries.append(
            FeedEntry(
                link=link,
                title=_plain(entry.get("title", "")),
                published=_entry_date(entry),
                summary=_plain(entry.get("summary", "")),
            )
        )
    return entries
