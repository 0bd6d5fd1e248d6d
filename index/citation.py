"""The formal citation line of a document and its numbered sources, as plain data.

Party documents cite each other as
"Kết luận số 12-KL/TW, ngày 3/4/2019, của Bộ Chính trị khóa XII về …".
Only parts the directive record holds are written; a missing part is left
out, never guessed. Sources are the articles that mention the document.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from index.live import LiveIndex
from index.models import ArticleInfo, Directive

# central bodies are cited with "Đảng" ("Ban Chấp hành Trung ương Đảng khóa XIII")
_NEEDS_PARTY = ("Ban Chấp hành Trung ương",)


def slash_date(value: date) -> str:
    """Citation style: 25/10/2021."""
    return value.strftime("%d/%m/%Y")


def citation_line(d: Directive) -> str:
    parts = [f"{d.type} số {d.id}"]
    if d.date:
        parts.append(f"ngày {slash_date(d.date)}")
    elif d.year:
        parts.append(f"năm {d.year}")
    if d.issuer:
        issuer = d.issuer
        if issuer in _NEEDS_PARTY and d.is_central:
            issuer += " Đảng"
        if d.term:
            issuer += f" khóa {d.term}"
        parts.append(f"của {issuer}")
    line = ", ".join(parts)
    if d.subject:
        line += f" {d.subject}"
    return line


@dataclass(frozen=True)
class Citation:
    directive: Directive
    line: str
    sources: tuple[ArticleInfo, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.directive.id,
            "citation": self.line,
            "directive": self.directive.to_json(),
            "sources": [
                {
                    "title": a.title,
                    "outlet": a.source,
                    "published": a.published.isoformat() if a.published else None,
                    "url": a.url,
                }
                for a in self.sources
            ],
        }


def articles_mentioning(live: LiveIndex, key: str) -> list[ArticleInfo]:
    """Articles with at least one passage about `key`, oldest first (undated last)."""
    positions = live.mentions.get(key)
    if positions is None or not len(positions):
        return []
    ids = dict.fromkeys(int(a) for a in live.passage_articles[positions])
    found = [live.articles[i] for i in ids if i in live.articles]
    return sorted(found, key=lambda a: (a.published is None, a.published or date.min, a.id))


def cite(live: LiveIndex, directive: Directive) -> Citation:
    return Citation(
        directive, citation_line(directive), tuple(articles_mentioning(live, directive.key))
    )
