"""HTML page → RawArticle: decoding, metadata, main text, legacy fonts."""

from __future__ import annotations

import random
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.errors import ExtractionError
from index.models import RawArticle
from index.sources.html import decode_html, extract_article, legacy_font

FIXTURES = Path(__file__).parent / "fixtures" / "web"
CANONICAL = "https://baomau.example/chinh-tri/trien-khai-ket-luan-21.html"

VIETNAMESE = (
    "Nghị quyết số 18-NQ/TW ngày 25 tháng 10 năm 2017 của Ban Chấp hành Trung ương Đảng "
    "về một số vấn đề tiếp tục đổi mới, sắp xếp tổ chức bộ máy của hệ thống chính trị tinh "
    "gọn, hoạt động hiệu lực, hiệu quả. Các cấp ủy, tổ chức đảng cần quán triệt sâu sắc, "
    "thực hiện nghiêm túc và thường xuyên kiểm tra, giám sát việc triển khai ở địa phương."
)


def page(body: str, head: str = "", charset: str = "utf-8", title: str = "Bài mẫu") -> str:
    return (
        f'<!DOCTYPE html><html><head><meta charset="{charset}"><title>{title}</title>{head}'
        f"</head><body><article>{body}</article></body></html>"
    )


def read(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


# --- legacy encodings, built from Unicode text with small tables ----------------------

_TONES = "\u0301\u0300\u0309\u0303\u0323"  # sắc, huyền, hỏi, ngã, nặng


def _parts(ch: str) -> tuple[str, str, int | None]:
    """('a', shape, tone) where shape is '', '^' (circumflex), '(' (breve) or '+' (horn)."""
    decomposed = unicodedata.normalize("NFD", ch)
    shape = {"\u0302": "^", "\u0306": "(", "\u031b": "+"}
    tone = next((_TONES.index(m) for m in decomposed[1:] if m in _TONES), None)
    return decomposed[0], next((shape[m] for m in decomposed[1:] if m in shape), ""), tone


def to_vni(text: str) -> str:
    out = []
    for ch in text:
        base, shape, tone = _parts(ch)
        lower = base.lower()
        if ch in "đĐ":
            out.append("ñ" if ch == "đ" else "Ñ")
            continue
        if lower not in "aeiouy" or (not shape and tone is None):
            out.append(ch)
            continue
        if lower == "i":
            code = "íìæóò"[tone] if tone is not None else "i"
        elif lower == "y" and tone == 4:
            code = "î"
        elif shape == "+":
            code = {"o": "ô", "u": "ö"}[lower] + ("ùøûõï"[tone] if tone is not None else "")
        elif shape == "^":
            code = lower + ("áàåãä"[tone] if tone is not None else "â")
        elif shape == "(":
            code = lower + ("éèúüë"[tone] if tone is not None else "ê")
        else:
            code = lower + "ùøûõï"[tone]
        out.append(code if base.islower() else code.upper())
    return "".join(out)


_TCVN3_ROWS = {  # plain, sắc, huyền, hỏi, ngã, nặng
    "a": "a¸µ¶·¹", "ă": "¨¾»¼½Æ", "â": "©ÊÇÈÉË", "e": "eÐÌÎÏÑ", "ê": "ªÕÒÓÔÖ",
    "i": "iÝ×ØÜÞ", "o": "oãßáâä", "ô": "«èåæçé", "ơ": "¬íêëìî", "u": "uóïñòô",
    "ư": "\xadøõö÷ù", "y": "yýúûüþ",
}  # fmt: skip
_TCVN3 = {"đ": "®", "Đ": "§", "Ă": "¡", "Â": "¢", "Ê": "£", "Ô": "¤", "Ơ": "¥", "Ư": "¦"}
for _base, _codes in _TCVN3_ROWS.items():
    for _tone, _code in enumerate(_codes):
        _TCVN3.setdefault(unicodedata.normalize("NFC", _base + ("", *_TONES)[_tone]), _code)


def to_tcvn3(text: str) -> str:
    # Capitals with tone marks were drawn with the same codes in a capitals font.
    return "".join(_TCVN3.get(ch, _TCVN3.get(ch.lower(), ch)) for ch in text)


def to_cp1258(text: str) -> bytes:
    """windows-1258 has base letters (ê, ơ, ă …) but tone marks only as combining."""
    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", ch)
            tones = "".join(m for m in decomposed if m in _TONES)
            base = unicodedata.normalize("NFC", "".join(m for m in decomposed if m not in _TONES))
            out += (base + tones).encode("cp1258")
    return out


def test_encoders_match_known_spellings() -> None:
    assert to_vni("Việt Nam Đảng của quyết ương Nghị") == "Vieät Nam Ñaûng cuûa quyeát öông Nghò"
    assert to_tcvn3("Nghị quyết của Đảng ương") == "NghÞ quyÕt cña §¶ng \xad¬ng"
    assert to_cp1258("ệ").decode("cp1258") == "ê\u0323"


# --- main text and boilerplate ------------------------------------------------------------


def test_article_keeps_paragraphs_and_drops_boilerplate() -> None:
    article = extract_article(read("article.html"), url="https://m.baomau.example/amp/123")
    paragraphs = article.text.split("\n\n")
    assert len(paragraphs) == 4
    assert paragraphs[0].startswith("Tỉnh ủy tổ chức hội nghị quán triệt")
    assert paragraphs[-1].startswith("Hội nghị cũng nhấn mạnh vai trò nêu gương")
    for noise in ("Trang chủ", "Chính trị\n", "Tin liên quan", "huyện A", "Đọc nhiều",
                  "Giá vàng", "Bản quyền", "Quảng cáo", "TRACKING-CODE", "dataLayer", "color"):  # fmt: skip
        assert noise not in article.text, noise


def test_inline_related_block_is_dropped_and_following_text_kept() -> None:
    article = extract_article(read("article_inline_related.html"), url="https://haibao.example/x")
    assert "Tin liên quan" not in article.text
    assert "nhiều mô hình hay" not in article.text and "sơ kết năm năm" not in article.text
    assert article.text.split("\n\n")[-1].startswith("Các tỉnh ủy, thành ủy")
    assert "Trang chủ" not in article.text and "sao chép" not in article.text


def test_related_block_inside_a_list_item_label() -> None:
    body = (
        f"<p>{VIETNAMESE}</p><p>{VIETNAMESE[::-1]}</p>"
        '<div><span>XEM THÊM:</span><a href="/1">Một bài khác rất dài về chủ đề khác hẳn</a></div>'
        f"<p>Đoạn kết: {VIETNAMESE}</p>"
    )
    article = extract_article(page(body).encode(), url="https://a.example/1")
    assert "XEM THÊM" not in article.text and "Một bài khác" not in article.text
    assert article.text.endswith(VIETNAMESE)


# --- metadata ------------------------------------------------------------------------------


def test_metadata_from_canonical_og_and_article_tags() -> None:
    article = extract_article(read("article.html"), url="https://m.baomau.example/amp/123")
    assert article.title == "Triển khai Kết luận 21-KL/TW về xây dựng, chỉnh đốn Đảng"
    assert article.url == CANONICAL
    assert article.found_via == "https://m.baomau.example/amp/123"
    assert article.published == date(2022, 1, 11)
    assert article.author == "Nguyễn Văn An"
    assert article.source == "Báo Mẫu"
    assert article.needs_review is None


def test_metadata_from_json_ld_graph() -> None:
    article = extract_article(
        read("article_inline_related.html"), url="https://haibao.example/p/ct05"
    )
    assert article.title == "Bộ Chính trị ban hành Chỉ thị 05-CT/TW"
    assert article.url == "https://haibao.example/p/ct05"
    assert article.found_via is None  # fetched at its canonical address
    assert article.published == date(2016, 5, 16)
    assert article.author == "Trần Thị Bình, Lê Văn Cường"
    assert article.source == "Báo Mẫu Hai"


def test_same_article_on_two_hosts_has_one_identity() -> None:
    body = read("article.html")
    first = extract_article(
        body, url="https://baomau.example/chinh-tri/trien-khai-ket-luan-21.html"
    )
    mirror = extract_article(body, url="http://tinmirror.example/copy/999")
    assert first.url == mirror.url == CANONICAL
    assert first.found_via is None and mirror.found_via == "http://tinmirror.example/copy/999"
    assert first.text == mirror.text


def test_relative_canonical_is_made_absolute() -> None:
    html = page(f"<p>{VIETNAMESE}</p>", head='<link rel="Canonical" href="../bai/42.html">')
    article = extract_article(html.encode(), url="https://a.example/tin/amp/42")
    assert article.url == "https://a.example/tin/bai/42.html"


def test_title_falls_back_to_title_tag_and_url_to_fetched() -> None:
    article = extract_article(page(f"<p>{VIETNAMESE}</p>").encode(), url="https://a.example/1")
    assert article.title == "Bài mẫu"
    assert (article.url, article.found_via, article.source) == (
        "https://a.example/1",
        None,
        "a.example",
    )
    assert article.published is None


def test_non_http_canonical_is_ignored() -> None:
    html = page(f"<p>{VIETNAMESE}</p>", head='<link rel="canonical" href="javascript:alert(1)">')
    assert extract_article(html.encode(), url="https://a.example/1").url == "https://a.example/1"


# --- decoding ------------------------------------------------------------------------------


def test_windows_1258_page_decodes_to_nfc_vietnamese() -> None:
    html = page(f"<p>{VIETNAMESE}</p><p>Đoạn hai: {VIETNAMESE}</p>", charset="windows-1258")
    body = to_cp1258(html)
    assert b"\xd2" in body or b"\xf2" in body  # a combining tone mark byte is really there
    article = extract_article(body, url="https://a.example/1")
    assert article.text.split("\n\n")[0] == VIETNAMESE
    assert unicodedata.is_normalized("NFC", article.text)
    assert article.needs_review is None


def test_charset_from_header_wins_over_detection() -> None:
    body = to_cp1258(page(f"<p>{VIETNAMESE}</p>", charset="x-unknown"))
    assert decode_html(body, "windows-1258") == unicodedata.normalize(
        "NFC", page(f"<p>{VIETNAMESE}</p>", charset="x-unknown")
    )


def test_utf8_page_mislabelled_latin1_is_read_as_utf8() -> None:
    body = page(f"<p>{VIETNAMESE}</p>").encode()
    assert VIETNAMESE in decode_html(body, "ISO-8859-1")


def test_undeclared_utf8_and_nfd_text() -> None:
    html = page(f"<p>{unicodedata.normalize('NFD', VIETNAMESE)}</p>").replace(
        '<meta charset="utf-8">', ""
    )
    article = extract_article(html.encode(), url="https://a.example/1")
    assert article.text == VIETNAMESE


# --- legacy fonts --------------------------------------------------------------------------


@pytest.mark.parametrize(("encode", "name"), [(to_vni, "VNI"), (to_tcvn3, "TCVN3 (ABC)")])
@pytest.mark.parametrize("font", ["", "<style>p { font-family: '.VnTime', 'VNI-Times'; }</style>"])
def test_legacy_font_pages_are_flagged(encode, name: str, font: str) -> None:  # type: ignore[no-untyped-def]
    text = encode(VIETNAMESE)
    html = page(f"<p>{text}</p><p>{text}</p>", font, "windows-1252", encode("Bài mẫu"))
    article = extract_article(html.encode("cp1252"), url="https://cu.example/1")
    assert isinstance(article, RawArticle)
    assert article.needs_review is not None
    assert name in article.needs_review and "phông chữ cũ" in article.needs_review


@pytest.mark.parametrize(
    "text",
    [
        VIETNAMESE,
        "Le comité a adopté à l'unanimité une résolution sur la coopération économique et "
        "la sécurité régionale; les délégués ont salué les progrès réalisés depuis l'année "
        "dernière et ont appelé à renforcer le dialogue entre les pays de la région. Noël, "
        "naïve, maïs, aïeul: ces mots français ne sont pas des marques VNI.",
        "El presidente señaló que aún quedan desafíos en la economía española; además, la "
        "reunión de mañana tratará la cooperación entre las regiones y el año próximo habrá "
        "nuevas elecciones en las comunidades autónomas del país según la ley vigente hoy.",
    ],
)
def test_unicode_and_other_latin_text_is_not_flagged(text: str) -> None:
    assert legacy_font(text) is None


# --- malformed input -----------------------------------------------------------------------


def test_malformed_html_still_gives_the_article() -> None:
    article = extract_article(read("malformed.html"), url="https://a.example/1")
    assert "Nghị quyết số 18-NQ/TW" in article.text
    assert "Đoạn cuối cùng vẫn còn nội dung" in article.text
    assert article.title == "Trang hỏng"


@pytest.mark.parametrize(
    "body",
    [b"", b"   ", b"\x00\x00\x00", b"<html>", b"<html><head><title>x</title></head><body></body></html>",
     b"<nav><a href='/'>Trang ch\xe1\xbb\xa7</a></nav>", b"<?xml version='1.0'?><rss></rss>",
     b"<html><head><title>Ch\xc6\xb0a \xc4\x91\xc3\xb3ng <body><p>" + "Nội dung ".encode() * 50,
     bytes(random.Random(7).randrange(256) for _ in range(5000))],
)  # fmt: skip
def test_pages_without_article_raise_extraction_error(body: bytes) -> None:
    with pytest.raises(ExtractionError, match="không có nội dung bài viết") as caught:
        extract_article(body, url="https://a.example/trong")
    assert "https://a.example/trong" in str(caught.value)
    assert unicodedata.is_normalized("NFC", str(caught.value))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000) | st.text(max_size=2000).map(lambda s: f"<p>{s}<div>{s}".encode()))
def test_arbitrary_bytes_never_crash(body: bytes) -> None:
    try:
        article = extract_article(body)
    except ExtractionError:
        return
    assert article.text.strip()
