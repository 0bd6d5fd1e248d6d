"""bot/render.py: plain layout, HTML escaping and splitting within Telegram's limits."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.render import (
    render_html,
    render_plain,
    safe_url,
    split_html,
    utf16_len,
    visible_length,
)
from index.models import Answer, Directive, Quote
from tests.support.botapi import parse_telegram_html

KL21 = Directive(
    key="KL|21|TW|2021",
    id="21-KL/TW",
    type="Kết luận",
    code="KL",
    number="21",
    issuer_code="TW",
    issuer="Ban Chấp hành Trung ương",
    date=date(2021, 10, 25),
    term="XIII",
    subject="về đẩy mạnh xây dựng, chỉnh đốn Đảng",
)
KL21_TU = Directive(
    key="KL|21|TU|2021", id="21-KL/TU", type="Kết luận", code="KL", number="21", issuer_code="TU"
)


def quote(text: str = "Toàn Đảng phải kiên quyết đấu tranh.", **kw: object) -> Quote:
    values: dict[str, object] = {
        "title": "Hội nghị quán triệt",
        "url": "https://tin.example/bai-1",
        "published": date(2022, 1, 11),
        "score": 3.2,
    }
    values.update(kw)
    return Quote(text=text, **values)  # type: ignore[arg-type]


def answer(**kw: object) -> Answer:
    values: dict[str, object] = {
        "question": "Kết luận 21 nói về gì?",
        "found": True,
        "kind": "subject",
        "headline": KL21.full_name(),
        "directive": KL21,
    }
    values.update(kw)
    return Answer(**values)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- plain


def test_plain_layout_with_quotes_candidates_hint_and_notice() -> None:
    a = answer(
        details=("Liên quan: được thực hiện bởi Kế hoạch số 03-KH/TW.",),
        passages=(quote(), quote("Người đứng đầu phải nêu gương.", url=None, published=None)),
        candidates=(KL21_TU,),
        ambiguous=True,
        offset=3,
        total_passages=9,
        notice="Lưu ý: trích từ tin bài.",
    )
    assert render_plain(a).split("\n") == [
        KL21.full_name(),
        "Liên quan: được thực hiện bởi Kế hoạch số 03-KH/TW.",
        "",
        "Trích dẫn từ tin bài:",
        "4. “Toàn Đảng phải kiên quyết đấu tranh.”",
        "   — Hội nghị quán triệt, 11-01-2022 — https://tin.example/bai-1",
        "5. “Người đứng đầu phải nêu gương.”",
        "   — Hội nghị quán triệt",
        "",
        "Các văn bản trùng số:",
        "• Kết luận số 21-KL/TU",
        "",
        "Còn 4 trích dẫn khác.",
        "",
        "Lưu ý: trích từ tin bài.",
    ]


def test_ambiguous_answer_naming_each_candidate_first_has_no_candidate_list() -> None:
    a = answer(
        headline="Có 2 văn bản cùng là Kết luận số 21-KL/TW / 21-KL/TU; bạn muốn hỏi văn bản nào?",
        details=(f"• {KL21.full_name()}", f"• {KL21_TU.full_name()}"),
        directive=None,
        candidates=(KL21, KL21_TU),
        ambiguous=True,
    )
    for text in (render_plain(a), "\n".join(render_html(a))):
        assert "Các văn bản trùng số:" not in text
        assert text.count(KL21_TU.full_name()) == 1


def test_plain_not_found_has_closest_heading_and_no_trailing_spaces() -> None:
    a = answer(
        found=False,
        kind="search",
        headline="Không tìm thấy nội dung về “xyz”.  ",
        directive=None,
        candidates=(KL21,),
    )
    text = render_plain(a)
    assert "Văn bản gần nhất trong dữ liệu:" in text
    assert "Các văn bản trùng số:" not in text
    assert all(line == line.rstrip() for line in text.split("\n"))
    assert not text.endswith("\n")


def test_plain_is_nfc() -> None:
    nfd = unicodedata.normalize("NFD", "Kết luận số 21 về chỉnh đốn Đảng")
    text = render_plain(answer(headline=nfd, passages=(quote(nfd),), total_passages=1))
    assert text == unicodedata.normalize("NFC", text)
    assert "Kết luận số 21 về chỉnh đốn Đảng" in text


# --------------------------------------------------------------------------- HTML


def test_html_structure() -> None:
    a = answer(
        details=("Ban hành ngày 25-10-2021.",),
        passages=(quote(),),
        total_passages=4,
        notice="Lưu ý.",
    )
    [html] = render_html(a)
    text, entities = parse_telegram_html(html)
    assert html.startswith(f"<b>{KL21.full_name()}</b>\nBan hành ngày 25-10-2021.")
    assert "<blockquote>“Toàn Đảng phải kiên quyết đấu tranh.”</blockquote>" in html
    assert '— <a href="https://tin.example/bai-1">Hội nghị quán triệt</a>, 11-01-2022' in html
    assert "Còn 3 trích dẫn khác" in text
    kinds = {e["type"] for e in entities}
    assert {"bold", "blockquote", "text_link", "italic"} <= kinds


def test_hostile_passage_text_is_escaped() -> None:
    hostile = 'a < b > c & d <b>giả</b> <a href="javascript:alert(1)">bấm</a> &amp; &lt;'
    a = answer(
        headline="Tiêu đề <i>x</i> & y",
        details=("<script>alert(1)</script>",),
        passages=(
            quote(hostile, title="Bài <b>\"lạ\"</b> & 'x'", url="https://x.example/?a=1&b=<2>"),
        ),
        total_passages=1,
    )
    [html] = render_html(a)
    text, entities = parse_telegram_html(html)  # would raise on anything unescaped
    assert hostile in text
    assert "Tiêu đề <i>x</i> & y" in text
    assert "<script>alert(1)</script>" in text
    assert "Bài <b>\"lạ\"</b> & 'x'" in text
    assert not any(e.get("url", "").startswith("javascript") for e in entities)
    assert "<b>giả</b>" not in html and "&lt;b&gt;giả&lt;/b&gt;" in html


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:text/html,x",
        "ftp://x.example/a",
        "//x.example",
        "https://",
        "http://a b",
        None,
        "",
    ],
)
def test_unsafe_links_render_as_plain_titles(url: str | None) -> None:
    [html] = render_html(answer(passages=(quote(url=url, title="Bài viết"),), total_passages=1))
    assert "<a " not in html
    assert "Bài viết" in html
    assert safe_url(url) is None


def test_safe_url_keeps_http_and_https() -> None:
    assert safe_url("https://x.example/a?b=1&c=2") == "https://x.example/a?b=1&c=2"
    assert safe_url("HTTP://x.example") == "HTTP://x.example"


def test_ten_thousand_character_answer_is_split_correctly() -> None:
    long_quote = (
        "Đảng bộ tiếp tục quán triệt sâu sắc kết luận & <chỉ thị> của Trung ương. " * 140
    )[:10_000]
    assert len(long_quote) == 10_000
    a = answer(
        details=("Chi tiết.",) * 3,
        passages=(quote(long_quote), quote("Đoạn ngắn thứ hai.")),
        total_passages=5,
        notice="Lưu ý cuối.",
    )
    pieces = render_html(a)
    assert len(pieces) >= 3
    joined = ""
    for piece in pieces:
        text, _entities = parse_telegram_html(piece)
        assert utf16_len(text.strip()) <= 4096
        assert piece.count("<blockquote>") == piece.count("</blockquote>")
        joined += text
    squash = "".join(joined.split())
    assert "".join(long_quote.split()) in squash
    assert "Đoạnngắnthứhai." in squash and squash.endswith("Lưuýcuối.")
    # the long quote is continued in blockquotes in every piece it spans
    spans = [p for p in pieces if "quán triệt sâu sắc" in p]
    assert len(spans) >= 2 and all("<blockquote>" in p for p in spans)


# --------------------------------------------------------------------------- split_html


def test_split_keeps_blocks_whole_when_they_fit() -> None:
    blocks = ["<b>một</b>", "hai", "ba"]
    assert split_html(blocks, limit=4096) == ["<b>một</b>\n\nhai\n\nba"]
    assert split_html(blocks, limit=8) == ["<b>một</b>\n\nhai", "ba"]


def test_split_long_block_reopens_tags() -> None:
    block = '<blockquote>aaaa bbbb <a href="https://x.example/?a=1&amp;b=2">cccc dddd</a> eeee</blockquote>'
    pieces = split_html([block], limit=10)
    for piece in pieces:
        parse_telegram_html(piece)
        assert visible_length(piece) <= 10
        assert piece.startswith("<blockquote>") and piece.endswith("</blockquote>")
    assert pieces == [
        "<blockquote>aaaa bbbb</blockquote>",
        '<blockquote><a href="https://x.example/?a=1&amp;b=2">cccc dddd</a></blockquote>',
        "<blockquote>eeee</blockquote>",
    ]


def test_split_counts_utf16_and_never_splits_surrogates() -> None:
    pieces = split_html(["😀" * 5], limit=4)
    assert pieces == ["😀😀", "😀😀", "😀"]
    assert split_html(["a😀"], limit=2) == ["a", "😀"]


def test_split_counts_entities_as_one_character() -> None:
    block = "&amp;" * 4096
    [piece] = split_html([block])
    assert visible_length(piece) == 4096
    pieces = split_html([block + "&lt;"])
    assert [visible_length(p) for p in pieces] == [4096, 1]


def test_split_drops_empty_blocks_and_empty_tags() -> None:
    assert split_html(["", "<b></b>", "  ", "x"]) == ["x"]
    assert split_html([]) == []
    with pytest.raises(ValueError):
        split_html(["x"], limit=1)


def test_split_prefers_line_then_word_breaks() -> None:
    text = "dòng một có chữ\n" + "dòng hai " * 3
    pieces = split_html([text], limit=20)
    assert pieces[0] == "dòng một có chữ"


_word = st.text(
    alphabet=st.sampled_from(list("aăâđêôơư áàảãạ<>&\"'😀𝕏\n")), min_size=0, max_size=30
)


@st.composite
def _html_block(draw: st.DrawFn, depth: int = 0) -> tuple[str, str]:
    """(html, visible text) for a random nested block."""
    parts = draw(st.lists(st.one_of(_word, st.just("")), min_size=1, max_size=4))
    html_out, text_out = "", ""
    for part in parts:
        wrap = draw(st.sampled_from(["", "b", "i", "a", "blockquote"])) if depth < 3 else ""
        if wrap and draw(st.booleans()):
            inner_html, inner_text = draw(_html_block(depth + 1))
            attrs = ' href="https://x.example/?q=1&amp;r=2"' if wrap == "a" else ""
            html_out += f"<{wrap}{attrs}>{inner_html}</{wrap}>"
            text_out += inner_text
        else:
            escaped = part.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            html_out += escaped
            text_out += part
    return html_out, text_out


def _styles(html: str) -> list[tuple[str, frozenset[str]]]:
    """Each non-space character with the entity types around it."""
    text, entities = parse_telegram_html(html)
    units = text.encode("utf-16-le")
    out = []
    pos = 0
    for ch in text:
        width = 2 if ord(ch) > 0xFFFF else 1
        kinds = frozenset(
            e["type"] for e in entities if e["offset"] <= pos < e["offset"] + e["length"]
        )
        if not ch.isspace():
            out.append((ch, kinds))
        pos += width
    assert pos * 2 == len(units)
    return out


@settings(max_examples=200, deadline=None)
@given(st.lists(_html_block(), min_size=1, max_size=6), st.integers(min_value=2, max_value=60))
def test_split_invariants(blocks: list[tuple[str, str]], limit: int) -> None:
    htmls = [h for h, _ in blocks]
    pieces = split_html(htmls, limit=limit)
    for piece in pieces:
        text, _ = parse_telegram_html(piece)  # well-formed, Telegram-parsable
        assert utf16_len(text) <= limit
        assert text.strip()
    # the same characters, in order, with the same formatting
    expected = [item for h in htmls if h for item in _styles(h)]
    got = [item for p in pieces for item in _styles(p)]
    assert got == expected
