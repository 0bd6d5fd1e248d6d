"""Split article text into passages for indexing, and pick quotes from them."""

from __future__ import annotations

import re

PASSAGE_MAX = 700  # characters; longer paragraphs are split at sentence ends
QUOTE_MAX = 400

_SENTENCE_END = re.compile(r"(?<=[.!?…:])\s+(?=[\"“(]?[A-ZĐÀ-Ỹ0-9])|(?<=;)\s*")


_LIST_ITEM_RE = re.compile(r"^\s*(?:[-–•+*]|\d{1,2}[.)]|[a-zđ][.)])\s")


def is_list_item(text: str) -> bool:
    """'- Đối với …', '1. …', 'a) …': an item of a list opened by a line ending in ':'."""
    return bool(_LIST_ITEM_RE.match(text))


def sentences(paragraph: str) -> list[str]:
    """Sentences, also cut at ';' and before a capitalised list after ':' (news lists
    of documents use both)."""
    parts = [p.strip() for p in _SENTENCE_END.split(paragraph)]
    return [p for p in parts if p]


def split_passages(text: str) -> list[str]:
    """Paragraphs; long ones are grouped sentence by sentence up to PASSAGE_MAX."""
    passages: list[str] = []
    for paragraph in (p.strip() for p in text.split("\n\n")):
        paragraph = " ".join(paragraph.split())
        if not paragraph:
            continue
        if len(paragraph) <= PASSAGE_MAX:
            passages.append(paragraph)
            continue
        chunk = ""
        for sentence in sentences(paragraph):
            if chunk and len(chunk) + 1 + len(sentence) > PASSAGE_MAX:
                passages.append(chunk)
                chunk = ""
            chunk = f"{chunk} {sentence}".strip()
        if chunk:
            passages.append(chunk)
    return passages


def trim_quote(text: str, limit: int = QUOTE_MAX) -> str:
    """At most `limit` characters, cut at a word boundary with an ellipsis."""
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit - 1)
    return text[: cut if cut > limit // 2 else limit - 2].rstrip(" ,;:") + " …"


def best_sentences(passage: str, score, limit: int = QUOTE_MAX, focus=None) -> str:  # type: ignore[no-untyped-def]
    """The best-scoring sentence, extended by its neighbours while it fits.

    `score(sentence) -> float` ranks sentences (e.g. query-term overlap or
    whether the sentence names the directive asked about). `focus(sentence)`
    may give the position of what matters inside a sentence too long to
    quote whole; the quote then starts at the list item holding it.
    """
    parts = sentences(passage)
    if not parts:
        return ""
    best = max(range(len(parts)), key=lambda i: (score(parts[i]), -i))
    position = focus(parts[best]) if focus and len(parts[best]) > limit else None
    if position is not None and position > limit // 3:
        start = max(parts[best].rfind(", ", 0, position), parts[best].rfind(": ", 0, position))
        if start > 0:
            return trim_quote("… " + parts[best][start + 2 :], limit)
    quote, lo, hi = parts[best], best, best
    while True:
        grown = False
        if hi + 1 < len(parts) and len(quote) + 1 + len(parts[hi + 1]) <= limit:
            hi += 1
            quote = f"{quote} {parts[hi]}"
            grown = True
        if lo > 0 and len(quote) + 1 + len(parts[lo - 1]) <= limit and score(parts[lo - 1]) > 0:
            lo -= 1
            quote = f"{parts[lo]} {quote}"
            grown = True
        if not grown or len(quote) >= limit * 0.6:
            break
    return trim_quote(quote, limit)
