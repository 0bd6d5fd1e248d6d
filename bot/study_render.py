"""Text for the study-group features: citations, timelines, gaps, digests, lookups.

Pure functions in the style of bot/render.py, words from bot/texts.py:
`*_plain`/`*_lines` for the console and `vankien` commands, `*_html` for
Telegram (escaped; the caller splits with `split_html`). Citations keep URLs
as visible text, not hidden behind link titles, so a copy from Telegram
pastes complete into minutes and slides.
"""

from __future__ import annotations

from datetime import date

from bot import texts
from bot.render import articles_html, esc, link, one_line, safe_url
from index.models import ArticleInfo
from index.service import Citation, Digest, Followed, Gap, Lookup, Timeline

DIGEST_ITEMS = 8  # per section: the digest stays one short message


def slash_date(value: date) -> str:
    """As citations write dates: 25/10/2021."""
    return value.strftime("%d/%m/%Y")


# --------------------------------------------------------------------------- lookups


def lookup_problem(found: Lookup) -> str:
    """Why an id typed by a user did not lead to exactly one document (plain text)."""
    text = one_line(found.text)
    if not found.named:
        return texts.NOT_AN_ID.format(text=text)
    if not found.candidates:
        return texts.UNKNOWN_ID.format(text=text)
    names = "\n".join(f"• {c.full_name()}" for c in found.candidates)
    return texts.AMBIGUOUS_ID.format(text=text, names=names)


# --------------------------------------------------------------------------- citation


def source_line(n: int, article: ArticleInfo) -> str:
    """'1. Title — Outlet, 11/01/2022 — https://…' with missing parts left out."""
    day = slash_date(article.published) if article.published else ""
    where = ", ".join(p for p in (one_line(article.source or ""), day) if p)
    title = one_line(article.title or texts.UNTITLED_ARTICLE)
    return f"{n}. " + " — ".join(p for p in (title, where, safe_url(article.url) or "") if p)


def citation_plain(citation: Citation) -> str:
    sources = [source_line(n, a) for n, a in enumerate(citation.sources, start=1)]
    return "\n".join(
        [citation.line, "", texts.CITATION_SOURCES, *(sources or [texts.CITATION_NO_SOURCES])]
    )


def citation_html(citation: Citation) -> list[str]:
    """Blocks: the citation line, then the sources (each block kept whole when it fits)."""
    sources = [esc(source_line(n, a)) for n, a in enumerate(citation.sources, start=1)]
    return [
        esc(citation.line),
        f"<b>{esc(texts.CITATION_SOURCES)}</b>\n"
        + "\n".join(sources or [esc(texts.CITATION_NO_SOURCES)]),
    ]


# --------------------------------------------------------------------------- gaps


def gaps_lines(gaps: list[Gap], days: int) -> list[str]:
    """Plain lines of the gaps report, most asked topic first."""
    if not gaps:
        return [texts.GAPS_NONE.format(days=days)]
    total = sum(g.count for g in gaps)
    lines = [texts.GAPS_HEADING.format(days=days, total=total, topics=len(gaps))]
    for n, gap in enumerate(gaps, start=1):
        why = ", ".join(
            p
            for p in (
                texts.GAP_NOT_FOUND.format(n=gap.not_found) if gap.not_found else "",
                texts.GAP_DOWNVOTED.format(n=gap.downvoted) if gap.downvoted else "",
            )
            if p
        )
        last = slash_date(gap.last_asked)
        lines.append(
            texts.GAP_LINE.format(n=n, topic=gap.topic, count=gap.count, why=why, last=last)
        )
        lines.extend(f"   • {example}" for example in gap.examples)
    return lines


def gaps_html(gaps: list[Gap], days: int) -> list[str]:
    lines = gaps_lines(gaps, days)
    return [f"<b>{esc(lines[0])}</b>", *(esc(line) for line in lines[1:])]


# --------------------------------------------------------------------------- follow-ups


def following_html(followed: list[Followed]) -> str:
    if not followed:
        return esc(texts.FOLLOWING_NOTHING)
    lines = [f"<b>{esc(texts.FOLLOWING_HEADING)}</b>"]
    for f in followed:
        what = (
            texts.FOLLOWING_DOCUMENT.format(label=f.label) if f.key else texts.FOLLOWING_EVERYTHING
        )
        lines.append(f"• {esc(what)}")
    lines.append(esc(texts.FOLLOWING_HOW_TO_STOP))
    return "\n".join(lines)


def _capped(articles: tuple[ArticleInfo, ...]) -> str:
    text = articles_html(articles[:DIGEST_ITEMS])
    if len(articles) > DIGEST_ITEMS:
        text += "\n" + esc(texts.DIGEST_MORE_ARTICLES.format(n=len(articles) - DIGEST_ITEMS))
    return text


def digest_html(digest: Digest) -> list[str]:
    """One digest: new documents, new articles, then news per followed document."""
    blocks = [f"<b>{esc(texts.DIGEST_HEADING)}</b>"]
    if digest.new_documents:
        docs = [f"• {esc(d.full_name())}" for d in digest.new_documents[:DIGEST_ITEMS]]
        if len(digest.new_documents) > DIGEST_ITEMS:
            more = len(digest.new_documents) - DIGEST_ITEMS
            docs.append(esc(texts.DIGEST_MORE_DOCUMENTS.format(n=more)))
        blocks.append(f"<b>{esc(texts.DIGEST_DOCUMENTS)}</b>\n" + "\n".join(docs))
    if digest.new_articles:
        blocks.append(f"<b>{esc(texts.DIGEST_ARTICLES)}</b>\n" + _capped(digest.new_articles))
    for followed, articles in digest.about:
        if articles:
            heading = esc(texts.DIGEST_ABOUT.format(label=followed.label))
            blocks.append(f"<b>{heading}</b>\n" + _capped(articles))
    blocks.append(f"<i>{esc(texts.DIGEST_FOOTER)}</i>")
    return blocks


# --------------------------------------------------------------------------- timeline


def _timeline_heading(timeline: Timeline) -> str:
    name = timeline.directive.full_name(with_subject=False)
    template = texts.TIMELINE_HEADING if timeline.entries else texts.TIMELINE_EMPTY
    return template.format(name=name)


def timeline_plain(timeline: Timeline) -> str:
    lines = [_timeline_heading(timeline)]
    for province, entries in timeline.by_province():
        lines += ["", f"{province}:"]
        for entry in entries:
            lines.append(f"• {entry.line()}")
            if url := safe_url(entry.article.url):
                lines.append(f"  {url}")
    return "\n".join(lines)


def timeline_html(timeline: Timeline) -> list[str]:
    """One block per province; each line links to its article."""
    blocks = [f"<b>{esc(_timeline_heading(timeline))}</b>"]
    for province, entries in timeline.by_province():
        lines = [f"<b>{esc(province)}</b>"]
        lines += [f"• {link(e.article.url, e.line())}" for e in entries]
        blocks.append("\n".join(lines))
    return blocks
