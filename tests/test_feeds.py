"""RSS/Atom: recognised by content, parsed from bytes, dangerous XML refused.

Fetching every item of a feed over HTTP is tested in test_fetch.py
(`test_load_rss_feed_of_30_items`, `test_load_atom_feed`).
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.errors import ExtractionError
from index.sources.feeds import FeedEntry, looks_like_feed, parse_feed
from index.sources.urls import is_web_url

FIXTURES = Path(__file__).parent / "fixtures" / "web"


def read(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def rss(count: int) -> bytes:
    items = "".join(
        f"<item><title>Tin số {n} &amp; bình luận</title>"
        f"<link>https://baomau.example/tin/{n}.html</link>"
        f"<description>Tóm tắt &lt;b&gt;{n}&lt;/b&gt;</description>"
        f"<pubDate>Tue, 11 Jan 2022 {n % 24:02d}:00:00 +0700</pubDate></item>"
        for n in range(count)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>Báo Mẫu</title><link>https://baomau.example/</link>{items}</channel></rss>"
    ).encode()


# --- recognising feeds -------------------------------------------------------------------

RDF = b"""<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
xmlns="http://purl.org/rss/1.0/"><channel rdf:about="x"><title>t</title></channel></rdf:RDF>"""
PROLOG = b"""\xef\xbb\xbf  <?xml version="1.0"?>
<!-- generated -->
<?xml-stylesheet href="rss.xsl" type="text/xsl"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "rss-0.91.dtd">
<rss version="0.91"><channel></channel></rss>"""
HTML = b"<!DOCTYPE html><html><head><title>rss feed</title></head><body><rss></rss></body></html>"


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        (rss(1), "application/rss+xml", True),
        (rss(1), "text/html; charset=utf-8", True),  # content wins over a wrong header
        (rss(1), None, True),
        (read("feed_atom.xml"), "application/xml", True),
        (RDF, "text/xml", True),
        (PROLOG, None, True),
        (HTML, "application/rss+xml", False),
        (b"<urlset><url><loc>https://a.example/</loc></url></urlset>", "application/xml", False),
        (b"<channel><item/></channel>", "application/rss+xml", True),  # header breaks the tie
        (b"<channel><item/></channel>", "text/xml", False),
        (b"", "application/rss+xml", False),
        (b"not xml at all", "application/atom+xml", False),
    ],
)
def test_looks_like_feed(body: bytes, content_type: str | None, expected: bool) -> None:
    assert looks_like_feed(body, content_type) is expected


# --- parsing ----------------------------------------------------------------------------------


def test_rss_of_30_items() -> None:
    entries = parse_feed(rss(30))
    assert len(entries) == 30
    assert entries[0] == FeedEntry(
        link="https://baomau.example/tin/0.html",
        title="Tin số 0 & bình luận",
        published=date(2022, 1, 11),
        summary="Tóm tắt 0",
    )
    assert [e.link for e in entries] == [f"https://baomau.example/tin/{n}.html" for n in range(30)]


def test_atom_links_dates_and_unsafe_links() -> None:
    entries = parse_feed(read("feed_atom.xml"), base_url="https://baomau.example/atom.xml")
    assert [e.link for e in entries] == [
        "https://baomau.example/quy-dinh-37.html",
        "https://baomau.example/ket-luan-21-mot-nam.html",  # relative link resolved
    ]  # the javascript: link is dropped
    # 00:15 on 12 January in Hanoi is still the 12th, although UTC says the 11th.
    assert entries[0].published == date(2022, 1, 12)
    assert entries[0].summary == "Quy định 37-QĐ/TW ngày 25-10-2021."
    assert entries[1].published == date(2022, 10, 25)  # from <updated>


def test_sloppy_rss_with_undeclared_entity_is_still_read() -> None:
    [entry] = parse_feed(read("feed_sloppy.rss"), base_url="https://baomau.example/rss")
    assert entry.link == "https://baomau.example/chinh-tri/kl21.html"
    assert entry.title.startswith("Kết luận 21-KL/TW") and entry.title.endswith("được quán triệt")
    assert entry.summary == "Tỉnh ủy quán triệt Kết luận 21."
    assert entry.published == date(2022, 1, 10)


def test_duplicate_links_are_listed_once() -> None:
    body = rss(2).replace(b"/tin/1.html", b"/tin/0.html")
    assert [e.link for e in parse_feed(body)] == ["https://baomau.example/tin/0.html"]


# --- dangerous or broken XML -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["feed_billion_laughs.xml", "feed_xxe.xml"])
def test_entity_tricks_are_refused(name: str) -> None:
    started = time.monotonic()
    with pytest.raises(ExtractionError, match="thực thể") as caught:
        parse_feed(read(name))
    assert time.monotonic() - started < 1
    assert "/etc/passwd" not in str(caught.value)


def test_broken_xml_with_entity_declarations_is_refused() -> None:
    body = read("feed_billion_laughs.xml").replace(b"</channel>", b"</chanel>")
    with pytest.raises(ExtractionError):
        parse_feed(body)


@pytest.mark.parametrize("body", [b"", b"\x00\xff garbage", b"<rss><channel><item>"])
def test_unreadable_feeds(body: bytes) -> None:
    try:
        entries = parse_feed(body)
    except ExtractionError:
        return
    assert entries == []


def test_parse_feed_never_treats_bytes_as_a_location(tmp_path: Path) -> None:
    secret = tmp_path / "feed.xml"
    secret.write_bytes(rss(1))
    with pytest.raises(ExtractionError):
        parse_feed(str(secret).encode())  # a path, as bytes, is not read from disk


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_give_entries_or_extraction_error(body: bytes) -> None:
    try:
        entries = parse_feed(body)
    except ExtractionError:
        return
    assert all(e.link.startswith(("http://", "https://")) for e in entries)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://a.example/x", True),
        ("HTTP://a.example", True),
        ("ftp://a.example", False),
        ("javascript:alert(1)", False),
        ("/srv/bai/kl21.md", False),
        ("httpsx://a.example", False),
        ("", False),
    ],
)
def test_is_web_url(text: str, expected: bool) -> None:
    assert is_web_url(text) is expected
