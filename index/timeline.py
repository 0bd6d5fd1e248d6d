"""A document's timeline: where and when it was studied or implemented, newest first.

Built from the live index on request: the articles mentioning the document,
one event each (index/events.py). Also answers questions such as "Tỉnh nào
đã quán triệt Kết luận 21?" with the same timeline as an `Answer`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from index.citation import articles_mentioning, slash_date
from index.events import StudyEvent, extract_event
from index.live import LiveIndex
from index.lookup import lookup
from index.models import Answer, AnswerKind, ArticleInfo, Directive, Quote
from index.normalize import fold

UNKNOWN_PROVINCE = "Chưa rõ tỉnh, thành"
_PLACE_WORDS = r"tinh nao|thanh pho nao|dia phuong nao|noi nao|o dau|nhung dau|don vi nao|" \
    r"huyen nao|dang bo nao|cap uy nao"  # fmt: skip
_STUDY_WORDS = r"quan triet|hoc tap|trien khai|thuc hien|so ket|tong ket|toa dam|nghien cuu"
_WHERE_RE = re.compile(rf"(?<![a-z])(?:{_PLACE_WORDS})(?![a-z])")
_STUDIED_RE = re.compile(rf"(?<![a-z])(?:{_STUDY_WORDS})(?![a-z])")


@dataclass(frozen=True)
class TimelineEntry:
    event: StudyEvent
    article: ArticleInfo

    def line(self) -> str:
        """'10/01/2022 — Huyện ủy Đông Sơn: học tập, quán triệt' (parts left out when unknown)."""
        e = self.event
        when = slash_date(e.day) if e.day else "không rõ ngày"
        if e.day_from_article:
            when += " (ngày đăng bài)"
        who = f"{e.organiser}: " if e.organiser else ""
        return f"{when} — {who}{e.kind}"

    def to_json(self) -> dict[str, Any]:
        e = self.event
        return {
            "date": e.day.isoformat() if e.day else None,
            "date_from_article": e.day_from_article,
            "province": e.province,
            "organiser": e.organiser,
            "kind": e.kind,
            "documents": list(e.documents),
            "evidence": e.evidence,
            "title": self.article.title,
            "url": self.article.url,
        }


@dataclass(frozen=True)
class Timeline:
    directive: Directive
    entries: tuple[TimelineEntry, ...]  # newest first

    def by_province(self) -> list[tuple[str, list[TimelineEntry]]]:
        """Groups, the province with the newest event first; unknown provinces last."""
        groups: dict[str, list[TimelineEntry]] = defaultdict(list)
        for entry in self.entries:
            groups[entry.event.province or UNKNOWN_PROVINCE].append(entry)
        return sorted(groups.items(), key=lambda g: g[0] == UNKNOWN_PROVINCE)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.directive.id,
            "directive": self.directive.to_json(),
            "events": [e.to_json() for e in self.entries],
        }


def build_timeline(live: LiveIndex, directive: Directive) -> Timeline:
    entries = []
    wanted = (directive.code, directive.number)
    for article in articles_mentioning(live, directive.key):
        positions = np.flatnonzero(live.passage_articles == article.id)
        paragraphs = [live.passages[int(p)].text for p in positions]
        event = extract_event(article.title, paragraphs, article.published, wanted)
        if event is not None:
            entries.append(TimelineEntry(event, article))
    entries.sort(key=lambda e: (e.event.day or date.min, e.article.id), reverse=True)
    return Timeline(directive, tuple(entries))


def asks_where_studied(question: str) -> bool:
    folded = fold(question)
    return bool(_WHERE_RE.search(folded) and _STUDIED_RE.search(folded))


def timeline_answer(
    live: LiveIndex, question: str, *, offset: int = 0, limit: int = 3
) -> Answer | None:
    """The timeline as an answer to "Tỉnh nào đã quán triệt Kết luận 21?"; None to let the
    ordinary answer handle a question that names no single document."""
    found = lookup(live, question)
    d = found.directive
    if d is None:
        return None
    timeline = build_timeline(live, d)
    name = d.full_name(with_subject=False)
    if not timeline.entries:
        return Answer(
            question, False, AnswerKind.CONTENT,
            f"Các bài viết đã thu thập chưa nêu nơi nào học tập, quán triệt hay triển khai {name}.",
            directive=d,
        )  # fmt: skip
    places = len({e.event.province or e.event.organiser or e.article.id for e in timeline.entries})
    headline = (
        f"{name} đã được học tập, quán triệt hoặc triển khai ở {places} nơi theo các bài viết "
        "đã thu thập (mới nhất trước):"
    )
    details = []
    for province, entries in timeline.by_province():
        details.append(f"{province}:")
        details.extend(f"• {e.line()}" for e in entries)
    page = timeline.entries[offset : offset + limit]
    quotes = tuple(
        Quote(
            e.event.evidence, e.article.title, e.article.url, e.article.published, 1.0, e.article.id
        )
        for e in page
    )
    return Answer(
        question, True, AnswerKind.CONTENT, headline, directive=d, details=tuple(details),
        passages=quotes, offset=offset, total_passages=len(timeline.entries),
        notice="Lưu ý: tổng hợp từ tin bài đã thu thập, có thể chưa đủ mọi nơi đã tổ chức.",
    )  # fmt: skip
