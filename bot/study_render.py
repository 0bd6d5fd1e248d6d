"""Text for the study-group features: citations, timelines, gaps, digests, lookups.

Pure functions in the style of bot/render.py: `*_plain` for the console and
`vankien` commands, `*_html` for Telegram (escaped, split by the caller with
`split_html`). Citations keep URLs as visible text, not hidden behind link
titles, so a copy from Telegram pastes complete into minutes and slides.
"""

from __future__ import annotations

from bot.render import articles_html, esc, link, one_line, safe_url
from index.citation import Citation, slash_date
from index.feedback import Gap
from index.lookup import Lookup
from index.models import ArticleInfo
from index.subscriptions import Digest, Followed
from index.timeline import Timeline, entry_line

SOURCES_HEADING = "Nguồn:"
NO_SOURCES = "(Chưa có bài viết nào trong dữ liệu nhắc tới văn bản này.)"


# --------------------------------------------------------------------------- lookups


def lookup_problem(found: Lookup) -> str:
    """Why an id typed by a user did not lead to exactly one document (plain text)."""
    text = one_line(found.text)
    if not found.named:
        return (
            f"“{text}” không phải số hiệu văn bản. Hãy ghi số hiệu, ví dụ 21-KL/TW, "
            "KL21 hoặc Kết luận 21."
        )
    if not found.candidates:
        return f"Chưa có văn bản “{text}” trong các bài viết đã thu thập."
    names = "\n".join(f"• {c.full_name()}" for c in found.candidates)
    return f"“{text}” ứng với nhiều văn bản; bạn hãy ghi rõ hơn (ví dụ kèm năm):\n{names}"


# --------------------------------------------------------------------------- citation


def source_line(n: int, article: ArticleInfo) -> str:
    """'1. Title — Outlet, 11/01/2022 — https://…' with missing parts left out."""
    where = ", ".join(
        p
        for p in (
            one_line(article.source or ""),
            slash_date(article.published) if article.published else "",
        )
        if p
    )
    parts = [one_line(article.title or "(không có tiêu đề)"), where, safe_url(article.url) or ""]
    return f"{n}. " + " — ".join(p for p in parts if p)


def citation_plain(citation: Citation) -> str:
    lines = [citation.line, "", SOURCES_HEADING]
    lines += [source_line(n, a) for n, a in enumerate(citation.sources, start=1)] or [NO_SOURCES]
    return "\n".join(lines)


def citation_html(citation: Citation) -> list[str]:
    """Blocks: the citation line, then the sources (each block kept whole when it fits)."""
    sources = [esc(source_line(n, a)) for n, a in enumerate(citation.sources, start=1)]
    return [
        esc(citation.line),
        f"<b>{SOURCES_HEADING}</b>\n" + "\n".join(sources or [esc(NO_SOURCES)]),
    ]


# --------------------------------------------------------------------------- gaps


def gaps_lines(gaps: list[Gap], days: int) -> list[str]:
    """Plain lines of the gaps report, most asked topic first."""
    if not gaps:
        return [f"Trong {days} ngày qua không có câu hỏi nào chưa trả lời được hay bị chấm 👎."]
    total = sum(g.count for g in gaps)
    lines = [
        f"Câu hỏi chưa trả lời được hoặc bị chấm 👎 trong {days} ngày qua: "
        f"{total} câu, {len(gaps)} chủ đề (nhiều nhất trước)."
    ]
    for n, gap in enumerate(gaps, start=1):
        why = ", ".join(
            p
            for p in (
                f"{gap.not_found} không tìm thấy" if gap.not_found else "",
                f"{gap.downvoted} bị 👎" if gap.downvoted else "",
            )
            if p
        )
        lines.append(
            f"{n}. {gap.topic} — {gap.count} câu ({why}), gần nhất {slash_date(gap.last_asked)}"
        )
        lines.extend(f"   • {example}" for example in gap.examples)
    return lines


def gaps_html(gaps: list[Gap], days: int) -> list[str]:
    lines = gaps_lines(gaps, days)
    return [f"<b>{esc(lines[0])}</b>", *(esc(line) for line in lines[1:])]


# --------------------------------------------------------------------------- follow-ups

DIGEST_ITEMS = 8  # per section: the digest stays one short message


def following_html(followed: list[Followed]) -> str:
    if not followed:
        return esc(
            "Cuộc trò chuyện này chưa theo dõi gì. Gõ /theodoi để nhận tin mới, "
            "hoặc /theodoi SỐ_HIỆU để theo dõi một văn bản."
        )
    lines = ["<b>Đang theo dõi:</b>"]
    for f in followed:
        what = f"tin bài mới về {f.label}" if f.key else "mọi văn bản và tin bài mới"
        lines.append(f"• {esc(what)}")
    lines.append(esc("Bỏ theo dõi: /botheodoi (tất cả) hoặc /botheodoi SỐ_HIỆU."))
    return "\n".join(lines)


def _capped(articles: tuple[ArticleInfo, ...]) -> str:
    text = articles_html(articles[:DIGEST_ITEMS])
    if len(articles) > DIGEST_ITEMS:
        text += f"\n… và {len(articles) - DIGEST_ITEMS} bài khác"
    return text


def digest_html(digest: Digest) -> list[str]:
    """One digest: new documents, new articles, then news per followed document."""
    blocks = ["<b>🔔 Có tin mới từ lần cập nhật vừa rồi</b>"]
    if digest.new_documents:
        docs = [f"• {esc(d.full_name())}" for d in digest.new_documents[:DIGEST_ITEMS]]
        if len(digest.new_documents) > DIGEST_ITEMS:
            docs.append(f"… và {len(digest.new_documents) - DIGEST_ITEMS} văn bản khác")
        blocks.append("<b>Văn bản mới được nhắc tới:</b>\n" + "\n".join(docs))
    if digest.new_articles:
        blocks.append("<b>Tin bài mới:</b>\n" + _capped(digest.new_articles))
    for followed, articles in digest.about:
        if articles:
            blocks.append(f"<b>Về {esc(followed.label)}:</b>\n" + _capped(articles))
    blocks.append("<i>Xem các mục đang theo dõi: /dangtheodoi · bỏ theo dõi: /botheodoi</i>")
    return blocks


# --------------------------------------------------------------------------- timeline


def _timeline_heading(timeline: Timeline) -> str:
    name = timeline.directive.full_name(with_subject=False)
    if not timeline.entries:
        return (
            f"Các bài viết đã thu thập chưa nêu nơi nào học tập, quán triệt hay triển khai {name}."
        )
    return f"Nơi đã học tập, quán triệt, triển khai {name} (mới nhất trước):"


def timeline_plain(timeline: Timeline) -> str:
    lines = [_timeline_heading(timeline)]
    for province, entries in timeline.by_province():
        lines += ["", f"{province}:"]
        for entry in entries:
            lines.append(f"• {entry_line(entry)}")
            if url := safe_url(entry.article.url):
                lines.append(f"  {url}")
    return "\n".join(lines)


def timeline_html(timeline: Timeline) -> list[str]:
    """One block per province; each line links to its article."""
    blocks = [f"<b>{esc(_timeline_heading(timeline))}</b>"]
    for province, entries in timeline.by_province():
        lines = [f"<b>{esc(province)}</b>"]
        lines += [f"• {link(e.article.url, entry_line(e))}" for e in entries]
        blocks.append("\n".join(lines))
    return blocks
