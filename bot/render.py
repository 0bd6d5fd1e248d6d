"""Turn an `Answer` into text: plain for the console, Telegram HTML for the bot.

Pure functions, no I/O. Every piece of text that comes from articles or users
is escaped here, links are only ever http(s), and `split_html` keeps each
Telegram message within 4096 visible characters (UTF-16 code units, counted
after entity parsing, as Telegram counts them) without breaking a tag.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Sequence
from html.parser import HTMLParser
from urllib.parse import urlsplit

from bot import texts
from index.models import (
    Answer,
    ArticleInfo,
    Directive,
    Quote,
    ReindexProgress,
    Stats,
    format_date,
)

TELEGRAM_LIMIT = 4096

_SPACES = re.compile(r"\s+")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def esc(text: str) -> str:
    """Escape text for a Telegram HTML text node (NFC first)."""
    return html.escape(nfc(text), quote=False)


def safe_url(url: str | None) -> str | None:
    """The URL if it is a plain http(s) link, else None (no javascript:, data:, …)."""
    if not url:
        return None
    url = url.strip()
    if any(ch.isspace() or ord(ch) < 32 or ch in "<>\"'" for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def link(url: str | None, title: str) -> str:
    """`<a href="…">title</a>` for safe URLs, escaped plain title otherwise."""
    href = safe_url(url)
    if href is None:
        return esc(title)
    return f'<a href="{html.escape(href, quote=True)}">{esc(title)}</a>'


def one_line(text: str) -> str:
    """Collapse runs of whitespace (quotes are shown on one line)."""
    return _SPACES.sub(" ", nfc(text)).strip()


def remaining_passages(answer: Answer) -> int:
    return max(0, answer.total_passages - answer.offset - len(answer.passages))


def human_bytes(size: int) -> str:
    """A size as people read it (binary units, decimal comma): "1,5 MB"."""
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            text = f"{value:.0f}" if unit == "B" else f"{value:.1f}".replace(".", ",")
            return f"{text} {unit}"
        value /= 1024
    return f"{size} B"


def progress_lines(p: ReindexProgress) -> list[str]:
    """How far a reindex is: sources read, then what it found (plain text)."""
    return [
        texts.PROGRESS_SOURCES.format(done=p.sources_done, total=p.sources_total),
        texts.PROGRESS_COUNTS.format(
            new=p.new, updated=p.updated, unchanged=p.unchanged, failed=p.failed
        ),
    ]


def stats_lines(s: Stats) -> list[str]:
    """`vankien stats` and /stats, line by line (plain text)."""
    values = {
        "articles": s.articles,
        "passages": s.passages,
        "directives": s.directives,
        "sources": s.sources,
        "last_reindex": s.last_reindex or texts.NOT_YET,
        "generation": s.generation,
        "index_size": human_bytes(s.index_bytes),
        "db_size": human_bytes(s.db_bytes),
    }
    return [line.format(**values) for line in texts.STATS_LINES]


# --------------------------------------------------------------------------- plain


def _source_line(quote: Quote) -> str:
    head = ", ".join(p for p in (one_line(quote.title or ""), format_date(quote.published)) if p)
    return " — ".join(p for p in (head, (quote.url or "").strip()) if p)


def _lists_candidates(answer: Answer) -> bool:
    """Whether the candidates need their own section: not when an ambiguous
    answer's first lines already name each of them."""
    if not answer.candidates:
        return False
    first_lines = "\n".join([answer.headline, *answer.details])
    return not (answer.ambiguous and all(c.id in first_lines for c in answer.candidates))


def render_plain(answer: Answer) -> str:
    """The answer as the console chat and `vankien ask` print it."""
    sections: list[list[str]] = [[answer.headline, *answer.details]]
    if answer.passages:
        lines = [texts.QUOTES_HEADING]
        for n, quote in enumerate(answer.passages, start=answer.offset + 1):
            lines.append(f"{n}. “{one_line(quote.text)}”")
            source = _source_line(quote)
            if source:
                lines.append(f"   — {source}")
        sections.append(lines)
    if _lists_candidates(answer):
        heading = texts.AMBIGUOUS_HEADING if answer.ambiguous else texts.CLOSEST_HEADING
        sections.append([heading, *(f"• {c.full_name()}" for c in answer.candidates)])
    if answer.has_more:
        sections.append([texts.MORE_LEFT.format(n=remaining_passages(answer))])
    if answer.notice:
        sections.append([answer.notice])
    blocks = ["\n".join(line.rstrip() for line in nfc("\n".join(s)).split("\n")) for s in sections]
    return "\n\n".join(b for b in blocks if b.strip()).strip("\n")


# --------------------------------------------------------------------------- HTML


def quote_html(quote: Quote) -> str:
    """One quote: the passage in a blockquote, then its linked source."""
    parts = [f"<blockquote>“{esc(one_line(quote.text))}”</blockquote>"]
    source = []
    if quote.title or quote.url:
        source.append(link(quote.url, one_line(quote.title or quote.url or "")))
    if quote.published:
        source.append(format_date(quote.published))
    if source:
        parts.append("— " + ", ".join(source))
    return "\n".join(parts)


def answer_blocks(answer: Answer) -> list[str]:
    """The HTML blocks of an answer, before splitting into messages."""
    head = [f"<b>{esc(answer.headline)}</b>", *(esc(d) for d in answer.details)]
    blocks = ["\n".join(head)]
    for i, quote in enumerate(answer.passages):
        prefix = f"<b>{texts.QUOTES_HEADING}</b>\n" if i == 0 else ""
        blocks.append(prefix + quote_html(quote))
    if _lists_candidates(answer):
        heading = texts.AMBIGUOUS_HEADING if answer.ambiguous else texts.CLOSEST_HEADING
        lines = [f"<b>{heading}</b>", *(f"• {esc(c.full_name())}" for c in answer.candidates)]
        blocks.append("\n".join(lines))
    if answer.has_more:
        more = texts.MORE_LEFT_BUTTON.format(n=remaining_passages(answer), button=texts.MORE_BUTTON)
        blocks.append(f"<i>{esc(more)}</i>")
    if answer.notice:
        blocks.append(f"<i>{esc(answer.notice)}</i>")
    return blocks


def render_html(answer: Answer, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """The answer as one or more Telegram HTML messages, each within `limit`."""
    return split_html(answer_blocks(answer), limit=limit) or [esc(answer.headline or "…")]


def directive_card_html(directive: Directive) -> str:
    """A short card for one directive (inline mode results)."""
    lines = [f"<b>{esc(directive.full_name(with_subject=False))}</b>"]
    if directive.subject:
        lines.append(esc(directive.subject))
    if directive.related:
        ids = ", ".join(r.id for r in directive.related)
        lines.append(esc(texts.RELATED.format(ids=ids)))
    lines.extend(f"<i>{esc(note)}</i>" for note in directive.disagreements)
    return split_html(["\n".join(lines)])[0]


def articles_html(articles: Iterable[ArticleInfo]) -> str:
    lines = []
    for art in articles:
        line = "• " + link(art.url, one_line(art.title or art.url or texts.UNTITLED))
        extra = ", ".join(p for p in (format_date(art.published), one_line(art.source or "")) if p)
        lines.append(f"{line} — {esc(extra)}" if extra else line)
    return "\n".join(lines)


# --------------------------------------------------------------------------- splitting


def utf16_len(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


class _Tokens(HTMLParser):
    """Tokenise well-formed Telegram HTML into ('start', raw, tag) / ('end', '', tag) / ('text', s, '')."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tokens.append(("start", self.get_starttag_text() or f"<{tag}>", tag))

    def handle_endtag(self, tag: str) -> None:
        self.tokens.append(("end", "", tag))

    def handle_data(self, data: str) -> None:
        if self.tokens and self.tokens[-1][0] == "text":
            self.tokens[-1] = ("text", self.tokens[-1][1] + data, "")
        else:
            self.tokens.append(("text", data, ""))


def _tokens(block: str) -> list[tuple[str, str, str]]:
    parser = _Tokens()
    parser.feed(block)
    parser.close()
    return parser.tokens


def _cut(text: str, room: int) -> tuple[str, str, bool]:
    """Split `text` so the head fits in `room` UTF-16 units.

    Prefers the last line break, then the last space, in the second half of
    the room (the break character itself is dropped); `clean` says whether
    such a break was found rather than a hard cut.
    """
    used = 0
    end = 0
    for ch in text:
        width = 2 if ord(ch) > 0xFFFF else 1
        if used + width > room:
            break
        used += width
        end += 1
    if end >= len(text):
        return text, "", True
    head = text[:end]
    for brk in ("\n", " "):
        pos = head.rfind(brk)
        if pos >= max(1, end // 2):
            return text[:pos], text[pos + 1 :], True
    if text[end] in "\n ":
        return head, text[end + 1 :], True
    return head, text[end:], False


class _Piece:
    """One message being built: HTML parts plus the visible length so far."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.visible = False  # any non-whitespace text
        self.last_text = -1  # index in `parts` of the last text written

    def html(self) -> str:
        return "".join(self.parts)


class _Splitter:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.done: list[str] = []
        self.piece = _Piece()
        self.stack: list[tuple[str, str]] = []  # (tag, raw start tag) open in the source
        self.opened = 0  # how many of `stack` are open in the current piece

    def room(self) -> int:
        return self.limit - self.piece.length

    def flush(self) -> None:
        piece = self.piece
        if piece.last_text >= 0:  # Telegram trims a message's edges anyway
            piece.parts[piece.last_text] = piece.parts[piece.last_text].rstrip()
        for tag, _raw in reversed(self.stack[: self.opened]):
            self.piece.parts.append(f"</{tag}>")
        self.opened = 0
        if self.piece.visible:
            self.done.append(self.piece.html())
        self.piece = _Piece()

    def text(self, data: str) -> None:
        while data:
            room = self.room()
            if utf16_len(data) <= room:
                self._emit(data)
                return
            head, rest, clean = _cut(data, room)
            if (not clean or not head) and self.piece.visible:
                self.flush()  # start afresh rather than cut a word at a message's end
                continue
            if not head:  # an astral character does not fit in an empty piece (limit < 2)
                raise ValueError("limit too small")
            self._emit(head)
            self.flush()
            data = rest.lstrip("\n ")

    def _emit(self, data: str) -> None:
        if not self.piece.visible:
            data = data.lstrip()
        if not data:
            return
        for _tag, raw in self.stack[self.opened :]:
            self.piece.parts.append(raw)
        self.opened = len(self.stack)
        self.piece.last_text = len(self.piece.parts)
        self.piece.parts.append(html.escape(data, quote=False))
        self.piece.length += utf16_len(data)
        self.piece.visible = self.piece.visible or bool(data.strip())

    def start(self, raw: str, tag: str) -> None:
        self.stack.append((tag, raw))

    def end(self, tag: str) -> None:
        if not self.stack:
            return
        if self.opened == len(self.stack):
            self.piece.parts.append(f"</{self.stack[-1][0]}>")
            self.opened -= 1
        self.stack.pop()

    def block(self, tokens: list[tuple[str, str, str]]) -> None:
        for kind, value, tag in tokens:
            if kind == "text":
                self.text(value)
            elif kind == "start":
                self.start(value, tag)
            else:
                self.end(tag)
        while self.stack:  # unclosed tags in a block: close them here
            self.end(self.stack[-1][0])


def visible_length(block: str) -> int:
    return sum(utf16_len(v) for kind, v, _ in _tokens(block) if kind == "text")


def split_html(blocks: Sequence[str], limit: int = TELEGRAM_LIMIT, sep: str = "\n\n") -> list[str]:
    """Pack HTML blocks into messages of at most `limit` visible UTF-16 units.

    Blocks are kept whole when they fit (joined by `sep`); a block longer than
    a message is cut at a line or word break where possible, closing its open
    tags at the end of one message and re-opening them in the next.
    """
    if limit < 2:
        raise ValueError("limit too small")
    splitter = _Splitter(limit)
    sep_len = utf16_len(sep)
    for block in blocks:
        tokens = _tokens(block)
        size = sum(utf16_len(v) for kind, v, _ in tokens if kind == "text")
        if not any(kind == "text" and v.strip() for kind, v, _ in tokens):
            continue
        if splitter.piece.visible:
            if size + sep_len <= splitter.room():
                splitter.piece.parts.append(sep)
                splitter.piece.length += sep_len
            else:
                splitter.flush()
        splitter.block(tokens)
    splitter.flush()
    return splitter.done
